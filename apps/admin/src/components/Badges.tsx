import { channelForSource } from "@lantern/core/channels";
import { sourceLabel } from "@lantern/core/source-labels";
import { useChannels } from "../lib/channels.ts";

/** A channel name, marked when it is dark social. */
export function ChannelBadge({ channel, source }: { channel: string | null | undefined; source?: string | null }) {
  const { label, isDark } = useChannels();
  if (!channel) return <span className="badge">Unclassified</span>;
  return (
    <span className={`badge ${isDark(channel) ? "badge-dark" : ""}`} title={isDark(channel) ? "Dark social" : undefined}>
      {label(channel)}
      {source ? <span className="badge-source">{"\u00a0·\u00a0"}{sourceLabel(source)}</span> : null}
      {isDark(channel) ? <span className="sr-only"> (dark social)</span> : null}
    </span>
  );
}

/**
 * The channel a link was made for, read as the click classifier reads a link's tag (packages/core
 * classify/click.ts linkTag): its channel, else its source's, else "referral". No source is not
 * "unclassified": with a channel it is a link for that channel in no app in particular (the badge
 * shows the channel alone); with neither it is the untagged link, whose clicks are credited by what
 * the browser says. A share kit's own link is that one, and the links service sends its source as "".
 */
export function linkTag(channel: string | null | undefined, source: string | null | undefined): { channel: string; source: string | null } | null {
  const src = source?.trim() ? source : null;
  if (channel) return { channel, source: src };
  if (src) return { channel: channelForSource(src) ?? "referral", source: src };
  return null;
}

/** What a link was made for; "Untagged" when for nothing in particular. `sourceShown`: the source is already next to it. */
export function LinkTagBadge({ channel, source, sourceShown = false }: { channel: string | null | undefined; source: string | null | undefined; sourceShown?: boolean }) {
  const tag = linkTag(channel, source);
  if (!tag) {
    return (
      <span className="badge" title="Made for no channel: its clicks are credited by what the browser says (referrer, in-app browser), else direct.">
        Untagged
      </span>
    );
  }
  return <ChannelBadge channel={tag.channel} source={sourceShown ? null : tag.source} />;
}

export function StatusBadge({ status }: { status: string }) {
  const tone = status === "active" || status === "ok" || status === "completed" ? "good" : status === "failed" || status === "unavailable" || status === "revoked" || status === "disabled" ? "bad" : "neutral";
  return <span className={`badge badge-${tone}`}>{status}</span>;
}
