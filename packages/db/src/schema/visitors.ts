import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { epochMs } from "./_columns.ts";

/**
 * A visitor known to the site tracker (first-party id from lantern.js), and the share graph:
 * who shared the URL this visitor arrived through (parent) and how many hops from the short link.
 */
export const visitors = sqliteTable(
  "visitors",
  {
    visitorId: text("visitor_id").primaryKey(),
    /** The token this visitor's address bar carries (lsh=...). */
    shareToken: text("share_token").unique(),
    /** The click that brought the visitor (generation 0), if any. */
    lcid: text("lcid"),
    linkId: text("link_id"),
    parentVisitorId: text("parent_visitor_id"),
    generation: integer("generation").notNull().default(0),
    firstSeen: epochMs("first_seen").notNull(),
    lastSeen: epochMs("last_seen").notNull(),
    /**
     * When the worker stored the visitor's current place in the share graph: the row itself, or a later
     * change of its token, click, link, sharer or generation (a landing, an arrival, a click stored after
     * its landing, a repair of the graph); first/last seen moving alone does not count. Incremental
     * reconciliation finds late landings by this. Ingestion always sets it; the default (0) is for rows
     * written by other means (fixtures). Rows stored before migration 0008 got their `last_seen`.
     */
    receivedAt: epochMs("received_at").notNull().default(0),
  },
  (t) => [
    index("visitors_link_idx").on(t.linkId),
    index("visitors_parent_idx").on(t.parentVisitorId),
    // The worker finds landings whose click came later by lcid (apps/worker/src/ingest/links.ts).
    index("visitors_lcid_idx").on(t.lcid),
    index("visitors_received_idx").on(t.receivedAt),
  ],
);
