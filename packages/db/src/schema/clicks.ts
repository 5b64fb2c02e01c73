import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { epochMs, json } from "./_columns.ts";

/** A human following a short link. `id` is the event id and also the click id (`lcid`). */
export const clicks = sqliteTable(
  "clicks",
  {
    id: text("id").primaryKey(),
    linkId: text("link_id").notNull(),
    ts: epochMs("ts").notNull(),
    /**
     * When the worker stored the row: incremental reconciliation finds clicks that came after the
     * conversion naming them (the links service spools events while Redis is down and replays them
     * later) by this. Ingestion always sets it; the default (0: "long ago", seen by full runs only) is
     * for rows written by other means (fixtures) and rows stored before migration 0010.
     */
    receivedAt: epochMs("received_at").notNull().default(0),
    /** sha256(daily salt + ip + ua); null when DNT/GPC switched it off. */
    visitorHash: text("visitor_hash"),
    channel: text("channel").notNull(),
    source: text("source"),
    /** The rule that decided the channel (e.g. "referrer", "campaign", "in_app", "link_tag", "direct"). */
    rule: text("rule").notNull(),
    referrerHost: text("referrer_host"),
    inApp: text("in_app"),
    device: text("device"),
    browser: text("browser"),
    os: text("os"),
    country: text("country"),
    campaignParams: json<Record<string, string>>("campaign_params"),
    /** Set when a preview fetch of the same link in a messaging app came shortly before (evidence of where it was pasted). */
    unfurlApp: text("unfurl_app"),
    dnt: integer("dnt", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    index("clicks_link_ts_idx").on(t.linkId, t.ts),
    index("clicks_ts_idx").on(t.ts),
    index("clicks_visitor_idx").on(t.visitorHash),
    index("clicks_received_idx").on(t.receivedAt),
    // In-app-browser clicks by time (the dark-social report's "by app"), without reading every click.
    index("clicks_in_app_ts_idx").on(t.ts, t.inApp).where(sql`${t.inApp} IS NOT NULL`),
  ],
);
