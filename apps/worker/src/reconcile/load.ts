import type { ArrivalRecord, ClickRecord, ConversionRecord, LinkRecord, ResponseRecord, VisitorRecord, VisitRecord } from "@lantern/core";
import { DAY_MS, DEFAULT_CLOCK_SKEW_MS, darkChannelKeys } from "@lantern/core";
import { distinct, type Exec, IN_LIST, selectAll, selectPacked, selectPackedByKeys, tsRange } from "./sql.ts";

/**
 * Set-based loading: every look-up takes the keys of a whole slice of conversions at once
 * (`IN (json_each(?))` over an indexed column), never one query per conversion.
 */

type Packed = unknown[];
const s = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

const CONVERSION_COLS = "id, ts, value, lcid, visitor_id, share_token, respondent_hash";
export const toConversion = (r: Packed): ConversionRecord => ({
  id: String(r[0]),
  ts: Number(r[1]),
  value: n(r[2]),
  lcid: s(r[3]),
  visitorId: s(r[4]),
  shareToken: s(r[5]),
  respondentHash: s(r[6]),
});

const CLICK_COLS = "id, ts, link_id, channel, source, rule, referrer_host, in_app, unfurl_app";
const toClick = (r: Packed): ClickRecord => ({
  id: String(r[0]),
  ts: Number(r[1]),
  linkId: String(r[2]),
  channel: String(r[3]),
  source: s(r[4]),
  rule: String(r[5]),
  referrerHost: s(r[6]),
  inApp: s(r[7]),
  unfurlApp: s(r[8]),
});

const VISITOR_COLS = "visitor_id, share_token, lcid, link_id, parent_visitor_id, generation";
const toVisitor = (r: Packed): VisitorRecord => ({
  visitorId: String(r[0]),
  shareToken: s(r[1]),
  lcid: s(r[2]),
  linkId: s(r[3]),
  parentVisitorId: s(r[4]),
  generation: Number(r[5]),
});

const ARRIVAL_COLS = "id, ts, visitor_id, parent_visitor_id, share_token, generation, link_id, referrer_host, in_app, channel, source, rule, dark";
const toArrival = (r: Packed): ArrivalRecord => ({
  id: String(r[0]),
  ts: Number(r[1]),
  visitorId: String(r[2]),
  parentVisitorId: s(r[3]),
  shareToken: String(r[4]),
  generation: Number(r[5]),
  linkId: s(r[6]),
  referrerHost: s(r[7]),
  inApp: s(r[8]),
  channel: String(r[9]),
  source: s(r[10]),
  rule: String(r[11]),
  dark: Number(r[12]) === 1,
});

const VISIT_COLS = "id, ts, visitor_id, referrer_host, in_app, channel, source, rule";
const toVisit = (r: Packed): VisitRecord => ({
  id: String(r[0]),
  ts: Number(r[1]),
  visitorId: String(r[2]),
  referrerHost: s(r[3]),
  inApp: s(r[4]),
  channel: String(r[5]),
  source: s(r[6]),
  rule: String(r[7]),
});

const RESPONSE_COLS = "id, ts, conversion_id, channel, source, rule, confidence, option_id, respondent_hash, visitor_id, lcid";
export const toResponse = (r: Packed): ResponseRecord => ({
  id: String(r[0]),
  ts: Number(r[1]),
  conversionId: s(r[2]),
  channel: s(r[3]),
  source: s(r[4]),
  rule: String(r[5]),
  confidence: n(r[6]),
  optionId: s(r[7]),
  respondentHash: s(r[8]),
  visitorId: s(r[9]),
  lcid: s(r[10]),
});

export async function loadLinks(exec: Exec): Promise<Map<string, LinkRecord>> {
  const rows = await selectPacked(exec, "id, channel, source, campaign", "links");
  return new Map(rows.map((r) => [String(r[0]), { id: String(r[0]), channel: s(r[1]), source: s(r[2]), campaign: s(r[3]) }]));
}

/** The instance's dark channels (defaults with the `channels` table's edits over them), or null when nothing was edited. */
export async function loadDarkChannels(exec: Exec): Promise<Set<string> | null> {
  const rows = await selectAll(exec, "SELECT key, dark FROM channels");
  if (rows.length === 0) return null;
  return darkChannelKeys(rows.map((r) => ({ key: String(r.key), dark: Number(r.dark) === 1 })));
}

export async function conversionsByIds(exec: Exec, ids: Iterable<string>): Promise<ConversionRecord[]> {
  return (await selectPackedByKeys(exec, ids, CONVERSION_COLS, `conversions WHERE id IN ${IN_LIST}`)).map(toConversion);
}

/**
 * Every conversion, in id order: a full run writes its slices in primary-key order, so the inserts
 * append to the attribution tables' key indexes instead of landing all over them (several times
 * faster on SQLite once the tables outgrow the page cache).
 */
export async function allConversions(exec: Exec): Promise<ConversionRecord[]> {
  return (await selectPacked(exec, CONVERSION_COLS, "conversions")).map(toConversion).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Conversions that share a respondent, a visitor or a click with the given keys, within [from, to]. */
export async function conversionsSharingKeys(
  exec: Exec,
  keys: { respondents: Iterable<string>; visitors: Iterable<string>; lcids: Iterable<string> },
  from: number,
  to: number,
): Promise<ConversionRecord[]> {
  const range = "AND ts >= ? AND ts <= ?";
  const rows = [
    ...(await selectPackedByKeys(exec, keys.respondents, CONVERSION_COLS, `conversions WHERE respondent_hash IN ${IN_LIST} ${range}`, [], [from, to])),
    ...(await selectPackedByKeys(exec, keys.visitors, CONVERSION_COLS, `conversions WHERE visitor_id IN ${IN_LIST} ${range}`, [], [from, to])),
    ...(await selectPackedByKeys(exec, keys.lcids, CONVERSION_COLS, `conversions WHERE lcid IN ${IN_LIST} ${range}`, [], [from, to])),
  ];
  const byId = new Map<string, ConversionRecord>();
  for (const r of rows) byId.set(String(r[0]), toConversion(r));
  return [...byId.values()];
}

/**
 * Conversions without a visitor id whose share token is one of `visitors`' own, within [from, to]: the
 * token's owner is their visitor (identity.ts), so its visits and the clicks of its other conversions
 * are on their paths. `+visitor_id` keeps SQLite on the share-token index: most conversions of the API
 * have no visitor id, so that index would find them all.
 */
export async function conversionsOwnedByToken(exec: Exec, visitors: Iterable<string>, from: number, to: number): Promise<ConversionRecord[]> {
  const owned = `conversions WHERE share_token IN (SELECT share_token FROM visitors WHERE visitor_id IN ${IN_LIST}) AND +visitor_id IS NULL AND ts >= ? AND ts <= ?`;
  return (await selectPackedByKeys(exec, visitors, CONVERSION_COLS, owned, [], [from, to])).map(toConversion);
}

/**
 * Conversions within [from, to] whose path walks through one of `visitors`: theirs by visitor id, and
 * those carrying one of their share tokens, with or without a visitor id (identity.ts: the token's
 * owner is then the buyer, or the sharer whose URL the buyer opened).
 */
export async function conversionsThroughVisitors(exec: Exec, visitors: Iterable<string>, from: number, to: number): Promise<ConversionRecord[]> {
  const ids = [...new Set(visitors)];
  const carrying = `conversions WHERE share_token IN (SELECT share_token FROM visitors WHERE visitor_id IN ${IN_LIST}) AND ts >= ? AND ts <= ?`;
  const rows = [
    ...(await selectPackedByKeys(exec, ids, CONVERSION_COLS, `conversions WHERE visitor_id IN ${IN_LIST} AND ts >= ? AND ts <= ?`, [], [from, to])),
    ...(await selectPackedByKeys(exec, ids, CONVERSION_COLS, carrying, [], [from, to])),
  ];
  return [...new Map(rows.map((r) => [String(r[0]), toConversion(r)])).values()];
}

/**
 * `seeds` and every visitor below them in the share graph, up to `maxHops` generations down: those whose
 * path walks up through a seed (identity.ts follows sharers up to maxChainHops). A visitor's children
 * are those it is the recorded sharer of and those who arrived through its share token (an arrival's
 * sharer is its token's owner, known or not when it was stored).
 */
export async function visitorsBelow(exec: Exec, seeds: Iterable<string>, maxHops: number): Promise<string[]> {
  const reached = new Set(seeds);
  let frontier = [...reached];
  for (let hop = 0; hop < maxHops && frontier.length > 0; hop++) {
    const children = [
      ...(await selectPackedByKeys(exec, frontier, "visitor_id", `visitors WHERE parent_visitor_id IN ${IN_LIST}`)),
      ...(await selectPackedByKeys(exec, frontier, "visitor_id", `arrivals WHERE share_token IN (SELECT share_token FROM visitors WHERE visitor_id IN ${IN_LIST})`)),
    ];
    frontier = distinct(children.map((r) => s(r[0]))).filter((id) => !reached.has(id));
    for (const id of frontier) reached.add(id);
  }
  return [...reached];
}

export interface SliceData {
  clicks: ClickRecord[];
  visitors: VisitorRecord[];
  arrivals: ArrivalRecord[];
  /** Untagged visits of the buyers (the conversions' own visitors), inside the slice's look-back windows. */
  visits: VisitRecord[];
  /** The slice's conversions plus their neighbours (same respondent or visitor). */
  conversions: ConversionRecord[];
  /** Answers that name one of the slice's conversions. */
  responses: ResponseRecord[];
}

/** Every conversion by respondent and by visitor: a full run has them all in memory already. */
export interface ConversionLookup {
  byRespondent: Map<string, ConversionRecord[]>;
  byVisitor: Map<string, ConversionRecord[]>;
}

export function conversionLookup(conversions: readonly ConversionRecord[]): ConversionLookup {
  const lookup: ConversionLookup = { byRespondent: new Map(), byVisitor: new Map() };
  const push = (map: Map<string, ConversionRecord[]>, key: string, c: ConversionRecord) => {
    const list = map.get(key);
    if (list) list.push(c);
    else map.set(key, [c]);
  };
  for (const c of conversions) {
    if (c.respondentHash) push(lookup.byRespondent, c.respondentHash, c);
    if (c.visitorId) push(lookup.byVisitor, c.visitorId, c);
  }
  return lookup;
}

/**
 * Everything the identity rules need for a slice of conversions, in a handful of queries: respondents'
 * earlier conversions, visitors (by id and by share token), their arrivals and other conversions, the
 * buyers' untagged visits, the share graph up to `maxHops` generations, the clicks all of these name,
 * and the answers.
 */
export async function loadSlice(
  exec: Exec,
  slice: readonly ConversionRecord[],
  options: { lookbackDays: number; maxHops: number },
  known?: ConversionLookup,
): Promise<SliceData> {
  if (slice.length === 0) return { clicks: [], visitors: [], arrivals: [], visits: [], conversions: [], responses: [] };
  const [minTs, maxTs] = tsRange(slice);
  const lookback = options.lookbackDays * DAY_MS;

  const hashes = distinct(slice.map((c) => c.respondentHash));
  const neighbours = known
    ? hashes.flatMap((h) => known.byRespondent.get(h) ?? []).filter((c) => c.ts >= minTs - lookback && c.ts <= maxTs)
    : (
        await selectPackedByKeys(exec, hashes, CONVERSION_COLS, `conversions WHERE respondent_hash IN ${IN_LIST} AND ts >= ? AND ts <= ?`, [], [minTs - lookback, maxTs])
      ).map(toConversion);
  const own = [...slice, ...neighbours];

  const visitors = new Map<string, VisitorRecord>();
  const arrivals = new Map<string, ArrivalRecord>();
  const addVisitors = (rows: Packed[]) => {
    const added: string[] = [];
    for (const r of rows) {
      const v = toVisitor(r);
      if (!visitors.has(v.visitorId)) {
        visitors.set(v.visitorId, v);
        added.push(v.visitorId);
      }
    }
    return added;
  };
  const visitorsBy = async (ids: string[], tokens: string[]) => [
    ...(await selectPackedByKeys(exec, ids, VISITOR_COLS, `visitors WHERE visitor_id IN ${IN_LIST}`)),
    ...(await selectPackedByKeys(exec, tokens, VISITOR_COLS, `visitors WHERE share_token IN ${IN_LIST}`)),
  ];

  const firstVisitors = addVisitors(await visitorsBy(distinct(own.map((c) => c.visitorId)), distinct(own.map((c) => c.shareToken))));
  const visitorConversions = known
    ? firstVisitors.flatMap((v) => known.byVisitor.get(v) ?? [])
    : (await selectPackedByKeys(exec, firstVisitors, CONVERSION_COLS, `conversions WHERE visitor_id IN ${IN_LIST}`)).map(toConversion);

  // The buyers' own visits (a conversion without a visitor id is its share token's owner's, as in identity.ts).
  const tokenOwners = new Map([...visitors.values()].filter((v) => v.shareToken).map((v) => [v.shareToken, v.visitorId]));
  const buyers = distinct(own.map((c) => c.visitorId ?? (c.shareToken ? tokenOwners.get(c.shareToken) : null)));
  const visits = (
    await selectPackedByKeys(exec, buyers, VISIT_COLS, `visits WHERE visitor_id IN ${IN_LIST} AND ts >= ? AND ts <= ?`, [], [minTs - lookback, maxTs + DEFAULT_CLOCK_SKEW_MS])
  ).map(toVisit);

  // Walk up the share graph: each round loads the arrivals of the newest visitors and their sharers.
  let frontier = firstVisitors;
  for (let hop = 0; hop <= options.maxHops && frontier.length > 0; hop++) {
    const rows = await selectPackedByKeys(exec, frontier, ARRIVAL_COLS, `arrivals WHERE visitor_id IN ${IN_LIST}`);
    const fresh = rows.map(toArrival).filter((a) => !arrivals.has(a.id));
    for (const a of fresh) arrivals.set(a.id, a);
    const parentIds = distinct([...frontier.map((id) => visitors.get(id)?.parentVisitorId), ...fresh.map((a) => a.parentVisitorId)]).filter((id) => !visitors.has(id));
    const orphanTokens = distinct(fresh.filter((a) => a.parentVisitorId === null).map((a) => a.shareToken));
    frontier = addVisitors(await visitorsBy(parentIds, orphanTokens));
  }

  const lcids = distinct([...own.map((c) => c.lcid), ...visitorConversions.map((c) => c.lcid), ...[...visitors.values()].map((v) => v.lcid)]);
  const clicks = (await selectPackedByKeys(exec, lcids, CLICK_COLS, `clicks WHERE id IN ${IN_LIST}`)).map(toClick);
  const responses = (await selectPackedByKeys(exec, slice.map((c) => c.id), RESPONSE_COLS, `survey_responses WHERE conversion_id IN ${IN_LIST}`)).map(toResponse);

  return { clicks, visitors: [...visitors.values()], arrivals: [...arrivals.values()], visits, conversions: [...own, ...visitorConversions], responses };
}

/**
 * Answers without a conversion id that may belong to `conversions` (same respondent, visitor or click,
 * within a day), and every conversion they could belong to, so that "nearest" is decided with all
 * candidates in view. In a full run (`conversions` = null) that is every such answer.
 */
export async function loadLooseAnswers(exec: Exec, conversions: readonly ConversionRecord[] | null): Promise<{ responses: ResponseRecord[]; candidates: ConversionRecord[] }> {
  let rows: Packed[];
  if (conversions === null) {
    rows = await selectPacked(exec, RESPONSE_COLS, "survey_responses WHERE conversion_id IS NULL AND (respondent_hash IS NOT NULL OR visitor_id IS NOT NULL OR lcid IS NOT NULL)");
  } else {
    if (conversions.length === 0) return { responses: [], candidates: [] };
    const [lo, hi] = tsRange(conversions);
    const from = lo - DAY_MS;
    const to = hi + DAY_MS;
    const where = `conversion_id IS NULL AND ts >= ? AND ts <= ?`;
    rows = [
      ...(await selectPackedByKeys(exec, distinct(conversions.map((c) => c.respondentHash)), RESPONSE_COLS, `survey_responses WHERE ${where} AND respondent_hash IN ${IN_LIST}`, [from, to])),
      ...(await selectPackedByKeys(exec, distinct(conversions.map((c) => c.visitorId)), RESPONSE_COLS, `survey_responses WHERE ${where} AND visitor_id IN ${IN_LIST}`, [from, to])),
      ...(await selectPackedByKeys(exec, distinct(conversions.map((c) => c.lcid)), RESPONSE_COLS, `survey_responses WHERE ${where} AND lcid IN ${IN_LIST}`, [from, to])),
    ];
  }
  const responses = [...new Map(rows.map((r) => [String(r[0]), toResponse(r)])).values()];
  const candidates = await candidatesFor(exec, responses);
  return { responses, candidates };
}

/** Conversions an unattached answer could be tied to: same respondent, visitor or click, within a day. */
export async function candidatesFor(exec: Exec, responses: readonly { ts: number; respondentHash: string | null; visitorId: string | null; lcid: string | null }[]): Promise<ConversionRecord[]> {
  if (responses.length === 0) return [];
  const [lo, hi] = tsRange(responses);
  const from = lo - DAY_MS;
  const to = hi + DAY_MS;
  return conversionsSharingKeys(
    exec,
    { respondents: distinct(responses.map((r) => r.respondentHash)), visitors: distinct(responses.map((r) => r.visitorId)), lcids: distinct(responses.map((r) => r.lcid)) },
    from,
    to,
  );
}
