import { classifyVisit, visitSaysSomething } from "@lantern/core";
import { visits } from "@lantern/db/schema";
import type { VisitEvent } from "@lantern/queue";
import type { IngestContext } from "./context.ts";
import { insertNew, type Tx } from "./db.ts";

type VisitRow = typeof visits.$inferInsert;

export interface VisitsResult {
  /** Rows newly stored. */
  stored: number;
  /** Events that said nothing (no referrer but our own, no campaign parameters, no in-app browser): not stored. */
  dropped: number;
}

/**
 * Untagged visits (tracker.visit), classified by `classifyVisit` (a messaging app's in-app browser, else
 * referrer, campaign parameters on the page, another app's browser). Only those that say where the visitor
 * came from are stored: a visit that is "direct" adds nothing to a path. The event id is the key.
 */
export async function ingestVisits(tx: Tx, events: readonly VisitEvent[], ctx: IngestContext): Promise<VisitsResult> {
  const rows: VisitRow[] = [];
  for (const e of events) {
    const c = classifyVisit(e, ctx.ownHosts);
    if (visitSaysSomething(c)) rows.push({ id: e.id, ts: e.ts, receivedAt: ctx.now, visitorId: e.visitorId, page: e.page, ...c });
  }
  return { stored: await insertNew(tx, visits, rows), dropped: events.length - rows.length };
}
