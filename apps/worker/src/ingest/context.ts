import type { Logger } from "pino";

/** What every ingest step needs besides the transaction. */
export interface IngestContext {
  /** Time of this ingest run (epoch ms), stamped as `receivedAt`. */
  now: number;
  /** Hosts of this Lantern instance: never a referrer. */
  ownHosts: readonly string[];
  log: Logger;
}

/** Rows newly stored by one batch, per table. A re-delivered batch reports zeros (except `visitsDropped`). */
export interface StoredCounts {
  clicks: number;
  unfurls: number;
  botHits: number;
  visitors: number;
  arrivals: number;
  visits: number;
  /** tracker.visit events that said nothing (direct) and were not stored: events, not rows, so counted again on re-delivery. */
  visitsDropped: number;
  conversions: number;
  surveyViews: number;
  surveySkips: number;
  surveyResponses: number;
}

export const emptyCounts = (): StoredCounts => ({
  clicks: 0,
  unfurls: 0,
  botHits: 0,
  visitors: 0,
  arrivals: 0,
  visits: 0,
  visitsDropped: 0,
  conversions: 0,
  surveyViews: 0,
  surveySkips: 0,
  surveyResponses: 0,
});
