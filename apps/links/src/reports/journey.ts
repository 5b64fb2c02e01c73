import type { Db } from "@lantern/db";
import type { Journey } from "@lantern/core/journey";
import { type SQL, sql } from "drizzle-orm";

type Counts = Record<string, number>;

export interface JourneyRange {
  /** Inclusive, epoch ms. */
  from?: number;
  /** Exclusive, epoch ms. */
  to?: number;
}

/**
 * The journey of one link, from the rows the worker wrote: previews drawn by chat apps (unfurls) ->
 * human clicks -> visitors landing through a click (lantern.js with lcid) -> copy-paste re-shares
 * (arrivals through a share token, by generation) -> conversions tied to the link's share tree.
 *
 * Each stage is filtered by its own time (unfurl, click and arrival time, the visitor's first visit,
 * the conversion time). A conversion belongs to the link when its click id is a click of the link, or
 * its visitor is in the link's share tree (visitors.link_id, any time), or its share token belongs to a
 * visitor of the tree.
 */
export async function linkJourney(db: Db, linkId: string, range: JourneyRange): Promise<Journey> {
  const within = (column: SQL): SQL => {
    const parts: SQL[] = [sql`1 = 1`];
    if (range.from !== undefined) parts.push(sql`${column} >= ${range.from}`);
    if (range.to !== undefined) parts.push(sql`${column} < ${range.to}`);
    return sql.join(parts, sql` AND `);
  };

  const [unfurlRows, clickRows, reshareRows, visitorRows, conversionRows] = await Promise.all([
    db.all<{ app: string; n: number }>(sql`
      SELECT app, count(*) AS n FROM unfurls WHERE link_id = ${linkId} AND ${within(sql`ts`)} GROUP BY app`),
    db.all<{ n: number }>(sql`SELECT count(*) AS n FROM clicks WHERE link_id = ${linkId} AND ${within(sql`ts`)}`),
    // One row per re-share (arriving visitor x token); a visitor opening the same shared URL twice is one.
    db.all<{ generation: number; dark: number; n: number }>(sql`
      SELECT generation, dark, count(*) AS n FROM (
        SELECT min(generation) AS generation, max(dark) AS dark FROM arrivals
        WHERE link_id = ${linkId} AND ${within(sql`ts`)}
        GROUP BY visitor_id, share_token
      ) GROUP BY generation, dark`),
    db.all<{ landing: number; arrived: number; total: number }>(sql`
      WITH landed AS (
        SELECT visitor_id FROM visitors
        WHERE link_id = ${linkId} AND generation = 0 AND lcid IS NOT NULL AND ${within(sql`first_seen`)}
      ), arrived AS (
        SELECT DISTINCT visitor_id FROM arrivals WHERE link_id = ${linkId} AND ${within(sql`ts`)}
      )
      SELECT (SELECT count(*) FROM landed) AS landing, (SELECT count(*) FROM arrived) AS arrived,
        (SELECT count(*) FROM (SELECT visitor_id FROM landed UNION SELECT visitor_id FROM arrived)) AS total`),
    // The converting visitor's generation: its own row; else, with no visitor id, the owner of its token
    // (the tracker reports the visitor's own token); else the token's owner is the sharer (one more hop);
    // else only the click id ties it: generation 0.
    db.all<{ generation: number; type: string; currency: string | null; n: number; value: number | null }>(sql`
      WITH tree AS (
        SELECT visitor_id, share_token, generation FROM visitors WHERE link_id = ${linkId}
      )
      SELECT
        CASE
          WHEN v.visitor_id IS NOT NULL THEN v.generation
          WHEN o.visitor_id IS NOT NULL AND c.visitor_id IS NULL THEN o.generation
          WHEN o.visitor_id IS NOT NULL THEN o.generation + 1
          ELSE 0
        END AS generation,
        c.type AS type, c.currency AS currency, count(*) AS n, sum(c.value) AS value
      FROM conversions c
      LEFT JOIN tree v ON v.visitor_id = c.visitor_id
      LEFT JOIN tree o ON o.share_token = c.share_token
      WHERE ${within(sql`c.ts`)} AND (
        v.visitor_id IS NOT NULL
        OR o.visitor_id IS NOT NULL
        OR c.lcid IN (SELECT id FROM clicks WHERE link_id = ${linkId})
      )
      GROUP BY 1, c.type, c.currency`),
  ]);

  const byApp: Counts = {};
  let unfurlTotal = 0;
  for (const r of unfurlRows) {
    byApp[r.app] = r.n;
    unfurlTotal += r.n;
  }

  const byGeneration: Counts = {};
  let reshares = 0;
  let dark = 0;
  for (const r of reshareRows) {
    const key = String(r.generation);
    byGeneration[key] = (byGeneration[key] ?? 0) + r.n;
    reshares += r.n;
    if (r.dark) dark += r.n;
  }

  const conversions: Journey["conversions"] = { total: 0, byGeneration: {}, byType: {}, value: {} };
  for (const r of conversionRows) {
    conversions.total += r.n;
    const gen = String(r.generation);
    conversions.byGeneration[gen] = (conversions.byGeneration[gen] ?? 0) + r.n;
    conversions.byType[r.type] = (conversions.byType[r.type] ?? 0) + r.n;
    if (r.value !== null) {
      const currency = r.currency ?? "unknown";
      conversions.value[currency] = (conversions.value[currency] ?? 0) + r.value;
    }
  }

  const visitors = visitorRows[0]?.total ?? 0;
  return {
    unfurls: { total: unfurlTotal, byApp },
    clicks: { human: clickRows[0]?.n ?? 0 },
    landingVisitors: visitorRows[0]?.landing ?? 0,
    reshares: { total: reshares, dark, visitors: visitorRows[0]?.arrived ?? 0, byGeneration },
    visitors,
    resharesPerVisitor: visitors === 0 ? null : reshares / visitors,
    conversions,
  };
}
