import { channelForSource, normaliseSource } from "@lantern/core/channels";
import type { CreateLinkBody, Utm } from "./types.ts";

/**
 * What the links service will do with a link form, computed in the browser so the marketer sees each
 * variant's channel and UTMs before creating anything. Mirrors apps/links (defaultUtm, channelFor).
 */

/**
 * Sources offered as share-kit variants and in the links' Source filter, most common first: keys that
 * @lantern/core names (source-labels.ts) and places in a channel (channels.ts, SOURCE_CHANNEL).
 */
export const KIT_SOURCES = [
  "whatsapp", "slack", "linkedin", "email", "sms", "instagram", "facebook", "x", "tiktok", "telegram", "messenger", "teams", "discord",
  "imessage", "signal", "reddit", "youtube", "threads", "bluesky", "pinterest", "google_chat", "newsletter",
] as const;
export const DEFAULT_KIT = ["whatsapp", "slack", "linkedin", "email", "sms"];

const SLUG = /^[A-Za-z0-9_-]{1,64}$/;
const SOURCE = /^[A-Za-z0-9 _.-]{1,64}$/;
const RESERVED = new Set(["api", "healthz", "health", "openapi", "docs", "t", "s", "b", "j", "v1", "beacon", "journey", "well-known", "static", "assets", "public", "admin", "login", "logout", "signin", "signup", "auth", "account", "settings", "metrics", "status", "qr", "new", "links", "www"]);

/** The channel a link made for `source` gets: the taxonomy's, else "referral" (a website). */
export function channelFor(source: string): string {
  return channelForSource(source) ?? "referral";
}

export function utmFor(source: string | null, campaign: string | null): Utm {
  const utm: Utm = {};
  if (source) {
    utm.source = source;
    utm.medium = channelFor(source);
  }
  if (campaign) utm.campaign = campaign;
  return utm;
}

/** The destination with the UTMs added (existing parameters win, as on the server). */
export function taggedUrl(url: string, utm: Utm): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  for (const [key, value] of Object.entries(utm)) {
    const name = `utm_${key}`;
    if (value && !parsed.searchParams.has(name)) parsed.searchParams.append(name, value);
  }
  return parsed.href;
}

export interface LinkForm {
  mode: "single" | "kit";
  url: string;
  slug: string;
  campaign: string;
  source: string;
  kit: string[];
  tags: string;
  title: string;
  description: string;
  image: string;
  expiresOn: string;
}

export const emptyLinkForm = (): LinkForm => ({
  mode: "kit",
  url: "",
  slug: "",
  campaign: "",
  source: "",
  kit: [...DEFAULT_KIT],
  tags: "",
  title: "",
  description: "",
  image: "",
  expiresOn: "",
});

export type LinkFormErrors = Partial<Record<"url" | "slug" | "source" | "kit" | "image" | "tags" | "expiresOn", string>>;

const isHttpUrl = (s: string) => {
  if (!/^https?:\/\//i.test(s)) return false;
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
};

export function parseTags(tags: string): string[] {
  return [...new Set(tags.split(",").map((t) => t.trim()).filter(Boolean))];
}

/** Problems a person can fix before the request goes out; the server checks everything again. */
export function validateLinkForm(form: LinkForm, today: string = new Date().toISOString().slice(0, 10)): LinkFormErrors {
  const errors: LinkFormErrors = {};
  const url = form.url.trim();
  if (!url) errors.url = "Enter the page the link should lead to.";
  else if (!isHttpUrl(url)) errors.url = "Use a full web address starting with https:// or http://.";
  else if (url.length > 2048) errors.url = "The address is longer than 2,048 characters.";
  const slug = form.slug.trim();
  if (slug && !SLUG.test(slug)) errors.slug = "Use 1 to 64 letters, digits, '_' or '-'.";
  else if (slug && RESERVED.has(slug.toLowerCase())) errors.slug = `"${slug}" is reserved; pick another.`;
  else if (slug && form.mode === "kit" && form.kit.some((s) => `${slug}-${s}`.length > 64)) errors.slug = "Too long for its variants (slug-source must fit in 64 characters).";
  if (form.mode === "single" && form.source.trim() && !SOURCE.test(form.source.trim())) errors.source = "Letters, digits, spaces, '.', '_' and '-' only.";
  if (form.mode === "kit" && form.kit.length === 0) errors.kit = "Pick at least one place to share the link.";
  if (form.image.trim() && !isHttpUrl(form.image.trim())) errors.image = "The image must be a web address (https://…).";
  if (parseTags(form.tags).some((t) => t.length > 64)) errors.tags = "A tag can have at most 64 characters.";
  if (form.expiresOn && form.expiresOn <= today) errors.expiresOn = "Pick a day after today.";
  return errors;
}

export function linkBody(form: LinkForm): CreateLinkBody {
  const body: CreateLinkBody = { url: form.url.trim() };
  if (form.slug.trim()) body.slug = form.slug.trim();
  if (form.campaign.trim()) body.campaign = form.campaign.trim();
  const tags = parseTags(form.tags);
  if (tags.length) body.tags = tags;
  if (form.expiresOn) body.expiresAt = `${form.expiresOn}T00:00:00Z`;
  const preview = { title: form.title.trim() || undefined, description: form.description.trim() || undefined, image: form.image.trim() || undefined };
  if (preview.title || preview.description || preview.image) body.preview = preview;
  if (form.mode === "kit") body.shareKit = form.kit;
  else if (form.source.trim()) body.source = form.source.trim();
  return body;
}

/** The variants a kit will get, as the server will make them. */
export function plannedVariants(form: LinkForm): { source: string; channel: string; slug: string | null; utm: Utm; tagged: string }[] {
  const campaign = form.campaign.trim() || null;
  const slug = form.slug.trim().toLowerCase();
  const sources = form.mode === "kit" ? [...new Set(form.kit.map(normaliseSource).filter(Boolean))] : form.source.trim() ? [normaliseSource(form.source)] : [];
  return sources.map((source) => {
    const utm = utmFor(source, campaign);
    return { source, channel: channelFor(source), slug: slug ? (form.mode === "kit" ? `${slug}-${source.replace(/[^a-z0-9_-]/g, "-")}` : slug) : null, utm, tagged: taggedUrl(form.url.trim(), utm) };
  });
}
