import type { PostStratifiedEstimate, Stratum } from "./post-stratify.ts";

export interface NaiveInput {
  conversions: number;
  respondents: number;
  darkRespondents: number;
  /** Respondents per self-reported channel (optional). */
  byChannel?: Record<string, number>;
}

export interface NaiveFigure {
  responseRate: number | null;
  /** darkRespondents / respondents: the share survey tools print. */
  share: number | null;
  /** The same share scaled up by the response rate: darkRespondents / responseRate. */
  darkConversions: number | null;
  byChannel: Record<string, { share: number; conversions: number }>;
}

/**
 * The figure a survey tool shows: the respondents' shares taken as the shares of all conversions
 * (each answer stands for 1 / response-rate conversions). It assumes the people who answer are like
 * the people who do not, which is what post-stratification does not assume.
 */
export function naiveFigure(input: NaiveInput): NaiveFigure {
  const { conversions, respondents, darkRespondents } = input;
  if (![conversions, respondents, darkRespondents].every((x) => Number.isFinite(x) && x >= 0) || darkRespondents > respondents || respondents > conversions) {
    throw new RangeError("need 0 <= darkRespondents <= respondents <= conversions");
  }
  const responseRate = conversions > 0 ? respondents / conversions : null;
  const share = respondents > 0 ? darkRespondents / respondents : null;
  const byChannel: NaiveFigure["byChannel"] = {};
  if (respondents > 0) {
    for (const [channel, n] of Object.entries(input.byChannel ?? {})) byChannel[channel] = { share: n / respondents, conversions: (n / respondents) * conversions };
  }
  return { responseRate, share, darkConversions: share === null ? null : share * conversions, byChannel };
}

export interface StratumSkew {
  key: string;
  /** Share of the answers that came from this stratum. */
  answerShare: number;
  /** Share of all conversions in this stratum. */
  conversionShare: number;
  responseRate: number;
  darkShare: number | null;
  /** How much this stratum moves the naive figure away from the post-stratified one (answerShare − conversionShare) × (darkShare − estimate). */
  effect: number;
}

export interface NaiveDifference {
  naive: number | null;
  postStratified: number | null;
  /** naive − postStratified (covered strata only). */
  difference: number | null;
  /** Strata ordered by how much they explain the difference. */
  skews: StratumSkew[];
  message: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * Why the naive and the post-stratified figures differ: strata that answered more (or less) often
 * than their share of conversions pull the naive share toward their own dark share.
 */
export function explainNaiveDifference(strata: readonly Stratum[], estimate: PostStratifiedEstimate): NaiveDifference {
  const respondents = strata.reduce((s, x) => s + x.respondents, 0);
  const dark = strata.reduce((s, x) => s + x.dark, 0);
  const naive = respondents > 0 ? dark / respondents : null;
  const post = estimate.estimate;
  const covered = strata.filter((s) => s.respondents > 0 && s.conversions > 0);
  const coveredConversions = covered.reduce((s, x) => s + x.conversions, 0);
  const skews: StratumSkew[] = covered
    .map((s) => {
      const answerShare = s.respondents / respondents;
      const conversionShare = s.conversions / coveredConversions;
      const darkShare = s.dark / s.respondents;
      return { key: s.key, answerShare, conversionShare, responseRate: s.respondents / s.conversions, darkShare, effect: (answerShare - conversionShare) * (darkShare - (post ?? 0)) };
    })
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect) || (a.key < b.key ? -1 : 1));
  const difference = naive !== null && post !== null ? naive - post : null;

  let message: string;
  if (naive === null || post === null || difference === null) message = "No answers yet: neither figure can be computed.";
  else if (Math.abs(difference) < 0.0005) message = `The naive figure (${pct(naive)}) and the post-stratified one (${pct(post)}) agree: respondents are spread across software channels like all conversions.`;
  else {
    const top = skews[0]!;
    const more = top.answerShare > top.conversionShare ? "over-represented" : "under-represented";
    message =
      `The naive figure (${pct(naive)}) counts every answer that names a channel alike; the post-stratified one (${pct(post)}) weights answers by the software channel of all conversions. ` +
      `Conversions from ${top.key} are ${more} among respondents (${pct(top.answerShare)} of answers, ${pct(top.conversionShare)} of conversions) ` +
      `and ${pct(top.darkShare ?? 0)} of them are dark, so the naive figure is ${difference > 0 ? "higher" : "lower"} by ${(Math.abs(difference) * 100).toFixed(1)} points.`;
  }
  if (estimate.missingStrata.length > 0) {
    message += ` ${estimate.missingStrata.length} software channel(s) with ${pct(1 - estimate.coveredShare)} of conversions have no respondents and are not covered by either figure's sample.`;
  }
  return { naive, postStratified: post, difference, skews, message };
}
