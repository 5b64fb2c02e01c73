import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { epochMs } from "./_columns.ts";

/** A messaging or social app fetching the link to draw its preview: evidence of where it was pasted. Never a click. */
export const unfurls = sqliteTable(
  "unfurls",
  {
    id: text("id").primaryKey(),
    linkId: text("link_id").notNull(),
    ts: epochMs("ts").notNull(),
    /** When the worker stored the row (as `clicks.received_at`): late unfurls' days are recounted by it. */
    receivedAt: epochMs("received_at").notNull().default(0),
    app: text("app").notNull(),
    userAgent: text("user_agent"),
  },
  (t) => [
    index("unfurls_link_ts_idx").on(t.linkId, t.ts),
    // Covers the dark-social report's unfurls-by-app over a date range: without the app in it, every
    // unfurl of the range was a table lookup (1.2 s at a million clicks' worth of unfurls).
    index("unfurls_ts_app_idx").on(t.ts, t.app),
    index("unfurls_received_idx").on(t.receivedAt),
  ],
);
