import { DAY_MS, PRIVACY_SETTINGS_KEY, PRUNED_SETTINGS_KEY, retentionDaysOf } from "@lantern/core";
import { type Exec, selectAll } from "../reconcile/sql.ts";


async function readSetting(exec: Exec, key: string): Promise<unknown> {
  const [row] = await selectAll(exec, "SELECT value FROM settings WHERE key = ?", [key]);
  try {
    return row ? JSON.parse(String(row.value)) : undefined;
  } catch {
    return undefined;
  }
}

/** The retention setting as the admin server stores it (`privacy.retentionDays`, 395 when unset) and the cutoff it gives at `now`. */
export async function readRetention(exec: Exec, now: number): Promise<{ days: number; cutoff: number }> {
  const days = retentionDaysOf(await readSetting(exec, PRIVACY_SETTINGS_KEY));
  return { days, cutoff: now - days * DAY_MS };
}

/** The latest cutoff a prune has deleted up to (0: none yet). */
async function prunedBefore(exec: Exec): Promise<number> {
  const before = (await readSetting(exec, PRUNED_SETTINGS_KEY)) as { before?: unknown } | undefined;
  return typeof before?.before === "number" ? before.before : 0;
}

/** Records that raw events before `cutoff` are deleted (before deleting them). Never moves back: what is gone stays gone. */
export async function recordPruned(tx: Exec, cutoff: number, now: number): Promise<void> {
  const before = Math.max(cutoff, await prunedBefore(tx));
  await tx.execute({
    sql: "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    args: [PRUNED_SETTINGS_KEY, JSON.stringify({ before }), now],
  });
}

/**
 * Raw events from this time on are all still stored, as far as reconciliation may assume: the retention
 * cutoff at `now`, or the furthest a prune has deleted when that is later (retention lengthened after a
 * prune: the events it deleted do not come back).
 */
export async function retainedFrom(exec: Exec, now: number): Promise<number> {
  return Math.max((await readRetention(exec, now)).cutoff, await prunedBefore(exec));
}
