import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { epochMs, json } from "./_columns.ts";

/** One reconciled conversion: what software saw, what the customer said, the blended answer and why. */
export const conversionAttribution = sqliteTable(
  "conversion_attribution",
  {
    conversionId: text("conversion_id").primaryKey(),
    ts: epochMs("ts").notNull(),
    value: real("value"),
    softwareChannel: text("software_channel").notNull(),
    softwareSource: text("software_source"),
    selfChannel: text("self_channel"),
    selfSource: text("self_source"),
    blendedChannel: text("blended_channel").notNull(),
    blendedSource: text("blended_source"),
    responded: integer("responded", { mode: "boolean" }).notNull(),
    dark: integer("dark", { mode: "boolean" }).notNull(),
    darkReasons: json<string[]>("dark_reasons").notNull(),
    /** The answer names a channel ("I don't remember" and text no rule placed do not). */
    answerNamed: integer("answer_named", { mode: "boolean" }).notNull().default(false),
    /** The answer names a dark channel. */
    answerDark: integer("answer_dark", { mode: "boolean" }).notNull().default(false),
    /** Software saw a dark touch (a dark reason besides the answer's own). */
    softwareDark: integer("software_dark", { mode: "boolean" }).notNull().default(false),
    /** The ordered touchpoints with their evidence (JSON), for the conversions explorer. */
    path: json<unknown>("path").notNull(),
    linkId: text("link_id"),
    campaign: text("campaign"),
    rule: text("rule").notNull(),
    rulesetVersion: text("ruleset_version").notNull(),
    reconciledAt: epochMs("reconciled_at").notNull(),
  },
  (t) => [
    index("conv_attr_ts_idx").on(t.ts),
    index("conv_attr_link_idx").on(t.linkId),
    // Covering index of the admin reports (overview, gap, dark social). Its leading columns are the
    // reports' GROUP BY order, so SQLite aggregates while scanning instead of sorting 100k rows, and it
    // holds every column those reports read, so they never touch the wide rows (paths). The reports
    // name it with INDEXED BY: keep its name and column order.
    index("conv_attr_report_idx").on(
      t.softwareChannel,
      t.responded,
      t.dark,
      t.blendedChannel,
      t.answerNamed,
      t.softwareDark,
      t.answerDark,
      t.selfChannel,
      t.ts,
      t.value,
      t.selfSource,
      t.darkReasons,
    ),
  ],
);

/**
 * Credit of one conversion to one touchpoint under one model and view. Credits of a conversion add up to 1.
 *
 * Only the reconciler reads it, always by conversion (reports read the roll-ups), so it has no
 * secondary index, and it is a WITHOUT ROWID table (migration 0009): the rows live in the primary-key
 * b-tree, so each of the ~2.3 million rows of a full run is written to one b-tree instead of three
 * (rowid table, primary-key index, ts index). drizzle cannot declare WITHOUT ROWID: a migration that
 * drizzle-kit generates to rebuild this table must be given `WITHOUT ROWID` again by hand
 * (packages/db/test/db.test.ts checks it).
 */
export const attributionCredits = sqliteTable(
  "attribution_credits",
  {
    conversionId: text("conversion_id").notNull(),
    view: text("view").notNull(),
    model: text("model").notNull(),
    position: integer("position").notNull(),
    ts: epochMs("ts").notNull(),
    channel: text("channel").notNull(),
    source: text("source"),
    credit: real("credit").notNull(),
    value: real("value"),
    rule: text("rule").notNull(),
    rulesetVersion: text("ruleset_version").notNull(),
  },
  (t) => [primaryKey({ columns: [t.conversionId, t.view, t.model, t.position] })],
);

/** Roll-up by day x channel x source x model x view, so reports never scan raw events. */
export const attributionDaily = sqliteTable(
  "attribution_daily",
  {
    day: text("day").notNull(),
    view: text("view").notNull(),
    model: text("model").notNull(),
    channel: text("channel").notNull(),
    source: text("source").notNull().default(""),
    credits: real("credits").notNull(),
    value: real("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.view, t.model, t.channel, t.source] })],
);

/** Roll-up per day x link (and its campaign): clicks, unfurls, re-shares, conversions. */
export const linkDaily = sqliteTable(
  "link_daily",
  {
    day: text("day").notNull(),
    linkId: text("link_id").notNull(),
    campaign: text("campaign"),
    clicks: integer("clicks").notNull().default(0),
    unfurls: integer("unfurls").notNull().default(0),
    reshares: integer("reshares").notNull().default(0),
    conversions: integer("conversions").notNull().default(0),
    darkConversions: integer("dark_conversions").notNull().default(0),
    value: real("value").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.day, t.linkId] }),
    // Covering indexes of the admin reports: totals of a day range (overview) and per-link sums in
    // GROUP BY order (links report), so neither reads the table rows nor sorts.
    index("link_daily_day_totals_idx").on(t.day, t.clicks, t.unfurls, t.reshares),
    index("link_daily_link_report_idx").on(t.linkId, t.day, t.campaign, t.clicks, t.unfurls, t.reshares, t.conversions, t.darkConversions, t.value),
  ],
);

/** State of the reconciler: watermark of what it has seen, and its last run. */
export const reconcileState = sqliteTable("reconcile_state", {
  id: text("id").primaryKey(),
  watermark: epochMs("watermark").notNull(),
  lastRunAt: epochMs("last_run_at"),
  lastRunMs: integer("last_run_ms"),
  lastRunConversions: integer("last_run_conversions"),
  rulesetVersion: text("ruleset_version"),
  /**
   * Row `attribution`: the id of the latest row (highest rowid) of each input table (conversions,
   * survey_responses, visits, arrivals, visitors; for the last two, whose rows the worker changes and
   * stamps again, with their latest received_at) when the last run started. An incremental run that finds
   * the same ones has nothing new to redo (apps/worker/src/reconcile/quiet.ts). Null before the first run
   * that kept them.
   */
  latestRows: json<Record<string, string | null>>("latest_rows"),
});
