import { type Exec, selectAll } from "./sql.ts";

/**
 * What attribution and link activity are computed from and incremental runs look for by `received_at`,
 * with each table's key. Clicks are the largest table: for them (and unfurls) only the latest rowid is read.
 */
const INPUT_TABLES = { conversions: "id", survey_responses: "id", visits: "id", arrivals: "id", visitors: "visitor_id", clicks: "id", unfurls: "id" } as const;
export type InputTable = keyof typeof INPUT_TABLES;

/**
 * Tables whose stored rows are changed and stamped again (`received_at`): a visitor's place in the share
 * graph (a landing that gives a known visitor its click or token, a click stored after its landing),
 * arrivals repaired by settleShareGraph, answers an admin relabelled (the surveys service's
 * answer-labels route), and conversions a later report of their order changed (settleConversions
 * in ingest/conversions.ts). Such a change adds no row, so their latest `received_at` counts too.
 *
 * An incremental run reads their spans even when their latest mark did not move (touched.ts): a restamp
 * stamped before the last run read the marks but committed after it (a batch that waited for the write
 * lock) moves neither the latest row nor the latest stamp, and shows nowhere else. A run that only clicks
 * made not quiet therefore still redoes the conversions of these tables' overlap (a few minutes' worth).
 */
export const RESTAMPED: ReadonlySet<InputTable> = new Set(["conversions", "arrivals", "visitors", "survey_responses"]);

/** Link events: they reach conversions by click id only (clicks) and count into link activity. */
export const LINK_EVENT_TABLES: ReadonlySet<InputTable> = new Set(["clicks", "unfurls"]);

/**
 * Per input table, the key of the row it stored last (null: none); for RESTAMPED tables followed by
 * `@` and their latest `received_at`. Kept in `reconcile_state.latest_rows`; compared, never parsed.
 */
export type LatestRows = Record<InputTable, string | null>;

/**
 * The key of the row each input table stored last: the one with the highest rowid. SQLite gives a new row
 * a rowid above every row there is, and writers take turns, so any row committed after this read changes
 * it, whatever `received_at` it carries (a batch stamped before the last run's watermark but committed
 * after it included). Compared by key, not rowid: a deleted last row (visits and arrivals are pruned)
 * whose rowid a new row takes again still shows. Read first in a run, so that every row these cover is
 * visible to the run's later queries. Each read is one step down a b-tree (the rowid's, or the
 * `received_at` index).
 *
 * A change of a stored conversion, visitor, arrival or answer shows only through the latest `received_at`: one stamped
 * before the last run read it but committed after that (a batch that waited for the write lock) is not
 * seen here. It is not lost: the run that takes in the next new row still covers it (its span starts at
 * the watermark less the overlap, and a quiet run leaves the watermark where it was).
 */
export async function readLatestRows(exec: Exec): Promise<LatestRows> {
  const latest = {} as LatestRows;
  for (const [table, key] of Object.entries(INPUT_TABLES) as [InputTable, string][]) {
    const [row] = await selectAll(exec, `SELECT ${key} AS k FROM ${table} ORDER BY rowid DESC LIMIT 1`);
    if (!row) {
      latest[table] = null;
      continue;
    }
    let mark = String(row.k);
    if (RESTAMPED.has(table)) {
      const [stamp] = await selectAll(exec, `SELECT max(received_at) AS at FROM ${table}`);
      mark += `@${Number(stamp?.at ?? 0)}`;
    }
    latest[table] = mark;
  }
  return latest;
}

/**
 * The input tables that stored a row since `before` was read (or, RESTAMPED, changed their latest stamp).
 * A table not among them has no row the last run did not see, late commits included: an incremental run
 * need not look at its span. Unknown (`before` null: a state written before latest rows were kept; or
 * a table not watched then: kept by an older release) counts as stored.
 */
export function tablesStoredSince(before: LatestRows | null, now: LatestRows): Set<InputTable> {
  const tables = Object.keys(INPUT_TABLES) as InputTable[];
  return new Set(before === null ? tables : tables.filter((table) => before[table] !== now[table]));
}

/**
 * No row stored in any input table since `before` was read: an incremental run has nothing new to
 * redo, not even the overlap before its watermark (rows committed late change the latest rows too).
 */
export function nothingStoredSince(before: LatestRows | null, now: LatestRows): boolean {
  return tablesStoredSince(before, now).size === 0;
}
