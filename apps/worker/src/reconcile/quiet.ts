import { type Exec, selectAll } from "./sql.ts";

/** What attribution is computed from and incremental runs look for by `received_at`. */
const INPUT_TABLES = ["conversions", "survey_responses", "visits"] as const;

/** Per input table, the id of the row it stored last (null: none). Kept in `reconcile_state.latest_rows`. */
export type LatestRows = Record<(typeof INPUT_TABLES)[number], string | null>;

/**
 * The id of the row each input table stored last: the one with the highest rowid. SQLite gives a new row
 * a rowid above every row there is, and writers take turns, so any row committed after this read changes
 * it, whatever `received_at` it carries (a batch stamped before the last run's watermark but committed
 * after it included). Compared by id, not rowid: a deleted last row (visits are pruned) whose rowid a new
 * row takes again still shows. Read first in a run, so that every row these cover is visible to the
 * run's later queries. Each read is one step down the rowid b-tree.
 */
export async function readLatestRows(exec: Exec): Promise<LatestRows> {
  const latest = {} as LatestRows;
  for (const table of INPUT_TABLES) {
    const [row] = await selectAll(exec, `SELECT id FROM ${table} ORDER BY rowid DESC LIMIT 1`);
    latest[table] = row ? String(row.id) : null;
  }
  return latest;
}

/**
 * No row stored in any input table since `before` was read: an incremental run has nothing new to
 * redo, not even the overlap before its watermark (rows committed late change the latest rows too).
 * Unknown (`before` null: a state written before latest rows were kept) is never quiet.
 */
export function nothingStoredSince(before: LatestRows | null, now: LatestRows): boolean {
  return before !== null && INPUT_TABLES.every((table) => before[table] === now[table]);
}
