import { type ConversionRecord, DAY_MS, DEFAULT_CLOCK_SKEW_MS } from "@lantern/core";
import { candidatesFor, conversionsOwnedByToken, conversionsSharingKeys, conversionsThroughVisitors, toConversion, toResponse, visitorsBelow } from "./load.ts";
import { type InputTable, RESTAMPED } from "./quiet.ts";
import { distinct, type Exec, selectPacked, tsRange } from "./sql.ts";

export interface TouchedSpan {
  /** Rows received in (from, to]. */
  from: number;
  to: number;
  lookbackDays: number;
  /** How far up the share graph paths follow sharers (identity.ts): how far down a change reaches. */
  maxChainHops: number;
  /**
   * Only these input tables' spans are read (all when unset): the run sets it when only clicks or
   * unfurls stored a row since the last run (tablesStoredSince in quiet.ts). The span of another table
   * then holds nothing the last run did not see, so a run that only new clicks make not quiet does not
   * redo the overlap's other rows. Restamped tables are always read (RESTAMPED in quiet.ts).
   */
  tables?: ReadonlySet<InputTable>;
}

/** Whether the run must read `table`'s span. */
const reads = (span: TouchedSpan, table: InputTable) => span.tables === undefined || span.tables.has(table) || RESTAMPED.has(table);

/**
 * The conversions an incremental run must reconcile: those received in (from, to], those whose answer
 * was received in that span, the conversions an answer without a conversion id may now belong to, the
 * conversions whose visitor got a visit in that span inside their look-back window, the conversions
 * whose path goes through a piece of the share graph stored in that span (conversionsOfShareGraphChanges:
 * late arrivals and landings), the conversions whose path a click stored in that span is on
 * (conversionsOfLateClicks: clicks replayed after their conversion), and the conversions whose look-back window one of the new, visited or
 * re-shared conversions falls into (same respondent or visitor, whose paths borrow its click and visits)
 * or that compete with it for a nearby answer (same click).
 * A conversion without a visitor id is its share token's owner's (identity.ts): it counts as that
 * visitor's for visits and for the clicks of the visitor's other conversions (conversionsOwnedByToken).
 */
export async function touchedConversionIds(exec: Exec, span: TouchedSpan): Promise<Set<string>> {
  const fresh = reads(span, "conversions")
    ? (await selectPacked(exec, "id, ts, value, lcid, visitor_id, share_token, respondent_hash", "conversions WHERE received_at > ? AND received_at <= ?", [span.from, span.to])).map(toConversion)
    : [];
  const answers = reads(span, "survey_responses")
    ? (
        await selectPacked(
          exec,
          "id, ts, conversion_id, channel, source, rule, confidence, option_id, respondent_hash, visitor_id, lcid",
          "survey_responses WHERE received_at > ? AND received_at <= ?",
          [span.from, span.to],
        )
      ).map(toResponse)
    : [];

  const ids = new Set(fresh.map((c) => c.id));
  for (const a of answers) if (a.conversionId) ids.add(a.conversionId);

  const loose = answers.filter((a) => a.conversionId === null);
  for (const c of await candidatesFor(exec, loose)) ids.add(c.id);

  const visited = reads(span, "visits") ? await conversionsOfNewVisits(exec, span) : [];
  for (const c of visited) ids.add(c.id);

  const reshared = await conversionsOfShareGraphChanges(exec, span);
  for (const c of reshared) ids.add(c.id);

  // A late chat preview restamps the clicks it marks (ingest/links.ts): with new unfurls, clicks are read too.
  const clicked = reads(span, "clicks") || reads(span, "unfurls") ? await conversionsOfLateClicks(exec, span) : [];
  for (const c of clicked) ids.add(c.id);

  const seeds = [...fresh, ...visited, ...reshared, ...clicked];
  if (seeds.length > 0) {
    const [lo, hi] = tsRange(seeds);
    const [from, to] = [lo - DAY_MS, hi + span.lookbackDays * DAY_MS];
    const visitors = distinct(seeds.map((c) => c.visitorId));
    const neighbours = await conversionsSharingKeys(exec, { respondents: distinct(seeds.map((c) => c.respondentHash)), visitors, lcids: distinct(seeds.map((c) => c.lcid)) }, from, to);
    for (const c of neighbours) ids.add(c.id);
    for (const c of await conversionsOwnedByToken(exec, visitors, from, to)) ids.add(c.id);
  }
  return ids;
}

/**
 * Conversions of the visitors that got a visit received in (from, to], by visitor id or by the visitor's
 * share token, from the earliest such visit (less clock skew) to a look-back after the latest: every
 * path those visits can be on.
 */
async function conversionsOfNewVisits(exec: Exec, span: TouchedSpan): Promise<ConversionRecord[]> {
  const visits = (await selectPacked(exec, "visitor_id, ts", "visits WHERE received_at > ? AND received_at <= ?", [span.from, span.to])).map((r) => ({
    visitorId: String(r[0]),
    ts: Number(r[1]),
  }));
  if (visits.length === 0) return [];
  const [lo, hi] = tsRange(visits);
  const [from, to] = [lo - DEFAULT_CLOCK_SKEW_MS, hi + span.lookbackDays * DAY_MS];
  const visitors = distinct(visits.map((v) => v.visitorId));
  return [...(await conversionsSharingKeys(exec, { respondents: [], visitors, lcids: [] }, from, to)), ...(await conversionsOwnedByToken(exec, visitors, from, to))];
}

/**
 * Conversions whose path may go through a piece of the share graph stored in (from, to] (`received_at`):
 * an arrival (new, or repaired by settleShareGraph when its sharer or click came later), or a visitor
 * whose place was stored (new, or given its click, token, link or sharer later: a late landing). Such a
 * piece is on the path of its visitor's conversions (by visitor id or share token) and, as a sharer's, on
 * those of everyone below that visitor in the chain, up to maxChainHops generations (visitorsBelow).
 *
 * Window: from a look-back (plus clock skew) before the earliest change to a look-back after the latest
 * (for a visitor, its first and last seen). That holds every conversion the arrival or click itself is
 * on, and the conversions up to a look-back before it that a new sharer's earlier click or re-shares now
 * reach. Left to the nightly full run: conversions further away whose window holds a touchpoint of a
 * sharer that only this change tied to them (a sharer's re-share a look-back after the arrival through
 * it; or a buyer who converted more than a look-back before opening the sharer's URL). The first needs
 * a row that reaches the worker more than a look-back late; the second credits a share after the fact.
 */
async function conversionsOfShareGraphChanges(exec: Exec, span: TouchedSpan): Promise<ConversionRecord[]> {
  const between = [span.from, span.to];
  const changes = [
    ...(await selectPacked(exec, "visitor_id, ts, ts", "arrivals WHERE received_at > ? AND received_at <= ?", between)),
    ...(await selectPacked(exec, "visitor_id, first_seen, last_seen", "visitors WHERE received_at > ? AND received_at <= ?", between)),
  ];
  if (changes.length === 0) return [];
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const r of changes) {
    lo = Math.min(lo, Number(r[1]));
    hi = Math.max(hi, Number(r[2]));
  }
  const lookback = span.lookbackDays * DAY_MS;
  const below = await visitorsBelow(exec, distinct(changes.map((r) => String(r[0]))), span.maxChainHops);
  return conversionsThroughVisitors(exec, below, lo - lookback - DEFAULT_CLOCK_SKEW_MS, hi + lookback);
}

/**
 * Conversions whose path holds a click stored in (from, to] (`received_at`): one the links service
 * spooled while Redis was down and replayed after the conversion naming it was reconciled, or one a
 * chat app's preview that came after it marked (restamped at ingestion). A click is on
 * the path of the conversions that carry its id (lcid), of the other conversions of their visitors (by
 * visitor id, and those without one whose share token is the visitor's own: conversionsOwnedByToken).
 * It is also on the paths through the visitor that landed with it (`visitors.lcid`) and those below it:
 * not looked up here, since a landing stored before its click has no link until the click comes, and
 * relinkVisitors then stamps it (conversionsOfShareGraphChanges finds it). Window: from the
 * earliest click less clock skew to a look-back after the latest: every conversion whose window can hold
 * one of them. The conversions of the same respondent follow as for every seed (touchedConversionIds).
 * Clicks come in on time far more often than late; an on-time click names no conversion yet, so this
 * costs a few indexed look-ups per run (clicks_received_idx, conversions_lcid_idx).
 */
async function conversionsOfLateClicks(exec: Exec, span: TouchedSpan): Promise<ConversionRecord[]> {
  const clicks = (await selectPacked(exec, "id, ts", "clicks WHERE received_at > ? AND received_at <= ?", [span.from, span.to])).map((r) => ({ id: String(r[0]), ts: Number(r[1]) }));
  if (clicks.length === 0) return [];
  const [lo, hi] = tsRange(clicks);
  const [from, to] = [lo - DEFAULT_CLOCK_SKEW_MS, hi + span.lookbackDays * DAY_MS];
  const named = await conversionsSharingKeys(exec, { respondents: [], visitors: [], lcids: clicks.map((c) => c.id) }, from, to);
  const buyers = distinct(named.map((c) => c.visitorId));
  const theirs = [...(await conversionsSharingKeys(exec, { respondents: [], visitors: buyers, lcids: [] }, from, to)), ...(await conversionsOwnedByToken(exec, buyers, from, to))];
  return [...named, ...theirs];
}
