import { type ConversionRecord, DAY_MS, DEFAULT_CLOCK_SKEW_MS } from "@lantern/core";
import { candidatesFor, conversionsSharingKeys, toConversion, toResponse } from "./load.ts";
import { distinct, type Exec, selectPacked, tsRange } from "./sql.ts";

/**
 * The conversions an incremental run must reconcile: those received in (from, to], those whose answer
 * was received in that span, the conversions an answer without a conversion id may now belong to, the
 * conversions whose visitor got a visit in that span inside their look-back window, and the conversions
 * whose look-back window one of the new or visited conversions falls into (same respondent or visitor,
 * whose paths borrow its click and visits) or that compete with it for a nearby answer (same click).
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
    const neighbours = await conversionsSharingKeys(
      exec,
      { respondents: distinct(seeds.map((c) => c.respondentHash)), visitors: distinct(seeds.map((c) => c.visitorId)), lcids: distinct(seeds.map((c) => c.lcid)) },
      lo - DAY_MS,
      hi + span.lookbackDays * DAY_MS,
    );
    for (const c of neighbours) ids.add(c.id);
  }
  return ids;
}

/**
 * Conversions of the visitors that got a visit received in (from, to], from the earliest such visit (less
 * clock skew) to a look-back after the latest: every path those visits can be on.
 */
async function conversionsOfNewVisits(exec: Exec, span: { from: number; to: number; lookbackDays: number }): Promise<ConversionRecord[]> {
  const visits = (await selectPacked(exec, "visitor_id, ts", "visits WHERE received_at > ? AND received_at <= ?", [span.from, span.to])).map((r) => ({
    visitorId: String(r[0]),
    ts: Number(r[1]),
  }));
  if (visits.length === 0) return [];
  const [lo, hi] = tsRange(visits);
  const keys = { respondents: [], visitors: distinct(visits.map((v) => v.visitorId)), lcids: [] };
  return conversionsSharingKeys(exec, keys, lo - DEFAULT_CLOCK_SKEW_MS, hi + span.lookbackDays * DAY_MS);
}
