import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { epochMs } from "./_columns.ts";

/** A visitor arriving through a URL that carries someone's share token (lsh=...): a re-share. */
export const arrivals = sqliteTable(
  "arrivals",
  {
    id: text("id").primaryKey(),
    ts: epochMs("ts").notNull(),
    shareToken: text("share_token").notNull(),
    visitorId: text("visitor_id").notNull(),
    parentVisitorId: text("parent_visitor_id"),
    generation: integer("generation").notNull().default(1),
    linkId: text("link_id"),
    referrerHost: text("referrer_host"),
    page: text("page"),
    inApp: text("in_app"),
    channel: text("channel").notNull(),
    source: text("source"),
    rule: text("rule").notNull(),
    /** Copy-pasted share through a private channel: share token, no referrer. */
    dark: integer("dark", { mode: "boolean" }).notNull(),
  },
  (t) => [index("arrivals_token_idx").on(t.shareToken), index("arrivals_visitor_idx").on(t.visitorId), index("arrivals_link_idx").on(t.linkId), index("arrivals_ts_idx").on(t.ts)],
);
