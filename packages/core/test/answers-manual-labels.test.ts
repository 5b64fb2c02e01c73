import { describe, expect, it } from "vitest";
import { type Classification, classifyAnswer, normalizeAnswer } from "../src/index.ts";

/** What an admin's label store looks like to the classifier: normalised text -> classification. */
function labelsFrom(entries: [string, Classification][]): Map<string, Classification> {
  return new Map(entries.map(([text, c]) => [normalizeAnswer(text), c]));
}

describe("an admin's manual label", () => {
  it("wins over the rules the next time the same text comes", () => {
    // The rules read a newsletter; the admin knows the cousin forwarded it by hand.
    const text = "my cousin's newsletter";
    expect(classifyAnswer(text)).toMatchObject({ channel: "email", source: "newsletter" });
    const labels = labelsFrom([[text, { channel: "personal_email", source: null }]]);
    expect(classifyAnswer(text, { labels })).toEqual({ channel: "personal_email", source: null, confidence: 1, rule: "manual_label" });
  });

  it("matches the same text with different case, accents, punctuation, emoji and spacing", () => {
    const labels = labelsFrom([["Heard it at Pedro's café", { channel: "word_of_mouth", source: "in_person" }]]);
    for (const variant of ["heard it at pedros cafe", "HEARD IT AT PEDRO'S CAFÉ!!!", "  Heard   it at Pedro’s café 🙂 ", "heard it at pedro's cafe."]) {
      expect(classifyAnswer(variant, { labels }), variant).toEqual({
        channel: "word_of_mouth",
        source: "in_person",
        confidence: 1,
        rule: "manual_label",
      });
    }
  });

  it("turns an answer the rules leave unclassified into a channel", () => {
    const text = "saw you at the Lisbon thing";
    expect(classifyAnswer(text)).toMatchObject({ channel: "unclassified", confidence: 0 });
    const labels = labelsFrom([[text, { channel: "events", source: "conference" }]]);
    expect(classifyAnswer(text, { labels })).toMatchObject({ channel: "events", source: "conference", rule: "manual_label" });
  });

  it("overrides even a confident brand match", () => {
    const labels = labelsFrom([["whatsapp", { channel: "community", source: "whatsapp" }]]);
    expect(classifyAnswer("WhatsApp", { labels })).toMatchObject({ channel: "community", rule: "manual_label", confidence: 1 });
  });

  it("applies to its own text only: other answers still go through the rules", () => {
    const labels = labelsFrom([["a friend", { channel: "messaging", source: "whatsapp" }]]);
    expect(classifyAnswer("a friend told me", { labels })).toMatchObject({ channel: "word_of_mouth", rule: "person" });
    expect(classifyAnswer("linkedin", { labels })).toMatchObject({ channel: "social", source: "linkedin" });
  });

  it("a label with no source is returned with source null", () => {
    const labels = labelsFrom([["the thing", { channel: "offline", source: null }]]);
    expect(classifyAnswer("The thing", { labels })).toEqual({ channel: "offline", source: null, confidence: 1, rule: "manual_label" });
  });

  it("an empty answer is never labelled, even if a label for empty text exists", () => {
    const labels = new Map<string, Classification>([["", { channel: "direct", source: null }]]);
    expect(classifyAnswer("  !! ", { labels })).toMatchObject({ channel: "unclassified", rule: "empty" });
  });
});
