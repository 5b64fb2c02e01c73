import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { epochMs } from "./_columns.ts";
import { reportedFacts } from "./conversions.ts";

/**
 * Every report of an order (a conversion with the site's order id): lantern.js's, the site's server's
 * (`POST /api/conversions`), a survey answer's. The stored conversion is derived from the set of its
 * reports, so it does not depend on the order they reached the worker in (decision 009): its figures
 * (type, value, currency, the time it happened) come from the report that ranks highest, and each of
 * its ids (click, visitor, share token, respondent) from the highest-ranking report that has one. A
 * report ranks by `rank` (the site's server, 2, over the browser and survey answers, 1), then by
 * carrying a value, then by when it was made (the server's latest, the public reports' earliest), then
 * by id (apps/worker/src/ingest/conversions.ts).
 * Conversions without an order id have no reports: nothing can be merged into them.
 */
export const conversionReports = sqliteTable(
  "conversion_reports",
  {
    /** The event id: a re-delivered report is stored once. */
    id: text("id").primaryKey(),
    externalId: text("external_id").notNull(),
    rank: integer("rank").notNull(),
    /** When the report was made (the event's time, stamped by the service that received it). */
    ts: epochMs("ts").notNull(),
    /** When the conversion happened, as the report says (null: it did not say). */
    occurredAt: epochMs("occurred_at"),
    ...reportedFacts(),
    origin: text("origin").notNull(),
  },
  (t) => [index("conversion_reports_external_idx").on(t.externalId)],
);
