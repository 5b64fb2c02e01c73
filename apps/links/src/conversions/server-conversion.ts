import { z } from "@hono/zod-openapi";
import { EARLIEST_OCCURRED_AT, EMAIL_HASH, emailHash, looksLikeEmail, OCCURRED_AT_TOO_EARLY, occurredAtInFuture } from "@lantern/http";
import type { ConversionEvent } from "@lantern/queue";
import { ConversionBeacon, label, noEmail, Token } from "../tracker/beacons.ts";

/**
 * A conversion reported by the site's own server (an order webhook, a CRM, a back-office import):
 * POST /api/conversions. Pure: the body's shape and the queue event it becomes, no I/O.
 *
 * Unlike the tracker's beacon it must carry the site's order id, so a retried webhook counts once: the
 * worker keeps one conversion per order id, derived from all its reports, where the site's server
 * outranks lantern.js and survey answers and a later server report corrects an earlier one
 * (settleConversions in apps/worker/src/ingest/conversions.ts). It may say when the conversion happened (a backfill),
 * and who the buyer is: the visitor id, click id and share token lantern.js keeps (the `_lantern`
 * cookie, `lcid` and `lsh` of the landing address), and the buyer's email. The email is hashed here
 * (trimmed, lower-cased, sha256, as the survey service does), so an answer to an emailed survey finds
 * the order; the address itself goes no further. A site that hashes addresses itself sends `emailHash`.
 */

/** Conversions reported in one request, at most. */
export const MAX_CONVERSIONS_PER_REQUEST = 100;
/** The body of a batch may be this large (100 conversions with every field at its longest take about 87 KB); the rest of the API takes 64 KiB. */
export const MAX_CONVERSION_BATCH_BODY = 160 * 1024;

const OCCURRED_AT_FORMAT = "must be epoch milliseconds or an ISO 8601 date-time with Z or an offset (2026-11-28T14:03:00Z)";
const isoDateTime = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));
const OccurredAt = z
  .union([z.number().int(), isoDateTime], { error: OCCURRED_AT_FORMAT })
  .refine((t) => t >= EARLIEST_OCCURRED_AT, OCCURRED_AT_TOO_EARLY)
  .nullish()
  .openapi({ description: "When the conversion happened: epoch milliseconds or ISO 8601 date-time (default: when it is received)", example: "2026-11-28T14:03:00Z" });

const { value, currency } = ConversionBeacon.shape;

export const ServerConversion = z
  .object({
    id: noEmail(label(200)).openapi({ description: "Your order (or lead) id: a second report of it counts once", example: "order-1042" }),
    type: noEmail(label(64))
      .nullish()
      .transform((t) => t ?? "conversion")
      .openapi({ description: 'What kind of conversion (default "conversion")', example: "purchase" }),
    value: value.openapi({ example: 49.9 }),
    currency: currency.openapi({ description: "ISO 4217 code", example: "EUR" }),
    occurredAt: OccurredAt,
    email: z
      .string()
      .max(254)
      .refine(looksLikeEmail, "must be an email address")
      .nullish()
      .openapi({ description: "The buyer's email; hashed on arrival and never stored", example: "ana@example.com" }),
    emailHash: z
      .string()
      .regex(EMAIL_HASH, "must be the sha256 (64 lower-case hex digits) of the trimmed, lower-cased email")
      .nullish()
      .openapi({ description: "sha256 hex of the trimmed, lower-cased email, when you hash it yourself" }),
    visitorId: Token.nullish().openapi({ description: "lantern.js's visitor id (cookie _lantern)" }),
    lcid: Token.nullish().openapi({ description: "The click id the short link added to the landing address (lcid=…)" }),
    shareToken: Token.nullish().openapi({ description: "The share token of the buyer's address bar (lsh=…)" }),
  })
  .refine((c) => !(c.email != null && c.emailHash != null), { path: ["emailHash"], message: "send email or emailHash, not both" })
  .openapi("ServerConversion");

export type ServerConversion = z.infer<typeof ServerConversion>;

export const ServerConversionBatch = z
  .object({
    conversions: z.array(ServerConversion).min(1).max(MAX_CONVERSIONS_PER_REQUEST),
  })
  .openapi("ServerConversionBatch");

/** Why an occurredAt cannot be taken (null when it can): a conversion in the future. */
export function occurredAtProblem(c: ServerConversion, now: number): string | null {
  return occurredAtInFuture(c.occurredAt, now);
}

/** The queue event a server-reported conversion becomes (origin "api"). */
export function serverConversionEvent(c: ServerConversion, meta: { id: string; ts: number }): ConversionEvent {
  return {
    id: meta.id,
    ts: meta.ts,
    type: "conversion",
    origin: "api",
    visitorId: c.visitorId ?? null,
    lcid: c.lcid ?? null,
    shareToken: c.shareToken ?? null,
    respondentHash: c.email != null ? emailHash(c.email) : (c.emailHash ?? null),
    conversion: { type: c.type, value: c.value ?? null, currency: c.currency ?? null, externalId: c.id, occurredAt: c.occurredAt ?? null },
  };
}
