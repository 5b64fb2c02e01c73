import {
  attachResponses,
  buildIdentityIndex,
  DAY_MS,
  DEFAULT_LOOKBACK_DAYS,
  type ConversionRecord,
  type DarkTest,
  type LinkRecord,
  defaultIsDark,
  type ReconcileResult,
  RULESET_VERSION,
  reconcileConversion,
  softwareTouchpoints,
  utcDay,
} from "@lantern/core";
import { type Db, serialiseWrites } from "@lantern/db";
import { allConversions, type ConversionLookup, conversionLookup, conversionsByIds, loadDarkChannels, loadLinks, loadLooseAnswers, loadSlice } from "./load.ts";
import { type InputTable, LINK_EVENT_TABLES, type LatestRows, readLatestRows, tablesStoredSince } from "./quiet.ts";
import { type Exec, selectAll, sqlDayNumber } from "./sql.ts";
import { type Retained, retained, splitSettled } from "./retained.ts";
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
  /**
   * Raw events (clicks, unfurls, arrivals, visits) from this time on are all stored; older ones may have
   * been pruned (retention, apps/worker/src/prune). Roll-ups are then rebuilt and link activity recounted
   * only from the first whole UTC day after it, and conversions keep their attribution rows when
   * reconciling them again would lose pruned evidence (see splitSettled). Unset: everything is stored,
   * everything is recomputed.
   */
  retainedFrom?: number;
  log?: { info: (obj: object, msg?: string) => void; debug?: (obj: object, msg?: string) => void };
}

export interface ReconcileRunResult {
  mode: ReconcileMode;
  /** Conversions reconciled by this run. */
  conversions: number;
  /**
   * An incremental run that found no row stored in conversions, survey_responses, visits, arrivals,
   * visitors, clicks or unfurls since the last run (quiet.ts): it redid no conversion. With no new link
   * activity either it wrote nothing at all.
   */
  quiet: boolean;
  ms: number;
  /** Latest `receivedAt` (conversions, answers, visits, arrivals, visitors, clicks, unfurls) covered; the next incremental run starts here. */
  watermark: number;
  /** Latest click, unfurl or arrival time counted into link_daily. */
  linkWatermark: number;
}

const STATE_ATTRIBUTION = "attribution";
const STATE_LINKS = "links";

interface StateRow {
  watermark: number;
  rulesetVersion: string | null;
  latestRows: LatestRows | null;
}

async function readState(exec: Exec): Promise<Map<string, StateRow>> {
  const rows = await selectAll(exec, "SELECT id, watermark, ruleset_version, latest_rows FROM reconcile_state");
  return new Map(
    rows.map((r) => [
      String(r.id),
      {
        watermark: Number(r.watermark),
        rulesetVersion: r.ruleset_version === null ? null : String(r.ruleset_version),
        latestRows: r.latest_rows === null ? null : (JSON.parse(String(r.latest_rows)) as LatestRows),
      },
    ]),
  );
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
 * With `retainedFrom` (raw events before it may be pruned), neither kind of run touches what the
 * remaining raw events can no longer support: see ReconcileOptions.retainedFrom.
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

  // First: every row these cover is then visible to the queries below (see readLatestRows).
  const latestRows = await readLatestRows(client);
  const state = await readState(client);
  const attrState = state.get(STATE_ATTRIBUTION);
  const linkState = state.get(STATE_LINKS);
  const full = options.mode === "full" || attrState === undefined || attrState.rulesetVersion !== RULESET_VERSION;
  const mode: ReconcileMode = full ? "full" : "incremental";
  const stored = tablesStoredSince(attrState?.latestRows ?? null, latestRows);
  const quiet = !full && stored.size === 0;
  // Only clicks or unfurls stored since: the run reads their spans (and the restamped tables'), not the
  // overlap of the other tables, which hold nothing new (clicks come in all day; conversions need not).
  const tables = [...stored].every((table) => LINK_EVENT_TABLES.has(table)) ? stored : undefined;

  const received = Math.max(
    await maxOf(client, "SELECT max(received_at) FROM conversions"),
    await maxOf(client, "SELECT max(received_at) FROM survey_responses"),
    await maxOf(client, "SELECT max(received_at) FROM visits"),
    await maxOf(client, "SELECT max(received_at) FROM arrivals"),
    await maxOf(client, "SELECT max(received_at) FROM visitors"),
    await maxOf(client, "SELECT max(received_at) FROM clicks"),
    await maxOf(client, "SELECT max(received_at) FROM unfurls"),
  );
  const watermark = Math.max(received, attrState?.watermark ?? 0);
  const linkWatermark = Math.max(
    await maxOf(client, "SELECT max(ts) FROM clicks"),
    await maxOf(client, "SELECT max(ts) FROM unfurls"),
    await maxOf(client, "SELECT max(ts) FROM arrivals"),
  );
  const previousLinks = linkState?.watermark ?? null;
  const linkMark = Math.max(linkWatermark, previousLinks ?? 0);
  const newLinkActivity = linkWatermark > 0 && (previousLinks === null || linkWatermark > previousLinks);

  if (quiet && !newLinkActivity) {
    // Nothing to redo and nothing to recount: no write, so reconcile_state (and the admin's report
    // cache keyed by its last run) stays as the last run that changed something left it.
    const result: ReconcileRunResult = { mode, conversions: 0, quiet, ms: Math.round(performance.now() - started), watermark, linkWatermark: linkMark };
    options.log?.info({ ...result }, "reconciled");
    return result;
  }

  const links = await loadLinks(client);
  const darkSet = await loadDarkChannels(client);
  const isDark: DarkTest = darkSet ? (c) => darkSet.has(c) : defaultIsDark;

  const common: RunContext = { db, now, lookbackDays, maxHops, sliceSize, links, isDark, retained: retained(options.retainedFrom, lookbackDays), log: options.log };
  const writeState = async (tx: Exec, count: number) => {
    const ms = Math.round(performance.now() - started);
    const upsert = `INSERT INTO reconcile_state (id, watermark, last_run_at, last_run_ms, last_run_conversions, ruleset_version, latest_rows) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET watermark = excluded.watermark, last_run_at = excluded.last_run_at, last_run_ms = excluded.last_run_ms,
        last_run_conversions = excluded.last_run_conversions, ruleset_version = excluded.ruleset_version, latest_rows = excluded.latest_rows`;
    await tx.execute({ sql: upsert, args: [STATE_ATTRIBUTION, watermark, now, ms, count, RULESET_VERSION, JSON.stringify(latestRows)] });
    await tx.execute({ sql: upsert, args: [STATE_LINKS, linkMark, now, ms, count, RULESET_VERSION, null] });
  };

  const count = await withRunCache(client, () =>
    full
      ? runFull(common, writeState)
      : runIncremental(
          common,
          // A quiet run's span is empty: nothing was stored since the last run, late commits included.
          quiet ? null : { from: attrState!.watermark - overlapMs, to: received, tables },
          { previous: previousLinks, latest: linkWatermark, overlapMs: linkOverlapMs },
          writeState,
        ),
  );

  const result: ReconcileRunResult = { mode, conversions: count, quiet, ms: Math.round(performance.now() - started), watermark, linkWatermark: linkMark };
  options.log?.info({ ...result }, "reconciled");
  return result;
}

/** Page cache (KiB) of the run's connection. */
const RUN_CACHE_KIB = 131_072;

interface RunContext {
  db: Db;
  now: number;
  lookbackDays: number;
  maxHops: number;
  sliceSize: number;
  links: Map<string, LinkRecord>;
  isDark: DarkTest;
  /** What the retained raw events support (everything without `retainedFrom`). */
  retained: Retained;
  log: ReconcileOptions["log"];
}

/**
 * Loads, reconciles and hands over the conversions slice by slice. Answers without a conversion id
 * are tied once for all slices (with every conversion they could belong to in view).
 * `write` gets a transaction per slice; `written` hears of each slice once it is committed.
 */
async function runSlices(
  ctx: RunContext,
  exec: Exec,
  conversions: readonly ConversionRecord[],
  known: ConversionLookup | null,
  write: (tx: Exec, results: ReconcileResult[]) => Promise<void>,
  written?: (results: ReconcileResult[]) => void,
): Promise<void> {
  const loose = await loadLooseAnswers(exec, known ? null : conversions);
  const nearAnswers = attachResponses(loose.candidates, loose.responses);
  const identity = { lookbackDays: ctx.lookbackDays, maxChainHops: ctx.maxHops, isDark: ctx.isDark };
  const timing = { loadMs: 0, computeMs: 0, writeMs: 0 };
  for (let i = 0; i < conversions.length; i += ctx.sliceSize) {
    const slice = conversions.slice(i, i + ctx.sliceSize);
    let mark = performance.now();
    const data = await loadSlice(exec, slice, { lookbackDays: ctx.lookbackDays, maxHops: ctx.maxHops }, known ?? undefined);
    timing.loadMs += performance.now() - mark;
    mark = performance.now();
    const index = buildIdentityIndex(data);
    index.links = ctx.links;
    const ownAnswers = attachResponses(slice, data.responses);
    const results: ReconcileResult[] = slice.map((c) =>
      reconcileConversion({
        conversion: c,
        touchpoints: softwareTouchpoints(c, index, identity),
        response: ownAnswers.get(c.id) ?? nearAnswers.get(c.id) ?? null,
        isDark: ctx.isDark,
      }),
    );
    timing.computeMs += performance.now() - mark;
    mark = performance.now();
    await inWriteTransaction(ctx.db, (tx) => write(tx, results));
    written?.(results);
    timing.writeMs += performance.now() - mark;
    ctx.log?.debug?.({ done: i + slice.length, of: conversions.length, ...timing }, "reconcile slice written");
  }
}

/**
 * A full run: every conversion, in id order (inserts then append to the primary-key indexes instead of
 * landing all over them), one transaction per slice so that other writers get their turn; the roll-ups
 * are then replaced by totals kept in memory, with the rows of vanished conversions, in one last transaction.
 * With retention (ctx.retained), only the roll-up days from the first retained day on are replaced (the
 * kept conversions of those days counted as stored); conversions before it that had no attribution yet
 * move the older days' roll-ups by the difference.
 */
async function runFull(ctx: RunContext, writeState: (tx: Exec, count: number) => Promise<void>): Promise<number> {
  const client = ctx.db.$client;
  const all = await allConversions(client);
  const { fromTs } = ctx.retained;
  const { redo, kept } = await splitSettled(client, all, ctx.retained);
  const known = conversionLookup(all);
  const totals = new RollupTotals();
  const rebuilt = redo.filter((c) => c.ts >= fromTs);
  await runSlices(ctx, client, rebuilt, known, (tx, results) => writeResults(tx, results, { now: ctx.now, rollupDelta: false }), (results) => totals.add(results));
  const older = redo.filter((c) => c.ts < fromTs);
  if (older.length > 0) await runSlices(ctx, client, older, known, (tx, results) => writeResults(tx, results, { now: ctx.now, rollupDelta: true }));
  await inWriteTransaction(ctx.db, async (tx) => {
    await deleteOrphans(tx, fromTs);
    await totals.write(tx, ctx.retained, kept.filter((c) => c.ts >= fromTs).map((c) => c.id));
    await writeState(tx, redo.length);
  });
  return redo.length;
}

/**
 * An incremental run: the conversions touched in `span` (touchedConversionIds; none when it is null;
 * with retention, not those whose attribution rows are kept, see splitSettled), written slice by slice
 * with the roll-ups moved by the difference; then link activity recounted for the days since the last
 * run's latest click, unfurl or arrival, and for the days of the clicks, unfurls and arrivals stored (or,
 * arrivals, repaired) in `span` (replayed late, a late re-share, or one that got its link later; with
 * retention, not before the first retained day).
 */
async function runIncremental(
  ctx: RunContext,
  span: { from: number; to: number; tables: ReadonlySet<InputTable> | undefined } | null,
  linkActivity: { previous: number | null; latest: number; overlapMs: number },
  writeState: (tx: Exec, count: number) => Promise<void>,
): Promise<number> {
  const client = ctx.db.$client;
  const ids = span ? await touchedConversionIds(client, { ...span, lookbackDays: ctx.lookbackDays, maxChainHops: ctx.maxHops }) : new Set<string>();
  const touched = (await conversionsByIds(client, ids)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const conversions = (await splitSettled(client, touched, ctx.retained)).redo;
  await runSlices(ctx, client, conversions, null, (tx, results) => writeResults(tx, results, { now: ctx.now, rollupDelta: true }));
  const days = span ? await daysOfStoredLinkActivity(client, span) : [];
  await inWriteTransaction(ctx.db, async (tx) => {
    const { previous, latest, overlapMs } = linkActivity;
    if (latest > 0 && (previous === null || latest > previous)) {
      const from = dayNumber(Math.max(0, (previous ?? 0) - overlapMs));
      for (let d = from; d <= dayNumber(latest); d++) days.push(d);
    }
    // Never a day older than the retained events: its counts are kept, not recounted from what is left.
    for (const [first, last] of dayRuns(days.filter((d) => d * DAY_MS >= ctx.retained.fromTs))) {
      await refreshLinkActivity(tx, first * DAY_MS, (last + 1) * DAY_MS, utcDay(first * DAY_MS), utcDay(last * DAY_MS));
    }
    await writeState(tx, conversions.length);
  });
  return conversions.length;
}

/** UTC day number (days since 1970) of an epoch-ms time, as sqlDayNumber. */
const dayNumber = (ts: number) => Math.floor(ts / DAY_MS);

/**
 * The UTC days (numbers) of the clicks and unfurls stored (replayed late by the links service) and of the
 * re-shares stored or repaired (settleShareGraph: sharer or link found later) in (from, to]: their days'
 * link activity changed, however long ago they happened. Clicks and unfurls only when they stored a row
 * since the last run (`tables`, all when unset); each is a range of its `received_at` index.
 */
async function daysOfStoredLinkActivity(exec: Exec, span: { from: number; to: number; tables: ReadonlySet<InputTable> | undefined }): Promise<number[]> {
  const days: number[] = [];
  for (const table of ["arrivals", "clicks", "unfurls"] as const) {
    if (table !== "arrivals" && span.tables && !span.tables.has(table)) continue;
    const rows = await selectAll(exec, `SELECT DISTINCT ${sqlDayNumber("ts")} AS d FROM ${table} WHERE received_at > ? AND received_at <= ?`, [span.from, span.to]);
    for (const r of rows) days.push(Number(r.d));
  }
  return days;
}

/** Distinct day numbers as runs of consecutive days, [first, last] each, in order. */
function dayRuns(days: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const d of [...new Set(days)].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last && d === last[1] + 1) last[1] = d;
    else runs.push([d, d]);
  }
  return runs;
}

/**
 * A bigger page cache for the connection the run mostly gets from the pool (it hands back the last one
 * returned): the indexes and paths a run walks do not fit SQLite's default 2 MB. Best effort; restored
 * after. Only for an embedded file: a libSQL server has its own cache and refuses the PRAGMA.
 */
async function withRunCache<T>(client: Db["$client"], fn: () => Promise<T>): Promise<T> {
  if (client.protocol !== "file") return fn();
  const [cacheRow] = (await client.execute("PRAGMA cache_size")).rows as unknown as unknown[][];
  const previousCache = Number(cacheRow?.[0] ?? -2000);
  await client.execute(`PRAGMA cache_size = -${RUN_CACHE_KIB}`);
  try {
    return await fn();
  } finally {
    await client.execute(`PRAGMA cache_size = ${previousCache}`);
  }
}
