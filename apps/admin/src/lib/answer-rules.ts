import { DEFAULT_CHANNELS } from "@lantern/core/channels";
import { sourceLabel } from "@lantern/core/source-labels";
import { humanize, MISSING } from "./format.ts";

/**
 * What each rule of the survey-answer classifier means, in words a marketer reads at a glance. The
 * rules are those of packages/core answers/free-text.ts (classifyAnswer) and answers/follow-up.ts
 * (refineWithFollowUp), the worker's option answers (apps/worker ingest/surveys.ts) and the surveys
 * service's manual labels. The rule id itself stays in the tooltip and in the CSV export.
 */

/** A channel key's display label (the instance's taxonomy: `useChannels().label`). */
export type ChannelLabel = (channel: string) => string;

const DEFAULT_LABELS = new Map<string, string>(DEFAULT_CHANNELS.map((c) => [c.key, c.label]));
const defaultLabel: ChannelLabel = (key) => DEFAULT_LABELS.get(key) ?? humanize(key);

/** Rules that describe a whole answer; they never come from a follow-up's text. */
const WHOLE_ANSWER: Record<string, string> = {
  option: "The option picked",
  option_unmapped: "Picked an option mapped to no channel",
  unknown_option: "Picked an option this survey does not have",
  // The worker's "I don't remember" option, and typed text that says so.
  dont_remember: "Picked or typed “I don't remember”",
  empty: "Nothing to read (left blank, or only symbols)",
  dont_know: "Typed “I don't know” or a placeholder (“n/a”, “none”, “x”)",
  too_vague: "Typed text too vague to place (“online”, “the internet”)",
  ad_without_platform: "Typed text names an ad, but not where it ran",
  no_match: "Typed text names no channel the rules know",
};

/**
 * What typed text says when a rule places it, written to follow "Typed text" or "the follow-up".
 * Each starts with a verb that `participle` knows.
 */
const SAYS: Record<string, string> = {
  manual_label: "is labelled by an admin",
  medium_over_person: "names a person and a channel; the channel wins",
  person_over_search: "names a person and a search; the person wins",
  person_over_website: "names a person and a website; the person wins",
  person_over_known_before: "names a person and that they knew the brand already; the person wins",
  person: "names a person (a friend, colleague, family)",
  recommendation: "says it was recommended, by no one named",
  person_email: "names an email from a person, not a campaign",
  "ad:online": "names an online ad, on no platform named",
};

/** `keyword:<id>`: the lexicon's keywords (packages/core answers/lexicon.ts) and the modifiers alone. */
const KEYWORDS: Record<string, string> = {
  messaging: "names a messaging app or group chat, none in particular",
  workchat: "names a work chat, no app in particular",
  social_media: "names social media, no platform in particular",
  search: "says they searched, no search engine named",
  research: "says they researched it",
  google_ads: "names Google Ads",
  meta_ads: "names Meta ads",
  ai: "names an AI assistant, none in particular",
  podcast: "names a podcast",
  conference: "names a conference",
  meetup: "names a meetup",
  trade_show: "names a trade show",
  webinar: "names a webinar",
  event: "names an event",
  tv: "names TV",
  radio: "names radio",
  print: "names print (a magazine, newspaper, flyer, book)",
  billboard: "names a billboard or poster",
  qr: "names a QR code",
  newsletter: "names a newsletter",
  email: "names an email",
  subreddit: "names a subreddit",
  forum: "names a forum or mailing list",
  website: "names a website, blog, article or review",
  known_before: "says they knew the brand already",
  forward: "says it was forwarded to them",
  dm: "names a direct message, on no app named",
  message: "names a message from a person, on no app named",
  group: "names a group or community, none named",
};

/** "instagram" -> "Instagram"; the tags of a platform-less modifier ("social_media", "search") in words. */
function where(tag: string): string {
  if (tag === "social_media") return "social media";
  if (tag === "search") return "a search engine";
  return sourceLabel(tag);
}

/** "Word of mouth" -> "word of mouth"; "AI assistants" stays. */
const inSentence = (label: string) => (/^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label);

const lookup = (table: Record<string, string>, key: string) => (Object.hasOwn(table, key) ? table[key]! : null);

/** What typed text says under this rule, or null for a rule no typed text is placed by. */
function says(rule: string, label: ChannelLabel): string | null {
  const fixed = lookup(SAYS, rule);
  if (fixed) return fixed;
  const colon = rule.indexOf(":");
  if (colon < 0) return null;
  const kind = rule.slice(0, colon);
  const arg = rule.slice(colon + 1);
  if (!arg) return null;
  switch (kind) {
    case "brand":
      return `names ${sourceLabel(arg)}`;
    case "keyword":
      return arg === "word_of_mouth" ? `names ${inSentence(label("word_of_mouth"))}` : lookup(KEYWORDS, arg);
    case "fuzzy":
      // The words a typo was corrected to ("instagram"; "mouth" in "word of mouht").
      return `is read as “${arg}” despite a typo`;
    case "ad":
      return arg === "search" ? "names a search ad" : `names an ad on ${where(arg)}`;
    case "dm":
      return `names a private message on ${where(arg)}`;
    case "group":
      return `names a group on ${where(arg)}`;
    default:
      return null;
  }
}

const PARTICIPLES: readonly (readonly [string, string])[] = [
  ["names ", "naming "],
  ["says ", "saying "],
  ["is ", ""],
];

/** "names Instagram" -> "naming Instagram", "is read as …" -> "read as …". */
function participle(phrase: string): string {
  for (const [verb, ing] of PARTICIPLES) if (phrase.startsWith(verb)) return ing + phrase.slice(verb.length);
  return phrase;
}

/** A survey answer's rule in words; an id this does not know is shown humanised, none as "—". */
export function describeAnswerRule(rule: string | null | undefined, label: ChannelLabel = defaultLabel): string {
  if (!rule) return MISSING;
  const whole = lookup(WHOLE_ANSWER, rule);
  if (whole) return whole;
  if (rule.startsWith("option+follow_up:")) {
    // The follow-up named the app within the option's channel ("Social media" → "TikTok").
    const inner = says(rule.slice("option+follow_up:".length), label);
    if (inner) return `Option, refined by the follow-up ${participle(inner)}`;
  } else if (rule.startsWith("follow_up:")) {
    // The follow-up revealed private sharing (a dark channel), which replaces the option.
    const inner = says(rule.slice("follow_up:".length), label);
    if (inner) return `Follow-up wins over the option (private sharing), ${participle(inner)}`;
  } else {
    const text = says(rule, label);
    if (text) return `Typed text ${text}`;
  }
  return humanize(rule);
}
