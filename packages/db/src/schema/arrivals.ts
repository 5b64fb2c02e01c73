import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { epochMs } from "./_columns.ts";

/** A visitor arriving through a URL that carries someone's share token (lsh=...): a re-share. */
export const arrivals = sqliteTable(
  "arrivals",
  {
    id: text("id").primaryKey(),
    ts: epochMs("ts").notNull(),
    /**
     * When the worker stored the row, or last repaired its place in the share graph (parent, generation,
     * link: settleShareGraph in apps/worker/src/ingest/tracker.ts): incremental reconciliation finds late
     * arrivals by this. Ingestion always sets it; the default (0: "long ago", seen by full runs only) is
     * for rows written by other means (fixtures). Rows stored before migration 0008 got their `ts`.
     */
    receivedAt: epochMs("received_at").notNull().default(0),
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
  (t) => [
    index("arrivals_token_idx").on(t.shareToken),
    index("arrivals_visitor_idx").on(t.visitorId),
    index("arrivals_link_idx").on(t.linkId),
    index("arrivals_ts_idx").on(t.ts),
    index("arrivals_received_idx").on(t.receivedAt),
  ],
);
