import { sha256Hex } from "./ids.ts";

/**
 * Emails are normalised by trimming and lower-casing only, then hashed with sha256 (hex). We do not
 * strip Gmail dots or "+tags": that rule holds for some providers only (merging different people at
 * others), and a site that hashes the address in its own systems with the common "trim + lower-case"
 * rule gets the same hash as Lantern. The raw address never leaves this service.
 */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function emailHash(email: string): string {
  return sha256Hex(normaliseEmail(email));
}

/** Loose shape check: something@something.tld, no spaces. Deliverability is not our business. */
export function looksLikeEmail(email: string): boolean {
  const e = normaliseEmail(email);
  return e.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e);
}

/** The respondent hash sent with an answer: the email's, when there is one. The site's own id travels as is. */
export function respondentHash(respondent: { email?: string | null } | null | undefined): string | null {
  return respondent?.email ? emailHash(respondent.email) : null;
}

export const RESPONDENT_HASH = /^[0-9a-f]{64}$/;
