import { type Db, schema } from "@lantern/db";
import type { LanternEvent } from "@lantern/queue";
import { ingestEvents } from "../src/ingest/batch.ts";
import { RAW_EVENT_TABLES, type RawEventTable } from "../src/prune/prune.ts";
import { arrival, conversion, landing, linkHit, response, silent, surveySkip, surveyView, UA, visit } from "./helpers.ts";

/** Shared by the retention tests: the admin's setting, a day of every raw event, and snapshots. */

/** Stores the retention setting as the admin server's PATCH /api/settings does (the `privacy` row). */
export async function setRetention(db: Db, retentionDays: number, now: number): Promise<void> {
  const value = { honorDnt: true, honorGpc: true, retentionDays };
  await db.insert(schema.settings).values({ key: "privacy", value, updatedAt: now }).onConflictDoUpdate({ target: schema.settings.key, set: { value, updatedAt: now } });
}

export const ingest = (db: Db, events: LanternEvent[], now: number) => ingestEvents(db, events, { now, ownHosts: ["go.example", "shop.example"], log: silent });

export async function addLink(db: Db, id = "L1"): Promise<void> {
  await db.insert(schema.links).values({ id, slug: id.toLowerCase(), url: "https://shop.example/", channel: "social", source: "linkedin", campaign: "spring", utm: {}, tags: [], createdAt: 0, updatedAt: 0 });
}

export interface EventDay {
  events: LanternEvent[];
  /** The id of the one row each raw table gets. */
  raw: Record<RawEventTable, string>;
  conversionId: string;
}

/**
 * One event of every raw kind on link L1 from `ts` on (within 5 ms): a click, its Slack preview, a crawler,
 * the clicker's landing, a re-share opened by a second visitor (the buyer), the buyer's Google visit, a
 * survey view and skip; then, a minute later, the buyer's conversion and, a minute after it, an answer.
 */
export function eventDay(ts: number, tag: string): EventDay {
  const click = linkHit({ linkId: "L1", ts });
  const unfurl = linkHit({ linkId: "L1", ts, userAgent: UA.slackbot, served: "preview" });
  const bot = linkHit({ linkId: "L1", ts, userAgent: UA.googlebot });
  const [sharer, buyer] = [`S-${tag}`, `B-${tag}`];
  const reshare = arrival({ visitorId: buyer, shareToken: `t${sharer}`, ownShareToken: `t${buyer}`, ts: ts + 2 });
  const googled = visit({ visitorId: buyer, ts: ts + 3, referrer: "https://www.google.com/" });
  const view = surveyView({ ts: ts + 4, visitorId: buyer });
  const skip = surveySkip({ ts: ts + 5, visitorId: buyer });
  const buy = conversion({ visitorId: buyer, shareToken: `t${buyer}`, ts: ts + 60_000 });
  return {
    events: [click, unfurl, bot, landing({ visitorId: sharer, lcid: click.id, shareToken: `t${sharer}`, ts: ts + 1 }), reshare, googled, view, skip, buy, response({ visitorId: buyer, ts: ts + 120_000, otherText: "a friend told me" })],
    raw: { clicks: click.id, unfurls: unfurl.id, bot_hits: bot.id, arrivals: reshare.id, visits: googled.id, survey_views: view.id, survey_skips: skip.id },
    conversionId: buy.id,
  };
}

/** The ids in every raw table, sorted. */
export async function rawIds(db: Db): Promise<Record<RawEventTable, string[]>> {
  const out = {} as Record<RawEventTable, string[]>;
  for (const table of RAW_EVENT_TABLES) out[table] = (await db.$client.execute(`SELECT id FROM ${table} ORDER BY id`)).rows.map((r) => String(r.id));
  return out;
}

/** The ids each raw table should hold when exactly these days are left. */
export function expectedRaw(days: EventDay[]): Record<RawEventTable, string[]> {
  return Object.fromEntries(RAW_EVENT_TABLES.map((table) => [table, days.map((d) => d.raw[table]).sort()])) as Record<RawEventTable, string[]>;
}

/** The product's results, which pruning must never touch. */
export const RESULT_TABLES = {
  conversions: schema.conversions,
  surveyResponses: schema.surveyResponses,
  visitors: schema.visitors,
  links: schema.links,
  conversionAttribution: schema.conversionAttribution,
  attributionCredits: schema.attributionCredits,
  linkDaily: schema.linkDaily,
  attributionDaily: schema.attributionDaily,
};

/** Every row of the given tables, as sorted JSON lines per table: equal snapshots mean equal tables. */
export async function snapshot(db: Db, tables: Partial<typeof RESULT_TABLES> = RESULT_TABLES): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [name, table] of Object.entries(tables)) out[name] = (await db.select().from(table)).map((r) => JSON.stringify(r)).sort();
  return out;
}
