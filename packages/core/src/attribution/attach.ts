import { type ConversionRecord, DAY_MS, type ResponseRecord } from "./types.ts";

export const ANSWER_ATTACH_WINDOW_MS = DAY_MS;

const byTsThenId = (a: { ts: number; id: string }, b: { ts: number; id: string }) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Which answer belongs to which conversion.
 *
 * An answer that came with conversion fields names its conversion (ingestion stored that conversion
 * and set `conversionId`). An answer without one (a widget shown before checkout, a server-side call
 * without an order) is tied to the nearest conversion in time, within `windowMs` either side, of the
 * same respondent, visitor or click; an answer with none near stays an answer only (answer statistics
 * count it, attribution does not). A conversion with an answer of its own ignores answers that are
 * merely near it. For the result to be right, `conversions` must hold every conversion that shares a
 * respondent, visitor or click with an unattached answer within the window (the worker loads them).
 */
export function attachResponses(
  conversions: readonly ConversionRecord[],
  responses: readonly ResponseRecord[],
  windowMs = ANSWER_ATTACH_WINDOW_MS,
): Map<string, ResponseRecord> {
  const byId = new Map(conversions.map((c) => [c.id, c]));
  const byKey = new Map<string, ConversionRecord[]>();
  for (const c of conversions) {
    for (const key of keysOf(c)) {
      const list = byKey.get(key);
      if (list) list.push(c);
      else byKey.set(key, [c]);
    }
  }

  const explicit = new Map<string, ResponseRecord[]>();
  const near = new Map<string, { r: ResponseRecord; distance: number }[]>();
  for (const r of responses) {
    if (r.conversionId !== null) {
      if (byId.has(r.conversionId)) (explicit.get(r.conversionId) ?? explicit.set(r.conversionId, []).get(r.conversionId)!).push(r);
      continue;
    }
    let best: ConversionRecord | null = null;
    let bestDistance = Number.POSITIVE_INFINITY;
    const seen = new Set<string>();
    for (const key of keysOf(r)) {
      for (const c of byKey.get(key) ?? []) {
        if (seen.has(c.id)) continue;
        seen.add(c.id);
        const distance = Math.abs(c.ts - r.ts);
        if (distance > windowMs) continue;
        if (distance < bestDistance || (distance === bestDistance && best !== null && byTsThenId(c, best) < 0)) {
          best = c;
          bestDistance = distance;
        }
      }
    }
    if (best) (near.get(best.id) ?? near.set(best.id, []).get(best.id)!).push({ r, distance: bestDistance });
  }

  const out = new Map<string, ResponseRecord>();
  for (const [conversionId, list] of explicit) out.set(conversionId, [...list].sort(byTsThenId)[0]!);
  for (const [conversionId, list] of near) {
    if (out.has(conversionId)) continue;
    const sorted = [...list].sort((a, b) => a.distance - b.distance || byTsThenId(a.r, b.r));
    out.set(conversionId, sorted[0]!.r);
  }
  return out;
}

function keysOf(x: { respondentHash: string | null; visitorId: string | null; lcid: string | null }): string[] {
  const keys: string[] = [];
  if (x.respondentHash) keys.push(`r:${x.respondentHash}`);
  if (x.visitorId) keys.push(`v:${x.visitorId}`);
  if (x.lcid) keys.push(`c:${x.lcid}`);
  return keys;
}
