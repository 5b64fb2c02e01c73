import { createHash } from "node:crypto";

/** Random ids: one implementation for every service (see @lantern/http). */
export { newId } from "@lantern/http";

/**
 * A stable id derived from its parts: the same parts always give the same id. Never starts with "-"
 * (a spreadsheet reads "-…" as a formula, so CSV exports would have to defuse it): a leading "-"
 * becomes "_". Only those ids (1 in 64) differ from what earlier releases derived.
 */
export function derivedId(...parts: string[]): string {
  const id = createHash("sha256").update(parts.join("\u0000")).digest("base64url").slice(0, 22);
  return id.startsWith("-") ? `_${id.slice(1)}` : id;
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Ids as they arrive from outside (survey ids, lcid, visitor ids, share tokens). */
export const EXTERNAL_ID = /^[A-Za-z0-9_-]{1,64}$/;
