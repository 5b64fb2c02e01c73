import { betaQuantile } from "./beta.ts";

export interface MixShare {
  key: string;
  count: number;
  /** count / total: the observed share. */
  share: number;
  /** Posterior mean (count + prior) / (total + K·prior). */
  mean: number;
  low: number;
  high: number;
}

export interface MixOptions {
  /** Dirichlet prior per category: 0.5 (Jeffreys, the default) or 1 (uniform). */
  prior?: number;
  /** Interval level, default 0.95. */
  level?: number;
}

/**
 * Channel mix with Dirichlet-multinomial intervals. With counts c_1..c_K (N in all) and a symmetric
 * Dirichlet(α) prior, the posterior of the shares is Dirichlet(c + α), and the share of one channel
 * is Beta(c_k + α, N + Kα − c_k − α). Its 2.5% and 97.5% quantiles are the interval: it never leaves
 * [0, 1] and a channel nobody named still gets an upper bound instead of a flat zero.
 * Every category to report must be in `counts`, zeros included (K is the number of keys).
 */
export function dirichletMix(counts: Record<string, number> | ReadonlyArray<{ key: string; count: number }>, options: MixOptions = {}): MixShare[] {
  const alpha = options.prior ?? 0.5;
  const level = options.level ?? 0.95;
  if (!(alpha > 0)) throw new RangeError("prior must be positive");
  if (!(level > 0 && level < 1)) throw new RangeError("level must be in (0, 1)");
  const entries = Array.isArray(counts) ? counts.map((c) => [c.key, c.count] as const) : Object.entries(counts as Record<string, number>);
  for (const [key, c] of entries) if (!(Number.isFinite(c) && c >= 0)) throw new RangeError(`count of ${key} must be a non-negative number`);
  const k = entries.length;
  const total = entries.reduce((s, [, c]) => s + c, 0);
  const tail = (1 - level) / 2;
  return entries.map(([key, count]) => {
    const a = count + alpha;
    const b = total + k * alpha - a;
    return {
      key,
      count,
      share: total > 0 ? count / total : 0,
      mean: a / (a + b),
      low: betaQuantile(tail, a, b),
      high: betaQuantile(1 - tail, a, b),
    };
  });
}
