import { wilson, wilsonVariance, Z95 } from "./wilson.ts";

/** One stratum: all conversions whose software channel is `key`, and the respondents among them. */
export interface Stratum {
  key: string;
  conversions: number;
  respondents: number;
  /** Respondents whose conversion is dark (or, generally, who have the property being estimated). */
  dark: number;
}

export interface StratumEstimate extends Stratum {
  /** Share of all conversions in this stratum (W_s). */
  weight: number;
  /** dark / respondents, with its Wilson interval; null when no one in the stratum answered. */
  share: number | null;
  low: number | null;
  high: number | null;
}

export interface PostStratifiedEstimate {
  /**
   * Dark share of the conversions in strata that have respondents, each stratum weighted by its share
   * of all conversions. Null when no stratum has a respondent.
   */
  estimate: number | null;
  low: number | null;
  high: number | null;
  /** Share of all conversions the estimate covers (strata with at least one respondent). */
  coveredShare: number;
  conversions: number;
  respondents: number;
  /** Strata with conversions but no respondent: reported, never filled in. */
  missingStrata: { key: string; conversions: number; weight: number }[];
  /**
   * What the dark share of ALL conversions can be, whatever the missing strata hold: the estimate's
   * interval with the missing conversions all non-dark (low) or all dark (high).
   */
  bounds: { low: number; high: number } | null;
  strata: StratumEstimate[];
}

function validate(s: Stratum): void {
  const ok = [s.conversions, s.respondents, s.dark].every((x) => Number.isFinite(x) && x >= 0) && s.dark <= s.respondents && s.respondents <= s.conversions;
  if (!ok) throw new RangeError(`stratum ${s.key}: need 0 <= dark <= respondents <= conversions`);
}

/**
 * Post-stratified dark share of all conversions. Respondents are not a random sample: people who came
 * through some channels answer more often than others. Within each software channel (a stratum, known
 * for every conversion) the respondents' dark share p_s is estimated, and the strata are weighted by
 * their share of all conversions W_s, not by their share of answers:
 *
 *   estimate = Σ W_s p_s / Σ W_s                 (over strata with respondents)
 *   variance = Σ (W_s / Σ W_s)^2 v_s             (v_s: the variance implied by the stratum's Wilson interval)
 *   interval = estimate ± z·sqrt(variance), clipped to [0, 1]
 *
 * A stratum without respondents has no p_s; it is listed in `missingStrata`, `coveredShare` says how
 * much of the total the estimate speaks for, and `bounds` says what the whole can be.
 */
export function postStratify(strata: readonly Stratum[], z = Z95): PostStratifiedEstimate {
  strata.forEach(validate);
  const conversions = strata.reduce((s, x) => s + x.conversions, 0);
  const respondents = strata.reduce((s, x) => s + x.respondents, 0);
  const estimates: StratumEstimate[] = strata.map((s) => {
    const w = wilson(s.dark, s.respondents, z);
    return { ...s, weight: conversions > 0 ? s.conversions / conversions : 0, share: w?.estimate ?? null, low: w?.low ?? null, high: w?.high ?? null };
  });
  const covered = estimates.filter((s) => s.respondents > 0 && s.conversions > 0);
  const coveredShare = covered.reduce((sum, s) => sum + s.weight, 0);
  const missingStrata = estimates.filter((s) => s.respondents === 0 && s.conversions > 0).map((s) => ({ key: s.key, conversions: s.conversions, weight: s.weight }));
  const empty = { estimate: null, low: null, high: null, coveredShare, conversions, respondents, missingStrata, bounds: null, strata: estimates };
  if (covered.length === 0 || coveredShare === 0) return empty;

  let estimate = 0;
  let variance = 0;
  for (const s of covered) {
    const w = s.weight / coveredShare;
    estimate += w * s.share!;
    variance += w * w * wilsonVariance(s.dark, s.respondents, z)!;
  }
  const half = z * Math.sqrt(variance);
  const low = Math.max(0, estimate - half);
  const high = Math.min(1, estimate + half);
  const missing = 1 - coveredShare;
  return {
    ...empty,
    estimate,
    low,
    high,
    bounds: { low: low * coveredShare, high: Math.min(1, high * coveredShare + missing) },
  };
}
