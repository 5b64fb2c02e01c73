import { describe, expect, it } from "vitest";
import { normalizeAnswer } from "../src/index.ts";

describe("normalizeAnswer (the key of manual labels)", () => {
  const cases: [string, string][] = [
    ["My FREIND told me!!", "my freind told me"],
    ["  lots   of\tspace\n", "lots of space"],
    ["Me lo recomendó un compañero", "me lo recomendo un companero"],
    ["Weiß ich nicht mehr", "weiss ich nicht mehr"],
    ["bouche-à-oreille", "bouche a oreille"],
    ["Sœur", "soeur"],
    ["indicação", "indicacao"],
    ["saw it on insta 😍🔥", "saw it on insta"],
    ["x.com", "x com"],
    ["don't remember", "dont remember"],
    ["my friend’s boss", "my friends boss"],
    ["j'ai vu l'annonce", "j ai vu l annonce"],
    ["ＷｈａｔｓＡｐｐ", "whatsapp"],
    ["ﬁnd", "find"],
    ["n/a", "n a"],
    ["¿¡?!", ""],
    ["", ""],
    ["Москва 2024", "москва 2024"],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} -> ${JSON.stringify(expected)}`, () => {
      expect(normalizeAnswer(input)).toBe(expected);
    });
  }
});
