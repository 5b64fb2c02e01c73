import type { Journey as LinkJourney } from "@lantern/core/journey";
/**
 * Shapes of the admin server's answers (apps/admin/API.md) and of the links and surveys services
 * behind its gateway. Written by hand from those documents; keep them in step.
 */

export type Role = "admin" | "viewer";
export type Scope = "links:read" | "links:write" | "surveys:read" | "surveys:write" | "conversions:write" | "reports:read" | "admin";

export interface Session {
  user: { id: string; email: string; role: Role } | null;
  apiKey?: { id: string; scopes: Scope[] } | null;
  csrfToken: string | null;
  expiresAt: number | null;
}

export interface RangeEcho {
  from: number;
  to: number;
  fromIso: string;
  toIso: string;
}

export interface Interval {
  estimate: number | null;
  low: number | null;
  high: number | null;
}

export interface ChannelRef {
  channel: string;
  label: string;
  dark: boolean;
}

export interface Overview {
  range: RangeEcho;
  conversions: number;
  value: number;
  respondents: number;
  responseRate: number | null;
  answers: number;
  views: number;
  answerRate: number | null;
  clicks: number;
  unfurls: number;
  reshares: number;
  darkConversions: number;
  darkShare: {
    /** Respondents whose answer named a channel (n), the dark ones, and answers that named none. */
    respondents: Interval & { dark: number; n: number; noChannel: number };
    all: Interval & {
      /** The sampling interval if answers were exact; the main interval also covers answer noise. */
      faceValue: { low: number | null; high: number | null };
      /** The dark share with answers corrected by the answer check's sensitivity. */
      corrected: number | null;
      /** The dark share if every answer that named no channel came from a buyer who is not dark (the interval's low end allows for it). */
      unnamedNotDark: number | null;
      answerCheck: { respondents: number; namedDark: number; sensitivity: number; low: number; high: number } | null;
      coverage: number | null;
      missingStrata: { channel: string; label: string; conversions: number }[];
    };
    naive: { estimate: number | null };
    explanation: string | null;
  };
  topChannels: (ChannelRef & { conversions: number; share: number | null; low: number | null; high: number | null })[];
  /** All conversions by channel as estimated (respondents' channels re-weighted by software channel). */
  estimatedMix: { coverage: number | null; channels: (ChannelRef & { conversions: number; share: number; low: number; high: number })[] };
}

export const MODELS = ["first_touch", "last_touch", "last_non_direct", "linear", "position_based", "time_decay"] as const;
export type Model = (typeof MODELS)[number];
export const VIEWS = ["blended", "software", "self_reported"] as const;
export type View = (typeof VIEWS)[number];

export interface ChannelsReport {
  range: RangeEcho;
  model: Model;
  view: View;
  models: Model[];
  views: View[];
  totals: { credits: number; value: number };
  channels: (ChannelRef & { credits: number; value: number; share: number | null })[];
  sources: { channel: string; source: string | null; credits: number; value: number; share: number | null }[];
}

export interface GapReport {
  range: RangeEcho;
  conversions: number;
  respondents: number;
  /** Share of conversions in software channels that have answers (null without conversions). */
  coveredShare: number | null;
  /** Conversions in software channels nobody answered for: the self-reported side cannot speak for them. */
  uncoveredConversions: number;
  /** Point figures (conversions, possibly fractional): the report has no interval per channel. */
  channels: (ChannelRef & {
    software: number;
    selfReported: number;
    gap: number;
    relativeGap: number | null;
  })[];
}

export interface DarkSocialReport {
  range: RangeEcho;
  interval: "day" | "week";
  series: {
    start: string;
    end: string;
    conversions: number;
    darkConversions: number;
    respondents: number;
    darkRespondents: number;
    share: number | null;
    low: number | null;
    high: number | null;
    allShare: Interval;
  }[];
  bySource: {
    unfurlApps: { source: string; count: number }[];
    inAppBrowsers: { source: string; count: number }[];
    selfReported: { source: string | null; channel: string; count: number }[];
  };
  byEvidence: { reason: string; conversions: number; share: number | null }[];
}

export interface LinkReportRow {
  linkId: string;
  slug: string | null;
  url: string | null;
  channel: string | null;
  source: string | null;
  campaign: string | null;
  clicks: number;
  unfurls: number;
  reshares: number;
  conversions: number;
  darkConversions: number;
  value: number;
}

export interface CampaignReportRow {
  campaign: string | null;
  links: number;
  clicks: number;
  unfurls: number;
  reshares: number;
  conversions: number;
  darkConversions: number;
  value: number;
}

export interface LinksReport {
  range: RangeEcho;
  totals: { clicks: number; unfurls: number; reshares: number; conversions: number; darkConversions: number; value: number };
  links: LinkReportRow[];
  campaigns: CampaignReportRow[];
}

/** A touchpoint on a conversion's path, as the reconciler stores it (packages/core attribution types). */
export interface Touchpoint {
  id: string;
  ts: number;
  channel: string;
  source: string | null;
  kind: "click" | "arrival" | "visit" | "self_report" | string;
  dark: boolean;
  rule: string;
  evidence?: Record<string, unknown> & { darkReasons?: string[]; rule?: string; link?: string };
}

export interface ConversionRow {
  conversionId: string;
  /** The site's own id of the conversion (order id), when it sent one. */
  orderId: string | null;
  type: string | null;
  /** Whose report its figures come from: lantern.js, the site's server (which wins over the others), or a survey answer that came with it. */
  origin: "tracker" | "api" | "survey" | null;
  ts: number;
  value: number | null;
  currency: string | null;
  software: { channel: string; source: string | null } | null;
  selfReport: { channel: string; source: string | null } | null;
  blended: { channel: string; source: string | null } | null;
  responded: boolean;
  dark: boolean;
  darkReasons: string[];
  /** As the reconciler stores it: the blended path's touchpoints in time order, and the rules that decided. */
  path: { touchpoints: Touchpoint[]; rules?: { software: string; selfReport: string | null; blended: string } } | null;
  linkId: string | null;
  campaign: string | null;
  rule: string;
  rulesetVersion: string;
}

export interface ConversionsPage {
  range: RangeEcho;
  /** Conversions matching the range and filters, over all pages. */
  total: number;
  conversions: ConversionRow[];
  nextCursor: string | null;
}

export interface ReconcileJob {
  jobId: string;
  state: "waiting" | "delayed" | "active" | "completed" | "failed" | "prioritized" | "waiting-children" | string;
  progress: number | object;
  createdAt: number | null;
  processedAt: number | null;
  finishedAt: number | null;
  failedReason: string | null;
  /** The worker's run result once completed (apps/worker/src/reconcile/run.ts ReconcileRunResult); read defensively. */
  result: { mode?: string; conversions?: number; quiet?: boolean } | null;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  prioritized: number;
  "waiting-children": number;
  completed: number;
  failed: number;
}

export type QueueKey = "events" | "reconcile" | "prune";

export interface SystemStatus {
  redis: "ok" | "unavailable";
  queues: { queue: QueueKey; name: string; counts: QueueCounts }[];
  failed: { queue: QueueKey; id: string; name: string; failedReason: string | null; attemptsMade: number; timestamp: number; finishedOn: number | null }[];
  /** The last reconcile run that changed something (a run with nothing new to take in writes nothing). */
  lastReconcile: { lastRunAt: number; lastRunMs: number; lastRunConversions: number; watermark: number; linksWatermark: number | null; rulesetVersion: string } | null;
  /** When the latest reconcile job ended, whether or not it found anything new; null without Redis or before any. */
  reconcileCheckedAt: number | null;
  /** The retention setting, and how far back the worker's daily prune has deleted raw events (null: not yet). */
  retention: { retentionDays: number; prunedBefore: number | null; lastPrunedAt: number | null };
}

export interface User {
  id: string;
  email: string;
  role: Role;
  createdAt: number;
  disabledAt: number | null;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface Settings {
  privacy: { honorDnt: boolean; honorGpc: boolean; retentionDays: number };
}

export interface Channel {
  key: string;
  label: string;
  group: string;
  dark: boolean;
}

// ---- links service (through the gateway) ----

export interface Utm {
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
}

export interface Preview {
  title?: string;
  description?: string;
  image?: string;
}

export interface Variant {
  id: string;
  slug: string;
  shortUrl: string;
  /** The app the link was made for; null for the kit's own link (made for no app). */
  source: string | null;
  channel: string | null;
  utm: Utm;
}

export interface Link {
  id: string;
  slug: string;
  url: string;
  shortUrl: string;
  destination: string;
  channel: string | null;
  source: string | null;
  campaign: string | null;
  utm: Utm;
  tags: string[];
  preview: Preview | null;
  kitId: string | null;
  status: "active" | "expired" | "archived";
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
  archivedAt: string | null;
  variants?: Variant[];
}

export interface LinkList {
  data: Link[];
  nextCursor: string | null;
}

export type Counts = Record<string, number>;

/**
 * `GET /api/links/:id/stats` (apps/links/src/links/stats.ts). The breakdowns count every human click
 * once, so clicks with nothing to name are counted too: under "none" in bySource, byInApp and
 * byReferrer (no source, not in an in-app browser, no referrer), under "unknown" in the others.
 */
export interface LinkStats {
  linkId: string;
  from: string | null;
  to: string | null;
  clicks: { human: number; bot: number };
  unfurls: { total: number; byApp: Counts };
  byChannel: Counts;
  bySource: Counts;
  byDay: { day: string; clicks: number; unfurls: number; bots: number }[];
  byDevice: Counts;
  byBrowser: Counts;
  byOs: Counts;
  byInApp: Counts;
  byCountry: Counts;
  byReferrer: Counts;
}

/** The key under which link stats count clicks with no source, no in-app browser or no referrer. */
export const NONE_KEY = "none";

export interface CreateLinkBody {
  url: string;
  slug?: string;
  source?: string;
  channel?: string;
  campaign?: string;
  tags?: string[];
  expiresAt?: string;
  preview?: Preview;
  shareKit?: string[];
}

// ---- surveys service (through the gateway) ----

export type LocalizedText = Record<string, string>;
export type OptionKind = "option" | "other" | "dont_remember";

export interface SurveyOption {
  id: string;
  kind: OptionKind;
  label: LocalizedText;
  channel: string | null;
  source: string | null;
  followUp: LocalizedText | null;
}

export interface Survey {
  id: string;
  name: string;
  defaultLocale: string;
  locales: string[];
  question: LocalizedText;
  thankYou: LocalizedText | null;
  randomize: boolean;
  active: boolean;
  createdAt: number;
  updatedAt: number;
  archivedAt: number | null;
  options: SurveyOption[];
  hostedUrl: string;
  embed: string;
}

export interface SurveyOptionInput {
  id?: string;
  kind: OptionKind;
  label: string | LocalizedText;
  channel?: string | null;
  source?: string | null;
  followUp?: string | LocalizedText | null;
}

export interface SurveyInput {
  name?: string;
  question: string | LocalizedText;
  thankYou?: string | LocalizedText | null;
  randomize: boolean;
  active: boolean;
  options: SurveyOptionInput[];
}

export interface SurveyResponse {
  id: string;
  surveyId: string;
  ts: number;
  /** When the answer was stored, or last relabelled (PUT /api/answer-labels). */
  receivedAt: number;
  optionId: string | null;
  optionLabel: string | null;
  otherText: string | null;
  followUpText: string | null;
  channel: string | null;
  source: string | null;
  confidence: number | null;
  rule: string | null;
  locale: string | null;
  lcid: string | null;
  visitorId: string | null;
  shareToken: string | null;
  conversionId: string | null;
  externalId: string | null;
  respondentHash: string | null;
}

/** `GET /api/surveys/:id/stats` (apps/surveys/src/routes/responses.ts). */
export interface SurveyStats {
  surveyId: string;
  /** The range as the service read it (epoch ms; `to` exclusive), null when not given. */
  from: number | null;
  to: number | null;
  views: number;
  responses: number;
  skips: number;
  responseRate: number | null;
  skipRate: number | null;
  /** Answers to options that ask a follow-up question, and how many filled it. */
  followUps: { offered: number; answered: number; rate: number | null };
  /**
   * Every live option, archived ones that hold answers, then (optionId null, kind "other") free-text
   * answers given without an option. `label` in the survey's default locale, `labels` in all.
   */
  options: { optionId: string | null; kind: OptionKind; label: string; labels: LocalizedText; channel: string | null; source: string | null; archived: boolean; responses: number; share: number; followUps: number | null }[];
  /**
   * `label` and `dark` by Lantern's built-in taxonomy: the surveys service does not know this instance's
   * edits. Answers with no channel come as channel "unclassified".
   */
  channels: { channel: string; label: string; dark: boolean; responses: number; share: number }[];
}

/**
 * The per-link journey as the links service answers `GET /api/links/:id/journey`
 * (apps/links/src/routes/journey.ts, JourneySchema): the report (core's Journey, one definition for both)
 * with the link and the range as the service read it.
 */
export interface Journey extends LinkJourney {
  linkId: string;
  /** The range as the service read it (ISO 8601; `to` exclusive), null when not given. */
  from: string | null;
  to: string | null;
}
