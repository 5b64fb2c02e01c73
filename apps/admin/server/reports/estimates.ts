/**
 * The statistics of the reports, from @lantern/core's stats (Wilson, post-stratification,
 * Dirichlet-multinomial mix, naive figure, attribution gap), shaped the way the API returns them.
 * Nothing is computed here that core does not compute.
 */
import {
  type AnswerCheck,
  type AnswerCheckCounts,
  attributionGap as coreGap,
  type DarkShareStratum,
  dirichletMix,
  estimateDarkShare,
  explainNaiveDifference,
  type GapStratum,
  type MixStratum,
  naiveFigure,
  postStratifiedMix,
  wilson,
} from "@lantern/core";

export type { AnswerCheckCounts, DarkShareStratum, MixStratum };

export interface Interval {
  estimate: number | null;
  low: number | null;
  high: number | null;
}

/** Dark share among respondents with its Wilson 95% interval. */
export function darkShareRespondents(dark: number, n: number): Interval {
  const w = wilson(dark, n);
  return { estimate: w?.estimate ?? null, low: w?.low ?? null, high: w?.high ?? null };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** What the answer check says, in a sentence, or why there is none. */
function answerCheckSentence(check: AnswerCheck | null, corrected: number | null): string {
  if (!check) {
    return "No buyer whom software saw arrive through a private channel has answered yet, so answer noise cannot be measured and the interval covers sampling only.";
  }
  return (
    `Answer check: of ${check.respondents} buyers software saw arrive through a private channel, ${check.namedDark} (${pct(check.sensitivity)}) named one; ` +
    `if buyers software did not see under-report private sharing as often, the dark share is ${pct(corrected ?? 0)}. The interval runs up to the lowest rate the check allows.`
  );
}

/** Why the interval reaches below the estimate further than sampling does, in a sentence (or nothing). */
function unnamedSentence(strata: readonly DarkShareStratum[], unnamedNotDark: number | null, estimate: number | null): string {
  const unnamed = strata.reduce((sum, s) => sum + (s.unnamed ?? 0), 0);
  if (unnamed === 0 || unnamedNotDark === null || estimate === null) return "";
  return (
    ` ${unnamed} buyers answered without naming a channel ("I don't remember", or text no rule placed) and are left out; ` +
    `if none of them came through a private channel the dark share would be ${pct(unnamedNotDark)}, so the interval reaches down to that.`
  );
}

/**
 * Dark share of all conversions: answers at face value, post-stratified by software channel, with an
 * interval that covers answer noise as the answer check measures it and answers that named nothing
 * (see estimateDarkShare). Missing strata are listed, not filled in.
 */
export function darkShareAll(strata: readonly DarkShareStratum[], check: AnswerCheckCounts | null) {
  const p = estimateDarkShare(strata, check);
  return {
    estimate: p.estimate,
    low: p.low,
    high: p.high,
    faceValue: p.faceValue,
    corrected: p.corrected,
    unnamedNotDark: p.unnamedNotDark,
    answerCheck: p.answerCheck,
    coverage: p.conversions > 0 ? p.coveredShare : null,
    bounds: p.bounds,
    missing: p.missingStrata,
    explanation: `${explainNaiveDifference(strata, p).message} ${answerCheckSentence(p.answerCheck, p.corrected)}${unnamedSentence(strata, p.unnamedNotDark, p.estimate)}`,
  };
}

export function naiveDarkShare(input: { darkRespondents: number; respondents: number; conversions: number }) {
  const n = naiveFigure(input);
  return { estimate: n.share, darkConversions: n.darkConversions };
}

/** Channel mix with Dirichlet-multinomial 95% intervals; `keys` are all categories (zeros included). */
export function channelMix(counts: ReadonlyMap<string, number>, keys: readonly string[]) {
  const all = new Set([...keys, ...counts.keys()]);
  return dirichletMix([...all].map((key) => ({ key, count: counts.get(key) ?? 0 })));
}

/** The channel mix of all conversions, re-weighted like the dark share (post-stratified by software channel). */
export function estimatedChannelMix(strata: readonly MixStratum[]) {
  return postStratifiedMix(strata);
}

export function attributionGap(software: ReadonlyMap<string, number>, strata: readonly GapStratum[]) {
  return coreGap({ software: Object.fromEntries(software), strata });
}
