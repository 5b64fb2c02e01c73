/**
 * Seeded randomness: the same seed gives the same world, bit for bit, on every machine.
 *
 * xoshiro128** (Blackman & Vigna) on 32-bit integers, seeded through splitmix32. Only integer
 * arithmetic (Math.imul, shifts) feeds the state, so results do not depend on the platform.
 * `fork(label)` derives an independent stream from the parent's seed and a label: each part of the
 * world draws from its own stream, so adding draws in one part does not shift every other part.
 */

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a over a string: turns labels into seeds. */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export interface Weighted<T> {
  value: T;
  weight: number;
}

export class Random {
  readonly seed: number;
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    const sm = splitmix32(this.seed);
    this.a = sm();
    this.b = sm();
    this.c = sm();
    this.d = sm();
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1; // the all-zero state is a fixed point
  }

  /** The next 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    return result;
  }

  /** Uniform in [0, 1), 53 bits. */
  float(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!(n >= 1)) throw new RangeError(`int(n) needs n >= 1, got ${n}`);
    return Math.floor(this.float() * n);
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** True with probability p. Always draws one number, even for p of 0 or 1, so streams stay aligned. */
  chance(p: number): boolean {
    const x = this.float();
    return p >= 1 ? true : p <= 0 ? false : x < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick() from an empty list");
    return items[this.int(items.length)]!;
  }

  /** One value, with probability proportional to its weight (weights >= 0, at least one > 0). */
  weighted<T>(items: readonly Weighted<T>[]): T {
    let total = 0;
    for (const it of items) total += it.weight;
    if (!(total > 0)) throw new RangeError("weighted() needs a positive total weight");
    let x = this.float() * total;
    for (const it of items) {
      x -= it.weight;
      if (x < 0) return it.value;
    }
    return items[items.length - 1]!.value;
  }

  /** Standard normal (Marsaglia's polar method). */
  normal(): number {
    if (this.spareNormal !== null) {
      const s = this.spareNormal;
      this.spareNormal = null;
      return s;
    }
    for (;;) {
      const u = this.float() * 2 - 1;
      const v = this.float() * 2 - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const m = Math.sqrt((-2 * Math.log(s)) / s);
        this.spareNormal = v * m;
        return u * m;
      }
    }
  }

  /** Log-normal with the given median and sigma (spread of the log). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  /** Poisson count (Knuth for small means, a rounded normal for large ones). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }

  /** An independent stream for one part of the world. */
  fork(label: string): Random {
    return new Random(hashString(label, this.seed ^ 0x9e3779b9));
  }

  /** A random token over [A-Za-z0-9], usable in ids (BullMQ job ids, share tokens). */
  token(length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += ALPHABET[this.int(ALPHABET.length)];
    return out;
  }
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
