import {
  attachResponses,
  buildIdentityIndex,
  DAY_MS,
  DEFAULT_LOOKBACK_DAYS,
  type ConversionRecord,
  type DarkTest,
  dayStart,
  defaultIsDark,
  type ReconcileResult,
  RULESET_VERSION,
  reconcileConversion,
  softwareTouchpoints,
  utcDay,
} from "@lantern/core";
import { type Db, serialiseWrites } from "@lantern/db";
import { allConversions, conversionLookup, conversionsByIds, loadDarkChannels, loadLinks, loadLooseAnswers, loadSlice } from "./load.ts";
import { type Exec, selectAll } from "./sql.ts";
import { touchedConversionIds } from "./touched.ts";
import { deleteOrphans, RollupTotals, refreshLinkActivity, writeResults } from "./write.ts";

export type ReconcileMode = "incremental" | "full";

export interface ReconcileOptions {
  /** incremental (default): only what changed since the watermark; full: everything, roll-ups rebuilt. */
  mode?: ReconcileMode;
  /** Clock for `reconciledAt` and the run's record (default Date.now()). */
  now?: number;
  lookbackDays?: number;
  /** Conversions per write transaction: other writers get the database between slices. */
  sliceSize?: number;
  /**
   * Rows received this long before the watermark are looked at again: a batch stamped just before the
   * last run but committed after it is not missed. Re-reconciling them is harmless (idempotent).
   */
  overlapMs?: number;
  /** Link activity (clicks, unfurls, re-shares) of this long before the last run is recounted. */
  linkOverlapMs?: number;
  maxChainHops?: number;
  log?: { info: (obj: object, msg?: string) => void; debug?: (obj: object, msg?: string) => void };
}

export interface ReconcileRunResult {
  mode: ReconcileMode;
  /** Conversions reconciled by this run. */
  conversions: number;
  ms: number;
  /** Latest `receivedAt` (conversions and answers) covered; the next incremental run starts here. */
  watermark: number;
  /** Latest click, unfurl or arrival time counted into link_daily. */
  linkWatermark: number;
}

const STATE_ATTRIBUTION = "attribution";
const STATE_LINKS = "links";

interface StateRow {
  watermark: number;
  rulesetVersion: string | null;
}

async function readState(exec: Exec): Promise<Map<string, StateRow>> {
  const rows = await selectAll(exec, "SELECT id, watermark, ruleset_version FROM reconcile_state");
  return new Map(rows.map((r) => [String(r.id), { watermark: Number(r.watermark), rulesetVersion: r.ruleset_version === null ? null : String(r.ruleset_version) }]));
}

async function maxOf(exec: Exec, sql: string): Promise<number> {
  const [row] = await selectAll(exec, sql);
  const v = row ? Object.values(row)[0] : null;
  return v === null || v === undefined ? 0 : Number(v);
}

const isBusy = (err: unknown) => /SQLITE_BUSY|database is locked/i.test(String((err as { code?: string })?.code ?? "") + String((err as Error)?.message ?? ""));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One write transaction, queued behind this process's other writers (serialiseWrites) and retried
 * while another process holds SQLite's write lock.
 */
export async function inWriteTransaction<T>(db: Db, fn: (tx: Exec) => Promise<T>): Promise<T> {
  return serialiseWrites(db, async () => {
    for (let attempt = 0; ; attempt++) {
      let tx: Awaited<ReturnType<Db["$client"]["transaction"]>> | undefined;
      try {
        tx = await db.$client.transaction("write");
        const out = await fn(tx);
        await tx.commit();
        return out;
      } catch (err) {
        if (!isBusy(err) || attempt >= 30) throw err;
        await sleep(Math.min(2_000, 25 * 2 ** attempt));
      } finally {
        tx?.close();
      }
    }
  });
}

/**
 * Reconciles conversions into attribution rows and keeps the roll-ups current.
 *
 * A full run (asked for, or the first run, or the rules changed: RULESET_VERSION) reconciles every
 * conversion and rebuilds the roll-ups. An incremental run reconciles what changed since the watermark
 * in `reconcile_state` (see touchedConversionIds) and moves the roll-ups by the difference.
 * Loading is set-based per slice of conversions; each slice is written in one transaction
 * (delete, then insert), so a run can be repeated and gives the same rows.
 */
export async function runReconcile(db: Db, options: ReconcileOptions = {}): Promise<ReconcileRunResult> {
  const started = performance.now();
  const client = db.$client;
  const now = options.now ?? Date.now();
  const lookbackDays = options.lookbackDays ?? DEFAULT_LOOKBACK_DAYS;
  const sliceSize = options.sliceSize ?? 2_000;
  const overlapMs = options.overlapMs ?? 120_000;
  const linkOverlapMs = options.linkOverlapMs ?? 6 * 3_600_000;
  const maxHops = options.maxChainHops ?? 10;

  const state = await readState(client);
  const attrState = state.get(STATE_ATTRIBUTION);
  const linkState = state.get(STATE_LINKS);
  const full = options.mode === "full" || attrState === undefined || attrState.rulesetVersion !== RULESET_VERSION;
  const mode: ReconcileMode = full ? "full" : "incremental";

  const received = Math.max(
    await maxOf(client, "SELECT max(received_at) FROM conversions"),
    await maxOf(client, "SELECT max(received_at) FROM survey_responses"),
  );
  const watermark = Math.max(received, attrState?.watermark ?? 0);
  const linkWatermark = Math.max(
    await maxOf(client, "SELECT max(ts) FROM clicks"),
    await maxOf(client, "SELECT max(ts) FROM unfurls"),
    await maxOf(client, "SELECT max(ts) FROM arrivals"),
  );

  const links = await loadLinks(client);
  const darkSet = await loadDarkChannels(client);
  const isDark: DarkTest = darkSet ? (c) => darkSet.has(c) : defaultIsDark;

  let conversions: ConversionRecord[];
  if (full) {
    conversions = await allConversions(client);
  } else {
    const ids = await touchedConversionIds(client, { from: attrState!.watermark - overlapMs, to: received, lookbackDays });
    conversions = (await conversionsByIds(client, ids)).sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
  }

  const loose = await loadLooseAnswers(client, full ? null : conversions);
  const nearAnswers = attachResponses(loose.candidates, loose.responses);
  const identity = { lookbackDays, maxChainHops: maxHops, isDark };
  const known = full ? conversionLookup(conversions) : undefined;

  const timing = { loadMs: 0, computeMs: 0, writeMs: 0 };
  // A full run rebuilds the roll-ups from its own results; an incremental one moves them by the difference.
  const totals = full ? new RollupTotals() : null;
  for (let i = 0; i < conversions.length; i += sliceSize) {
    const slice = conversions.slice(i, i + sliceSize);
    let mark = performance.now();
    const data = await loadSlice(client, slice, { lookbackDays, maxHops }, known);
    timing.loadMs += performance.now() - mark;
    mark = performance.now();
    const index = buildIdentityIndex(data);
    index.links = links;
    const ownAnswers = attachResponses(slice, data.responses);
    const results: ReconcileResult[] = slice.map((c) =>
      reconcileConversion({
        conversion: c,
        touchpoints: softwareTouchpoints(c, index, identity),
        response: ownAnswers.get(c.id) ?? nearAnswers.get(c.id) ?? null,
        isDark,
      }),
    );
    totals?.add(results);
    timing.computeMs += performance.now() - mark;
    mark = performance.now();
    await inWriteTransaction(db, (tx) => writeResults(tx, results, { now, rollupDelta: !full }));
    timing.writeMs += performance.now() - mark;
    options.log?.debug?.({ done: i + slice.length, of: conversions.length, ...timing }, "reconcile slice written");
  }

  const previousLinks = linkState?.watermark ?? null;
  await inWriteTransaction(db, async (tx) => {
    if (totals) {
      await deleteOrphans(tx);
      await totals.write(tx);
    } else if (linkWatermark > 0 && (previousLinks === null || linkWatermark > previousLinks)) {
      const fromDay = utcDay(Math.max(0, (previousLinks ?? 0) - linkOverlapMs));
      const toDay = utcDay(linkWatermark);
      await refreshLinkActivity(tx, dayStart(fromDay), dayStart(toDay) + DAY_MS, fromDay, toDay);
    }
    const ms = Math.round(performance.now() - started);
    const upsert = `INSERT INTO reconcile_state (id, watermark, last_run_at, last_run_ms, last_run_conversions, ruleset_version) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET watermark = excluded.watermark, last_run_at = excluded.last_run_at, last_run_ms = excluded.last_run_ms,
        last_run_conversions = excluded.last_run_conversions, ruleset_version = excluded.ruleset_version`;
    await tx.execute({ sql: upsert, args: [STATE_ATTRIBUTION, watermark, now, ms, conversions.length, RULESET_VERSION] });
    await tx.execute({ sql: upsert, args: [STATE_LINKS, Math.max(linkWatermark, previousLinks ?? 0), now, ms, conversions.length, RULESET_VERSION] });
  });

  const result: ReconcileRunResult = { mode, conversions: conversions.length, ms: Math.round(performance.now() - started), watermark, linkWatermark: Math.max(linkWatermark, previousLinks ?? 0) };
  options.log?.info({ ...result }, "reconciled");
  return result;
}
