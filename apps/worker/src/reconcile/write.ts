import type { ReconcileResult } from "@lantern/core";
import { type Exec, IN_LIST, insertJsonRows, selectByKeys, sqlDay } from "./sql.ts";

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
  "path",
  "link_id",
  "campaign",
  "rule",
  "ruleset_version",
  "reconciled_at",
] as const;

const CREDIT_COLUMNS = ["conversion_id", "view", "model", "position", "ts", "channel", "source", "credit", "value", "rule", "ruleset_version"] as const;

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
 * date range mean "conversions on that day"; the touchpoint's own time is in the stored path.
 */
function creditRows(r: ReconcileResult): unknown[][] {
  return r.credits.map((c) => [r.conversionId, c.view, c.model, c.position, r.ts, c.channel, c.source, c.credit, c.value, c.rule, c.rulesetVersion]);
}

/** Adds (sign "+") or removes (sign "-") the given conversions' credits and link conversions to/from the roll-ups. */
async function applyRollupDelta(tx: Exec, ids: string[], sign: "+" | "-"): Promise<void> {
  await selectByKeys(
    tx,
    ids,
    `INSERT INTO attribution_daily (day, view, model, channel, source, credits, value)
     SELECT ${sqlDay("ts")}, view, model, channel, coalesce(source, ''), ${sign}sum(credit), ${sign}coalesce(sum(value), 0)
     FROM attribution_credits WHERE conversion_id IN ${IN_LIST} GROUP BY 1, 2, 3, 4, 5
     ON CONFLICT (day, view, model, channel, source) DO UPDATE SET credits = credits + excluded.credits, value = value + excluded.value`,
  );
  await selectByKeys(
    tx,
    ids,
    `INSERT INTO link_daily (day, link_id, campaign, conversions, dark_conversions, value)
     SELECT ${sqlDay("ca.ts")}, ca.link_id, (SELECT l.campaign FROM links l WHERE l.id = ca.link_id), ${sign}count(*), ${sign}sum(ca.dark), ${sign}coalesce(sum(ca.value), 0)
     FROM conversion_attribution ca WHERE ca.conversion_id IN ${IN_LIST} AND ca.link_id IS NOT NULL GROUP BY 1, 2
     ON CONFLICT (day, link_id) DO UPDATE SET conversions = conversions + excluded.conversions,
       dark_conversions = dark_conversions + excluded.dark_conversions, value = value + excluded.value`,
  );
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
  let oldDays: string[] = [];
  if (options.rollupDelta) {
    oldDays = (await selectByKeys(tx, ids, `SELECT DISTINCT ${sqlDay("ts")} AS day FROM conversion_attribution WHERE conversion_id IN ${IN_LIST}`)).map((r) => String(r.day));
    await applyRollupDelta(tx, ids, "-");
  }
  await selectByKeys(tx, ids, `DELETE FROM attribution_credits WHERE conversion_id IN ${IN_LIST}`);
  await selectByKeys(tx, ids, `DELETE FROM conversion_attribution WHERE conversion_id IN ${IN_LIST}`);
  await insertJsonRows(
    tx,
    "conversion_attribution",
    ATTRIBUTION_COLUMNS,
    results.map((r) => attributionRow(r, options.now)),
    500,
  );
  await insertJsonRows(tx, "attribution_credits", CREDIT_COLUMNS, results.flatMap(creditRows), 2_000);
  if (options.rollupDelta) {
    await applyRollupDelta(tx, ids, "+");
    const days = new Set(oldDays);
    for (const r of results) days.add(new Date(r.ts).toISOString().slice(0, 10));
    await pruneRollups(tx, days);
  }
}

/** Removes attribution rows whose conversion no longer exists (retention, or a merged duplicate). */
export async function deleteOrphans(tx: Exec): Promise<void> {
  await tx.execute("DELETE FROM attribution_credits WHERE conversion_id NOT IN (SELECT id FROM conversions)");
  await tx.execute("DELETE FROM conversion_attribution WHERE conversion_id NOT IN (SELECT id FROM conversions)");
}

/** Link activity per day and link: clicks, unfurls and re-shares (arrivals), optionally within [from, to). */
function linkActivitySql(range: boolean): string {
  const where = range ? "WHERE ts >= ? AND ts < ?" : "";
  const and = range ? "AND ts >= ? AND ts < ?" : "";
  return `SELECT day, link_id, sum(c) AS clicks, sum(u) AS unfurls, sum(r) AS reshares FROM (
      SELECT ${sqlDay("ts")} AS day, link_id, count(*) AS c, 0 AS u, 0 AS r FROM clicks ${where} GROUP BY 1, 2
      UNION ALL SELECT ${sqlDay("ts")}, link_id, 0, count(*), 0 FROM unfurls ${where} GROUP BY 1, 2
      UNION ALL SELECT ${sqlDay("ts")}, link_id, 0, 0, count(*) FROM arrivals WHERE link_id IS NOT NULL ${and} GROUP BY 1, 2
    ) WHERE true GROUP BY day, link_id`;
}

/** Rebuilds both roll-ups from the stored rows: exact, and the cure for any drift of the deltas. */
export async function rebuildRollups(tx: Exec): Promise<void> {
  await tx.execute("DELETE FROM attribution_daily");
  await tx.execute(`INSERT INTO attribution_daily (day, view, model, channel, source, credits, value)
    SELECT ${sqlDay("ts")}, view, model, channel, coalesce(source, ''), sum(credit), coalesce(sum(value), 0)
    FROM attribution_credits GROUP BY 1, 2, 3, 4, 5`);
  await tx.execute("DELETE FROM link_daily");
  await tx.execute(`INSERT INTO link_daily (day, link_id, campaign, clicks, unfurls, reshares, conversions, dark_conversions, value)
    SELECT a.day, a.link_id, (SELECT l.campaign FROM links l WHERE l.id = a.link_id), a.clicks, a.unfurls, a.reshares, 0, 0, 0 FROM (${linkActivitySql(false)}) a`);
  await tx.execute(`INSERT INTO link_daily (day, link_id, campaign, conversions, dark_conversions, value)
    SELECT ${sqlDay("ts")}, link_id, (SELECT l.campaign FROM links l WHERE l.id = ca.link_id), count(*), sum(dark), coalesce(sum(value), 0)
    FROM conversion_attribution ca WHERE link_id IS NOT NULL GROUP BY 1, 2
    ON CONFLICT (day, link_id) DO UPDATE SET conversions = excluded.conversions, dark_conversions = excluded.dark_conversions, value = excluded.value`);
}

/** Recounts clicks, unfurls and re-shares of the days [fromDay, toDay] (new link activity since the last run). */
export async function refreshLinkActivity(tx: Exec, fromTs: number, toTs: number, fromDay: string, toDay: string): Promise<void> {
  await tx.execute({ sql: "UPDATE link_daily SET clicks = 0, unfurls = 0, reshares = 0 WHERE day >= ? AND day <= ?", args: [fromDay, toDay] });
  await tx.execute({
    sql: `INSERT INTO link_daily (day, link_id, campaign, clicks, unfurls, reshares)
      SELECT a.day, a.link_id, (SELECT l.campaign FROM links l WHERE l.id = a.link_id), a.clicks, a.unfurls, a.reshares FROM (${linkActivitySql(true)}) a WHERE true
      ON CONFLICT (day, link_id) DO UPDATE SET clicks = excluded.clicks, unfurls = excluded.unfurls, reshares = excluded.reshares, campaign = excluded.campaign`,
    args: [fromTs, toTs, fromTs, toTs, fromTs, toTs],
  });
  await tx.execute({ sql: "DELETE FROM link_daily WHERE day >= ? AND day <= ? AND clicks = 0 AND unfurls = 0 AND reshares = 0 AND conversions = 0", args: [fromDay, toDay] });
}
