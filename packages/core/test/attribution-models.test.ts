import { describe, expect, it } from "vitest";
import { lastNonDirectIndex, modelWeights } from "../src/attribution/models.ts";
import { ATTRIBUTION_MODELS, DAY_MS } from "../src/attribution/types.ts";

const T = Date.UTC(2025, 0, 31);
const touch = (daysBefore: number, channel = "social", dark = false) => ({ ts: T - daysBefore * DAY_MS, channel, dark });

const one = [touch(3)];
const two = [touch(10, "organic_search"), touch(2, "messaging", true)];
const three = [touch(14, "social"), touch(7, "direct"), touch(0, "email")];
const four = [touch(20, "social"), touch(10, "direct"), touch(5, "referral"), touch(1, "direct")];

describe("attribution models", () => {
  it("a single touch gets all the credit under every model", () => {
    for (const model of ATTRIBUTION_MODELS) expect(modelWeights(model, one, T)).toEqual([1]);
  });

  it("first touch and last touch credit the ends of the path", () => {
    expect(modelWeights("first_touch", four, T)).toEqual([1, 0, 0, 0]);
    expect(modelWeights("last_touch", four, T)).toEqual([0, 0, 0, 1]);
    expect(modelWeights("first_touch", two, T)).toEqual([1, 0]);
    expect(modelWeights("last_touch", three, T)).toEqual([0, 0, 1]);
  });

  it("last non-direct skips trailing direct touches, and falls back to the last touch when all are direct", () => {
    expect(modelWeights("last_non_direct", four, T)).toEqual([0, 0, 1, 0]);
    expect(modelWeights("last_non_direct", three, T)).toEqual([0, 0, 1]);
    expect(modelWeights("last_non_direct", [touch(3, "direct"), touch(1, "direct")], T)).toEqual([0, 1]);
    expect(lastNonDirectIndex([touch(3, "social"), touch(1, "direct")])).toBe(0);
  });

  it("a dark touch is never direct, whatever its channel key", () => {
    expect(lastNonDirectIndex([touch(3, "social"), touch(1, "direct", true)])).toBe(1);
  });

  it("linear splits evenly", () => {
    expect(modelWeights("linear", two, T)).toEqual([0.5, 0.5]);
    expect(modelWeights("linear", four, T)).toEqual([0.25, 0.25, 0.25, 0.25]);
    const w3 = modelWeights("linear", three, T);
    for (const w of w3) expect(w).toBeCloseTo(1 / 3, 15);
  });

  it("position-based gives 40/20/40, 50/50 for two touches, and splits the middle 20% for four", () => {
    expect(modelWeights("position_based", two, T)).toEqual([0.5, 0.5]);
    expect(modelWeights("position_based", three, T)).toEqual([0.4, 0.2, 0.4]);
    expect(modelWeights("position_based", four, T)).toEqual([0.4, 0.1, 0.1, 0.4]);
  });

  it("time decay halves the weight every 7 days before the conversion, normalised", () => {
    // 14, 7 and 0 days before: raw 1/4, 1/2, 1 -> total 7/4 -> 1/7, 2/7, 4/7.
    const w = modelWeights("time_decay", three, T);
    expect(w[0]).toBeCloseTo(1 / 7, 12);
    expect(w[1]).toBeCloseTo(2 / 7, 12);
    expect(w[2]).toBeCloseTo(4 / 7, 12);
    // 10 and 2 days before: raw 2^(-10/7), 2^(-2/7).
    const [a, b] = modelWeights("time_decay", two, T) as [number, number];
    const ra = 2 ** (-10 / 7);
    const rb = 2 ** (-2 / 7);
    expect(a).toBeCloseTo(ra / (ra + rb), 12);
    expect(b).toBeCloseTo(rb / (ra + rb), 12);
    // 20, 10, 5, 1 days before.
    const raw = [20, 10, 5, 1].map((d) => 2 ** (-d / 7));
    const sum = raw.reduce((s, x) => s + x, 0);
    modelWeights("time_decay", four, T).forEach((x, i) => {
      expect(x).toBeCloseTo(raw[i]! / sum, 12);
    });
  });

  it("every model's weights add up to 1 on paths of 1 to 4 touches", () => {
    for (const path of [one, two, three, four]) {
      for (const model of ATTRIBUTION_MODELS) {
        expect(modelWeights(model, path, T).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
      }
    }
  });

  it("an empty path has no weights", () => {
    expect(modelWeights("linear", [], T)).toEqual([]);
  });
});
