import type { ArrivalRecord, ClickRecord, ConversionRecord, LinkRecord, ResponseRecord, VisitorRecord } from "@lantern/core";
import { DAY_MS } from "@lantern/core";
import { distinct, type Exec, IN_LIST, num, type Row, selectAll, selectByKeys, str, tsRange } from "./sql.ts";

/**
 * Set-based loading: every look-up takes the keys of a whole slice of conversions at once
 * (`IN (json_each(?))` over an indexed column), never one query per conversion.
 */

const CONVERSION_COLS = "id, ts, value, lcid, visitor_id, share_token, respondent_hash";
export const toConversion = (r: Row): ConversionRecord => ({
  id: String(r.id),
  ts: Number(r.ts),
  value: num(r.value),
  lcid: str(r.lcid),
  visitorId: str(r.visitor_id),
  shareToken: str(r.share_token),
  respondentHash: str(r.respondent_hash),
});

const CLICK_COLS = "id, ts, link_id, channel, source, rule, referrer_host, in_app, unfurl_app";
const toClick = (r: Row): ClickRecord => ({
  id: String(r.id),
  ts: Number(r.ts),
  linkId: String(r.link_id),
  channel: String(r.channel),
  source: str(r.source),
  rule: String(r.rule),
  referrerHost: str(r.referrer_host),
  inApp: str(r.in_app),
  unfurlApp: str(r.unfurl_app),
});

const VISITOR_COLS = "visitor_id, share_token, lcid, link_id, parent_visitor_id, generation";
const toVisitor = (r: Row): VisitorRecord => ({
  visitorId: String(r.visitor_id),
  shareToken: str(r.share_token),
  lcid: str(r.lcid),
  linkId: str(r.link_id),
  parentVisitorId: str(r.parent_visitor_id),
  generation: Number(r.generation),
});

const ARRIVAL_COLS = "id, ts, visitor_id, parent_visitor_id, share_token, generation, link_id, referrer_host, in_app, channel, source, rule, dark";
const toArrival = (r: Row): ArrivalRecord => ({
  id: String(r.id),
  ts: Number(r.ts),
  visitorId: String(r.visitor_id),
  parentVisitorId: str(r.parent_visitor_id),
  shareToken: String(r.share_token),
  generation: Number(r.generation),
  linkId: str(r.link_id),
  referrerHost: str(r.referrer_host),
  inApp: str(r.in_app),
  channel: String(r.channel),
  source: str(r.source),
  rule: String(r.rule),
  dark: Number(r.dark) === 1,
});

const RESPONSE_COLS = "id, ts, conversion_id, channel, source, rule, confidence, option_id, respondent_hash, visitor_id, lcid";
export const toResponse = (r: Row): ResponseRecord => ({
  id: String(r.id),
  ts: Number(r.ts),
  conversionId: str(r.conversion_id),
  channel: str(r.channel),
  source: str(r.source),
  rule: String(r.rule),
  confidence: num(r.confidence),
  optionId: str(r.option_id),
  respondentHash: str(r.respondent_hash),
  visitorId: str(r.visitor_id),
  lcid: str(r.lcid),
});

export async function loadLinks(exec: Exec): Promise<Map<string, LinkRecord>> {
  const rows = await selectAll(exec, "SELECT id, channel, source, campaign FROM links");
  return new Map(rows.map((r) => [String(r.id), { id: String(r.id), channel: str(r.channel), source: str(r.source), campaign: str(r.campaign) }]));
}

/** The instance's dark channels (the editable `channels` table), or null to use the defaults. */
export async function loadDarkChannels(exec: Exec): Promise<Set<string> | null> {
  const rows = await selectAll(exec, "SELECT key, dark FROM channels");
  if (rows.length === 0) return null;
  return new Set(rows.filter((r) => Number(r.dark) === 1).map((r) => String(r.key)));
}

export async function conversionsByIds(exec: Exec, ids: Iterable<string>): Promise<ConversionRecord[]> {
  return (await selectByKeys(exec, ids, `SELECT ${CONVERSION_COLS} FROM conversions WHERE id IN ${IN_LIST}`)).map(toConversion);
}

/**
 * Every conversion, in id order: a full run writes its slices in primary-key order, so the inserts
 * append to the attribution tables' key indexes instead of landing all over them (several times
 * faster on SQLite once the tables outgrow the page cache).
 */
export async function allConversions(exec: Exec): Promise<ConversionRecord[]> {
  return (await selectAll(exec, `SELECT ${CONVERSION_COLS} FROM conversions ORDER BY id`)).map(toConversion);
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
    ...(await selectByKeys(exec, keys.respondents, `SELECT ${CONVERSION_COLS} FROM conversions WHERE respondent_hash IN ${IN_LIST} ${range}`, [], [from, to])),
    ...(await selectByKeys(exec, keys.visitors, `SELECT ${CONVERSION_COLS} FROM conversions WHERE visitor_id IN ${IN_LIST} ${range}`, [], [from, to])),
    ...(await selectByKeys(exec, keys.lcids, `SELECT ${CONVERSION_COLS} FROM conversions WHERE lcid IN ${IN_LIST} ${range}`, [], [from, to])),
  ];
  const byId = new Map<string, ConversionRecord>();
  for (const r of rows) byId.set(String(r.id), toConversion(r));
  return [...byId.values()];
}

export interface SliceData {
  clicks: ClickRecord[];
  visitors: VisitorRecord[];
  arrivals: ArrivalRecord[];
  /** The slice's conversions plus their neighbours (same respondent or visitor). */
  conversions: ConversionRecord[];
  /** Answers that name one of the slice's conversions. */
  responses: ResponseRecord[];
}

/**
 * Everything the identity rules need for a slice of conversions, in a handful of queries: respondents'
 * earlier conversions, visitors (by id and by share token), their arrivals and other conversions, the
 * share graph up to `maxHops` generations, the clicks all of these name, and the answers.
 */
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

export async function loadSlice(
  exec: Exec,
  slice: readonly ConversionRecord[],
  options: { lookbackDays: number; maxHops: number },
  known?: ConversionLookup,
): Promise<SliceData> {
  if (slice.length === 0) return { clicks: [], visitors: [], arrivals: [], conversions: [], responses: [] };
  const [minTs, maxTs] = tsRange(slice);
  const lookback = options.lookbackDays * DAY_MS;

  const hashes = distinct(slice.map((c) => c.respondentHash));
  const neighbours = known
    ? hashes.flatMap((h) => known.byRespondent.get(h) ?? []).filter((c) => c.ts >= minTs - lookback && c.ts <= maxTs)
    : (
        await selectByKeys(exec, hashes, `SELECT ${CONVERSION_COLS} FROM conversions WHERE respondent_hash IN ${IN_LIST} AND ts >= ? AND ts <= ?`, [], [minTs - lookback, maxTs])
      ).map(toConversion);
  const own = [...slice, ...neighbours];

  const visitors = new Map<string, VisitorRecord>();
  const arrivals = new Map<string, ArrivalRecord>();
  const addVisitors = (rows: Row[]) => {
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
    ...(await selectByKeys(exec, ids, `SELECT ${VISITOR_COLS} FROM visitors WHERE visitor_id IN ${IN_LIST}`)),
    ...(await selectByKeys(exec, tokens, `SELECT ${VISITOR_COLS} FROM visitors WHERE share_token IN ${IN_LIST}`)),
  ];

  const firstVisitors = addVisitors(await visitorsBy(distinct(own.map((c) => c.visitorId)), distinct(own.map((c) => c.shareToken))));
  const visitorConversions = known
    ? firstVisitors.flatMap((v) => known.byVisitor.get(v) ?? [])
    : (await selectByKeys(exec, firstVisitors, `SELECT ${CONVERSION_COLS} FROM conversions WHERE visitor_id IN ${IN_LIST}`)).map(toConversion);

  // Walk up the share graph: each round loads the arrivals of the newest visitors and their sharers.
  let frontier = firstVisitors;
  for (let hop = 0; hop <= options.maxHops && frontier.length > 0; hop++) {
    const rows = await selectByKeys(exec, frontier, `SELECT ${ARRIVAL_COLS} FROM arrivals WHERE visitor_id IN ${IN_LIST}`);
    const fresh = rows.map(toArrival).filter((a) => !arrivals.has(a.id));
    for (const a of fresh) arrivals.set(a.id, a);
    const parentIds = distinct([...frontier.map((id) => visitors.get(id)?.parentVisitorId), ...fresh.map((a) => a.parentVisitorId)]).filter((id) => !visitors.has(id));
    const orphanTokens = distinct(fresh.filter((a) => a.parentVisitorId === null).map((a) => a.shareToken));
    frontier = addVisitors(await visitorsBy(parentIds, orphanTokens));
  }

  const lcids = distinct([...own.map((c) => c.lcid), ...visitorConversions.map((c) => c.lcid), ...[...visitors.values()].map((v) => v.lcid)]);
  const clicks = (await selectByKeys(exec, lcids, `SELECT ${CLICK_COLS} FROM clicks WHERE id IN ${IN_LIST}`)).map(toClick);
  const responses = (await selectByKeys(exec, slice.map((c) => c.id), `SELECT ${RESPONSE_COLS} FROM survey_responses WHERE conversion_id IN ${IN_LIST}`)).map(toResponse);

  return { clicks, visitors: [...visitors.values()], arrivals: [...arrivals.values()], conversions: [...own, ...visitorConversions], responses };
}

/**
 * Answers without a conversion id that may belong to `conversions` (same respondent, visitor or click,
 * within a day), and every conversion they could belong to, so that "nearest" is decided with all
 * candidates in view. In a full run (`conversions` = null) that is every such answer.
 */
export async function loadLooseAnswers(exec: Exec, conversions: readonly ConversionRecord[] | null): Promise<{ responses: ResponseRecord[]; candidates: ConversionRecord[] }> {
  let rows: Row[];
  if (conversions === null) {
    rows = await selectAll(exec, `SELECT ${RESPONSE_COLS} FROM survey_responses WHERE conversion_id IS NULL AND (respondent_hash IS NOT NULL OR visitor_id IS NOT NULL OR lcid IS NOT NULL)`);
  } else {
    if (conversions.length === 0) return { responses: [], candidates: [] };
    const [lo, hi] = tsRange(conversions);
    const from = lo - DAY_MS;
    const to = hi + DAY_MS;
    const where = `conversion_id IS NULL AND ts >= ? AND ts <= ?`;
    rows = [
      ...(await selectByKeys(exec, distinct(conversions.map((c) => c.respondentHash)), `SELECT ${RESPONSE_COLS} FROM survey_responses WHERE ${where} AND respondent_hash IN ${IN_LIST}`, [from, to])),
      ...(await selectByKeys(exec, distinct(conversions.map((c) => c.visitorId)), `SELECT ${RESPONSE_COLS} FROM survey_responses WHERE ${where} AND visitor_id IN ${IN_LIST}`, [from, to])),
      ...(await selectByKeys(exec, distinct(conversions.map((c) => c.lcid)), `SELECT ${RESPONSE_COLS} FROM survey_responses WHERE ${where} AND lcid IN ${IN_LIST}`, [from, to])),
    ];
  }
  const responses = [...new Map(rows.map((r) => [String(r.id), toResponse(r)])).values()];
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
