import { emailStoredAsIs, looksLikeEmail } from "@lantern/http";
import type { ArrivalEvent, ConversionEvent, LandingEvent, VisitEvent } from "@lantern/queue";
// The z of @hono/zod-openapi (zod with .openapi()): POST /api/conversions reuses these shapes in its OpenAPI document.
import { z } from "@hono/zod-openapi";

/**
 * The bodies lantern.js posts to /t/landing, /t/arrival, /t/visit and /t/conversion, and how each
 * becomes a queue event. Pure: no I/O. Unknown keys are dropped (an older server keeps accepting a
 * newer script); anything present must be well-formed, or the beacon is refused whole.
 */

/** Visitor ids, click ids and share tokens: random base64url strings. */
export const Token = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, "must be 6-64 letters, digits, _ or -");

const MAX_URL = 2048;
const noControlChars = (s: string) => !/\p{Cc}/u.test(s);

const httpUrl = z
  .string()
  .max(MAX_URL)
  .refine((s) => /^https?:\/\//i.test(s) && URL.canParse(s), "must be an http(s) URL");
/** document.referrer: "" when there is none; Android apps send android-app://<package>/, which is evidence too. */
const referrer = z
  .string()
  .max(MAX_URL)
  .refine((s) => s === "" || (URL.canParse(s) && noControlChars(s)), "must be a URL or empty")
  .transform((s) => (s === "" ? null : s));
/**
 * A free-text id or type is stored as it is, so an email address there would be stored raw: refused.
 * (POST /api/conversions takes the buyer's email in its own field and hashes it on arrival.)
 */
export const noEmail = <T extends z.ZodType<string>>(schema: T) =>
  schema.refine((v) => !looksLikeEmail(v), emailStoredAsIs("use another value (the API's email field hashes one)"));

/** A short human-readable value: trimmed, not empty, no control characters. */
export const label = (max: number) => z.string().trim().min(1).max(max).refine(noControlChars, "must not contain control characters");

export const LandingBeacon = z.object({
  visitorId: Token,
  lcid: Token,
  shareToken: Token,
  page: httpUrl.nullish(),
});

/** An untagged page view that starts a session or comes from another site: where the visitor came from. */
export const VisitBeacon = z.object({
  visitorId: Token,
  referrer: referrer.nullish(),
  page: httpUrl.nullish(),
});

/** A visit through someone else's share token. */
export const ArrivalBeacon = VisitBeacon.extend({
  /** The token the visitor arrived with (lsh=...): someone else's. */
  shareToken: Token,
  /** The arriving visitor's own token, now in its address bar. */
  ownShareToken: Token.nullish(),
})
  .refine((b) => b.ownShareToken == null || b.ownShareToken !== b.shareToken, { path: ["ownShareToken"], message: "must differ from shareToken" });

export const ConversionBeacon = z.object({
  type: noEmail(label(64)).default("conversion"),
  value: z.number().finite().min(-1e12).max(1e12).nullish(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, "must be a three-letter currency code")
    .transform((s) => s.toUpperCase())
    .nullish(),
  /** The site's own id of the conversion (order id): a second report of it counts once. */
  id: noEmail(label(200)).nullish(),
  visitorId: Token.nullish(),
  lcid: Token.nullish(),
  shareToken: Token.nullish(),
});

export const BEACON_SCHEMAS = { landing: LandingBeacon, arrival: ArrivalBeacon, visit: VisitBeacon, conversion: ConversionBeacon } as const;
export type BeaconKind = keyof typeof BEACON_SCHEMAS;

export interface BeaconMeta {
  /** The event id (server-made: a client cannot choose the primary key of a stored row). */
  id: string;
  ts: number;
  userAgent: string | null;
  /**
   * The request asked not to be tracked (DNT: 1 / Sec-GPC: 1) and this instance honours it. lantern.js
   * itself sends nothing then; this covers sites that set data-honor-dnt="false" and other clients.
   */
  doNotTrack: boolean;
  /** A fresh id standing in for the visitor of an anonymous arrival. */
  anonymousId: () => string;
}

/**
 * The event a beacon becomes, or null when it is dropped. With do-not-track:
 * - a landing is dropped: its only purpose is to tie a lasting visitor id to a click;
 * - an arrival is kept anonymous: the re-share is counted (the sharer's chain grows by one, which is
 *   about the sharer, not this visitor), but under a one-off visitor id and without a share token of
 *   its own, so nothing can recognise this visitor later and no chain continues from it;
 * - a visit is dropped: its only use is the visitor's own path (where their sessions came from);
 * - a conversion is kept without visitor id, click id or share token: it still counts as a conversion.
 */
export function beaconEvent(kind: "landing", body: z.infer<typeof LandingBeacon>, meta: BeaconMeta): LandingEvent | null;
export function beaconEvent(kind: "arrival", body: z.infer<typeof ArrivalBeacon>, meta: BeaconMeta): ArrivalEvent;
export function beaconEvent(kind: "visit", body: z.infer<typeof VisitBeacon>, meta: BeaconMeta): VisitEvent | null;
export function beaconEvent(kind: "conversion", body: z.infer<typeof ConversionBeacon>, meta: BeaconMeta): ConversionEvent;
export function beaconEvent(kind: BeaconKind, body: unknown, meta: BeaconMeta): LandingEvent | ArrivalEvent | VisitEvent | ConversionEvent | null;
export function beaconEvent(kind: BeaconKind, body: unknown, meta: BeaconMeta): LandingEvent | ArrivalEvent | VisitEvent | ConversionEvent | null {
  const { id, ts, doNotTrack } = meta;
  if ((kind === "landing" || kind === "visit") && doNotTrack) return null;
  if (kind === "landing") {
    const b = body as z.infer<typeof LandingBeacon>;
    return { id, ts, type: "tracker.landing", visitorId: b.visitorId, lcid: b.lcid, shareToken: b.shareToken, page: b.page ?? null };
  }
  if (kind === "visit") {
    const b = body as z.infer<typeof VisitBeacon>;
    return { id, ts, type: "tracker.visit", visitorId: b.visitorId, ...cameFrom(b, meta) };
  }
  if (kind === "arrival") {
    const b = body as z.infer<typeof ArrivalBeacon>;
    return {
      id,
      ts,
      type: "tracker.arrival",
      shareToken: b.shareToken,
      visitorId: doNotTrack ? meta.anonymousId() : b.visitorId,
      ownShareToken: doNotTrack ? null : (b.ownShareToken ?? null),
      ...cameFrom(b, meta),
    };
  }
  const b = body as z.infer<typeof ConversionBeacon>;
  return {
    id,
    ts,
    type: "conversion",
    origin: "tracker",
    visitorId: doNotTrack ? null : (b.visitorId ?? null),
    lcid: doNotTrack ? null : (b.lcid ?? null),
    shareToken: doNotTrack ? null : (b.shareToken ?? null),
    respondentHash: null,
    conversion: { type: b.type, value: b.value ?? null, currency: b.currency ?? null, externalId: b.id ?? null, occurredAt: null },
  };
}

/** Where a visit or an arrival came from, for the worker to classify (referrer, in-app browser). */
function cameFrom(b: z.infer<typeof VisitBeacon>, meta: BeaconMeta) {
  return { referrer: b.referrer ?? null, page: b.page ?? null, userAgent: meta.userAgent ? meta.userAgent.slice(0, 1024) : null };
}

/** The visitor id a beacon speaks for (the per-visitor rate limit's key), if any. */
export function beaconVisitor(body: { visitorId?: string | null }): string | null {
  return body.visitorId ?? null;
}
