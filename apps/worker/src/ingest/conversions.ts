import { conversionReports, conversions } from "@lantern/db/schema";
import type { ConversionEvent } from "@lantern/queue";
import { sql } from "drizzle-orm";
import type { IngestContext } from "./context.ts";
import { distinct, insertNew, type Tx } from "./db.ts";

export type ConversionRow = typeof conversions.$inferInsert;
export type ConversionReport = typeof conversionReports.$inferInsert;

/** Who reported an order ranks its report: the site's own server over lantern.js and survey answers. */
const RANK: Record<string, number> = { api: 2, tracker: 1, survey: 1 };

/** A report of an order (null without an order id: such a conversion stands alone). Empty ids count as unknown. */
export function conversionReport(
  eventId: string,
  ts: number,
  origin: string,
  c: { type: string; value: number | null; currency: string | null; externalId: string | null; occurredAt: number | null },
  ids: Pick<ConversionRow, "lcid" | "visitorId" | "shareToken" | "respondentHash">,
): ConversionReport | null {
  if (!c.externalId) return null;
  return {
    id: eventId,
    externalId: c.externalId,
    rank: RANK[origin] ?? 1,
    ts,
    occurredAt: c.occurredAt,
    type: c.type,
    value: c.value,
    currency: c.currency,
    lcid: ids.lcid || null,
    visitorId: ids.visitorId || null,
    shareToken: ids.shareToken || null,
    respondentHash: ids.respondentHash || null,
    origin,
  };
}

/**
 * Stores conversions from the tracker and the API. The event id is the primary key and the site's
 * order id (`externalId`) is unique, so a re-delivered event and a second report of the same order
 * store no second row; every report of an order is kept (conversion_reports) and the order's row is
 * derived from all of them (settleConversions), whichever came first.
 */
export async function ingestConversions(tx: Tx, events: readonly ConversionEvent[], ctx: IngestContext): Promise<number> {
  const rows: ConversionRow[] = events.map((e) => ({
    id: e.id,
    externalId: e.conversion.externalId,
    ts: e.conversion.occurredAt ?? e.ts,
    receivedAt: ctx.now,
    type: e.conversion.type,
    value: e.conversion.value,
    currency: e.conversion.currency,
    lcid: e.lcid,
    visitorId: e.visitorId,
    shareToken: e.shareToken,
    respondentHash: e.respondentHash,
    origin: e.origin,
  }));
  const stored = await insertNew(tx, conversions, rows);
  await recordReports(
    tx,
    events.map((e) => conversionReport(e.id, e.ts, e.origin, e.conversion, e)),
    ctx.now,
  );
  return stored;
}

/**
 * Stores the reports (once per event id) and derives again the rows of the orders that now have more
 * than one. An order with a single report has the row that report stored (every stored order has its
 * reports: migration 0011 gave the older ones theirs), so the common case costs one indexed count.
 */
export async function recordReports(tx: Tx, reports: readonly (ConversionReport | null)[], now: number): Promise<void> {
  const known = reports.filter((r): r is ConversionReport => r !== null);
  if (known.length === 0) return;
  await insertNew(tx, conversionReports, known);
  const orders = await tx.all<{ externalId: string }>(sql`
    SELECT r.external_id AS externalId FROM conversion_reports AS r
    WHERE r.external_id IN (SELECT j.value FROM json_each(${JSON.stringify(distinct(known.map((r) => r.externalId)))}) AS j)
    GROUP BY r.external_id HAVING count(*) > 1`);
  await settleConversions(
    tx,
    orders.map((o) => o.externalId),
    now,
  );
}

/**
 * Derives each order's stored conversion from all its reports, so that it does not depend on the order
 * they reached the worker in (a spooled beacon, a retried webhook, an answer before its order; decision
 * 009). A report ranks by who made it (the site's server over lantern.js and survey answers), then by
 * carrying a value, then by when it was made (a later report corrects an earlier one), then by id:
 * - type, value, currency and origin come from the highest-ranking report;
 * - the time is when that report says the conversion happened, else the earliest time any report
 *   gives (when it happened, or when it was made);
 * - each of the click id, visitor, share token and respondent comes from the highest-ranking report
 *   that has one (ignoring the value).
 * The row id stays that of the first report stored. A row that changes is stamped as received now: the
 * next incremental run redoes it (reconcile/touched.ts).
 */
export async function settleConversions(tx: Tx, externalIds: readonly string[], now: number): Promise<void> {
  if (externalIds.length === 0) return;
  const latestWith = (column: string) =>
    sql.raw(`(SELECT r.${column} FROM conversion_reports AS r WHERE r.external_id = o.external_id AND r.${column} IS NOT NULL
      ORDER BY r.rank DESC, r.ts DESC, r.id DESC LIMIT 1)`);
  await tx.run(sql`
    WITH o AS (SELECT DISTINCT j.value AS external_id FROM json_each(${JSON.stringify(externalIds)}) AS j),
    d AS (
      SELECT o.external_id,
        (SELECT json_array(r.type, r.value, r.currency, r.occurred_at, r.origin) FROM conversion_reports AS r
         WHERE r.external_id = o.external_id ORDER BY r.rank DESC, r.value IS NOT NULL DESC, r.ts DESC, r.id DESC LIMIT 1) AS top,
        (SELECT min(coalesce(r.occurred_at, r.ts)) FROM conversion_reports AS r WHERE r.external_id = o.external_id) AS first_seen,
        ${latestWith("lcid")} AS lcid, ${latestWith("visitor_id")} AS visitor_id,
        ${latestWith("share_token")} AS share_token, ${latestWith("respondent_hash")} AS respondent_hash
      FROM o
    ),
    n AS (
      SELECT external_id, top->>0 AS type, top->>1 AS value, top->>2 AS currency, coalesce(top->>3, first_seen) AS ts, top->>4 AS origin,
        lcid, visitor_id, share_token, respondent_hash
      FROM d WHERE top IS NOT NULL
    )
    UPDATE conversions SET type = n.type, value = n.value, currency = n.currency, ts = n.ts, origin = n.origin,
      lcid = n.lcid, visitor_id = n.visitor_id, share_token = n.share_token, respondent_hash = n.respondent_hash, received_at = ${now}
    FROM n
    WHERE conversions.external_id = n.external_id
      AND (conversions.type IS NOT n.type OR conversions.value IS NOT n.value OR conversions.currency IS NOT n.currency OR conversions.ts IS NOT n.ts
        OR conversions.origin IS NOT n.origin OR nullif(conversions.lcid, '') IS NOT n.lcid OR nullif(conversions.visitor_id, '') IS NOT n.visitor_id
        OR nullif(conversions.share_token, '') IS NOT n.share_token OR nullif(conversions.respondent_hash, '') IS NOT n.respondent_hash)`);
}
