import { createHash } from "node:crypto";

/**
 * Emails are normalised by trimming and lower-casing only, then hashed with sha256 (hex). We do not
 * strip Gmail dots or "+tags": that rule holds for some providers only (merging different people at
 * others), and a site that hashes the address in its own systems with the common "trim + lower-case"
 * rule gets the same hash as Lantern. A raw address never leaves the service that received it: the
 * survey service hashes a respondent's, the links service a conversion's.
 */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function emailHash(email: string): string {
  return createHash("sha256").update(normaliseEmail(email)).digest("hex");
}

/** Loose shape check: something@something.tld, no spaces. Deliverability is not our business. */
export function looksLikeEmail(email: string): boolean {
  const e = normaliseEmail(email);
  return e.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e);
}

/** What emailHash gives: 64 lower-case hex digits. */
export const EMAIL_HASH = /^[0-9a-f]{64}$/;

/** The message for a free-text field (stored as it is) that holds an email address; `advice` says where one belongs. */
export const emailStoredAsIs = (advice: string) => `looks like an email address, which Lantern never stores as it is: ${advice}`;
