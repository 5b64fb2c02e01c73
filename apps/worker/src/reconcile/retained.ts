import { type ConversionRecord, DAY_MS, dayStart, utcDay } from "@lantern/core";
import { type Exec, IN_LIST, selectPackedByKeys } from "./sql.ts";

/**
 * What a run may recompute when raw events (clicks, unfurls, arrivals, visits) before `retainedFrom`
 * may have been pruned (retention, apps/worker/src/prune). Roll-ups are rebuilt from `fromTs`, the
 * first whole UTC day of retained events (a roll-up day is either rebuilt or kept, never half).
 */
export interface Retained {
  retainedFrom: number;
  fromTs: number;
  fromDay: string;
  /** Conversions before this time have a look-back window reaching before `retainedFrom`. */
  reachFrom: number;
}

/** Everything is retained: every conversion and every roll-up day is recomputed. */
const EVERYTHING: Retained = { retainedFrom: Number.MIN_SAFE_INTEGER, fromTs: Number.MIN_SAFE_INTEGER, fromDay: "", reachFrom: Number.MIN_SAFE_INTEGER };

export function retained(retainedFrom: number | undefined, lookbackDays: number): Retained {
  if (retainedFrom === undefined) return EVERYTHING;
  const fromDay = utcDay(retainedFrom + DAY_MS - 1);
  const fromTs = dayStart(fromDay);
  return { retainedFrom, fromTs, fromDay, reachFrom: Math.max(fromTs, retainedFrom + lookbackDays * DAY_MS) };
}

/**
 * Splits conversions into those a run reconciles again (`redo`) and those whose attribution rows are
 * kept as they are (`kept`), because reconciling them again would lose evidence that is pruned:
 * conversions before the first retained day that have attribution rows, and later ones whose stored
 * path holds a click, arrival or visit from before `retainedFrom`. A conversion without attribution
 * rows has nothing to lose and is always redone. Order is kept.
 */
export async function splitSettled(exec: Exec, conversions: ConversionRecord[], r: Retained): Promise<{ redo: ConversionRecord[]; kept: ConversionRecord[] }> {
  const candidates = conversions.filter((c) => c.ts < r.reachFrom);
  if (candidates.length === 0) return { redo: conversions, kept: [] };
  const rows = await selectPackedByKeys(
    exec,
    candidates.map((c) => c.id),
    "a.conversion_id",
    // Qualified: inside the sub-query a bare `path` is json_each's own column of that name.
    `conversion_attribution AS a WHERE a.conversion_id IN ${IN_LIST} AND (a.ts < ? OR EXISTS (
      SELECT 1 FROM json_each(a.path, '$.touchpoints') AS tp WHERE tp.value->>'kind' IN ('click', 'arrival', 'visit') AND tp.value->>'ts' < ?))`,
    [],
    [r.fromTs, r.retainedFrom],
  );
  const settled = new Set(rows.map((row) => String(row[0])));
  return { redo: conversions.filter((c) => !settled.has(c.id)), kept: conversions.filter((c) => settled.has(c.id)) };
}
