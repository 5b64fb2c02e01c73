import { DEFAULT_CHANNELS } from "@lantern/core/channels";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useApi } from "./session.tsx";
import type { Channel } from "./types.ts";

// Apart from hooks.ts, whose useRange the shell needs on every page: the taxonomy is only for the
// pages that name channels, so it stays out of the first page's JavaScript.

/** The channel taxonomy as this instance labels it; the built-in defaults until it has loaded. */
export function useChannels(): { channels: Channel[]; label: (key: string | null | undefined) => string; isDark: (key: string | null | undefined) => boolean } {
  const api = useApi();
  const query = useQuery({
    queryKey: ["channels"],
    queryFn: () => api.get<{ channels: Channel[] }>("/api/channels"),
    staleTime: 5 * 60_000,
  });
  const channels = query.data?.channels ?? (DEFAULT_CHANNELS as Channel[]);
  return useMemo(() => {
    const byKey = new Map(channels.map((c) => [c.key, c]));
    return {
      channels,
      label: (key) => (key ? (byKey.get(key)?.label ?? key) : "Unclassified"),
      isDark: (key) => (key ? (byKey.get(key)?.dark ?? false) : false),
    };
  }, [channels]);
}
