import { conversions } from "@lantern/db/schema";
import type { ConversionEvent } from "@lantern/queue";
import { sql } from "drizzle-orm";
import type { IngestContext } from "./context.ts";
import { insertNew, type Tx } from "./db.ts";

export type ConversionRow = typeof conversions.$inferInsert;

/**
 * Stores conversions from the tracker and the API. The event id is the primary key and the site's
 * order id (`externalId`) is unique, so a re-delivered event and a second report of the same order
 * store no second row: the first one received is kept (rows are inserted in the order they arrived),
 * and what the later report knows that it did not is added to it (fillConversionIdentity).
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
  await fillConversionIdentity(tx, rows, ctx.now);
  return stored;
}

/** What ties a conversion to its buyer's clicks, visits and answers. */
export type ConversionIdentity = Pick<ConversionRow, "externalId" | "lcid" | "visitorId" | "shareToken" | "respondentHash">;

/**
 * Later reports of an order already stored (the tracker's conversion, the API's, a survey answer's)
 * fill in what the stored row lacks: its click id, visitor, share token or respondent. Which report
 * reaches the worker first is chance (a spooled beacon, a retried webhook), so without this the
 * attribution would depend on it. A row that changes is stamped as received now: the next incremental
 * run redoes it. Value, time and type stay those of the first report. Several reports of one order in
 * one batch are merged first (SQLite's UPDATE … FROM applies one matching row per target row); an empty
 * string counts as unknown.
 */
export async function fillConversionIdentity(tx: Tx, reports: readonly ConversionIdentity[], now: number): Promise<void> {
  const known = reports.filter((r) => r.externalId && (r.lcid || r.visitorId || r.shareToken || r.respondentHash));
  if (known.length === 0) return;
  const json = JSON.stringify(known.map((r) => [r.externalId, r.lcid ?? null, r.visitorId ?? null, r.shareToken ?? null, r.respondentHash ?? null]));
  await tx.run(sql`
    UPDATE conversions SET
      lcid = coalesce(nullif(conversions.lcid, ''), n.lcid),
      visitor_id = coalesce(nullif(conversions.visitor_id, ''), n.visitor_id),
      share_token = coalesce(nullif(conversions.share_token, ''), n.share_token),
      respondent_hash = coalesce(nullif(conversions.respondent_hash, ''), n.respondent_hash),
      received_at = ${now}
    FROM (SELECT j.value->>0 AS external_id, max(nullif(j.value->>1, '')) AS lcid, max(nullif(j.value->>2, '')) AS visitor_id,
                 max(nullif(j.value->>3, '')) AS share_token, max(nullif(j.value->>4, '')) AS respondent_hash
          FROM json_each(${json}) AS j GROUP BY j.value->>0) AS n
    WHERE conversions.external_id = n.external_id
      AND ((nullif(conversions.lcid, '') IS NULL AND n.lcid IS NOT NULL) OR (nullif(conversions.visitor_id, '') IS NULL AND n.visitor_id IS NOT NULL)
        OR (nullif(conversions.share_token, '') IS NULL AND n.share_token IS NOT NULL)
        OR (nullif(conversions.respondent_hash, '') IS NULL AND n.respondent_hash IS NOT NULL))`);
}
