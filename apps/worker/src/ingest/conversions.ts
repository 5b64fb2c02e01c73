import { conversionReports, conversions } from "@lantern/db/schema";
import type { ConversionEvent } from "@lantern/queue";
import { type SQL, sql } from "drizzle-orm";
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
 * How reports of one order rank, best first: who made it (the site's server, rank 2, over lantern.js
 * and survey answers, rank 1); among the server's the latest (a correction), among the others the
 * earliest (they are public: a later beacon or answer naming the order must not take it over); then
 * the event id. `withValue` ranks a report that carries a value above one that does not.
 */
const rankOrder = (withValue: boolean) =>
  `r.rank DESC${withValue ? ", r.value IS NOT NULL DESC" : ""}, CASE WHEN r.rank >= 2 THEN -r.ts ELSE r.ts END, CASE WHEN r.rank >= 2 THEN NULL ELSE r.id END, r.id DESC`;

const IDS = ["lcid", "visitor_id", "share_token", "respondent_hash"] as const;

/**
 * Derives each order's stored conversion from all its reports, so that it does not depend on the order
 * they reached the worker in (a spooled beacon, a retried webhook, an answer before its order; decision
 * 009). With reports ranked as rankOrder says:
 * - type, value, currency and origin come from the best report, a report with a value before one without;
 * - the time is when that report says the conversion happened, else the earliest time any report gives
 *   (when it happened, or when it was made);
 * - each of the click id, visitor, share token and respondent comes from the best report that has one.
 * The row id stays that of the first report stored. A row that changes is stamped as received now, and
 * so are the conversions that shared an id it lost (their paths may have depended on it): the next
 * incremental run redoes them (reconcile/touched.ts). Values are read from the report's own columns,
 * never through JSON (which would round a REAL to 15 digits).
 */
export async function settleConversions(tx: Tx, externalIds: readonly string[], now: number): Promise<void> {
  if (externalIds.length === 0) return;
  const best = (column: string) =>
    `(SELECT r.${column} FROM conversion_reports AS r WHERE r.external_id = o.external_id AND r.${column} IS NOT NULL ORDER BY ${rankOrder(false)} LIMIT 1)`;
  // `n`: each order's row as its reports derive it.
  const derived = (statement: SQL) => sql`
    WITH o AS (SELECT DISTINCT j.value AS external_id FROM json_each(${JSON.stringify(externalIds)}) AS j),
    ${sql.raw(`d AS (
      SELECT o.external_id,
        (SELECT r.id FROM conversion_reports AS r WHERE r.external_id = o.external_id ORDER BY ${rankOrder(true)} LIMIT 1) AS top_id,
        (SELECT min(coalesce(r.occurred_at, r.ts)) FROM conversion_reports AS r WHERE r.external_id = o.external_id) AS first_seen,
        ${IDS.map((c) => `${best(c)} AS ${c}`).join(", ")}
      FROM o
    ),
    n AS (
      SELECT d.external_id, t.type, t.value, t.currency, coalesce(t.occurred_at, d.first_seen) AS ts, t.origin, ${IDS.map((c) => `d.${c}`).join(", ")}
      FROM d JOIN conversion_reports AS t ON t.id = d.top_id
    )`)}
    ${statement}`;
  const differs = sql.raw(`(conversions.type IS NOT n.type OR conversions.value IS NOT n.value OR conversions.currency IS NOT n.currency
      OR conversions.ts IS NOT n.ts OR conversions.origin IS NOT n.origin
      OR ${IDS.map((c) => `nullif(conversions.${c}, '') IS NOT n.${c}`).join(" OR ")})`);
  const lostId = (column: string) => sql.raw(`CASE WHEN nullif(conversions.${column}, '') IS NOT n.${column} THEN nullif(conversions.${column}, '') END`);

  // The ids the changing rows are about to lose: the conversions that share one are redone too.
  const lost = await tx.all<{ id: string; lcid: string | null; visitorId: string | null; shareToken: string | null; respondentHash: string | null }>(
    derived(sql`SELECT conversions.id, ${lostId("lcid")} AS lcid, ${lostId("visitor_id")} AS visitorId, ${lostId("share_token")} AS shareToken,
        ${lostId("respondent_hash")} AS respondentHash
      FROM conversions JOIN n ON conversions.external_id = n.external_id WHERE ${differs}`),
  );
  if (lost.length === 0) return;
  await tx.run(
    derived(sql`UPDATE conversions SET type = n.type, value = n.value, currency = n.currency, ts = n.ts, origin = n.origin,
      lcid = n.lcid, visitor_id = n.visitor_id, share_token = n.share_token, respondent_hash = n.respondent_hash, received_at = ${now}
      FROM n WHERE conversions.external_id = n.external_id AND ${differs}`),
  );
  const keys = JSON.stringify({
    lcid: distinct(lost.map((l) => l.lcid)),
    visitor: distinct(lost.map((l) => l.visitorId)),
    token: distinct(lost.map((l) => l.shareToken)),
    respondent: distinct(lost.map((l) => l.respondentHash)),
  });
  await tx.run(sql`
    UPDATE conversions SET received_at = ${now}
    WHERE received_at <> ${now} AND (
      lcid IN (SELECT value FROM json_each(${keys}, '$.lcid'))
      OR visitor_id IN (SELECT value FROM json_each(${keys}, '$.visitor'))
      OR share_token IN (SELECT value FROM json_each(${keys}, '$.token'))
      OR respondent_hash IN (SELECT value FROM json_each(${keys}, '$.respondent')))`);
}
