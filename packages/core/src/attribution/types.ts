/**
 * Types of reconciliation: what software saw (touchpoints), what the customer said (self-report),
 * and the records the worker loads from the database to tie them to a conversion. Everything here
 * is plain data, so the rules run in memory and are tested without a database.
 */

/**
 * Version of the reconciliation rules. Every attribution row records it; the worker re-runs a full
 * reconciliation when the stored rows were made by another version. Bump it when a rule changes.
 */
export const RULESET_VERSION = "reconcile-2025.2";

export const ATTRIBUTION_VIEWS = ["software", "self_reported", "blended"] as const;
/** software: tracked touchpoints only; self_reported: the answer only; blended: both on one path. */
export type AttributionView = (typeof ATTRIBUTION_VIEWS)[number];

export const ATTRIBUTION_MODELS = ["first_touch", "last_touch", "last_non_direct", "linear", "position_based", "time_decay"] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

export const DEFAULT_LOOKBACK_DAYS = 30;
export const DAY_MS = 86_400_000;
/** Touchpoints stamped by another clock may come this long after the conversion and still count. */
export const DEFAULT_CLOCK_SKEW_MS = 5 * 60_000;

/** How a touchpoint was tied to the conversion, strongest first. */
export const IDENTITY_LINKS = ["lcid", "visitor", "share_chain", "respondent"] as const;
export type IdentityLink = (typeof IDENTITY_LINKS)[number];

/**
 * Why a conversion counts as dark social. Canonical order (reasons are reported in this order):
 * - dark_self_report: the customer named a dark channel;
 * - dark_tagged_link: a click on a link made for a dark channel (e.g. the WhatsApp variant);
 * - messaging_in_app_browser: a click, arrival or visit inside a messaging app's browser;
 * - copy_paste_arrival: a share-tagged URL opened with no referrer (pasted into a private chat);
 * - messaging_unfurl_before_click: a messaging app drew the link's preview right before the click;
 * - dark_referrer: the referrer or campaign parameters name a dark channel (web.whatsapp.com, utm_source=slack).
 */
export const DARK_REASONS = [
  "dark_self_report",
  "dark_tagged_link",
  "messaging_in_app_browser",
  "copy_paste_arrival",
  "messaging_unfurl_before_click",
  "dark_referrer",
] as const;
export type DarkReason = (typeof DARK_REASONS)[number];

/** click: a short link followed; arrival: someone's share token opened; visit: an untagged visit that named where it came from. */
export type TouchpointKind = "click" | "arrival" | "visit" | "self_report";

/** What we know about a touchpoint, for the admin to see why it has its channel. */
export interface TouchEvidence {
  /** How it was tied to the conversion (software touchpoints). */
  link?: IdentityLink;
  /** The rule that classified it: ingestion's click/arrival/visit rule, or the answer's classification rule. */
  rule: string;
  linkId?: string | null;
  /** Channel and source the link was made for. */
  linkChannel?: string | null;
  linkSource?: string | null;
  campaign?: string | null;
  referrerHost?: string | null;
  inApp?: string | null;
  unfurlApp?: string | null;
  visitorId?: string | null;
  shareToken?: string | null;
  /** Hops from the short link in the share graph (arrivals). */
  generation?: number;
  optionId?: string | null;
  confidence?: number | null;
  /** Why this touchpoint is dark (empty when it is not). Fields nothing was known about are left out. */
  darkReasons: DarkReason[];
}

export interface Touchpoint {
  /** Click id, arrival id, visit id or response id. */
  id: string;
  ts: number;
  channel: string;
  source: string | null;
  kind: TouchpointKind;
  dark: boolean;
  /** The rule that put it on the path: "software:lcid", "software:visitor", "self_report:option", ... */
  rule: string;
  evidence: TouchEvidence;
}

/** A stored click joined with the link it was made on. */
export interface ClickRecord {
  id: string;
  ts: number;
  linkId: string;
  channel: string;
  source: string | null;
  rule: string;
  referrerHost: string | null;
  inApp: string | null;
  unfurlApp: string | null;
}

export interface ArrivalRecord {
  id: string;
  ts: number;
  visitorId: string;
  parentVisitorId: string | null;
  shareToken: string;
  generation: number;
  linkId: string | null;
  referrerHost: string | null;
  inApp: string | null;
  channel: string;
  source: string | null;
  rule: string;
  dark: boolean;
}

/** A stored untagged visit of a visitor (only visits that named where they came from are stored). */
export interface VisitRecord {
  id: string;
  ts: number;
  visitorId: string;
  referrerHost: string | null;
  inApp: string | null;
  channel: string;
  source: string | null;
  /** "visit:in_app", "visit:referrer", "visit:campaign". */
  rule: string;
}

export interface VisitorRecord {
  visitorId: string;
  shareToken: string | null;
  lcid: string | null;
  linkId: string | null;
  parentVisitorId: string | null;
  generation: number;
}

export interface LinkRecord {
  id: string;
  channel: string | null;
  source: string | null;
  campaign: string | null;
}

export interface ConversionRecord {
  id: string;
  ts: number;
  value: number | null;
  lcid: string | null;
  visitorId: string | null;
  shareToken: string | null;
  respondentHash: string | null;
}

/** A survey answer as stored (already classified by ingestion; channel null = unclassified). */
export interface ResponseRecord {
  id: string;
  ts: number;
  conversionId: string | null;
  channel: string | null;
  source: string | null;
  rule: string;
  confidence: number | null;
  optionId: string | null;
  respondentHash: string | null;
  visitorId: string | null;
  lcid: string | null;
}

export interface CreditRow {
  view: AttributionView;
  model: AttributionModel;
  /** Index of the touchpoint on the view's path (0 for the stand-in "direct" of an empty path). */
  position: number;
  /** Time of the credited touchpoint. */
  touchTs: number;
  channel: string;
  source: string | null;
  credit: number;
  /** credit x conversion value; null when the conversion has no value. */
  value: number | null;
  rule: string;
  rulesetVersion: string;
}

export interface ChannelDecision {
  channel: string;
  source: string | null;
  rule: string;
}

/** What the worker stores as `conversion_attribution.path`. */
export interface StoredPath {
  /** The blended path: software touchpoints in time order, then the self-report at conversion time. */
  touchpoints: Touchpoint[];
  rules: { software: string; selfReport: string | null; blended: string };
}
