import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { epochMs } from "./_columns.ts";

/**
 * An untagged visit (no lcid, no one else's share token) that says where the visitor came from: a
 * referrer other than our own hosts, campaign parameters on the page, or an in-app browser. Visits
 * that say nothing (direct) are not stored. The buyer's own path as any analytics tool would see it.
 */
export const visits = sqliteTable(
  "visits",
  {
    id: text("id").primaryKey(),
    ts: epochMs("ts").notNull(),
    /** When the worker stored it: incremental reconciliation finds late visits by this. */
    receivedAt: epochMs("received_at").notNull(),
    visitorId: text("visitor_id").notNull(),
    referrerHost: text("referrer_host"),
    page: text("page"),
    inApp: text("in_app"),
    channel: text("channel").notNull(),
    source: text("source"),
    /** Why it has its channel: "visit:in_app", "visit:referrer", "visit:campaign". */
    rule: text("rule").notNull(),
    dark: integer("dark", { mode: "boolean" }).notNull(),
  },
  (t) => [index("visits_visitor_idx").on(t.visitorId), index("visits_ts_idx").on(t.ts), index("visits_received_idx").on(t.receivedAt)],
);
