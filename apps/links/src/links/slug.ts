import { randomInt } from "node:crypto";

/**
 * Slugs: letters, digits, "_" and "-", 1 to 64 characters, matched case-insensitively (stored in
 * lower case). A slug is spoken and typed as often as it is clicked ("go to lnk.example/Spring"), so
 * "Spring" and "spring" must be the same link, and two links differing only by case would be a trap.
 */
export const SLUG_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Paths the service uses or will use (any new single-segment route MUST be listed here, or the
 * redirect fast path would take it for a slug), and names people expect to be something else. A slug can never
 * contain a dot, so "openapi.json" or "lantern.js" could not be slugs anyway; they are listed so the
 * list reads as the full set of reserved paths.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  "api", "healthz", "health", "openapi.json", "openapi", "docs", "lantern.js", "t", "s", "b", "j", "v1",
  "beacon", "journey", "widget.js", "favicon.ico", "robots.txt", "sitemap.xml", "humans.txt", "security.txt",
  "apple-touch-icon.png", ".well-known", "well-known", "static", "assets", "public", "admin", "login", "logout",
  "signin", "signup", "auth", "account", "settings", "metrics", "status", "qr", "new", "links", "www",
]);

/** Generated slugs avoid look-alikes (0/o, 1/l/i) so they survive being read aloud or from print. */
export const GENERATED_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";
export const GENERATED_LENGTH = 7;

export function normaliseSlug(slug: string): string {
  return slug.toLowerCase();
}

/** Why a requested slug cannot be used, or null. */
export function slugProblem(slug: string): string | null {
  if (!SLUG_PATTERN.test(slug)) return "use 1 to 64 letters, digits, '_' or '-'";
  if (RESERVED_SLUGS.has(normaliseSlug(slug))) return `"${slug}" is reserved`;
  return null;
}

export function generateSlug(length = GENERATED_LENGTH): string {
  let out = "";
  for (let i = 0; i < length; i++) out += GENERATED_ALPHABET[randomInt(GENERATED_ALPHABET.length)];
  return out;
}
