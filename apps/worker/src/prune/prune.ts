import type { Db } from "@lantern/db";
import { inWriteTransaction } from "../reconcile/run.ts";
import { readRetention, recordPruned } from "./retention.ts";

/**
 * The raw-event tables, each pruned by its `ts`. Conversions, survey answers, visitors, links,
 * attribution rows and roll-ups are the product's results and are never pruned.
 */
export const RAW_EVENT_TABLES = ["clicks", "unfurls", "bot_hits", "arrivals", "visits", "survey_views", "survey_skips"] as const;
export type RawEventTable = (typeof RAW_EVENT_TABLES)[number];

export interface PruneOptions {
  /** Clock (default Date.now()): events with `ts < now - retentionDays` are deleted. */
  now?: number;
  /** Rows per delete statement, one write transaction each (default 5,000). */
  batchSize?: number;
  log?: { info: (obj: object, msg?: string) => void };
}

export interface PruneResult {
  retentionDays: number;
  /** Raw events before this time were deleted. */
  cutoff: number;
  deleted: Record<RawEventTable, number>;
  ms: number;
}

/**
 * Deletes the raw events older than the retention setting, table by table, in batches of `batchSize`
 * rows: each batch is its own short write transaction queued behind the process's other writers
 * (inWriteTransaction), so ingestion and the other services' writers wait one batch at most.
 */
export async function pruneRawEvents(db: Db, options: PruneOptions = {}): Promise<PruneResult> {
  const started = performance.now();
  const now = options.now ?? Date.now();
  const batchSize = options.batchSize ?? 5_000;
  const { days, cutoff } = await readRetention(db.$client, now);
  // Recorded first, so that reconciliation knows what may be gone even if this run stops half-way.
  await inWriteTransaction(db, (tx) => recordPruned(tx, cutoff, now));
  const deleted = {} as Record<RawEventTable, number>;
  for (const table of RAW_EVENT_TABLES) deleted[table] = await deleteOlder(db, table, cutoff, batchSize);
  const result: PruneResult = { retentionDays: days, cutoff, deleted, ms: Math.round(performance.now() - started) };
  options.log?.info({ ...result }, "pruned raw events");
  return result;
}

/** Deletes the rows of `table` with `ts < cutoff`, at most `batchSize` per transaction; returns how many. */
async function deleteOlder(db: Db, table: RawEventTable, cutoff: number, batchSize: number): Promise<number> {
  const sql = `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ts < ? LIMIT ?)`;
  let total = 0;
  for (;;) {
    const n = await inWriteTransaction(db, async (tx) => (await tx.execute({ sql, args: [cutoff, batchSize] })).rowsAffected);
    total += n;
    if (n < batchSize) return total;
  }
}
