import { emailHash, looksLikeEmail, RESPONDENT_HASH } from "./respondent.ts";
import type { Answer } from "./submission.ts";
import { cleanId } from "./text.ts";

/**
 * What the hosted page carries from its address to the answer: click id, visitor id, share token,
 * respondent and conversion. Values that are not well-formed are dropped, never rejected: a link with a
 * mangled parameter still shows the survey, and nothing malformed is passed on.
 */
export interface HostedContext {
  lcid: string | null;
  visitorId: string | null;
  shareToken: string | null;
  respondentHash: string | null;
  externalId: string | null;
  conversion: Answer["conversion"];
}

type Read = (name: string) => string | undefined;

const printable = (value: string | undefined, max: number) => {
  const v = value?.trim();
  return v && v.length <= max && /^[\x20-\x7E]+$/.test(v) ? v : null;
};

function conversionOf(read: Read): HostedContext["conversion"] {
  const type = printable(read("conversion_type"), 64);
  const rawValue = read("value")?.trim();
  const value = rawValue && /^-?\d{1,12}(\.\d{1,6})?$/.test(rawValue) ? Number(rawValue) : null;
  const currency = /^[A-Za-z]{3}$/.test(read("currency") ?? "") ? read("currency")!.toUpperCase() : null;
  const orderId = printable(read("order_id"), 200);
  if (!type && value === null && !orderId) return null;
  // A page opened with order details but no type is the usual post-purchase survey.
  return { type: type ?? "purchase", value, currency, externalId: orderId, occurredAt: null };
}

/** From the page's query string: the raw email is hashed here and never written into the page. */
export function contextFromQuery(read: Read): HostedContext {
  const email = read("email");
  const externalId = printable(read("external_id"), 200);
  return {
    lcid: cleanId(read("lcid")),
    visitorId: cleanId(read("vid")),
    shareToken: cleanId(read("lsh")),
    respondentHash: email && looksLikeEmail(email) ? emailHash(email) : null,
    externalId,
    conversion: conversionOf(read),
  };
}

/** From the hidden fields of the submitted form (which carry the hash, not the email). */
export function contextFromForm(read: Read): HostedContext {
  const rh = read("rh");
  return { ...contextFromQuery((name) => (name === "email" ? undefined : read(name))), respondentHash: rh && RESPONDENT_HASH.test(rh) ? rh : null };
}

/** The hidden fields that carry a context through the form. */
export function hiddenFields(ctx: HostedContext): [string, string][] {
  const fields: [string, string | null | undefined][] = [
    ["lcid", ctx.lcid],
    ["vid", ctx.visitorId],
    ["lsh", ctx.shareToken],
    ["rh", ctx.respondentHash],
    ["external_id", ctx.externalId],
    ["conversion_type", ctx.conversion?.type],
    ["value", ctx.conversion?.value === null || ctx.conversion?.value === undefined ? null : String(ctx.conversion.value)],
    ["currency", ctx.conversion?.currency],
    ["order_id", ctx.conversion?.externalId],
  ];
  return fields.filter((f): f is [string, string] => typeof f[1] === "string" && f[1] !== "");
}
