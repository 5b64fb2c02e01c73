/**
 * Campaign parameters on the incoming request: UTMs and ad-platform click ids.
 *
 * `channelFromCampaign` rules, first match wins:
 * 1. Paid click ids, added only to ad clicks: gclid/gbraid/wbraid/dclid -> paid_search google, msclkid -> bing,
 *    yclid -> yandex; ttclid -> paid_social tiktok, li_fat_id -> linkedin, twclid -> x, ScCid -> snapchat,
 *    epik -> pinterest, rdt_cid -> reddit.
 * 2. utm_medium, read like GA4's default channel rules: paid mediums (anything with "cp", ppc, paid*,
 *    retargeting, display, banner, sponsored) -> paid_social when the source is a social or messaging app or the
 *    medium says social, else paid_search (the taxonomy has no display channel). email/newsletter -> email,
 *    social -> social, organic -> organic_search, referral/affiliate -> referral, and any channel key or taxonomy
 *    source used as a medium (messaging, workchat, whatsapp, sms, podcast, qr ...) -> that channel.
 *    A generic "social" medium on a dark app (utm_source=whatsapp&utm_medium=social) keeps the app's dark channel.
 * 3. utm_source alone, through the taxonomy (`channelForSource`); an unknown source -> referral.
 * 4. fbclid: Facebook adds it to every outbound link, organic posts included, so alone it means social facebook,
 *    never paid (a paid Facebook click says so with utm_medium, rule 2).
 * 5. mc_cid (Mailchimp campaign id) -> email mailchimp.
 */
import { type ChannelKey, channelForSource, isChannelKey, normaliseSource } from "../channels.ts";
import { lookupTable } from "../lookup.ts";
import { registrableHost } from "./host.ts";

export interface UtmParams {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  term: string | null;
  content: string | null;
}

export const CLICK_ID_PARAMS = [
  "gclid", "gbraid", "wbraid", "dclid", "msclkid", "yclid", "fbclid", "ttclid", "li_fat_id", "twclid", "sccid", "epik", "rdt_cid", "mc_cid",
] as const;
export type ClickIdParam = (typeof CLICK_ID_PARAMS)[number];
export type ClickIds = Partial<Record<ClickIdParam, string>>;

export interface Campaign {
  utm: UtmParams;
  clickIds: ClickIds;
}

export interface CampaignChannel {
  channel: ChannelKey;
  source: string | null;
  /** The parameter that decided: a click-id name, "utm_medium", "utm_source". */
  rule: string;
}

const MAX_VALUE_LENGTH = 256;

function readParam(query: Record<string, unknown>, lowerKeys: Map<string, string>, name: string): string | null {
  const key = lowerKeys.get(name);
  if (key === undefined) return null;
  let value = query[key];
  if (Array.isArray(value)) value = value[0];
  if (typeof value !== "string") return null;
  const trimmed = value.trim().slice(0, MAX_VALUE_LENGTH);
  return trimmed === "" ? null : trimmed;
}

/** Reads UTMs and click ids from a query object (keys matched case-insensitively). */
export function parseCampaign(query: Record<string, string> | null | undefined): Campaign {
  const q: Record<string, unknown> = query && typeof query === "object" ? query : {};
  const lowerKeys = new Map<string, string>();
  for (const key of Object.keys(q)) {
    const lower = key.toLowerCase();
    if (!lowerKeys.has(lower)) lowerKeys.set(lower, key);
  }
  const utm: UtmParams = {
    source: readParam(q, lowerKeys, "utm_source"),
    medium: readParam(q, lowerKeys, "utm_medium"),
    campaign: readParam(q, lowerKeys, "utm_campaign"),
    term: readParam(q, lowerKeys, "utm_term"),
    content: readParam(q, lowerKeys, "utm_content"),
  };
  const clickIds: ClickIds = {};
  for (const name of CLICK_ID_PARAMS) {
    const value = readParam(q, lowerKeys, name);
    if (value !== null) clickIds[name] = value;
  }
  return { utm, clickIds };
}

/** True when the request carried any UTM or click id. */
export function hasCampaign(c: Campaign): boolean {
  return Object.values(c.utm).some((v) => v !== null) || Object.keys(c.clickIds).length > 0;
}

const PAID_CLICK_IDS: ReadonlyArray<[ClickIdParam, ChannelKey, string]> = [
  ["gclid", "paid_search", "google"],
  ["gbraid", "paid_search", "google"],
  ["wbraid", "paid_search", "google"],
  ["dclid", "paid_search", "google"],
  ["msclkid", "paid_search", "bing"],
  ["yclid", "paid_search", "yandex"],
  ["ttclid", "paid_social", "tiktok"],
  ["li_fat_id", "paid_social", "linkedin"],
  ["twclid", "paid_social", "x"],
  ["sccid", "paid_social", "snapchat"],
  ["epik", "paid_social", "pinterest"],
  ["rdt_cid", "paid_social", "reddit"],
];

const SOURCE_ALIASES = lookupTable<string>({
  fb: "facebook", ig: "instagram", insta: "instagram", twitter: "x", "t.co": "x", li: "linkedin", lnkd: "linkedin",
  wa: "whatsapp", yt: "youtube", tg: "telegram", fbmessenger: "messenger", fb_messenger: "messenger",
  adwords: "google", googleads: "google", google_ads: "google", bingads: "bing", microsoft_ads: "bing",
  msteams: "teams", ms_teams: "teams", microsoft_teams: "teams", gchat: "google_chat", hangouts: "google_chat",
  text: "sms", text_message: "sms", mail: "email", e_mail: "email",
});

/** A utm_source value as a Lantern source key: "Facebook" -> facebook, "m.facebook.com" -> facebook, "tw" stays "tw". */
export function normaliseCampaignSource(raw: string): string {
  const key = normaliseSource(raw);
  const aliased = SOURCE_ALIASES[key] ?? key;
  if (aliased.includes(".")) {
    const label = registrableHost(aliased).split(".")[0] ?? aliased;
    const fromHost = SOURCE_ALIASES[label] ?? label;
    if (channelForSource(fromHost)) return fromHost;
  }
  return aliased;
}

const PAID_MEDIUM = /^(?:.*cp.*|ppc|retargeting|remarketing|paid.*|display|banner|sponsored|ads?)$/;
const SOCIAL_MEDIUM = /^(?:social|social_?network|social_?media|sm|social_?organic|organic_?social|social_?post)$/;
const EMAIL_MEDIUM = /^(?:e_?mail|newsletter|mail|email_?campaign|edm)$/;
const DARK: ReadonlySet<ChannelKey> = new Set(["messaging", "workchat", "personal_email", "community", "word_of_mouth"]);

function mediumChannel(medium: string, sourceChannel: ChannelKey | null): ChannelKey | null {
  const m = normaliseSource(medium);
  if (PAID_MEDIUM.test(m)) {
    const social = m.includes("social") || sourceChannel === "social" || sourceChannel === "messaging";
    return social ? "paid_social" : "paid_search";
  }
  if (EMAIL_MEDIUM.test(m)) return sourceChannel === "personal_email" ? "personal_email" : "email";
  if (SOCIAL_MEDIUM.test(m)) return sourceChannel && DARK.has(sourceChannel) ? sourceChannel : "social";
  if (m === "organic" || m === "organic_search" || m === "seo") return "organic_search";
  if (m === "referral" || m === "affiliate" || m === "affiliates" || m === "partner") return "referral";
  if (isChannelKey(m)) return m;
  return channelForSource(SOURCE_ALIASES[m] ?? m);
}

/** The channel the campaign parameters point to, or null when they say nothing about it. */
export function channelFromCampaign(c: Campaign): CampaignChannel | null {
  for (const [param, channel, source] of PAID_CLICK_IDS) {
    if (c.clickIds[param] !== undefined) return { channel, source, rule: param };
  }
  const source = c.utm.source ? normaliseCampaignSource(c.utm.source) : null;
  const sourceChannel = source ? channelForSource(source) : null;
  if (c.utm.medium) {
    const channel = mediumChannel(c.utm.medium, sourceChannel);
    if (channel) return { channel, source, rule: "utm_medium" };
  }
  if (source) return { channel: sourceChannel ?? "referral", source, rule: "utm_source" };
  if (c.clickIds.fbclid !== undefined) return { channel: "social", source: "facebook", rule: "fbclid" };
  if (c.clickIds.mc_cid !== undefined) return { channel: "email", source: "mailchimp", rule: "mc_cid" };
  return null;
}
