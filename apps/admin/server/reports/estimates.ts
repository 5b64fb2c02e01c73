/**
 * The statistics of the reports, from @lantern/core's stats (Wilson, post-stratification,
 * Dirichlet-multinomial mix, naive figure, attribution gap), shaped the way the API returns them.
 * Nothing is computed here that core does not compute.
 */
import { attributionGap as coreGap, dirichletMix, explainNaiveDifference, naiveFigure, postStratify, wilson, type GapStratum, type Stratum } from "@lantern/core";

export type { Stratum };

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

/** Dark share of all conversions, post-stratified by software channel; missing strata are listed, not filled in. */
export function darkShareAll(strata: readonly Stratum[]) {
  const p = postStratify(strata);
  return {
    estimate: p.estimate,
    low: p.low,
    high: p.high,
    coverage: p.conversions > 0 ? p.coveredShare : null,
    bounds: p.bounds,
    missing: p.missingStrata,
    explanation: explainNaiveDifference(strata, p).message,
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

export function attributionGap(software: ReadonlyMap<string, number>, strata: readonly GapStratum[]) {
  return coreGap({ software: Object.fromEntries(software), strata });
}
