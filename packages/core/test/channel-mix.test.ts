import { describe, expect, it } from "vitest";
import { postStratifiedMix } from "../src/stats/channel-mix.ts";
import { postStratify } from "../src/stats/post-stratify.ts";

describe("postStratifiedMix", () => {
  it("re-weights each software channel's respondents by its share of all conversions", () => {
    const mix = postStratifiedMix([
      // 800 conversions software saw nothing for; 100 answered: 60 word of mouth, 40 search.
      { key: "direct", conversions: 800, respondents: 100, byChannel: { word_of_mouth: 60, organic_search: 40 } },
      // 200 from a tagged WhatsApp link; 50 answered, all confirmed messaging.
      { key: "messaging", conversions: 200, respondents: 50, byChannel: { messaging: 50 } },
      { key: "email", conversions: 0, respondents: 0, byChannel: {} },
    ]);
    expect(mix.map((m) => m.channel)).toEqual(["word_of_mouth", "organic_search", "messaging"]);
    expect(mix.map((m) => m.share)).toEqual([0.8 * 0.6, 0.8 * 0.4, 0.2].map((x) => expect.closeTo(x, 12)));
    expect(mix.reduce((s, m) => s + m.share, 0)).toBeCloseTo(1, 12);
    for (const m of mix) expect(m.low <= m.share && m.share <= m.high).toBe(true);
    const e = postStratify([
      { key: "direct", conversions: 800, respondents: 100, dark: 60 },
      { key: "messaging", conversions: 200, respondents: 50, dark: 0 },
    ]);
    expect(mix[0]).toEqual({ channel: "word_of_mouth", share: e.estimate, low: e.low, high: e.high });
  });

  it("is empty without respondents", () => {
    expect(postStratifiedMix([{ key: "direct", conversions: 10, respondents: 0, byChannel: {} }])).toEqual([]);
  });
});
