import { DEFAULT_CHANNELS } from "@lantern/core/channels";
import type { Db } from "@lantern/db";
import { channels } from "@lantern/db/schema";

export interface ChannelInfo {
  key: string;
  label: string;
  group: string;
  dark: boolean;
}

/**
 * The channel taxonomy as an admin edited it (the `channels` table), over the defaults, in
 * taxonomy order. Keys the table does not know (a reconciler emitting something new) still get a row.
 */
export async function loadChannels(db: Db): Promise<ChannelInfo[]> {
  const rows = await db.select().from(channels);
  const edited = new Map(rows.map((r) => [r.key, r]));
  const ordered: ChannelInfo[] = DEFAULT_CHANNELS.map((d) => {
    const e = edited.get(d.key);
    return e ? { key: e.key, label: e.label, group: e.group, dark: e.dark } : { key: d.key, label: d.label, group: d.group, dark: d.dark };
  });
  for (const r of rows) if (!ordered.some((o) => o.key === r.key)) ordered.push({ key: r.key, label: r.label, group: r.group, dark: r.dark });
  return ordered;
}

export type ChannelLookup = (key: string) => { channel: string; label: string; dark: boolean };

export function channelLookup(list: ChannelInfo[]): ChannelLookup {
  const byKey = new Map(list.map((c) => [c.key, c]));
  return (key) => {
    const c = byKey.get(key);
    return { channel: key, label: c?.label ?? key, dark: c?.dark ?? false };
  };
}
