import { type ReconcileResult, RULESET_VERSION, utcDay } from "@lantern/core";
import type { Retained } from "./retained.ts";
import { type Exec, IN_LIST, insertJsonRows, selectAll, selectByKeys, sqlDayNumber, sqlDayOfNumber } from "./sql.ts";

const ATTRIBUTION_COLUMNS = [
  "conversion_id",
  "ts",
  "value",
  "software_channel",
  "software_source",
  "self_channel",
  "self_source",
  "blended_channel",
  "blended_source",
  "responded",
  "dark",
  "dark_reasons",
  "answer_named",
  "answer_dark",
  "software_dark",
  "path",
  "link_id",
  "campaign",
  "rule",
  "ruleset_version",
  "reconciled_at",
] as const;

function attributionRow(r: ReconcileResult, now: number): unknown[] {
  return [
    r.conversionId,
    r.ts,
    r.value,
    r.software.channel,
    r.software.source,
    r.self?.channel ?? null,
    r.self?.source ?? null,
    r.blended.channel,
    r.blended.source,
    r.responded ? 1 : 0,
    r.dark ? 1 : 0,
    JSON.stringify(r.darkReasons),
    r.self ? 1 : 0,
    r.selfReport?.dark ? 1 : 0,
    r.darkReasons.some((reason) => reason !== "dark_self_report") ? 1 : 0,
    JSON.stringify(r.path),
    r.linkId,
    r.campaign,
    r.rule,
    r.rulesetVersion,
    now,
  ];
}

/**
 * Credit rows carry the conversion's time (not the touchpoint's), so that a roll-up day and a report's
 * date range mean "conversions on that day"; the touchpoint's own time is in the stored path. The
 * ruleset version is bound once per statement: every column read out of the JSON costs on a
 * two-million-row run. The rows are read out of json_each once (MATERIALIZED): see insertJsonRows.
 */
const CREDIT_INSERT = `WITH j(value) AS MATERIALIZED (SELECT value FROM json_each(?1))
  INSERT INTO attribution_credits (conversion_id, ts, view, model, position, channel, source, credit, value, rule, ruleset_version)
  SELECT ${Array.from({ length: 10 }, (_, i) => `j.value->>${i}`).join(", ")}, ?2 FROM j`;

async function insertCredits(tx: Exec, results: readonly ReconcileResult[]): Promise<void> {
  let rows: unknown[][] = [];
  const flush = async () => {
    if (rows.length > 0) await tx.execute({ sql: CREDIT_INSERT, args: [JSON.stringify(rows), RULESET_VERSION] });
    rows = [];
  };
  for (const r of results) {
    for (const c of r.credits) rows.push([r.conversionId, r.ts, c.view, c.model, c.position, c.channel, c.source, c.credit, c.value, c.rule]);
    if (rows.length >= 2_000) await flush();
  }
  await flush();
}

/** Adds (sign "+") or removes (sign "-") the given conversions' credits and link conversions to/from the roll-ups. */
async function applyRollupDelta(tx: Exec, ids: string[], sign: "+" | "-"): Promise<void> {
  await selectByKeys(
    tx,
    ids,
    `INSERT INTO attribution_daily (day, view, model, channel, source, credits, value)
     SELECT ${sqlDayOfNumber("d")}, view, model, channel, source, c, v FROM (
       SELECT ${sqlDayNumber("ts")} AS d, view, model, channel, coalesce(source, '') AS source, ${sign}sum(credit) AS c, ${sign}coalesce(sum(value), 0) AS v
       FROM attribution_credits WHERE conversion_id IN ${IN_LIST} GROUP BY 1, 2, 3, 4, 5
     ) WHERE true
     ON CONFLICT (day, view, model, channel, source) DO UPDATE SET credits = credits + excluded.credits, value = value + excluded.value`,
  );
  await selectByKeys(
    tx,
    ids,
    `INSERT INTO link_daily (day, link_id, campaign, conversions, dark_conversions, value)
     SELECT ${sqlDayOfNumber("d")}, link_id, (SELECT l.campaign FROM links l WHERE l.id = link_id), n, dark, v FROM (
       SELECT ${sqlDayNumber("ts")} AS d, link_id, ${sign}count(*) AS n, ${sign}sum(dark) AS dark, ${sign}coalesce(sum(value), 0) AS v
       FROM conversion_attribution WHERE conversion_id IN ${IN_LIST} AND link_id IS NOT NULL GROUP BY 1, 2
     ) WHERE true
     ON CONFLICT (day, link_id) DO UPDATE SET conversions = conversions + excluded.conversions,
       dark_conversions = dark_conversions + excluded.dark_conversions, value = value + excluded.value`,
  );
}

/** Removes the given conversions' stored rows from the roll-ups; returns the days they were on. */
async function subtractRollups(tx: Exec, ids: string[]): Promise<string[]> {
  const days = await selectByKeys(tx, ids, `SELECT DISTINCT ${sqlDayOfNumber(sqlDayNumber("ts"))} AS day FROM conversion_attribution WHERE conversion_id IN ${IN_LIST}`);
  await applyRollupDelta(tx, ids, "-");
  return days.map((r) => String(r.day));
}

/** Roll-up rows left with nothing after a delta (sums of floating-point credits leave ~1e-16, not 0). */
async function pruneRollups(tx: Exec, days: Iterable<string>): Promise<void> {
  await selectByKeys(tx, days, `DELETE FROM attribution_daily WHERE day IN ${IN_LIST} AND credits < 1e-9`);
  await selectByKeys(tx, days, `UPDATE link_daily SET value = 0, dark_conversions = 0 WHERE day IN ${IN_LIST} AND conversions = 0`);
  await selectByKeys(tx, days, `DELETE FROM link_daily WHERE day IN ${IN_LIST} AND clicks = 0 AND unfurls = 0 AND reshares = 0 AND conversions = 0`);
}

export interface WriteOptions {
  now: number;
  /** Keep the roll-ups current by subtracting the old rows and adding the new (incremental runs). */
  rollupDelta: boolean;
}

/**
 * Replaces the attribution rows of a slice of conversions (delete, then insert: running twice gives
 * the same rows) inside the caller's transaction, with multi-row inserts. With `rollupDelta`, the
 * roll-ups of the days involved move by exactly the difference, in the same transaction.
 */
export async function writeResults(tx: Exec, results: readonly ReconcileResult[], options: WriteOptions): Promise<void> {
  if (results.length === 0) return;
  const ids = results.map((r) => r.conversionId);
  const oldDays = options.rollupDelta ? await subtractRollups(tx, ids) : [];
  await selectByKeys(tx, ids, `DELETE FROM attribution_credits WHERE conversion_id IN ${IN_LIST}`);
  await selectByKeys(tx, ids, `DELETE FROM conversion_attribution WHERE conversion_id IN ${IN_LIST}`);
  await insertResults(tx, results, options.now);
  if (options.rollupDelta) {
    await applyRollupDelta(tx, ids, "+");
    const days = new Set(oldDays);
    for (const r of results) days.add(utcDay(r.ts));
    await pruneRollups(tx, days);
  }
}

/**
 * Removes attribution rows whose conversion no longer exists (a merged duplicate). Those before
 * `rebuiltFrom` are on roll-up days a full run keeps (retention): they leave them by the difference.
 */
export async function deleteOrphans(tx: Exec, rebuiltFrom: number): Promise<void> {
  const orphan = "conversion_id NOT IN (SELECT id FROM conversions)";
  const kept = await selectAll(tx, `SELECT conversion_id FROM conversion_attribution WHERE ts < ? AND ${orphan}`, [rebuiltFrom]);
  if (kept.length > 0) await pruneRollups(tx, await subtractRollups(tx, kept.map((r) => String(r.conversion_id))));
  await tx.execute(`DELETE FROM attribution_credits WHERE ${orphan}`);
  await tx.execute(`DELETE FROM conversion_attribution WHERE ${orphan}`);
}

/** Inserts the attribution and credit rows of conversions that have none (multi-row inserts). */
async function insertResults(tx: Exec, results: readonly ReconcileResult[], now: number): Promise<void> {
  await insertJsonRows(
    tx,
    "conversion_attribution",
    ATTRIBUTION_COLUMNS,
    results.map((r) => attributionRow(r, now)),
    500,
  );
  await insertCredits(tx, results);
}

/**
 * The roll-ups of a full run, summed in memory while its slices are written (every conversion passes
 * through, so the sums are those of the stored rows), instead of re-reading two million credit rows.
 */
export class RollupTotals {
  private readonly daily = new Map<string, [day: string, view: string, model: string, channel: string, source: string, credits: number, value: number]>();
  private readonly links = new Map<string, [day: string, linkId: string, conversions: number, dark: number, value: number]>();

  add(results: readonly ReconcileResult[]): void {
    for (const r of results) {
      const day = utcDay(r.ts);
      for (const c of r.credits) {
        const source = c.source ?? "";
        const key = `${day}\u0000${c.view}\u0000${c.model}\u0000${c.channel}\u0000${source}`;
        const row = this.daily.get(key);
        if (row) {
          row[5] += c.credit;
          row[6] += c.value ?? 0;
        } else this.daily.set(key, [day, c.view, c.model, c.channel, source, c.credit, c.value ?? 0]);
      }
      if (r.linkId) {
        const key = `${day}\u0000${r.linkId}`;
        const row = this.links.get(key);
        if (row) {
          row[2] += 1;
          row[3] += r.dark ? 1 : 0;
          row[4] += r.value ?? 0;
        } else this.links.set(key, [day, r.linkId, 1, r.dark ? 1 : 0, r.value ?? 0]);
      }
    }
  }

  /**
   * Replaces both roll-ups of the days from `from.fromDay` on (every day without retention): these totals,
   * the stored rows of `kept` conversions (reconciled before, not again), and link activity recounted from
   * clicks, unfurls and arrivals. Older days are kept as they are: their raw events may be pruned.
   */
  async write(tx: Exec, from: Retained, kept: string[]): Promise<void> {
    await tx.execute({ sql: "DELETE FROM attribution_daily WHERE day >= ?", args: [from.fromDay] });
    await insertJsonRows(tx, "attribution_daily", ["day", "view", "model", "channel", "source", "credits", "value"], [...this.daily.values()]);
    await tx.execute({ sql: "DELETE FROM link_daily WHERE day >= ?", args: [from.fromDay] });
    await tx.execute({
      sql: `INSERT INTO link_daily (day, link_id, campaign, clicks, unfurls, reshares, conversions, dark_conversions, value)
      SELECT a.day, a.link_id, (SELECT l.campaign FROM links l WHERE l.id = a.link_id), a.clicks, a.unfurls, a.reshares, 0, 0, 0 FROM (${linkActivitySql("most")}) a`,
      args: activityRange(from.fromTs, Number.MAX_SAFE_INTEGER),
    });
    const sql = `INSERT INTO link_daily (day, link_id, campaign, conversions, dark_conversions, value)
      SELECT j.value->>0, j.value->>1, (SELECT l.campaign FROM links l WHERE l.id = j.value->>1), j.value->>2, j.value->>3, j.value->>4 FROM json_each(?) AS j WHERE true
      ON CONFLICT (day, link_id) DO UPDATE SET conversions = excluded.conversions, dark_conversions = excluded.dark_conversions, value = excluded.value`;
    const rows = [...this.links.values()];
    for (let i = 0; i < rows.length; i += 2_000) await tx.execute({ sql, args: [JSON.stringify(rows.slice(i, i + 2_000))] });
    await applyRollupDelta(tx, kept, "+");
  }
}

/**
 * How link activity is read: "days" (a few days, found through the ts indexes) or "most" (most of the
 * tables, a full run: read from the covering (link_id, ts) indexes; `+ts` keeps SQLite off the ts
 * indexes, whose every row would cost a table look-up for its link).
 */
type ActivityScan = "days" | "most";

/**
 * Link activity per day and link: clicks, unfurls and re-shares (arrivals) within [from, to).
 * Grouped by (link, day number), which the (link_id, ts) indexes deliver in order: no sort, no date
 * formatting per row.
 */
function linkActivitySql(scan: ActivityScan): string {
  const ts = scan === "days" ? "ts" : "+ts";
  const where = `WHERE ${ts} >= ? AND ${ts} < ?`;
  const and = `AND ${ts} >= ? AND ${ts} < ?`;
  const d = sqlDayNumber("ts");
  return `SELECT ${sqlDayOfNumber("d")} AS day, link_id, sum(c) AS clicks, sum(u) AS unfurls, sum(r) AS reshares FROM (
      SELECT link_id, ${d} AS d, count(*) AS c, 0 AS u, 0 AS r FROM clicks ${where} GROUP BY link_id, d
      UNION ALL SELECT link_id, ${d} AS d, 0, count(*), 0 FROM unfurls ${where} GROUP BY link_id, d
      UNION ALL SELECT link_id, ${d} AS d, 0, 0, count(*) FROM arrivals WHERE link_id IS NOT NULL ${and} GROUP BY link_id, d
    ) WHERE true GROUP BY link_id, d`;
}

/** The arguments of linkActivitySql: [from, to) for each of its three tables. */
const activityRange = (fromTs: number, toTs: number) => [fromTs, toTs, fromTs, toTs, fromTs, toTs];

/** Recounts clicks, unfurls and re-shares of the days [fromDay, toDay] (new link activity since the last run). */
export async function refreshLinkActivity(tx: Exec, fromTs: number, toTs: number, fromDay: string, toDay: string): Promise<void> {
  await tx.execute({ sql: "UPDATE link_daily SET clicks = 0, unfurls = 0, reshares = 0 WHERE day >= ? AND day <= ?", args: [fromDay, toDay] });
  await tx.execute({
    sql: `INSERT INTO link_daily (day, link_id, campaign, clicks, unfurls, reshares)
      SELECT a.day, a.link_id, (SELECT l.campaign FROM links l WHERE l.id = a.link_id), a.clicks, a.unfurls, a.reshares FROM (${linkActivitySql("days")}) a WHERE true
      ON CONFLICT (day, link_id) DO UPDATE SET clicks = excluded.clicks, unfurls = excluded.unfurls, reshares = excluded.reshares, campaign = excluded.campaign`,
    args: activityRange(fromTs, toTs),
  });
  await tx.execute({ sql: "DELETE FROM link_daily WHERE day >= ? AND day <= ? AND clicks = 0 AND unfurls = 0 AND reshares = 0 AND conversions = 0", args: [fromDay, toDay] });
}
