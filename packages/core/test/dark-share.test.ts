import { describe, expect, it } from "vitest";
import { betaQuantile } from "../src/stats/beta.ts";
import { type DarkShareStratum, estimateDarkShare } from "../src/stats/dark-share.ts";
import { postStratify } from "../src/stats/post-stratify.ts";
import { wilsonVariance, Z95 } from "../src/stats/wilson.ts";

const strata: DarkShareStratum[] = [
  { key: "direct", conversions: 600, respondents: 100, dark: 40, confirmed: 10 },
  { key: "social", conversions: 400, respondents: 100, dark: 20, confirmed: 0 },
];

describe("estimateDarkShare", () => {
  it("without an answer check it is the post-stratified share and its sampling interval", () => {
    const e = estimateDarkShare(strata, null);
    const p = postStratify(strata);
    expect([e.estimate, e.low, e.high]).toEqual([p.estimate, p.low, p.high]);
    expect(e.faceValue).toEqual({ low: p.low, high: p.high });
    expect([e.corrected, e.answerCheck]).toEqual([null, null]);
    expect(estimateDarkShare(strata, { respondents: 0, namedDark: 0 }).answerCheck).toBeNull();
  });

  it("puts back the dark buyers the survey missed, at the rate the check measured, and widens the interval up to the check's lowest rate", () => {
    const e = estimateDarkShare(strata, { respondents: 50, namedDark: 40 });
    // Face value: 0.6 x 40% + 0.4 x 20%.
    expect(e.estimate).toBeCloseTo(0.32, 12);
    expect(e.low).toBe(postStratify(strata).low);
    // Check: 40 of 50 confirmed buyers named a dark channel; Beta(41, 11) interval.
    expect(e.answerCheck).toEqual({ respondents: 50, namedDark: 40, sensitivity: 0.8, low: betaQuantile(0.025, 41, 11), high: betaQuantile(0.975, 41, 11) });
    // direct: 10 confirmed (10%) stay; the 30 of 90 others are divided by 0.8 -> 0.1 + 0.9 x 0.41667 = 0.475.
    // social: 20% / 0.8 = 25%. Corrected: 0.6 x 0.475 + 0.4 x 0.25 = 0.385.
    expect(e.corrected).toBeCloseTo(0.385, 12);
    // Upper end: the corrected share plus, in quadrature, how far it moves at the check's 2.5%
    // quantile and its sampling margin.
    const at = (s: number) => 0.6 * (0.1 + 0.9 * (30 / 90 / s)) + 0.4 * (0.2 / s);
    const lowest = betaQuantile(0.025, 41, 11);
    const variance = ((0.6 * 0.9) ** 2 * wilsonVariance(30, 90)!) / 0.8 ** 2 + (0.4 ** 2 * wilsonVariance(20, 100)!) / 0.8 ** 2;
    expect(e.high).toBeCloseTo(0.385 + Math.sqrt((at(lowest) - 0.385) ** 2 + Z95 ** 2 * variance), 12);
    expect(e.high!).toBeGreaterThan(e.faceValue.high!);
    expect(e.bounds).toEqual({ low: postStratify(strata).bounds!.low, high: e.high });
  });

  it("reaches down to the share with every answer that named nothing counted as not dark, and no further", () => {
    const withUnnamed = strata.map((s) => ({ ...s, unnamed: s.key === "direct" ? 100 : 0 }));
    const e = estimateDarkShare(withUnnamed, { respondents: 50, namedDark: 40 });
    const asNotDark = postStratify([
      { key: "direct", conversions: 600, respondents: 200, dark: 40 },
      { key: "social", conversions: 400, respondents: 100, dark: 20 },
    ]);
    // The estimate stays at face value; only the low end moves: direct 40 of 200 instead of 40 of 100.
    expect(e.estimate).toBeCloseTo(0.32, 12);
    expect(e.unnamedNotDark).toBeCloseTo(0.6 * 0.2 + 0.4 * 0.2, 12);
    expect(e.low).toBe(asNotDark.low);
    expect(e.low!).toBeLessThan(e.faceValue.low!);
    expect(e.bounds!.low).toBe(asNotDark.low);
    // Without answers that named nothing, the low end is the face value's sampling low.
    const without = estimateDarkShare(strata, { respondents: 50, namedDark: 40 });
    expect(without.low).toBe(without.faceValue.low);
    expect(without.unnamedNotDark).toBeCloseTo(0.32, 12);
  });

  it("a survey that recognises every confirmed dark buyer changes nothing but the margin", () => {
    const e = estimateDarkShare(strata, { respondents: 2000, namedDark: 2000 });
    expect(e.corrected).toBeCloseTo(e.estimate!, 12);
    // The check's lowest rate is 99.8%: the upper end moves by a hair.
    expect(e.high! - e.faceValue.high!).toBeLessThan(0.002);
  });

  it("the fewer buyers checked, the wider the interval", () => {
    const widths = [10, 40, 160, 640].map((n) => {
      const e = estimateDarkShare(strata, { respondents: n, namedDark: Math.round(n * 0.75) });
      return e.high! - e.low!;
    });
    for (let i = 1; i < widths.length; i++) expect(widths[i]!).toBeLessThan(widths[i - 1]!);
  });

  it("a stratum never goes above 100%, and software-confirmed respondents are never divided", () => {
    const allConfirmed: DarkShareStratum[] = [{ key: "messaging", conversions: 10, respondents: 5, dark: 5, confirmed: 5 }];
    expect(estimateDarkShare(allConfirmed, { respondents: 5, namedDark: 1 }).corrected).toBe(1);
    const none = estimateDarkShare(strata, { respondents: 10, namedDark: 0 });
    // A survey that named no confirmed buyer's channel cannot see dark social: every stratum with a dark answer is all dark.
    expect(none.corrected).toBeCloseTo(1, 12);
    expect(none.high).toBe(1);
  });

  it("strata nobody answered stay missing, and the bounds say what they could hold", () => {
    const e = estimateDarkShare([...strata, { key: "email", conversions: 1000, respondents: 0, dark: 0, confirmed: 0 }], { respondents: 50, namedDark: 40 });
    expect(e.coveredShare).toBeCloseTo(0.5, 12);
    expect(e.missingStrata).toEqual([{ key: "email", conversions: 1000, weight: 0.5 }]);
    expect(e.bounds!.high).toBeCloseTo(Math.min(1, e.high! * 0.5 + 0.5), 12);
  });

  it("refuses impossible counts", () => {
    expect(() => estimateDarkShare([{ key: "a", conversions: 10, respondents: 5, dark: 2, confirmed: 3 }], null)).toThrow(RangeError);
    expect(() => estimateDarkShare(strata, { respondents: 5, namedDark: 6 })).toThrow(RangeError);
    expect(() => estimateDarkShare([{ key: "a", conversions: 10, respondents: 5, dark: 2, confirmed: 0, unnamed: 6 }], null)).toThrow(RangeError);
    expect(() => estimateDarkShare([{ key: "a", conversions: 10, respondents: 5, dark: 2, confirmed: 0, unnamed: -1 }], null)).toThrow(RangeError);
    expect(() => estimateDarkShare(strata, { respondents: 5.5, namedDark: 1 })).toThrow(RangeError);
  });

  it("covers the truth in at least 95% of simulated surveys that under-report dark buyers", () => {
    // A world with a known truth: 60% of conversions dark; dark buyers name a dark channel with
    // probability 0.7 whether or not software saw them; non-dark buyers never do. Software confirms
    // 20% of the dark ones. 200 surveys of 300 respondents each, from a fixed seed.
    let seed = 42;
    const random = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const truth = 0.6;
    let covered = 0;
    let faceCovered = 0;
    const runs = 200;
    for (let run = 0; run < runs; run++) {
      const s = { key: "all", conversions: 1000, respondents: 300, dark: 0, confirmed: 0 };
      const check = { respondents: 0, namedDark: 0 };
      for (let i = 0; i < s.respondents; i++) {
        const dark = random() < truth;
        const confirmed = dark && random() < 0.2;
        const namesDark = dark && random() < 0.7;
        if (confirmed) {
          check.respondents++;
          if (namesDark) check.namedDark++;
        }
        if (confirmed || namesDark) s.dark++;
        if (confirmed) s.confirmed++;
      }
      const e = estimateDarkShare([s], check);
      if (e.low! <= truth && truth <= e.high!) covered++;
      if (e.faceValue.low! <= truth && truth <= e.faceValue.high!) faceCovered++;
    }
    expect(covered / runs).toBeGreaterThanOrEqual(0.95);
    // The sampling interval alone almost never does: answer noise is the larger error.
    expect(faceCovered / runs).toBeLessThan(0.2);
  });
});
