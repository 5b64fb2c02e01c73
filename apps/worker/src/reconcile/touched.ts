import { type ConversionRecord, DAY_MS, DEFAULT_CLOCK_SKEW_MS } from "@lantern/core";
import { candidatesFor, conversionsOwnedByToken, conversionsSharingKeys, toConversion, toResponse } from "./load.ts";
import { distinct, type Exec, selectPacked, tsRange } from "./sql.ts";

/**
 * The conversions an incremental run must reconcile: those received in (from, to], those whose answer
 * was received in that span, the conversions an answer without a conversion id may now belong to, the
 * conversions whose visitor got a visit in that span inside their look-back window, and the conversions
 * whose look-back window one of the new or visited conversions falls into (same respondent or visitor,
 * whose paths borrow its click and visits) or that compete with it for a nearby answer (same click).
 * A conversion without a visitor id is its share token's owner's (identity.ts): it counts as that
 * visitor's for visits and for the clicks of the visitor's other conversions (conversionsOwnedByToken).
 */
export async function touchedConversionIds(exec: Exec, span: { from: number; to: number; lookbackDays: number }): Promise<Set<string>> {
  const fresh = (await selectPacked(exec, "id, ts, value, lcid, visitor_id, share_token, respondent_hash", "conversions WHERE received_at > ? AND received_at <= ?", [span.from, span.to])).map(
    toConversion,
  );
  const answers = (
    await selectPacked(
      exec,
      "id, ts, conversion_id, channel, source, rule, confidence, option_id, respondent_hash, visitor_id, lcid",
      "survey_responses WHERE received_at > ? AND received_at <= ?",
      [span.from, span.to],
    )
  ).map(toResponse);

  const ids = new Set(fresh.map((c) => c.id));
  for (const a of answers) if (a.conversionId) ids.add(a.conversionId);

  const loose = answers.filter((a) => a.conversionId === null);
  for (const c of await candidatesFor(exec, loose)) ids.add(c.id);

  const visited = await conversionsOfNewVisits(exec, span);
  for (const c of visited) ids.add(c.id);

  const seeds = [...fresh, ...visited];
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
async function conversionsOfNewVisits(exec: Exec, span: { from: number; to: number; lookbackDays: number }): Promise<ConversionRecord[]> {
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
