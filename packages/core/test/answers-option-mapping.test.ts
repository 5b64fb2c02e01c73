import { describe, expect, it } from "vitest";
import {
  DEFAULT_QUESTION,
  DEFAULT_SURVEY_OPTIONS,
  SURVEY_LOCALES,
  isChannelKey,
  suggestOptionClassification,
} from "../src/index.ts";

describe("suggestOptionClassification (when a survey is written)", () => {
  const cases: [string, { channel: string; source: string | null } | null][] = [
    ["A friend or colleague", { channel: "word_of_mouth", source: null }],
    ["WhatsApp group", { channel: "messaging", source: "whatsapp" }],
    ["Slack community", { channel: "workchat", source: "slack" }],
    ["Podcast", { channel: "podcast", source: null }],
    ["Google search", { channel: "organic_search", source: "google" }],
    ["ChatGPT or another AI", { channel: "ai_assistant", source: null }],
    ["ChatGPT", { channel: "ai_assistant", source: "chatgpt" }],
    ["Instagram", { channel: "social", source: "instagram" }],
    ["Email newsletter", { channel: "email", source: "newsletter" }],
    ["Forwarded email", { channel: "personal_email", source: null }],
    ["Event or conference", { channel: "events", source: null }],
    ["TV/radio/print", { channel: "offline", source: null }],
    ["Online ad", { channel: "paid_social", source: null }],
    ["Facebook or Instagram ad", { channel: "paid_social", source: null }],
    ["Google ad", { channel: "paid_search", source: "google" }],
    ["LinkedIn", { channel: "social", source: "linkedin" }],
    ["Facebook group", { channel: "community", source: "facebook" }],
    ["Telegram", { channel: "messaging", source: "telegram" }],
    ["Text message / iMessage", { channel: "messaging", source: null }],
    ["Microsoft Teams", { channel: "workchat", source: "teams" }],
    ["YouTube", { channel: "social", source: "youtube" }],
    ["Word of mouth", { channel: "word_of_mouth", source: null }],
    ["Reddit", { channel: "social", source: "reddit" }],
    ["An online forum or community", { channel: "community", source: null }],
    ["Product Hunt", { channel: "referral", source: "producthunt" }],
    ["Blog or article", { channel: "referral", source: null }],
    ["Other (please say)", null],
    ["I don't remember", null],
    ["Prefer not to say", null],
  ];
  for (const [label, expected] of cases) {
    it(`"${label}" -> ${expected ? `${expected.channel}${expected.source ? `/${expected.source}` : ""}` : "no suggestion"}`, () => {
      expect(suggestOptionClassification(label)).toEqual(expected);
    });
  }
});

describe("the default 'How did you hear about us?' survey", () => {
  it("asks the question in English, Spanish, German, French and Portuguese", () => {
    for (const locale of SURVEY_LOCALES) expect(DEFAULT_QUESTION[locale].length).toBeGreaterThan(5);
    expect(DEFAULT_QUESTION.en).toBe("How did you hear about us?");
  });

  it("has about ten channel options plus 'Other' and 'I don't remember', with unique keys", () => {
    const keys = DEFAULT_SURVEY_OPTIONS.map((o) => o.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(DEFAULT_SURVEY_OPTIONS.filter((o) => o.kind === "channel").length).toBeGreaterThanOrEqual(9);
    expect(DEFAULT_SURVEY_OPTIONS.filter((o) => o.kind === "other")).toHaveLength(1);
    expect(DEFAULT_SURVEY_OPTIONS.filter((o) => o.kind === "dont_remember")).toHaveLength(1);
    // "Other" and "I don't remember" come last, where a shuffled survey keeps them.
    expect(DEFAULT_SURVEY_OPTIONS.slice(-2).map((o) => o.kind)).toEqual(["other", "dont_remember"]);
  });

  it("covers the dark channels the product is about", () => {
    const channels = DEFAULT_SURVEY_OPTIONS.flatMap((o) => (o.classification ? [o.classification.channel] : []));
    for (const dark of ["word_of_mouth", "messaging", "workchat"]) expect(channels).toContain(dark);
    for (const c of channels) expect(isChannelKey(c)).toBe(true);
  });

  for (const option of DEFAULT_SURVEY_OPTIONS) {
    it(`option "${option.key}" reads as ${option.classification?.channel ?? "no channel"} in every locale`, () => {
      for (const locale of SURVEY_LOCALES) {
        const label = option.labels[locale];
        expect(label.trim().length, `${option.key}/${locale}`).toBeGreaterThan(0);
        const suggested = suggestOptionClassification(label);
        if (option.kind === "channel") expect(suggested, `${locale}: ${label}`).toEqual(option.classification);
        else expect(suggested, `${locale}: ${label}`).toBeNull();
      }
      if (option.followUp) for (const locale of SURVEY_LOCALES) expect(option.followUp[locale].length).toBeGreaterThan(0);
    });
  }
});
