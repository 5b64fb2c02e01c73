import { DAY_MS } from "@lantern/core";
import { candidatesFor, conversionsSharingKeys, toConversion, toResponse } from "./load.ts";
import { distinct, type Exec, selectPacked, tsRange } from "./sql.ts";

/**
 * The conversions an incremental run must reconcile: those received in (from, to], those whose answer
 * was received in that span, the conversions an answer without a conversion id may now belong to, and
 * the conversions whose look-back window a new conversion falls into (same respondent or visitor, whose
 * paths borrow its click) or that compete with it for a nearby answer (same click).
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

  if (fresh.length > 0) {
    const [lo, hi] = tsRange(fresh);
    const neighbours = await conversionsSharingKeys(
      exec,
      { respondents: distinct(fresh.map((c) => c.respondentHash)), visitors: distinct(fresh.map((c) => c.visitorId)), lcids: distinct(fresh.map((c) => c.lcid)) },
      lo - DAY_MS,
      hi + span.lookbackDays * DAY_MS,
    );
    for (const c of neighbours) ids.add(c.id);
  }
  return ids;
}
