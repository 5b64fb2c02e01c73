import { index, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { epochMs } from "./_columns.ts";

/** What a report of a conversion says and a conversion holds (conversion_reports has the same columns): fresh builders per table. */
export const reportedFacts = () => ({
  type: text("type").notNull(),
  value: real("value"),
  currency: text("currency"),
  lcid: text("lcid"),
  visitorId: text("visitor_id"),
  shareToken: text("share_token"),
  /** sha256 of the normalised email or of the respondent's external id. */
  respondentHash: text("respondent_hash"),
});

/** A conversion: from the tracker, from a survey answer's conversion fields, or from a server-side API call. */
export const conversions = sqliteTable(
  "conversions",
  {
    id: text("id").primaryKey(),
    /** The site's own id for the conversion (order id); conversions with the same external id are one. */
    externalId: text("external_id").unique(),
    ts: epochMs("ts").notNull(),
    receivedAt: epochMs("received_at").notNull(),
    ...reportedFacts(),
    origin: text("origin").notNull(),
  },
  (t) => [
    index("conversions_ts_idx").on(t.ts),
    index("conversions_visitor_idx").on(t.visitorId),
    index("conversions_lcid_idx").on(t.lcid),
    index("conversions_respondent_idx").on(t.respondentHash),
    index("conversions_received_idx").on(t.receivedAt),
    // Incremental reconciliation finds the conversions known only by their share token through it
    // (apps/worker/src/reconcile/touched.ts: a late visit of the token's owner).
    index("conversions_share_token_idx").on(t.shareToken),
  ],
);
