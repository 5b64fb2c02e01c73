import { useChannels } from "../lib/channels.ts";

/** A channel name, marked when it is dark social. */
export function ChannelBadge({ channel, source }: { channel: string | null | undefined; source?: string | null }) {
  const { label, isDark } = useChannels();
  if (!channel) return <span className="badge">Unclassified</span>;
  return (
    <span className={`badge ${isDark(channel) ? "badge-dark" : ""}`} title={isDark(channel) ? "Dark social" : undefined}>
      {label(channel)}
      {source ? <span className="badge-source">{"\u00a0·\u00a0"}{source}</span> : null}
      {isDark(channel) ? <span className="sr-only"> (dark social)</span> : null}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const tone = status === "active" || status === "ok" || status === "completed" ? "good" : status === "failed" || status === "unavailable" || status === "revoked" || status === "disabled" ? "bad" : "neutral";
  return <span className={`badge badge-${tone}`}>{status}</span>;
}
