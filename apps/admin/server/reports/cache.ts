import { sql } from "drizzle-orm";
import type { Db } from "@lantern/db";

/**
 * A short-lived cache of report results. Reports are built from the reconciler's tables, which
 * change only when a reconcile run finishes, so an entry is keyed by the reconciler's last run and
 * dropped after `ttlMs` (the few raw counts, survey answers and views, may lag that long). A
 * dashboard that several people keep open, or reloads, then costs one query per run.
 */
export function createReportCache(options: { ttlMs: number; maxEntries: number; now: () => number }) {
  const entries = new Map<string, { until: number; value: Promise<unknown> }>();
  return {
    async get<T>(key: string, build: () => Promise<T>): Promise<T> {
      const now = options.now();
      const hit = entries.get(key);
      if (hit && hit.until > now) return hit.value as Promise<T>;
      const value = build();
      entries.delete(key);
      entries.set(key, { until: now + options.ttlMs, value });
      // A failed build is not kept.
      value.catch(() => entries.delete(key));
      if (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
      return value;
    },
  };
}

export type ReportCache = ReturnType<typeof createReportCache>;

/** What changes when the reconciler writes: its last run and watermark. */
export async function reconcileStamp(db: Db): Promise<string> {
  const rows = await db.all<{ s: string | null }>(sql`SELECT group_concat(id || ':' || coalesce(last_run_at, '') || ':' || watermark) AS s FROM reconcile_state`);
  return rows[0]?.s ?? "";
}
