import { createHash } from "node:crypto";
import {
  channelForSource,
  classifyAnswer,
  classifyClick,
  classifyVisit,
  type ClickClassification,
  DAY_MS,
  DEFAULT_SURVEY_OPTIONS,
  type VisitClassification,
  visitSaysSomething,
} from "@lantern/core";
import { createDb, migrate, normalizedAnswerTexts } from "@lantern/db";
import { classifyArrival } from "../src/ingest/tracker.ts";

/**
 * A synthetic but realistic Lantern database for the benchmarks, written straight into the tables
 * (ingestion would take longer than the reconciliation being measured). The rows are what ingestion
 * writes: clicks are classified by core's `classifyClick` from real user agents, referrers and
 * campaign parameters, arrivals by the worker's `classifyArrival`, answers by the survey's option
 * mapping or `classifyAnswer`, conversions and answers carry the lcids, visitor ids, share tokens and
 * respondent hashes the tracker and the surveys service send.
 *
 * The world: a few hundred share links in campaigns (kits of WhatsApp, Slack, LinkedIn, newsletter...
 * variants), people who click one to eight times over 90 days (most of them seen by the tracker as a
 * visitor whose first click is its lcid), chat-app previews right before many chat clicks, visitors
 * who pass their URL on (arrivals, two generations deep), conversions by visitors (repeat buyers
 * included) and by the API, about 40% of them answered (most answers name their conversion, some
 * only the respondent or visitor), survey views, and the untagged visits the tracker reports and the
 * worker stores (about one for every two clicks: most by people who never buy, one to three before
 * the purchase for about half of the buyers). Deterministic for a given seed and size.
 */

export interface DatasetSize {
  clicks: number;
  conversions: number;
  links: number;
  /** Share of conversions with an answer. */
  answerRate: number;
  days: number;
  /** Stored untagged visits per click (default 0.5); 0 gives the data set as it was before visits. */
  visitsPerClick?: number;
}

export const DATASET_VERSION = "bench-dataset-3";

export interface DatasetResult {
  /** Rows written per table. */
  rows: Record<string, number>;
  /** The data covers [start, end) (UTC midnights). */
  start: number;
  end: number;
  ms: number;
  /** Conversions without an answer, newest first: material for "new answers" later. */
  unanswered: UnansweredConversion[];
  /** Visitors who bought, by their latest conversion, newest first: material for "new visits" later. */
  buyers: Buyer[];
  /** How the stored visits fall on the buyers. */
  visitStats: { buyers: number; visitedBuyers: number; buyerVisits: number };
  surveyId: string;
  optionIds: Record<string, string>;
}

export interface Buyer {
  visitorId: string;
  /** Their latest conversion. */
  ts: number;
}

export interface UnansweredConversion {
  id: string;
  ts: number;
  visitorId: string | null;
  lcid: string | null;
  respondentHash: string | null;
  softwareChannel: string;
}

// ---- deterministic randomness -------------------------------------------------------------------

/** mulberry32: small, fast, good enough for synthetic data. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    weighted: <T>(items: readonly (readonly [T, number])[]): T => {
      let total = 0;
      for (const [, w] of items) total += w;
      let r = next() * total;
      for (const [v, w] of items) {
        r -= w;
        if (r < 0) return v;
      }
      return items[items.length - 1]![0];
    },
    /** A picker over fixed weights: cumulative table and binary search (for the hot loops). */
    table: <T>(items: readonly (readonly [T, number])[]): (() => T) => {
      const values = items.map(([v]) => v);
      const cumulative: number[] = [];
      let total = 0;
      for (const [, w] of items) cumulative.push((total += w));
      return () => {
        const r = next() * total;
        let lo = 0;
        let hi = cumulative.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cumulative[mid]! > r) hi = mid;
          else lo = mid + 1;
        }
        return values[lo]!;
      };
    },
    /** 16 base64url characters, like randomBytes(12).toString("base64url"). */
    id: () => {
      let s = "";
      for (let i = 0; i < 16; i++) s += B64[Math.floor(next() * 64)];
      return s;
    },
  };
}
type Rng = ReturnType<typeof prng>;

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const MIN = 60_000;
const HOUR = 3_600_000;

// ---- what a click looks like ----------------------------------------------------------------------

const UA = {
  iosSafari: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  androidChrome: "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Mobile Safari/537.36",
  desktopChrome: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  macSafari: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
  whatsapp: "Mozilla/5.0 (iPhone; CPU iPhone OS 26_0_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0.1 Mobile/15E148 Safari/604.1 [WAiOS/2.25.31]",
  instagram:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/22B83 Instagram 354.0.0.29.90 (iPhone12,8; iOS 18_1; en_US; en; scale=2.00; 750x1334; 654111336; IABMV/1)",
  facebook:
    "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240905.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.83 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/488.0.0.62.79;IABMV/1;]",
  linkedin: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_7_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.3 Mobile/15E148 Safari/604.1 [LinkedInApp]/9.24.3895",
  telegram: "Mozilla/5.0 (Linux; Android 14; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.135 Mobile Safari/537.36 Telegram-Android/11.5.5 (Samsung SM-G991U1; Android 14; SDK 34; HIGH)",
  slack: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_6) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.9.0 Chrome/85.0.4183.93 Electron/10.1.1 Safari/537.36 Sonic Slack_SSB/4.9.0",
};

interface ClickTemplate {
  ua: string;
  referer: string | null;
  query: Record<string, string>;
  weight: number;
}

const t = (ua: string, referer: string | null, weight: number, query: Record<string, string> = {}): ClickTemplate => ({ ua, referer, query, weight });

/** Where the clicks of a link made for `source` come from (null: a link placed on a website or bio). */
function templatesFor(source: string | null): ClickTemplate[] {
  const forwarded = t(UA.whatsapp, null, 0.06); // passed on to WhatsApp, whatever the link was made for
  switch (source) {
    case "whatsapp":
      return [t(UA.whatsapp, null, 0.45), t(UA.iosSafari, null, 0.3), t(UA.androidChrome, null, 0.25)];
    case "telegram":
      return [t(UA.telegram, null, 0.4), t(UA.androidChrome, null, 0.4), t(UA.iosSafari, null, 0.2)];
    case "imessage":
    case "sms":
    case "signal":
      return [t(UA.iosSafari, null, 0.7), t(UA.androidChrome, null, 0.3), forwarded];
    case "slack":
      return [t(UA.slack, null, 0.2), t(UA.desktopChrome, "android-app://com.Slack", 0.3), t(UA.desktopChrome, null, 0.4), t(UA.macSafari, null, 0.1), forwarded];
    case "teams":
      return [t(UA.desktopChrome, null, 0.8), t(UA.macSafari, null, 0.2), forwarded];
    case "linkedin":
      return [t(UA.desktopChrome, "https://www.linkedin.com/", 0.5), t(UA.linkedin, null, 0.3), t(UA.iosSafari, null, 0.14), forwarded];
    case "facebook":
      return [t(UA.facebook, null, 0.4, { fbclid: "IwAR0bench" }), t(UA.desktopChrome, "https://www.facebook.com/", 0.3), t(UA.instagram, null, 0.24), forwarded];
    case "x":
      return [t(UA.iosSafari, "https://t.co/", 0.7), t(UA.desktopChrome, null, 0.24), forwarded];
    case "newsletter":
      return [
        t(UA.desktopChrome, null, 0.5, { utm_source: "newsletter", utm_medium: "email", utm_campaign: "weekly" }),
        t(UA.desktopChrome, "https://mail.google.com/", 0.2, { utm_source: "newsletter", utm_medium: "email" }),
        t(UA.iosSafari, "https://mail.google.com/", 0.1),
        t(UA.iosSafari, null, 0.2),
      ];
    default:
      return [
        t(UA.desktopChrome, "https://www.google.com/", 0.35),
        t(UA.iosSafari, "https://www.bing.com/", 0.05),
        t(UA.desktopChrome, "https://someblog.example/post/why", 0.15),
        t(UA.desktopChrome, "https://chatgpt.com/", 0.05),
        t(UA.iosSafari, null, 0.25),
        t(UA.desktopChrome, "https://www.google.com/", 0.05, { gclid: "Cj0bench" }),
        t(UA.whatsapp, null, 0.1),
      ];
  }
}

/** The chat app whose preview fetch comes before clicks of a link made for it. */
const UNFURL_APP: Record<string, string> = { whatsapp: "whatsapp", telegram: "telegram", imessage: "imessage", signal: "signal", sms: "google_messages", slack: "slack", teams: "teams" };
const UNFURL_UA: Record<string, string> = {
  whatsapp: "WhatsApp/2.23.20.0 A",
  telegram: "TelegramBot (like TwitterBot)",
  imessage: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0",
  signal: "WhatsApp/2",
  google_messages: "GoogleMessages",
  slack: "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
  teams: "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; MicrosoftPreview/2.0; +https://aka.ms/MicrosoftPreview) Chrome/80.0.345.0 Safari/537.36",
  linkedin: "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
  facebook: "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
  x: "Twitterbot/1.0",
};

const LINK_SOURCES: readonly (readonly [string | null, number])[] = [
  ["whatsapp", 0.22],
  ["slack", 0.08],
  ["teams", 0.04],
  ["telegram", 0.04],
  ["imessage", 0.05],
  ["sms", 0.03],
  ["signal", 0.02],
  ["linkedin", 0.12],
  ["facebook", 0.06],
  ["x", 0.06],
  ["newsletter", 0.1],
  [null, 0.18],
];

const COUNTRIES = ["US", "US", "US", "DE", "GB", "FR", "ES", "BR", "IN", "NL", "CA", "MX"];

/** What the clicks table stores of the campaign parameters (as ingestion's flatCampaign). */
function flatCampaign(c: ClickClassification["campaignParams"]): string | null {
  if (!c) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.utm)) if (v !== null) out[`utm_${k}`] = v;
  for (const [k, v] of Object.entries(c.clickIds)) if (typeof v === "string") out[k] = v;
  return JSON.stringify(out);
}

// ---- what an untagged visit looks like --------------------------------------------------------------

interface VisitTemplate {
  /** The channel `classifyVisit` must give it (checked once, so the mix stays what it says). */
  channel: string;
  referrer: string | null;
  page: string;
  userAgent: string;
  weight: number;
}

const vt = (channel: string, referrer: string | null, page: string, userAgent: string, weight: number): VisitTemplate => ({ channel, referrer, page, userAgent, weight });

/**
 * The stored visits' mix (only visits that say where they came from are stored): organic search 45%,
 * social 25%, paid search 10%, referral 8%, AI assistants 4%, dark 8% (a Slack referrer or Slack's
 * browser: workchat; WhatsApp's in-app browser: messaging).
 */
const VISIT_TEMPLATES: readonly VisitTemplate[] = [
  vt("organic_search", "https://www.google.com/", "/", UA.desktopChrome, 0.25),
  vt("organic_search", "https://www.google.com/", "/p/3", UA.iosSafari, 0.12),
  vt("organic_search", "https://www.bing.com/", "/", UA.desktopChrome, 0.05),
  vt("organic_search", "https://duckduckgo.com/", "/blog/guide", UA.desktopChrome, 0.03),
  vt("social", "https://www.facebook.com/", "/", UA.desktopChrome, 0.07),
  vt("social", null, "/p/7", UA.instagram, 0.07),
  vt("social", "https://www.linkedin.com/", "/", UA.desktopChrome, 0.05),
  vt("social", "https://t.co/", "/", UA.iosSafari, 0.03),
  vt("social", "https://www.reddit.com/", "/blog/guide", UA.desktopChrome, 0.03),
  vt("paid_search", "https://www.google.com/", "/p/2?gclid=Cj0bench", UA.desktopChrome, 0.06),
  vt("paid_search", null, "/?utm_source=google&utm_medium=cpc&utm_campaign=brand", UA.iosSafari, 0.03),
  vt("paid_search", "https://www.bing.com/", "/?msclkid=bench", UA.desktopChrome, 0.01),
  vt("referral", "https://someblog.example/post/why", "/", UA.desktopChrome, 0.05),
  vt("referral", "https://reviews.example/best-tools", "/p/1", UA.macSafari, 0.03),
  vt("ai_assistant", "https://chatgpt.com/", "/", UA.desktopChrome, 0.025),
  vt("ai_assistant", "https://www.perplexity.ai/", "/", UA.desktopChrome, 0.01),
  vt("ai_assistant", null, "/?utm_source=chatgpt.com", UA.desktopChrome, 0.005),
  vt("workchat", "https://app.slack.com/client/T1", "/", UA.desktopChrome, 0.02),
  vt("workchat", "android-app://com.Slack", "/p/5", UA.androidChrome, 0.01),
  vt("workchat", null, "/", UA.slack, 0.01),
  vt("messaging", null, "/p/4", UA.whatsapp, 0.04),
];

interface ClassifiedVisit {
  page: string;
  cls: VisitClassification;
}

/** The templates as ingestion classifies them (classifyVisit), with their weights. */
const CLASSIFIED_VISITS: readonly (readonly [ClassifiedVisit, number])[] = VISIT_TEMPLATES.map((tp) => {
  const cls = classifyVisit({ referrer: tp.referrer, page: tp.page, userAgent: tp.userAgent }, ["lnk.example", "shop.example"]);
  if (cls.channel !== tp.channel || !visitSaysSomething(cls)) throw new Error(`bench visit ${tp.referrer ?? tp.userAgent} ${tp.page} is ${cls.channel}, not ${tp.channel}`);
  return [{ page: tp.page, cls }, tp.weight] as const;
});

/** A visits row, as ingestion stores it: received a few seconds after it happened unless `receivedAt` says otherwise. */
function visitRow(rng: Rng, pick: () => ClassifiedVisit, visitorId: string, ts: number, receivedAt = ts + 1_000 + rng.int(9_000)): unknown[] {
  const { page, cls } = pick();
  return [rng.id(), ts, receivedAt, visitorId, cls.referrerHost, page, cls.inApp, cls.channel, cls.source, cls.rule, cls.dark ? 1 : 0];
}

// ---- answers --------------------------------------------------------------------------------------

const OTHER_TEXTS = [
  "my sister sent it to me on whatsapp",
  "a colleague shared it in slack",
  "heard about you on a podcast",
  "saw it on reddit",
  "google",
  "a friend recommended it",
  "instagram ad",
  "chatgpt suggested you",
  "newsletter",
  "at a conference",
  "no idea",
];

/** Option keys a customer picks, given what software saw (people often name the channel they came through, not always). */
function answerKey(rng: Rng, software: string): string {
  const mirror: Record<string, string> = {
    messaging: "messaging",
    workchat: "workchat",
    organic_search: "search",
    paid_search: "search",
    social: "social",
    paid_social: "social",
    email: "email",
    personal_email: "friend",
    ai_assistant: "ai_assistant",
  };
  const own = mirror[software];
  return rng.weighted([
    [own ?? "friend", own ? 0.42 : 0.1],
    ["friend", 0.16],
    ["messaging", software === "direct" ? 0.1 : 0.04],
    ["podcast", 0.06],
    ["search", 0.06],
    ["social", 0.05],
    ["event", 0.02],
    ["ai_assistant", 0.02],
    ["other", 0.07],
    ["dont_remember", 0.06],
  ]);
}

// ---- writing --------------------------------------------------------------------------------------

type Client = Awaited<ReturnType<typeof createDb>>["$client"];
/** The client or an open transaction: both execute statements. */
type Exec = Pick<Client, "execute">;

const COLUMNS = {
  links: ["id", "slug", "url", "channel", "source", "campaign", "utm", "tags", "kit_id", "created_at", "updated_at"],
  clicks: ["id", "link_id", "ts", "visitor_hash", "channel", "source", "rule", "referrer_host", "in_app", "device", "browser", "os", "country", "campaign_params", "unfurl_app", "dnt"],
  unfurls: ["id", "link_id", "ts", "app", "user_agent"],
  visitors: ["visitor_id", "share_token", "lcid", "link_id", "parent_visitor_id", "generation", "first_seen", "last_seen", "received_at"],
  arrivals: ["id", "ts", "share_token", "visitor_id", "parent_visitor_id", "generation", "link_id", "referrer_host", "page", "in_app", "channel", "source", "rule", "dark", "received_at"],
  conversions: ["id", "external_id", "ts", "received_at", "type", "value", "currency", "lcid", "visitor_id", "share_token", "respondent_hash", "origin"],
  survey_responses: [
    "id",
    "survey_id",
    "ts",
    "received_at",
    "option_id",
    "other_text",
    "other_text_normalized",
    "channel",
    "source",
    "confidence",
    "rule",
    "respondent_hash",
    "lcid",
    "visitor_id",
    "share_token",
    "conversion_id",
    "locale",
    "dedupe_key",
  ],
  survey_views: ["id", "survey_id", "ts", "visitor_id", "lcid", "placement"],
  visits: ["id", "ts", "received_at", "visitor_id", "referrer_host", "page", "in_app", "channel", "source", "rule", "dark"],
} as const;
type Table = keyof typeof COLUMNS;

/** Buffers rows per table and writes them as one JSON parameter per statement (json_each). */
class Writer {
  readonly counts: Record<string, number> = {};
  private buffers = new Map<Table, unknown[][]>();
  constructor(private client: Exec) {}

  async add(table: Table, row: unknown[]): Promise<void> {
    let buf = this.buffers.get(table);
    if (!buf) this.buffers.set(table, (buf = []));
    buf.push(row);
    if (buf.length >= 5_000) await this.flush(table);
  }

  async flush(table?: Table): Promise<void> {
    for (const name of table ? [table] : [...this.buffers.keys()]) {
      const rows = this.buffers.get(name);
      if (!rows || rows.length === 0) continue;
      this.buffers.set(name, []);
      const cols = COLUMNS[name];
      const select = cols.map((_, i) => `j.value->>${i}`).join(", ");
      await this.client.execute({ sql: `INSERT INTO ${name} (${cols.join(", ")}) SELECT ${select} FROM json_each(?) AS j`, args: [JSON.stringify(rows)] });
      this.counts[name] = (this.counts[name] ?? 0) + rows.length;
    }
  }
}

// ---- the world ------------------------------------------------------------------------------------

interface Link {
  id: string;
  source: string | null;
  channel: string | null;
  weight: number;
  pickTemplate: () => { cls: ClickClassification; campaignParams: string | null };
}

interface Visitor {
  id: string;
  token: string;
  generation: number;
  parent: Visitor | null;
  linkId: string | null;
  /** Clicks (gen 0) in time order; arrivals' times for gen >= 1. */
  clickIds: string[];
  clickTs: number[];
  clickChannel: string;
  firstSeen: number;
  email: string;
}

const DATA_TABLES: readonly Table[] = ["links", "clicks", "unfurls", "visitors", "arrivals", "conversions", "survey_responses", "survey_views", "visits"];

/**
 * Builds the data set in a new, migrated libSQL file at `url`. Secondary indexes are dropped while
 * loading and created again at the end (the same statements the migrations made), which is how a
 * bulk load is done and keeps generation time well below the reconcile time being measured.
 */
export async function buildDataset(url: string, size: DatasetSize, options: { seed?: number; log?: (msg: string) => void } = {}): Promise<DatasetResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 20250101;
  const rng = prng(seed);
  const db = await createDb(url);
  await migrate(db);
  const client = db.$client;

  const list = DATA_TABLES.map((x) => `'${x}'`).join(", ");
  const indexes = (await client.execute(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${list})`)).rows.map((r) => ({
    name: String(r.name),
    sql: String(r.sql),
  }));
  for (const ix of indexes) await client.execute(`DROP INDEX "${ix.name}"`);
  // One transaction for the whole load, on a connection of its own with a large page cache; the
  // connections the benchmark measures are opened later with the defaults.
  const tx = await client.transaction("write");
  await tx.execute("PRAGMA cache_size = -262144");

  const w = new Writer(tx);
  const end = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const start = end - size.days * DAY_MS;
  const span = end - start;

  // Survey with the default options, as the surveys service seeds it.
  const surveyId = rng.id();
  await tx.execute({
    sql: "INSERT INTO surveys (id, name, question, default_locale, randomize, active, created_at, updated_at) VALUES (?, 'How did you hear about us?', ?, 'en', 1, 1, ?, ?)",
    args: [surveyId, JSON.stringify({ en: "How did you hear about us?" }), start - 30 * DAY_MS, start - 30 * DAY_MS],
  });
  const optionIds: Record<string, string> = {};
  const optionClass: Record<string, { channel: string | null; source: string | null; kind: string }> = {};
  let position = 0;
  for (const o of DEFAULT_SURVEY_OPTIONS) {
    const id = rng.id();
    optionIds[o.key] = id;
    const kind = o.kind === "channel" ? "option" : o.kind;
    optionClass[o.key] = { channel: o.classification?.channel ?? null, source: o.classification?.source ?? null, kind };
    await tx.execute({
      sql: "INSERT INTO survey_options (id, survey_id, position, kind, label, channel, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
      args: [id, surveyId, position++, kind, JSON.stringify(o.labels), o.classification?.channel ?? null, o.classification?.source ?? null],
    });
  }

  // Links: campaigns of a dozen variants each; a few links carry most of the traffic (Zipf-like).
  const links: Link[] = [];
  const campaigns = Math.max(1, Math.round(size.links / 12));
  for (let i = 0; i < size.links; i++) {
    const source = rng.weighted(LINK_SOURCES);
    const campaign = rng.next() < 0.9 ? `campaign-${i % campaigns}` : null;
    const channel = source ? (channelForSource(source) ?? "referral") : null;
    const id = rng.id();
    const created = start - rng.int(60) * DAY_MS;
    await w.add("links", [id, `s${i}-${id.slice(0, 6)}`, `https://shop.example/p/${i}`, channel, source, campaign, JSON.stringify(campaign ? { campaign } : {}), "[]", null, created, created]);
    const templates = templatesFor(source).map((tp) => {
      const cls = classifyClick({ userAgent: tp.ua, referer: tp.referer, query: tp.query, linkChannel: channel, linkSource: source, ownHosts: ["lnk.example", "shop.example"] });
      return [{ cls, campaignParams: flatCampaign(cls.campaignParams) }, tp.weight] as const;
    });
    links.push({ id, source, channel, weight: 1 / (1 + (i % 50)) ** 0.8, pickTemplate: rng.table(templates) });
  }
  const pickLink = rng.table(links.map((l) => [l, l.weight] as const));

  // People, their clicks and (for most) their tracker visitor. Visitors are kept compactly for the conversions.
  const visitors: Visitor[] = [];
  let clicksMade = 0;
  let person = 0;
  let nextLog = 200_000;
  const clickCounts: readonly (readonly [number, number])[] = [
    [1, 0.45],
    [2, 0.25],
    [3, 0.13],
    [4, 0.08],
    [5, 0.04],
    [6, 0.025],
    [8, 0.025],
  ];
  const pickCount = rng.table(clickCounts);
  while (clicksMade < size.clicks) {
    person++;
    const k = Math.min(pickCount(), size.clicks - clicksMade);
    const favourite = pickLink();
    const dnt = rng.next() < 0.03;
    const country = rng.pick(COUNTRIES);
    let ts = start + rng.next() * span * 0.97;
    const ids: string[] = [];
    const times: number[] = [];
    let firstChannel = "direct";
    let firstLink = favourite.id;
    for (let c = 0; c < k; c++) {
      if (c > 0) ts += rng.next() * 6 * DAY_MS + MIN;
      if (ts >= end) break;
      const link = rng.next() < 0.6 ? favourite : pickLink();
      const { cls, campaignParams } = link.pickTemplate();
      const id = rng.id();
      const stamp = Math.floor(ts);
      // A chat app's preview fetch comes just before many clicks on links made for it.
      let unfurlApp: string | null = null;
      const app = link.source ? UNFURL_APP[link.source] : undefined;
      if (app && rng.next() < 0.5) {
        unfurlApp = app;
        await w.add("unfurls", [rng.id(), link.id, stamp - 30_000 - rng.int(50 * MIN), app, UNFURL_UA[app] ?? null]);
      } else if (link.source && UNFURL_UA[link.source] && rng.next() < 0.1) {
        await w.add("unfurls", [rng.id(), link.id, stamp - rng.int(6 * HOUR), link.source, UNFURL_UA[link.source]]);
      }
      const hash = dnt ? null : sha256(`p${person}|${Math.floor(stamp / DAY_MS)}`);
      await w.add("clicks", [
        id,
        link.id,
        stamp,
        hash,
        cls.channel,
        cls.source,
        cls.rule,
        cls.referrerHost,
        cls.inApp,
        cls.device,
        cls.browser,
        cls.os,
        country,
        campaignParams,
        unfurlApp,
        dnt ? 1 : 0,
      ]);
      if (c === 0) {
        firstChannel = cls.channel;
        firstLink = link.id;
      }
      ids.push(id);
      times.push(stamp);
      clicksMade++;
    }
    if (ids.length === 0) continue;
    // Most people are seen by the site's tracker (lantern.js); the rest bounced or block scripts.
    if (rng.next() < 0.8) {
      visitors.push({
        id: rng.id(),
        token: rng.id(),
        generation: 0,
        parent: null,
        linkId: firstLink,
        clickIds: ids,
        clickTs: times,
        clickChannel: firstChannel,
        firstSeen: times[0]! + 2_000,
        email: `p${person}`,
      });
    }
    if (clicksMade >= nextLog) {
      log(`  ${clicksMade} clicks`);
      nextLog += 200_000;
    }
  }
  await w.flush();

  // Re-shares: some visitors pass their URL (with their share token) on; two generations deep.
  const clickVisitors = visitors.length;
  const shared: Visitor[] = [];
  const shareFrom = (sharer: Visitor) => {
    const n = 1 + rng.int(3);
    for (let i = 0; i < n; i++) {
      const ts = Math.floor(sharer.firstSeen + MIN + rng.next() * 5 * DAY_MS);
      if (ts >= end) continue;
      shared.push({
        id: rng.id(),
        token: rng.id(),
        generation: sharer.generation + 1,
        parent: sharer,
        linkId: sharer.linkId,
        clickIds: [],
        clickTs: [ts],
        clickChannel: "direct",
        firstSeen: ts,
        email: `s${shared.length}`,
      });
    }
  };
  for (let i = 0; i < clickVisitors; i++) if (rng.next() < 0.06) shareFrom(visitors[i]!);
  for (let i = 0, n = shared.length; i < n; i++) if (rng.next() < 0.1) shareFrom(shared[i]!);
  const arrivalKinds: readonly (readonly [{ referrer: string | null; userAgent: string }, number])[] = [
    [{ referrer: null, userAgent: UA.iosSafari }, 0.55],
    [{ referrer: null, userAgent: UA.whatsapp }, 0.2],
    [{ referrer: "https://www.linkedin.com/", userAgent: UA.desktopChrome }, 0.1],
    [{ referrer: "android-app://com.Slack", userAgent: UA.desktopChrome }, 0.1],
    [{ referrer: "https://www.google.com/", userAgent: UA.desktopChrome }, 0.05],
  ];
  for (const v of shared) {
    const kind = rng.weighted(arrivalKinds);
    const cls = classifyArrival(kind, ["lnk.example", "shop.example"]);
    const opens = rng.next() < 0.25 ? 2 : 1;
    for (let o = 0; o < opens; o++) {
      const ts = v.clickTs[0]! + o * (HOUR + rng.int(2 * DAY_MS));
      // Received two seconds after it happened (no random draw for it: every other row stays as it was).
      await w.add("arrivals", [rng.id(), ts, v.parent!.token, v.id, v.parent!.id, v.generation, v.linkId, cls.referrerHost, "/p/1", cls.inApp, cls.channel, cls.source, cls.rule, cls.dark ? 1 : 0, ts + 2_000]);
    }
    v.clickChannel = cls.channel;
    visitors.push(v);
  }
  for (const v of visitors) {
    const lastSeen = v.clickTs[v.clickTs.length - 1]! + 60_000;
    // Its place in the share graph was stored when it was first seen.
    await w.add("visitors", [v.id, v.token, v.clickIds[0] ?? null, v.linkId, v.parent?.id ?? null, v.generation, v.firstSeen, lastSeen, v.firstSeen + 2_000]);
  }
  await w.flush();
  log(`  ${visitors.length} visitors (${shared.length} through re-shares)`);

  // Conversions: by visitors (clicked ones mostly, re-shared ones more often than their number), a
  // few by the server-side API with only a respondent; some visitors buy twice. About 40% answered.
  const unanswered: UnansweredConversion[] = [];
  /** Each buyer's first and latest conversion (for the visits below; no randomness drawn here). */
  const bought = new Map<string, { first: number; last: number }>();
  const dedupe = new Set<string>();
  let order = 0;
  for (let n = 0; n < size.conversions; n++) {
    const kind = rng.next();
    const v = kind < 0.05 ? null : kind < 0.15 && shared.length > 0 ? rng.pick(shared) : visitors[rng.int(clickVisitors)]!;
    let ts: number;
    let lcid: string | null = null;
    let software = "direct";
    if (v) {
      const i = rng.int(v.clickTs.length);
      ts = Math.floor(v.clickTs[i]! + MIN + rng.next() ** 3 * 7 * DAY_MS);
      // The tracker sends the last click id it saw on this visitor (lcid), unless it lost it.
      if (v.clickIds.length > 0 && rng.next() < 0.85) {
        let j = v.clickTs.length - 1;
        while (j > 0 && v.clickTs[j]! > ts) j--;
        lcid = v.clickIds[j]!;
      }
      software = v.clickChannel;
    } else {
      ts = Math.floor(start + rng.next() * span);
    }
    if (ts >= end) ts = end - 1 - rng.int(HOUR);
    const id = rng.id();
    const email = v ? v.email : `api${n}`;
    const respondentHash = !v || rng.next() < 0.7 ? sha256(`${email}@example.com`) : null;
    const shareToken = v ? (v.generation > 0 && rng.next() < 0.5 ? v.parent!.token : v.token) : null;
    const receivedAt = ts + 500 + rng.int(30_000);
    const value = Math.round((20 + rng.next() ** 2 * 280) * 100) / 100;
    await w.add("conversions", [id, `ord-${++order}`, ts, receivedAt, "purchase", value, "EUR", lcid, v?.id ?? null, shareToken, respondentHash, v ? "tracker" : "api"]);
    if (v) {
      const b = bought.get(v.id);
      if (!b) bought.set(v.id, { first: ts, last: ts });
      else {
        b.first = Math.min(b.first, ts);
        b.last = Math.max(b.last, ts);
      }
    }
    if (v && rng.next() < 0.9) await w.add("survey_views", [rng.id(), surveyId, ts + 5_000, v.id, lcid, "thank_you"]);

    if (rng.next() >= size.answerRate) {
      unanswered.push({ id, ts, visitorId: v?.id ?? null, lcid, respondentHash, softwareChannel: software });
      continue;
    }
    const key = answerKey(rng, software);
    const answerTs = ts + 20_000 + rng.int(10 * MIN);
    const who = respondentHash ? `email:${respondentHash}` : v ? `visitor:${v.id}` : null;
    const dedupeKey = who ? `${surveyId}|${who}|${new Date(answerTs).toISOString().slice(0, 10)}` : null;
    if (dedupeKey && dedupe.has(dedupeKey)) continue; // the same respondent twice in a day counts once
    if (dedupeKey) dedupe.add(dedupeKey);
    const opt = optionClass[key]!;
    let channel = opt.channel;
    let source = opt.source;
    let confidence: number | null = opt.channel ? 1 : null;
    let rule = opt.kind === "dont_remember" ? "dont_remember" : "option";
    let otherText: string | null = null;
    if (opt.kind === "other") {
      otherText = rng.pick(OTHER_TEXTS);
      const c = classifyAnswer(otherText);
      channel = c.channel === "unclassified" ? null : c.channel;
      source = c.source;
      confidence = c.confidence;
      rule = c.rule;
    }
    // Most answers come with the order (post-purchase survey) and name their conversion; the rest
    // (an emailed survey, a widget) carry only the respondent, visitor or click.
    const names = rng.next() < 0.85;
    await w.add("survey_responses", [
      rng.id(),
      surveyId,
      answerTs,
      answerTs + 400 + rng.int(20_000),
      optionIds[key],
      otherText,
      normalizedAnswerTexts({ otherText }).otherTextNormalized,
      channel,
      source,
      confidence,
      rule,
      respondentHash,
      lcid,
      v?.id ?? null,
      shareToken,
      names ? id : null,
      "en",
      dedupeKey,
    ]);
  }
  await w.flush();

  // Untagged visits, on a random stream of their own so that every row above stays what it was. About
  // half the buyers came back on their own (a search, a post, a chat) one to three times in the two
  // weeks before their first purchase; the rest of the visits are people who never buy: mostly
  // visitors the tracker saw only this way, some who had clicked a link before.
  const vr = prng(seed ^ 0x76697369);
  const pickVisit = vr.table(CLASSIFIED_VISITS);
  const visitTarget = Math.round(size.clicks * (size.visitsPerClick ?? 0.5));
  let visitsMade = 0;
  let visitedBuyers = 0;
  for (const [visitorId, b] of bought) {
    if (visitsMade >= visitTarget) break;
    if (vr.next() >= 0.5) continue;
    const n = 1 + vr.int(3);
    let wrote = 0;
    for (let i = 0; i < n && visitsMade < visitTarget; i++) {
      const ts = Math.floor(b.first - MIN - vr.next() ** 2 * 14 * DAY_MS);
      if (ts < start) continue;
      await w.add("visits", visitRow(vr, pickVisit, visitorId, ts));
      visitsMade++;
      wrote++;
    }
    if (wrote > 0) visitedBuyers++;
  }
  const buyerVisits = visitsMade;
  const nonBuyers = visitors.filter((x) => !bought.has(x.id));
  const visitCounts = vr.table([
    [1, 0.6],
    [2, 0.25],
    [3, 0.15],
  ] as const);
  while (visitsMade < visitTarget) {
    const returning = nonBuyers.length > 0 && vr.next() < 0.3 ? vr.pick(nonBuyers) : null;
    const visitorId = returning ? returning.id : vr.id();
    let ts = returning ? returning.firstSeen + HOUR + vr.next() * 20 * DAY_MS : start + vr.next() * span;
    for (let i = visitCounts(); i > 0 && visitsMade < visitTarget && ts < end; i--) {
      await w.add("visits", visitRow(vr, pickVisit, visitorId, Math.floor(ts)));
      visitsMade++;
      ts += MIN + vr.next() * 10 * DAY_MS;
    }
  }
  await w.flush();
  if (visitTarget > 0) log(`  ${visitsMade} visits (${buyerVisits} by ${visitedBuyers} of ${bought.size} buyers)`);
  await tx.commit();
  log(`  rows written, creating ${indexes.length} indexes`);
  const ixTx = await client.transaction("write");
  await ixTx.execute("PRAGMA cache_size = -262144");
  for (const ix of indexes) await ixTx.execute(ix.sql);
  await ixTx.commit();
  await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  client.close();

  unanswered.sort((a, b) => b.ts - a.ts);
  const buyers = [...bought].map(([visitorId, b]) => ({ visitorId, ts: b.last })).sort((a, b) => b.ts - a.ts);
  return {
    rows: w.counts,
    start,
    end,
    ms: performance.now() - started,
    unanswered,
    buyers,
    visitStats: { buyers: bought.size, visitedBuyers, buyerVisits },
    surveyId,
    optionIds,
  };
}

/**
 * `count` new answers received now, for conversions that had none (the newest first, as a
 * post-purchase email survey brings them in): most name their conversion, some carry only the
 * respondent or visitor and are tied to the nearest conversion by the reconciler.
 */
export async function addAnswers(client: Exec, data: Pick<DatasetResult, "unanswered" | "surveyId" | "optionIds">, count: number, receivedAt: number, seed = 7): Promise<number> {
  const rng = prng(seed);
  let added = 0;
  // An answer skipped as a same-day duplicate of its respondent is replaced by another one.
  while (added < count && data.unanswered.length > 0) added += await insertAnswers(client, data, rng, data.unanswered.splice(0, count - added), receivedAt + added);
  return added;
}

async function insertAnswers(client: Exec, data: Pick<DatasetResult, "surveyId" | "optionIds">, rng: Rng, targets: UnansweredConversion[], receivedAt: number): Promise<number> {
  const rows: unknown[][] = [];
  for (const c of targets) {
    const key = answerKey(rng, c.softwareChannel);
    const o = DEFAULT_SURVEY_OPTIONS.find((x) => x.key === key)!;
    let answer = { channel: o.classification?.channel ?? null, source: o.classification?.source ?? null, confidence: o.classification ? 1 : null, rule: "option" } as {
      channel: string | null;
      source: string | null;
      confidence: number | null;
      rule: string;
    };
    const otherText = o.kind === "other" ? rng.pick(OTHER_TEXTS) : null;
    if (otherText) {
      const a = classifyAnswer(otherText);
      answer = { channel: a.channel === "unclassified" ? null : a.channel, source: a.source, confidence: a.confidence, rule: a.rule };
    } else if (o.kind === "dont_remember") answer.rule = "dont_remember";
    const loose = rng.next() < 0.15 && (c.respondentHash !== null || c.visitorId !== null);
    const ts = c.ts + 2 * HOUR + rng.int(6 * HOUR);
    const who = c.respondentHash ? `email:${c.respondentHash}` : c.visitorId ? `visitor:${c.visitorId}` : null;
    rows.push([
      rng.id(),
      data.surveyId,
      ts,
      receivedAt + rows.length,
      data.optionIds[key],
      otherText,
      normalizedAnswerTexts({ otherText }).otherTextNormalized,
      answer.channel,
      answer.source,
      answer.confidence,
      answer.rule,
      c.respondentHash,
      c.lcid,
      c.visitorId,
      null,
      loose ? null : c.id,
      "en",
      who ? `${data.surveyId}|${who}|${new Date(ts).toISOString().slice(0, 10)}` : null,
    ]);
  }
  const cols = COLUMNS.survey_responses;
  const select = cols.map((_, i) => `j.value->>${i}`).join(", ");
  // As ingestion does: a second answer of the same respondent on the same day is skipped.
  const res = await client.execute({
    sql: `INSERT INTO survey_responses (${cols.join(", ")}) SELECT ${select} FROM json_each(?) AS j WHERE true ON CONFLICT DO NOTHING`,
    args: [JSON.stringify(rows)],
  });
  return res.rowsAffected;
}

/**
 * `count` visits received now that happened before a purchase (a beacon spooled on a phone that was
 * offline, sent when it came back): one each for the buyers with the newest conversions, from a minute
 * to two days before their latest one, so an incremental run has to reconcile those conversions again.
 */
export async function addVisits(client: Exec, data: Pick<DatasetResult, "buyers">, count: number, receivedAt: number, seed = 11): Promise<number> {
  const rng = prng(seed);
  const pickVisit = rng.table(CLASSIFIED_VISITS);
  const rows = data.buyers.splice(0, count).map((b, i) => visitRow(rng, pickVisit, b.visitorId, b.ts - MIN - rng.int(2 * DAY_MS), receivedAt + i));
  if (rows.length === 0) return 0;
  const cols = COLUMNS.visits;
  const select = cols.map((_, i) => `j.value->>${i}`).join(", ");
  const res = await client.execute({ sql: `INSERT INTO visits (${cols.join(", ")}) SELECT ${select} FROM json_each(?) AS j`, args: [JSON.stringify(rows)] });
  return res.rowsAffected;
}

/**
 * `count` re-share arrivals received now that happened before a purchase (a copy-pasted URL opened on a
 * phone whose beacon was spooled offline): one each for the next buyers, through the URL of a visitor who
 * came by a click, from a minute to two days before their latest conversion, so an incremental run has to
 * reconcile those conversions, and those of anyone below them in the share chain, again.
 */
export async function addArrivals(client: Exec, data: Pick<DatasetResult, "buyers">, count: number, receivedAt: number, seed = 13): Promise<number> {
  const rng = prng(seed);
  const buyers = data.buyers.splice(0, count);
  const res = await client.execute({
    sql: "SELECT visitor_id, share_token, link_id FROM visitors WHERE generation = 0 AND lcid IS NOT NULL AND share_token IS NOT NULL ORDER BY visitor_id LIMIT ?",
    args: [buyers.length + 1],
  });
  const sharers = res.rows.map((r) => ({ id: String(r.visitor_id), token: String(r.share_token), linkId: r.link_id === null ? null : String(r.link_id) }));
  const cls = classifyArrival({ referrer: null, userAgent: UA.iosSafari }, ["lnk.example", "shop.example"]);
  const rows = buyers.flatMap((b, i) => {
    const sharer = sharers.find((s, j) => j >= i && s.id !== b.visitorId);
    if (!sharer) return [];
    const ts = b.ts - MIN - rng.int(2 * DAY_MS);
    return [[rng.id(), ts, sharer.token, b.visitorId, sharer.id, 1, sharer.linkId, cls.referrerHost, "/p/1", cls.inApp, cls.channel, cls.source, cls.rule, cls.dark ? 1 : 0, receivedAt + i]];
  });
  if (rows.length === 0) return 0;
  const cols = COLUMNS.arrivals;
  const select = cols.map((_, i) => `j.value->>${i}`).join(", ");
  const inserted = await client.execute({ sql: `INSERT INTO arrivals (${cols.join(", ")}) SELECT ${select} FROM json_each(?) AS j`, args: [JSON.stringify(rows)] });
  return inserted.rowsAffected;
}

/** A conversion made to name a click the data set does not have yet, and when that click happened. */
export interface LateClick {
  id: string;
  /** The click whose link, visitor and classification the late one copies. */
  template: string;
  ts: number;
}

/**
 * Clicks replayed late (the links service spooled them while Redis was down), step one: the `count`
 * oldest conversions that carry a click id (far from the buyers the visits and arrivals cases use) are
 * made to name a click that is not stored yet, as a conversion stored before its click does. Nothing is
 * stamped: runs do not see this. `insertLateClicks` then stores those clicks.
 */
export async function nameMissingClicks(client: Exec, count: number): Promise<LateClick[]> {
  const res = await client.execute({ sql: "SELECT id, lcid, ts FROM conversions WHERE lcid IS NOT NULL ORDER BY ts, id LIMIT ?", args: [count] });
  const late = res.rows.map((r) => ({ conversion: String(r.id), id: `late-${String(r.id)}`, template: String(r.lcid), ts: Number(r.ts) - 30 * MIN }));
  await client.execute({
    sql: "UPDATE conversions SET lcid = (SELECT j.value->>1 FROM json_each(?1) AS j WHERE j.value->>0 = conversions.id) WHERE id IN (SELECT j.value->>0 FROM json_each(?1) AS j)",
    args: [JSON.stringify(late.map((l) => [l.conversion, l.id]))],
  });
  return late.map(({ id, template, ts }) => ({ id, template, ts }));
}

/** Step two: the late clicks are stored, received from `receivedAt` on, each a copy of its template but for id and time. */
export async function insertLateClicks(client: Exec, late: readonly LateClick[], receivedAt: number): Promise<number> {
  return copyClicks(
    client,
    late.map((l, i) => [l.id, l.template, l.ts, receivedAt + i]),
  );
}

/**
 * `count` clicks received on time over five minutes from `at` (busy traffic between two scheduled runs),
 * copies of the latest stored click: they name no conversion yet, so a run finds nothing to redo for them.
 */
export async function addClickTraffic(client: Exec, count: number, at: number): Promise<number> {
  const [latest] = (await client.execute("SELECT id FROM clicks ORDER BY rowid DESC LIMIT 1")).rows;
  const template = String(latest?.id);
  const step = Math.max(1, Math.floor((5 * MIN) / Math.max(1, count)));
  return copyClicks(
    client,
    Array.from({ length: count }, (_, i) => [`traffic-${i}`, template, at + i * step, at + i * step + 500]),
  );
}

/** Inserts [id, template id, ts, received_at] rows as copies of their template clicks. */
async function copyClicks(client: Exec, rows: readonly (readonly [string, string, number, number])[]): Promise<number> {
  if (rows.length === 0) return 0;
  const copied = COLUMNS.clicks.filter((c) => c !== "id" && c !== "ts");
  const res = await client.execute({
    sql: `INSERT INTO clicks (id, ts, received_at, ${copied.join(", ")})
          SELECT j.value->>0, j.value->>2, j.value->>3, ${copied.map((c) => `c.${c}`).join(", ")}
          FROM json_each(?) AS j JOIN clicks AS c ON c.id = j.value->>1`,
    args: [JSON.stringify(rows)],
  });
  return res.rowsAffected;
}
