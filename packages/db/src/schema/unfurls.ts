import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { epochMs } from "./_columns.ts";

/** A messaging or social app fetching the link to draw its preview: evidence of where it was pasted. Never a click. */
export const unfurls = sqliteTable(
  "unfurls",
  {
    id: text("id").primaryKey(),
    linkId: text("link_id").notNull(),
    ts: epochMs("ts").notNull(),
    app: text("app").notNull(),
    userAgent: text("user_agent"),
  },
  (t) => [index("unfurls_link_ts_idx").on(t.linkId, t.ts), index("unfurls_ts_idx").on(t.ts)],
);
