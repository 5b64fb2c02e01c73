import { z } from "zod";

/**
 * Raw events produced by the public services and consumed by the worker. Producers send them
 * unclassified (the expensive parsing runs in the worker). Every event has a unique `id`, which
 * the worker uses as the primary key of the stored row: delivering a batch twice stores nothing twice.
 */
const base = {
  id: z.string().min(8).max(64),
  ts: z.number().int().nonnegative(),
};
const shortText = (max: number) => z.string().max(max);

/** A GET of a short link. `served` says what the links service answered; the worker classifies the hit. */
export const linkHitEvent = z.object({
  ...base,
  type: z.literal("link.hit"),
  linkId: z.string().max(64),
  slug: z.string().max(128),
  served: z.enum(["redirect", "preview"]),
  userAgent: shortText(1024).nullable(),
  referer: shortText(2048).nullable(),
  /** Query parameters of the incoming request (campaign parameters live here). */
  query: z.record(z.string(), shortText(512)),
  visitorHash: z.string().max(128).nullable(),
  country: z.string().max(8).nullable(),
  dnt: z.boolean(),
});

/** lantern.js on a landing page that carries `lcid`: ties the click to a first-party visitor and its share token. */
export const landingEvent = z.object({
  ...base,
  type: z.literal("tracker.landing"),
  visitorId: z.string().max(64),
  lcid: z.string().max(64),
  shareToken: z.string().max(64),
  page: shortText(2048).nullable(),
});

/** A visitor arriving with `lsh=<share token>` and no `lcid`. */
export const arrivalEvent = z.object({
  ...base,
  type: z.literal("tracker.arrival"),
  shareToken: z.string().max(64),
  visitorId: z.string().max(64),
  /** The arriving visitor's own new share token (re-tagged address bar). */
  ownShareToken: z.string().max(64).nullable(),
  referrer: shortText(2048).nullable(),
  page: shortText(2048).nullable(),
  userAgent: shortText(1024).nullable(),
});

/**
 * A visit that carries no tag (no `lcid`, no one else's `lsh`): lantern.js reports where a session came
 * from (document.referrer) once per session, and again whenever the visitor comes back from another
 * site. The worker classifies it like a click (referrer, in-app browser) and keeps it when it says
 * something; it is the buyer's own path as any analytics tool would see it (search, referrals, social,
 * and a link pasted in Slack or opened in WhatsApp's in-app browser without a Lantern link).
 */
export const visitEvent = z.object({
  ...base,
  type: z.literal("tracker.visit"),
  visitorId: z.string().max(64),
  referrer: shortText(2048).nullable(),
  page: shortText(2048).nullable(),
  userAgent: shortText(1024).nullable(),
});

export const conversionFields = z.object({
  type: z.string().min(1).max(64),
  value: z.number().finite().nullable(),
  currency: z.string().max(8).nullable(),
  externalId: z.string().max(200).nullable(),
  occurredAt: z.number().int().nonnegative().nullable(),
});

export const conversionEvent = z.object({
  ...base,
  type: z.literal("conversion"),
  origin: z.enum(["tracker", "survey", "api"]),
  visitorId: z.string().max(64).nullable(),
  lcid: z.string().max(64).nullable(),
  shareToken: z.string().max(64).nullable(),
  respondentHash: z.string().max(128).nullable(),
  conversion: conversionFields,
});

export const surveyViewEvent = z.object({
  ...base,
  type: z.literal("survey.view"),
  surveyId: z.string().max(64),
  visitorId: z.string().max(64).nullable(),
  lcid: z.string().max(64).nullable(),
  placement: z.enum(["hosted", "widget", "api"]),
});

export const surveySkipEvent = z.object({
  ...base,
  type: z.literal("survey.skip"),
  surveyId: z.string().max(64),
  visitorId: z.string().max(64).nullable(),
  lcid: z.string().max(64).nullable(),
});

export const surveyResponseEvent = z.object({
  ...base,
  type: z.literal("survey.response"),
  surveyId: z.string().max(64),
  optionId: z.string().max(64).nullable(),
  otherText: shortText(500).nullable(),
  followUpText: shortText(500).nullable(),
  locale: z.string().max(16).nullable(),
  /** sha256 of the normalised email; the raw address never leaves the survey service. */
  respondentHash: z.string().max(128).nullable(),
  externalId: z.string().max(200).nullable(),
  lcid: z.string().max(64).nullable(),
  visitorId: z.string().max(64).nullable(),
  shareToken: z.string().max(64).nullable(),
  idempotencyKey: z.string().max(200).nullable(),
  /** Conversion that came with the answer; the worker stores it as a conversion with origin "survey". */
  conversion: conversionFields.nullable(),
});

export const lanternEvent = z.discriminatedUnion("type", [
  linkHitEvent,
  landingEvent,
  arrivalEvent,
  visitEvent,
  conversionEvent,
  surveyViewEvent,
  surveySkipEvent,
  surveyResponseEvent,
]);

export type LinkHitEvent = z.infer<typeof linkHitEvent>;
export type LandingEvent = z.infer<typeof landingEvent>;
export type ArrivalEvent = z.infer<typeof arrivalEvent>;
export type VisitEvent = z.infer<typeof visitEvent>;
export type ConversionEvent = z.infer<typeof conversionEvent>;
export type SurveyViewEvent = z.infer<typeof surveyViewEvent>;
export type SurveySkipEvent = z.infer<typeof surveySkipEvent>;
export type SurveyResponseEvent = z.infer<typeof surveyResponseEvent>;
export type LanternEvent = z.infer<typeof lanternEvent>;
