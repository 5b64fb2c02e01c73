/**
 * z for a two-sided 95% interval. 1.96 is the value published tables use (Newcombe 1998; the Wilson
 * vector n=100, p=0.25 -> [0.17545, 0.34305]); the exact 97.5th percentile, 1.959964, moves the fifth decimal.
 */
export const Z95 = 1.96;

export interface ProportionInterval {
  /** The observed proportion successes / n. */
  estimate: number;
  low: number;
  high: number;
  n: number;
}

function check(successes: number, n: number): void {
  if (!Number.isFinite(n) || n < 0 || !Number.isFinite(successes) || successes < 0 || successes > n) {
    throw new RangeError(`need 0 <= successes <= n, got ${successes} of ${n}`);
  }
}

/**
 * Wilson score interval for a proportion. Unlike p ± z·sqrt(p(1-p)/n) it stays inside [0, 1] and
 * keeps a width when p is 0 or 1 or n is small, which is what survey samples look like.
 * Returns null for n = 0: no sample, no estimate.
 */
export function wilson(successes: number, n: number, z = Z95): ProportionInterval | null {
  check(successes, n);
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { estimate: p, low: Math.max(0, center - half), high: Math.min(1, center + half), n };
}

/**
 * The variance implied by the Wilson interval: ((high - low) / 2z)^2. Used to combine strata: it is
 * never 0, even for a stratum where every respondent (or none) said dark.
 */
export function wilsonVariance(successes: number, n: number, z = Z95): number | null {
  check(successes, n);
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const sd = Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n)) / (1 + z2 / n);
  return sd * sd;
}
