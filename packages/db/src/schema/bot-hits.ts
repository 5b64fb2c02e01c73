import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { epochMs } from "./_columns.ts";

/** Crawlers, monitors and scripts: redirected, counted apart, never clicks. */
export const botHits = sqliteTable(
  "bot_hits",
  {
    id: text("id").primaryKey(),
    linkId: text("link_id").notNull(),
    ts: epochMs("ts").notNull(),
    bot: text("bot"),
    userAgent: text("user_agent"),
  },
  (t) => [index("bot_hits_link_ts_idx").on(t.linkId, t.ts)],
);
