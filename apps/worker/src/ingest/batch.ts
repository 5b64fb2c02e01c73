import { type Db, serialiseWrites } from "@lantern/db";
import type { LanternEvent } from "@lantern/queue";
import { emptyCounts, type IngestContext, type StoredCounts } from "./context.ts";
import { ingestConversions } from "./conversions.ts";
import { ingestLinkHits } from "./links.ts";
import { ingestSurveyEvents } from "./surveys.ts";
import { ingestTracker, settleShareGraph } from "./tracker.ts";
import { ingestVisits } from "./visits.ts";

type ByType = { [K in LanternEvent["type"]]: Extract<LanternEvent, { type: K }>[] };

export function groupByType(events: readonly LanternEvent[]): ByType {
  const groups: ByType = {
    "link.hit": [],
    "tracker.landing": [],
    "tracker.arrival": [],
    "tracker.visit": [],
    conversion: [],
    "survey.view": [],
    "survey.skip": [],
    "survey.response": [],
  };
  // biome-ignore lint/suspicious/noExplicitAny: the discriminant picks the right list.
  for (const e of events) (groups[e.type] as any[]).push(e);
  return groups;
}

/**
 * Stores a batch of valid events in one transaction: all of it or nothing, so a crash mid-batch
 * leaves nothing half-written and the re-delivered batch starts clean. Every row is keyed by its
 * event id (insert ... on conflict do nothing), so a batch stored twice stores nothing twice.
 *
 * Order matters inside the batch: link hits first (so a landing finds its click from the same batch),
 * then tracker events (landings, arrivals, untagged visits), then conversions (so a survey's conversion
 * with the same order id finds them).
 */
export function ingestEvents(db: Db, events: readonly LanternEvent[], ctx: IngestContext): Promise<StoredCounts> {
  const g = groupByType(events);
  // Queued behind every other write transaction of this process (reconciliation too): see serialiseWrites.
  return serialiseWrites(db, () =>
    db.transaction(async (tx) => {
      const counts = emptyCounts();
      const links = await ingestLinkHits(tx, g["link.hit"], ctx);
      counts.clicks = links.clicks;
      counts.unfurls = links.unfurls;
      counts.botHits = links.botHits;

      const tracker = await ingestTracker(tx, g["tracker.landing"], g["tracker.arrival"], ctx);
      counts.visitors = tracker.visitors;
      counts.arrivals = tracker.arrivals;
      await settleShareGraph(tx, [...links.relinkedVisitors, ...tracker.touched], ctx.now);
      const visits = await ingestVisits(tx, g["tracker.visit"], ctx);
      counts.visits = visits.stored;
      counts.visitsDropped = visits.dropped;

      counts.conversions = await ingestConversions(tx, g.conversion, ctx);
      const surveys = await ingestSurveyEvents(tx, { views: g["survey.view"], skips: g["survey.skip"], responses: g["survey.response"] }, ctx);
      counts.surveyViews = surveys.views;
      counts.surveySkips = surveys.skips;
      counts.surveyResponses = surveys.responses;
      counts.conversions += surveys.conversions;
      return counts;
    }),
  );
}
