import { EMAIL_HASH, emailHash } from "@lantern/http";

export { emailHash, looksLikeEmail, normaliseEmail } from "@lantern/http";

/** The respondent hash sent with an answer: the email's, when there is one. The site's own id travels as is. */
export function respondentHash(respondent: { email?: string | null } | null | undefined): string | null {
  return respondent?.email ? emailHash(respondent.email) : null;
}

export const RESPONDENT_HASH = EMAIL_HASH;
