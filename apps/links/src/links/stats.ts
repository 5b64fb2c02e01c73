import { and, count, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "@lantern/db";
import { botHits, clicks, unfurls } from "@lantern/db/schema";

export interface StatsRange {
  from?: number;
  to?: number;
}

type Counts = Record<string, number>;

const day = (ts: SQLiteColumn) => sql<string>`strftime('%Y-%m-%d', ${ts} / 1000, 'unixepoch')`;

/**
 * Per-link figures from the rows the worker wrote (clicks, unfurls, bot_hits). Clicks are human
 * clicks only: unfurls and bot hits are counted apart and never as clicks.
 */
export async function linkStats(db: Db, linkId: string, range: StatsRange) {
  const within = (table: { linkId: SQLiteColumn; ts: SQLiteColumn }): SQL => {
    const parts: SQL[] = [eq(table.linkId, linkId)];
    if (range.from !== undefined) parts.push(gte(table.ts, range.from));
    if (range.to !== undefined) parts.push(lt(table.ts, range.to));
    return and(...parts)!;
  };
  const clickWhere = within(clicks);

  const countClicksBy = async (column: SQLiteColumn, nullAs = "unknown"): Promise<Counts> => {
    const rows = await db
      .select({ key: column, n: count() })
      .from(clicks)
      .where(clickWhere)
      .groupBy(column);
    const out: Counts = {};
    for (const r of rows) out[(r.key as string | null) ?? nullAs] = r.n;
    return out;
  };

  const [[human], [bot], appRows, clickDays, unfurlDays, botDays] = await Promise.all([
    db.select({ n: count() }).from(clicks).where(clickWhere),
    db.select({ n: count() }).from(botHits).where(within(botHits)),
    db.select({ app: unfurls.app, n: count() }).from(unfurls).where(within(unfurls)).groupBy(unfurls.app),
    db.select({ day: day(clicks.ts), n: count() }).from(clicks).where(clickWhere).groupBy(day(clicks.ts)),
    db.select({ day: day(unfurls.ts), n: count() }).from(unfurls).where(within(unfurls)).groupBy(day(unfurls.ts)),
    db.select({ day: day(botHits.ts), n: count() }).from(botHits).where(within(botHits)).groupBy(day(botHits.ts)),
  ]);

  const byApp: Counts = {};
  let unfurlTotal = 0;
  for (const r of appRows) {
    byApp[r.app] = r.n;
    unfurlTotal += r.n;
  }

  const days = new Map<string, { day: string; clicks: number; unfurls: number; bots: number }>();
  const dayOf = (d: string) => {
    const entry = days.get(d) ?? { day: d, clicks: 0, unfurls: 0, bots: 0 };
    days.set(d, entry);
    return entry;
  };
  for (const r of clickDays) dayOf(r.day).clicks = r.n;
  for (const r of unfurlDays) dayOf(r.day).unfurls = r.n;
  for (const r of botDays) dayOf(r.day).bots = r.n;

  const [byChannel, bySource, byDevice, byBrowser, byOs, byInApp, byCountry, byReferrer] = await Promise.all([
    countClicksBy(clicks.channel),
    countClicksBy(clicks.source, "none"),
    countClicksBy(clicks.device),
    countClicksBy(clicks.browser),
    countClicksBy(clicks.os),
    countClicksBy(clicks.inApp, "none"),
    countClicksBy(clicks.country),
    countClicksBy(clicks.referrerHost, "none"),
  ]);

  return {
    clicks: { human: human?.n ?? 0, bot: bot?.n ?? 0 },
    unfurls: { total: unfurlTotal, byApp },
    byChannel,
    bySource,
    byDay: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)),
    byDevice,
    byBrowser,
    byOs,
    byInApp,
    byCountry,
    byReferrer,
  };
}
