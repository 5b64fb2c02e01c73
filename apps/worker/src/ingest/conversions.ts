import { conversions } from "@lantern/db/schema";
import type { ConversionEvent } from "@lantern/queue";
import type { IngestContext } from "./context.ts";
import { insertNew, type Tx } from "./db.ts";

export type ConversionRow = typeof conversions.$inferInsert;

/**
 * Stores conversions from the tracker and the API. The event id is the primary key and the site's
 * order id (`externalId`) is unique, so a re-delivered event and a second report of the same order
 * are both no-ops: the first one received is kept (rows are inserted in the order they arrived).
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
  return insertNew(tx, conversions, rows);
}
