import { lookupTable } from "./lookup.ts";
/**
 * The channel taxonomy. Channels are data: an instance may edit labels or add channels
 * (stored in the `channels` table, seeded from these defaults), but the keys below are what
 * the classifiers emit.
 */
export const CHANNEL_KEYS = [
  "organic_search",
  "paid_search",
  "social",
  "paid_social",
  "email",
  "referral",
  "ai_assistant",
  "messaging",
  "workchat",
  "personal_email",
  "word_of_mouth",
  "community",
  "podcast",
  "events",
  "offline",
  "direct",
] as const;

export type ChannelKey = (typeof CHANNEL_KEYS)[number];

export type ChannelGroup = "search" | "social" | "owned" | "referral" | "ai" | "dark" | "untracked" | "direct";

export interface Channel {
  key: ChannelKey;
  label: string;
  group: ChannelGroup;
  /** Dark social: shared through a private channel that analytics tools cannot see. */
  dark: boolean;
}

export const DEFAULT_CHANNELS: readonly Channel[] = [
  { key: "organic_search", label: "Organic search", group: "search", dark: false },
  { key: "paid_search", label: "Paid search", group: "search", dark: false },
  { key: "social", label: "Social (public feeds)", group: "social", dark: false },
  { key: "paid_social", label: "Paid social", group: "social", dark: false },
  { key: "email", label: "Email campaigns", group: "owned", dark: false },
  { key: "referral", label: "Referral", group: "referral", dark: false },
  { key: "ai_assistant", label: "AI assistants", group: "ai", dark: false },
  { key: "messaging", label: "Messaging apps", group: "dark", dark: true },
  { key: "workchat", label: "Work chat", group: "dark", dark: true },
  { key: "personal_email", label: "Forwarded email", group: "dark", dark: true },
  { key: "word_of_mouth", label: "Word of mouth", group: "dark", dark: true },
  { key: "community", label: "Private communities", group: "dark", dark: true },
  { key: "podcast", label: "Podcasts", group: "untracked", dark: false },
  { key: "events", label: "Events", group: "untracked", dark: false },
  { key: "offline", label: "Offline (TV, radio, print)", group: "untracked", dark: false },
  { key: "direct", label: "Direct / unknown", group: "direct", dark: false },
];

const BY_KEY = new Map(DEFAULT_CHANNELS.map((c) => [c.key, c]));

export function isChannelKey(value: unknown): value is ChannelKey {
  return typeof value === "string" && BY_KEY.has(value as ChannelKey);
}

export function channelOf(key: ChannelKey): Channel {
  return BY_KEY.get(key)!;
}

export function isDarkChannel(key: ChannelKey): boolean {
  return BY_KEY.get(key)?.dark ?? false;
}

/**
 * The dark channels of an instance: the defaults' dark ones, then each stored channel row as it says
 * (the admin stores only the channels someone edited or added, so the rows are overrides, not the list).
 */
export function darkChannelKeys(stored: Iterable<{ key: string; dark: boolean }>): Set<string> {
  const dark = new Set<string>(DEFAULT_CHANNELS.filter((c) => c.dark).map((c) => c.key));
  for (const c of stored) {
    if (c.dark) dark.add(c.key);
    else dark.delete(c.key);
  }
  return dark;
}

/** A classification: the channel plus the concrete app or site (whatsapp, slack, google, ...). */
export interface Classification {
  channel: ChannelKey;
  source: string | null;
}

/**
 * The channel a share link is made for, from its source. A link made "for whatsapp" is a
 * messaging link; unknown sources fall back to referral (a website) unless the caller says.
 */
export const SOURCE_CHANNEL = lookupTable<ChannelKey>({
  whatsapp: "messaging", messenger: "messaging", telegram: "messaging", signal: "messaging",
  imessage: "messaging", sms: "messaging", wechat: "messaging", line: "messaging", viber: "messaging",
  kakaotalk: "messaging", snapchat: "messaging",
  slack: "workchat", teams: "workchat", discord: "workchat", mattermost: "workchat", google_chat: "workchat",
  personal_email: "personal_email", forward: "personal_email",
  email: "email", newsletter: "email",
  linkedin: "social", x: "social", twitter: "social", facebook: "social", instagram: "social",
  reddit: "social", youtube: "social", tiktok: "social", pinterest: "social", bluesky: "social",
  mastodon: "social", threads: "social", vk: "social",
  google: "organic_search", bing: "organic_search", duckduckgo: "organic_search",
  chatgpt: "ai_assistant", perplexity: "ai_assistant", gemini: "ai_assistant", claude: "ai_assistant", copilot: "ai_assistant",
  podcast: "podcast", event: "events", events: "events", qr: "offline", print: "offline", tv: "offline", radio: "offline",
  community: "community", forum: "community",
});

export function channelForSource(source: string | null | undefined): ChannelKey | null {
  if (!source) return null;
  return SOURCE_CHANNEL[source.toLowerCase()] ?? null;
}

/** Normalises a free-form source name to the key used across Lantern ("Google Chat" -> "google_chat"). */
export function normaliseSource(source: string): string {
  return source.trim().toLowerCase().replace(/[\s-]+/g, "_").replace(/[^a-z0-9_.]/g, "");
}
