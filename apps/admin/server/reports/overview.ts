import { sql } from "drizzle-orm";
import type { Db } from "@lantern/db";
import type { ChannelLookup } from "./taxonomy.ts";
import { dayBounds, type Range } from "./range.ts";
import { type AnswerCheckCounts, channelMix, darkShareAll, darkShareRespondents, type DarkShareStratum, estimatedChannelMix, type MixStratum, naiveDarkShare } from "./estimates.ts";

/**
 * Conversions of a range grouped by what the estimates need. The covering index is in GROUP BY
 * order and holds every column read, so this is one pass over the index with no sort (ten times
 * faster than a ts-range search plus a sort at 100k conversions). The answer's facts, stored by the
 * reconciler: `answerNamed` (the answer names a channel; "I don't remember" and text no rule placed
 * do not), `softwareDark` (software saw a dark touch), `answerDark` (the answer names a dark channel).
 */
interface ConversionGroup extends GroupFacts {
  blended: string;
  value: number;
}

export interface GroupFacts {
  software: string;
  responded: number;
  dark: number;
  answerNamed: number;
  softwareDark: number;
  answerDark: number;
  n: number;
}

export async function conversionGroups(db: Db, range: Range): Promise<ConversionGroup[]> {
  return db.all<ConversionGroup>(sql`
    SELECT software_channel AS software, blended_channel AS blended, responded, dark,
           answer_named AS answerNamed, software_dark AS softwareDark, answer_dark AS answerDark,
           count(*) AS n, coalesce(sum(value), 0) AS value
    FROM conversion_attribution INDEXED BY conv_attr_report_idx
    WHERE ts >= ${range.from} AND ts < ${range.to}
    GROUP BY software_channel, responded, dark, blended_channel, answer_named, software_dark, answer_dark`);
}

/** A respondent the estimates count: the answer names a channel, or software saw a dark touch. */
const counted = (g: GroupFacts) => g.responded && (g.answerNamed || g.softwareDark);

/**
 * Strata by software channel (all conversions; respondents whose answer names a channel or whom
 * software saw arrive through a private one; the dark and the software-confirmed among them) and the
 * answer check (respondents software saw arrive through a private channel who named a channel, and
 * how many named a dark one). An answer naming nothing is item non-response (`unnamed`, see estimateDarkShare).
 */
export function strataOf(groups: readonly GroupFacts[]): { strata: DarkShareStratum[]; check: AnswerCheckCounts } {
  const by = new Map<string, DarkShareStratum>();
  const check = { respondents: 0, namedDark: 0 };
  for (const g of groups) {
    const s = by.get(g.software) ?? { key: g.software, conversions: 0, respondents: 0, dark: 0, confirmed: 0, unnamed: 0 };
    s.conversions += g.n;
    if (g.responded && !counted(g)) s.unnamed! += g.n;
    if (counted(g)) {
      s.respondents += g.n;
      if (g.dark) s.dark += g.n;
      if (g.softwareDark) s.confirmed += g.n;
      if (g.answerNamed && g.softwareDark) {
        check.respondents += g.n;
        if (g.answerDark) check.namedDark += g.n;
      }
    }
    by.set(g.software, s);
  }
  return { strata: [...by.values()], check };
}

/** Per software channel, the counted respondents' blended channels (see strataOf for who counts). */
export function mixStrataOf(groups: readonly (GroupFacts & { blended: string })[]): MixStratum[] {
  const by = new Map<string, { key: string; conversions: number; respondents: number; byChannel: Record<string, number> }>();
  for (const g of groups) {
    const s = by.get(g.software) ?? { key: g.software, conversions: 0, respondents: 0, byChannel: {} };
    s.conversions += g.n;
    if (counted(g)) {
      s.respondents += g.n;
      s.byChannel[g.blended] = (s.byChannel[g.blended] ?? 0) + g.n;
    }
    by.set(g.software, s);
  }
  return [...by.values()];
}

async function linkTotals(db: Db, range: Range) {
  const days = dayBounds(range);
  if (!days) return { clicks: 0, unfurls: 0, reshares: 0 };
  const [row] = await db.all<{ clicks: number | null; unfurls: number | null; reshares: number | null }>(sql`
    SELECT sum(clicks) AS clicks, sum(unfurls) AS unfurls, sum(reshares) AS reshares
    FROM link_daily WHERE day >= ${days.first} AND day <= ${days.last}`);
  return { clicks: row?.clicks ?? 0, unfurls: row?.unfurls ?? 0, reshares: row?.reshares ?? 0 };
}

/**
 * Survey answers and views in the range, both by the time they happened (per survey, on the
 * survey_id+ts indexes), so the answer rate compares like with like: answers imported or replayed
 * later (a backfill, the demo) count on their day, as their views do, not on the day they arrived.
 */
async function surveyCounts(db: Db, range: Range) {
  const [answers] = await db.all<{ n: number }>(sql`
    SELECT count(*) AS n FROM survey_responses
    WHERE survey_id IN (SELECT id FROM surveys) AND ts >= ${range.from} AND ts < ${range.to}`);
  const [views] = await db.all<{ n: number }>(sql`
    SELECT count(*) AS n FROM survey_views
    WHERE survey_id IN (SELECT id FROM surveys) AND ts >= ${range.from} AND ts < ${range.to}`);
  return { answers: answers?.n ?? 0, views: views?.n ?? 0 };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export async function overviewReport(db: Db, range: Range, channel: ChannelLookup, channelKeys: readonly string[]) {
  const [groups, links, survey] = await Promise.all([conversionGroups(db, range), linkTotals(db, range), surveyCounts(db, range)]);
  let conversions = 0;
  let value = 0;
  let respondents = 0;
  let darkConversions = 0;
  const byBlended = new Map<string, number>();
  for (const g of groups) {
    conversions += g.n;
    value += g.value;
    if (g.responded) respondents += g.n;
    if (g.dark) darkConversions += g.n;
    byBlended.set(g.blended, (byBlended.get(g.blended) ?? 0) + g.n);
  }
  const { strata, check } = strataOf(groups);
  // Respondents whose answer named a channel (or whom software saw arrive through a private one).
  const informative = strata.reduce((s, x) => s + x.respondents, 0);
  const darkRespondents = strata.reduce((s, x) => s + x.dark, 0);
  const respondentShare = darkShareRespondents(darkRespondents, informative);
  const all = darkShareAll(strata, check);
  // A survey tool's figure: dark answers over all answers, "I don't remember" included.
  const naive = naiveDarkShare({ darkRespondents, respondents, conversions });
  const mix = channelMix(byBlended, channelKeys);
  const estimatedMix = estimatedChannelMix(mixStrataOf(groups));

  return {
    conversions,
    value,
    respondents,
    responseRate: ratio(respondents, conversions),
    answers: survey.answers,
    views: survey.views,
    answerRate: ratio(survey.answers, survey.views),
    ...links,
    darkConversions,
    darkShare: {
      respondents: { ...respondentShare, dark: darkRespondents, n: informative, noChannel: respondents - informative },
      all: {
        estimate: all.estimate,
        low: all.low,
        high: all.high,
        faceValue: all.faceValue,
        corrected: all.corrected,
        unnamedNotDark: all.unnamedNotDark,
        answerCheck: all.answerCheck,
        coverage: all.coverage,
        bounds: all.bounds,
        missingStrata: all.missing.map((m) => ({ ...channel(m.key), conversions: m.conversions })),
      },
      naive,
      explanation: conversions > 0 ? all.explanation : null,
    },
    topChannels: mix
      .filter((m) => m.count > 0)
      .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
      .slice(0, 8)
      .map((m) => ({ ...channel(m.key), conversions: m.count, share: m.share, low: m.low, high: m.high })),
    // All conversions by channel as estimated: respondents' channels re-weighted by software channel.
    estimatedMix: {
      coverage: all.coverage,
      channels: estimatedMix
        .filter((m) => m.share > 0)
        .map((m) => ({ ...channel(m.channel), share: m.share, low: m.low, high: m.high, conversions: m.share * conversions * (all.coverage ?? 0) })),
    },
  };
}

export type OverviewReport = Awaited<ReturnType<typeof overviewReport>>;

export function overviewCsvRows(r: OverviewReport) {
  const s = r.darkShare;
  return {
    columns: ["metric", "value", "low", "high"],
    rows: [
      ["conversions", r.conversions, null, null],
      ["value", r.value, null, null],
      ["respondents", r.respondents, null, null],
      ["responseRate", r.responseRate, null, null],
      ["answers", r.answers, null, null],
      ["views", r.views, null, null],
      ["answerRate", r.answerRate, null, null],
      ["clicks", r.clicks, null, null],
      ["unfurls", r.unfurls, null, null],
      ["reshares", r.reshares, null, null],
      ["darkConversions", r.darkConversions, null, null],
      ["darkShareRespondents", s.respondents.estimate, s.respondents.low, s.respondents.high],
      ["darkShareAll", s.all.estimate, s.all.low, s.all.high],
      ["darkShareAllFaceValue", s.all.estimate, s.all.faceValue.low, s.all.faceValue.high],
      ["darkShareAllCorrected", s.all.corrected, null, null],
      ["darkShareAllUnnamedNotDark", s.all.unnamedNotDark, null, null],
      ["answerCheckSensitivity", s.all.answerCheck?.sensitivity ?? null, s.all.answerCheck?.low ?? null, s.all.answerCheck?.high ?? null],
      ["darkShareAllCoverage", s.all.coverage, null, null],
      ["darkShareNaive", s.naive.estimate, null, null],
      ...r.topChannels.map((c) => [`channel:${c.channel}`, c.share, c.low, c.high]),
      ...r.estimatedMix.channels.map((c) => [`estimatedChannel:${c.channel}`, c.share, c.low, c.high]),
    ] as (string | number | null)[][],
  };
}
