import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AnswerClassification,
  type Classification,
  CHANNEL_KEYS,
  classifyAnswer,
  isChannelKey,
  normalizeAnswer,
  suggestOptionClassification,
} from "../src/index.ts";
import { ENTITIES, MODIFIERS, PEOPLE, RECOMMENDATION, WORD_OF_MOUTH } from "../src/answers/lexicon.ts";

function expectValid(result: AnswerClassification): void {
  expect(result.channel === "unclassified" || isChannelKey(result.channel)).toBe(true);
  expect(result.confidence).toBeGreaterThanOrEqual(0);
  expect(result.confidence).toBeLessThanOrEqual(1);
  expect(Number.isFinite(result.confidence)).toBe(true);
  expect(typeof result.rule).toBe("string");
  expect(result.rule.length).toBeGreaterThan(0);
  if (result.channel === "unclassified") {
    expect(result.confidence).toBe(0);
    expect(result.source).toBeNull();
  } else {
    expect(result.confidence).toBeGreaterThan(0);
  }
}

/** Every phrase the classifier knows, so random answers hit the combination rules, not only no_match. */
const VOCABULARY = [
  ...ENTITIES.flatMap((e) => [...e.anywhere, ...(e.whole ?? [])]),
  ...PEOPLE.flatMap((p) => p.anywhere),
  ...WORD_OF_MOUTH,
  ...RECOMMENDATION,
  ...MODIFIERS.flatMap((m) => [...m.anywhere, ...(m.whole ?? [])]),
  "the", "and", "then", "my", "a", "on", "in", "told", "me", "it", "saw", "😀", "!!", "?", ",", "’", "É", "ß",
];
const sentence = fc
  .array(fc.oneof(fc.constantFrom(...VOCABULARY), fc.string({ maxLength: 12 })), { maxLength: 25 })
  .chain((words) => fc.constantFrom(" ", ", ", "  ", "-", "\n").map((sep) => words.join(sep)));
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.string({ unit: "grapheme-composite", maxLength: 100 }),
  sentence,
);

describe("classifyAnswer on arbitrary input (fast-check)", () => {
  it("never throws and always returns a valid channel or unclassified, with 0 ≤ confidence ≤ 1", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expectValid(classifyAnswer(text));
      }),
      { numRuns: 3000 },
    );
  });

  it("handles huge answers, in any script, without throwing", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 1, maxLength: 400 }), fc.integer({ min: 200, max: 2000 }), (chunk, times) => {
        expectValid(classifyAnswer(chunk.repeat(times)));
      }),
      { numRuns: 40 },
    );
    expectValid(classifyAnswer("whatsapp ".repeat(200_000)));
    expectValid(classifyAnswer(`${"😀".repeat(100_000)} my friend told me`));
    expectValid(classifyAnswer("\u0000\uD800\uDFFF\uFFFF\u200B\u202E".repeat(10_000)));
  });

  it("survives malformed input a caller might pass despite the types", () => {
    for (const bad of [undefined, null, 42, {}, [], Symbol.iterator] as unknown[]) {
      expectValid(classifyAnswer(bad as string));
    }
  });

  it("gives the same answer whatever the case, accents or punctuation", () => {
    fc.assert(
      fc.property(sentence, (text) => {
        const plain = classifyAnswer(text);
        expect(classifyAnswer(text.toUpperCase())).toEqual(plain);
        expect(classifyAnswer(`  ${text} !!! 🙂`)).toEqual(plain);
        expect(classifyAnswer(normalizeAnswer(text))).toEqual(plain);
      }),
      { numRuns: 1000 },
    );
  });

  it("a manual label always wins, with confidence 1", () => {
    const classification: fc.Arbitrary<Classification> = fc.record({
      channel: fc.constantFrom(...CHANNEL_KEYS),
      source: fc.option(fc.string({ minLength: 1, maxLength: 10 }), { nil: null }),
    });
    fc.assert(
      fc.property(anyText, classification, (text, label) => {
        fc.pre(normalizeAnswer(text) !== "");
        const labels = new Map([[normalizeAnswer(text), label]]);
        expect(classifyAnswer(text, { labels })).toEqual({ ...label, confidence: 1, rule: "manual_label" });
      }),
      { numRuns: 1000 },
    );
  });
});

describe("normalizeAnswer on arbitrary input (fast-check)", () => {
  it("is idempotent and yields lower-case words separated by single spaces", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = normalizeAnswer(text);
        expect(normalizeAnswer(once)).toBe(once);
        expect(once).toMatch(/^(?:[\p{L}\p{N}]+(?: [\p{L}\p{N}]+)*)?$/u);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("suggestOptionClassification on arbitrary input (fast-check)", () => {
  it("never throws and returns a valid channel or null", () => {
    fc.assert(
      fc.property(anyText, (label) => {
        const s = suggestOptionClassification(label);
        if (s !== null) expect(isChannelKey(s.channel)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
