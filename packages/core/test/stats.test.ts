import { describe, expect, it } from "vitest";
import { betaCdf, betaQuantile, logGamma } from "../src/stats/beta.ts";
import { dirichletMix } from "../src/stats/dirichlet.ts";
import { attributionGap } from "../src/stats/gap.ts";
import { explainNaiveDifference, naiveFigure } from "../src/stats/naive.ts";
import { postStratify, type Stratum } from "../src/stats/post-stratify.ts";
import { wilson, wilsonVariance, Z95 } from "../src/stats/wilson.ts";

describe("Wilson interval", () => {
  it("pins the published vector n=100, p=0.25 -> [0.17545, 0.34305]", () => {
    const w = wilson(25, 100)!;
    expect(w.estimate).toBe(0.25);
    expect(w.low.toFixed(5)).toBe("0.17545");
    expect(w.high.toFixed(5)).toBe("0.34305");
  });

  it("stays inside [0, 1] and keeps a width at p = 0 and p = 1", () => {
    const zero = wilson(0, 10)!;
    expect(zero.low).toBe(0);
    expect(zero.high).toBeCloseTo(Z95 ** 2 / (10 + Z95 ** 2), 12); // upper bound at p=0 is z²/(n+z²)
    const all = wilson(10, 10)!;
    expect(all.high).toBeCloseTo(1, 12);
    expect(all.low).toBeCloseTo(10 / (10 + Z95 ** 2), 12);
    expect(wilsonVariance(0, 10)).toBeGreaterThan(0);
  });

  it("has no estimate without a sample and refuses impossible counts", () => {
    expect(wilson(0, 0)).toBeNull();
    expect(() => wilson(5, 4)).toThrow(RangeError);
    expect(() => wilson(-1, 4)).toThrow(RangeError);
  });
});

describe("post-stratified dark share", () => {
  // Worked by hand. Software channels: A 600 conversions, 100 respondents, 20 dark (p=0.2);
  // B 300 conversions, 100 respondents, 50 dark (p=0.5); C 100 conversions, nobody answered.
  // Covered share 0.9, weights within it 2/3 and 1/3: estimate 2/3·0.2 + 1/3·0.5 = 0.3.
  const strata: Stratum[] = [
    { key: "A", conversions: 600, respondents: 100, dark: 20 },
    { key: "B", conversions: 300, respondents: 100, dark: 50 },
    { key: "C", conversions: 100, respondents: 0, dark: 0 },
  ];

  it("re-weights respondents to the software mix of all conversions and reports the stratum nobody answered", () => {
    const e = postStratify(strata);
    expect(e.estimate).toBeCloseTo(0.3, 12);
    expect(e.coveredShare).toBeCloseTo(0.9, 12);
    expect(e.missingStrata).toEqual([{ key: "C", conversions: 100, weight: 0.1 }]);
    // v_s = (sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n))², variance = (2/3)² v_A + (1/3)² v_B.
    const z2 = Z95 ** 2;
    const v = (p: number, n: number) => (Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n)) / (1 + z2 / n)) ** 2;
    const half = Z95 * Math.sqrt((4 / 9) * v(0.2, 100) + (1 / 9) * v(0.5, 100));
    expect(e.low).toBeCloseTo(0.3 - half, 12);
    expect(e.high).toBeCloseTo(0.3 + half, 12);
    expect(e.low!.toFixed(5)).toBe("0.23906");
    expect(e.high!.toFixed(5)).toBe("0.36094");
    // All conversions: the missing 10% could be none or all dark.
    expect(e.bounds!.low).toBeCloseTo((0.3 - half) * 0.9, 12);
    expect(e.bounds!.high).toBeCloseTo((0.3 + half) * 0.9 + 0.1, 12);
  });

  it("gives no number at all when nobody answered", () => {
    const e = postStratify([{ key: "A", conversions: 10, respondents: 0, dark: 0 }]);
    expect([e.estimate, e.low, e.high, e.bounds, e.coveredShare]).toEqual([null, null, null, null, 0]);
    expect(e.missingStrata.map((s) => s.key)).toEqual(["A"]);
  });

  it("refuses more respondents than conversions", () => {
    expect(() => postStratify([{ key: "A", conversions: 1, respondents: 2, dark: 0 }])).toThrow(RangeError);
  });

  it("the naive figure differs when some channels answer more often, and the explanation names them", () => {
    // Naive: 70 dark of 200 answers = 35%, scaled to 1000 conversions = 350.
    const naive = naiveFigure({ conversions: 1000, respondents: 200, darkRespondents: 70, byChannel: { word_of_mouth: 50, organic_search: 150 } });
    expect(naive).toEqual({
      responseRate: 0.2,
      share: 0.35,
      darkConversions: 350,
      byChannel: { word_of_mouth: { share: 0.25, conversions: 250 }, organic_search: { share: 0.75, conversions: 750 } },
    });
    const why = explainNaiveDifference(strata, postStratify(strata));
    expect(why.naive).toBeCloseTo(0.35, 12);
    expect(why.difference).toBeCloseTo(0.05, 12);
    // B holds 50% of answers but 1/3 of covered conversions, and is 50% dark.
    expect(why.skews[0]).toMatchObject({ key: "B", answerShare: 0.5, darkShare: 0.5 });
    expect(why.message).toContain("over-represented");
    expect(why.message).toContain("higher by 5.0 points");
    expect(why.message).toContain("no respondents");
  });
});

describe("Beta quantiles and the Dirichlet channel mix", () => {
  it("log-gamma matches factorials", () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it("matches closed forms: Beta(1,b) and Beta(a,1)", () => {
    for (const p of [0.025, 0.5, 0.975]) {
      expect(betaQuantile(p, 1, 4)).toBeCloseTo(1 - (1 - p) ** (1 / 4), 10);
      expect(betaQuantile(p, 3, 1)).toBeCloseTo(p ** (1 / 3), 10);
    }
    expect(betaCdf(0.5, 2, 2)).toBeCloseTo(0.5, 12);
  });

  it("matches known Beta quantiles (scipy.stats.beta.ppf)", () => {
    const known: [number, number, number, number][] = [
      [10.5, 20.5, 0.1859787502, 0.5111481492],
      [0.5, 30.5, 0.0000162319, 0.0796781738],
      [3, 7, 0.0748546314, 0.6000935737],
      [50.5, 50.5, 0.4031739509, 0.5968260491],
      [1.5, 99.5, 0.0010811017, 0.0457788966],
    ];
    for (const [a, b, lo, hi] of known) {
      expect(betaQuantile(0.025, a, b)).toBeCloseTo(lo, 9);
      expect(betaQuantile(0.975, a, b)).toBeCloseTo(hi, 9);
    }
    expect(betaCdf(0.3, 10.5, 20.5)).toBeCloseTo(0.3372221224, 9);
  });

  it("gives each channel the Beta marginal of Dirichlet(counts + 1/2)", () => {
    // 3 channels, counts 10, 20, 0 (N=30, K=3): marginals Beta(10.5, 21), Beta(20.5, 11), Beta(0.5, 31).
    const mix = dirichletMix({ messaging: 10, organic_search: 20, podcast: 0 });
    expect(mix.map((m) => m.key)).toEqual(["messaging", "organic_search", "podcast"]);
    expect(mix[0]!.share).toBeCloseTo(1 / 3, 12);
    expect(mix[0]!.mean).toBeCloseTo(10.5 / 31.5, 12);
    const known = [
      [0.1826523229, 0.5040541402],
      [0.4791707828, 0.8042806344],
      [0.0000159679, 0.0784350192],
    ];
    mix.forEach((m, i) => {
      expect(m.low).toBeCloseTo(known[i]![0]!, 9);
      expect(m.high).toBeCloseTo(known[i]![1]!, 9);
    });
    // Two channels: Beta(10.5, 20.5), the first of the known quantiles above.
    expect(dirichletMix({ a: 10, b: 20 })[0]!.low).toBeCloseTo(0.1859787502, 9);
  });

  it("uses a uniform prior when asked", () => {
    const [m] = dirichletMix([{ key: "a", count: 2 }, { key: "b", count: 6 }], { prior: 1 });
    expect(m!.low).toBeCloseTo(0.0748546314, 9); // Beta(3, 7)
  });
});

describe("attribution gap", () => {
  it("compares software last-touch credits with answers extrapolated per software channel", () => {
    // organic_search: 800 conversions, 100 answers: 60 search, 40 word of mouth.
    // messaging: 200 conversions, 50 answers: all word of mouth. direct: 100 conversions, no answer.
    const gap = attributionGap({
      software: { organic_search: 800, messaging: 200, direct: 100 },
      strata: [
        { key: "organic_search", conversions: 800, respondents: 100, selfReported: { organic_search: 60, word_of_mouth: 40 } },
        { key: "messaging", conversions: 200, respondents: 50, selfReported: { word_of_mouth: 50 } },
        { key: "direct", conversions: 100, respondents: 0, selfReported: {} },
      ],
    });
    const row = (c: string) => gap.rows.find((r) => r.channel === c)!;
    expect(row("organic_search")).toEqual({ channel: "organic_search", software: 800, selfReported: 480, absolute: -320, relative: -0.4 });
    expect(row("word_of_mouth")).toEqual({ channel: "word_of_mouth", software: 0, selfReported: 520, absolute: 520, relative: null });
    expect(row("messaging")).toEqual({ channel: "messaging", software: 200, selfReported: 0, absolute: -200, relative: -1 });
    expect(gap.uncoveredConversions).toBe(100);
    expect(gap.coveredShare).toBeCloseTo(1000 / 1100, 12);
    expect(gap.rows[0]!.channel).toBe("word_of_mouth");
  });

  it("the ratio method scales all answers to all conversions alike", () => {
    const gap = attributionGap({
      method: "ratio",
      software: { organic_search: 100 },
      strata: [
        { key: "organic_search", conversions: 80, respondents: 10, selfReported: { podcast: 5, organic_search: 5 } },
        { key: "direct", conversions: 20, respondents: 0, selfReported: {} },
      ],
    });
    expect(gap.rows.find((r) => r.channel === "podcast")!.selfReported).toBe(50);
    expect(gap.uncoveredConversions).toBe(0);
  });
});
