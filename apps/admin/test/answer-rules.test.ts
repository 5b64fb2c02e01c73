import { readFileSync } from "node:fs";
import { classifyAnswer, refineWithFollowUp, sourceLabel } from "@lantern/core";
import { describe, expect, it } from "vitest";
import { ENTITIES } from "../../../packages/core/src/answers/lexicon.ts";
import { FUZZY_TARGET_WORDS } from "../../../packages/core/src/answers/match.ts";
import { describeAnswerRule } from "../src/lib/answer-rules.ts";
import { humanize } from "../src/lib/format.ts";

/**
 * The rule ids an answer can be stored with, read from where they are made: the lexicon's entities
 * (brand:<source>, keyword:<id>), the typo targets (fuzzy:<word>), and the string literals of the
 * classifier, the follow-up refinement, the worker's option answers and the manual labels. A rule
 * added there without words here fails the test.
 */
const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
const FREE_TEXT = read("../../../packages/core/src/answers/free-text.ts");
const FOLLOW_UP = read("../../../packages/core/src/answers/follow-up.ts");
const LEXICON = read("../../../packages/core/src/answers/lexicon.ts");
const WORKER = read("../../worker/src/ingest/surveys.ts");
const LABELS = read("../../surveys/src/routes/answer-labels.ts");
const SOURCES = [FREE_TEXT, FOLLOW_UP, LEXICON, WORKER, LABELS];

const all = (text: string, re: RegExp) => [...text.matchAll(re)].map((m) => m[1]!);

/** Rule ids written out whole: `rule: "person"`, `rule = "medium_over_person"`, `unclassified("no_match")`, `person_over_search`, `MANUAL_LABEL_RULE = "manual_label"`. */
const LITERAL_RULES = new Set(
  SOURCES.flatMap((s) => [
    ...all(s, /\brule(?::| =) "([^"]+)"/g),
    ...all(s, /\bunclassified\("([^"]+)"\)/g),
    ...all(s, /"(person_over_[a-z_]+)"/g),
    ...all(s, /_RULE = "([^"]+)"/g),
  ]),
);
/** Rule ids built from a prefix: `fuzzy:${word}`, `brand:${source}`, `follow_up:${rule}`, ... */
const TEMPLATE_PREFIXES = new Set(SOURCES.flatMap((s) => all(s, /\brule(?::| =)[^`\n]*`([a-z_+]+:)\$\{/g)));
/** `${prefix}:${tag}`: a platform with a modifier (an ad, a direct message, a group). */
const MODIFIER_PREFIXES = new Set(all(FREE_TEXT, /\bderived\("[a-z_]+", "([a-z_]+)"\)/g));

/** The apps and sites named by brand (keywords such as "keyword:tv" have a source too, but not in their rule). */
const BRAND_SOURCES = [...new Set(ENTITIES.flatMap((e) => (e.source && e.rule === `brand:${e.source}` ? [e.source] : [])))];
const MODIFIER_TAGS = [...BRAND_SOURCES, "social_media", "search"];

/** The reasons an answer is left unclassified, and the rules of option answers: never a follow-up's. */
const NOT_PLACING = new Set([...all(FREE_TEXT, /\bunclassified\("([^"]+)"\)/g), ...all(WORKER, /\brule: "([^"]+)"/g), ...all(FOLLOW_UP, /\brule: "([^"]+)"/g)]);
/** What typed text (an "Other" answer or a follow-up) can be placed by. */
const TEXT_RULES = [
  ...[...LITERAL_RULES].filter((r) => !NOT_PLACING.has(r)),
  ...ENTITIES.map((e) => e.rule),
  ...FUZZY_TARGET_WORDS.map((w) => `fuzzy:${w}`),
  "fuzzy:mouth", // a typo in a phrase: the words corrected
  ...[...MODIFIER_PREFIXES].flatMap((p) => MODIFIER_TAGS.map((t) => `${p}:${t}`)),
];
const ALL_RULES = [
  ...new Set([
    ...LITERAL_RULES,
    ...TEXT_RULES,
    ...TEXT_RULES.flatMap((r) => [`follow_up:${r}`, `option+follow_up:${r}`]),
  ]),
];

function expectDescribed(rule: string) {
  const words = describeAnswerRule(rule);
  expect(words, rule).not.toBe(humanize(rule));
  expect(words, rule).not.toMatch(/_|\w:\w/);
}

describe("the survey-answer rules in words", () => {
  it("reads the rule ids from the core source (the scan finds them)", () => {
    expect([...TEMPLATE_PREFIXES].sort()).toEqual(["brand:", "follow_up:", "fuzzy:", "keyword:", "option+follow_up:"]);
    expect([...MODIFIER_PREFIXES].sort()).toEqual(["ad", "dm", "group"]);
    for (const r of ["option", "unknown_option", "option_unmapped", "dont_remember", "empty", "no_match", "manual_label", "medium_over_person", "person_over_known_before", "keyword:word_of_mouth", "ad:online"]) {
      expect(LITERAL_RULES, r).toContain(r);
    }
    expect(ENTITIES.map((e) => e.rule)).toContain("keyword:known_before");
  });

  it("describes every rule the classifier, the follow-up, the worker and manual labels can store", () => {
    expect(ALL_RULES.length).toBeGreaterThan(200);
    for (const rule of ALL_RULES) expectDescribed(rule);
  });

  it("describes every rule the classifier gives the answers of its test fixtures, alone and as a follow-up", () => {
    const rows = JSON.parse(read("../../../packages/core/test/fixtures/answers-free-text.json")) as { text: string }[];
    const options = [
      { channel: "social", source: null },
      { channel: "word_of_mouth", source: null },
      { channel: "messaging", source: null },
      { channel: "organic_search", source: null },
      { channel: "events", source: null },
    ];
    const seen = new Set<string>();
    for (const { text } of rows) {
      const answer = classifyAnswer(text);
      seen.add(answer.rule);
      for (const option of options) seen.add(refineWithFollowUp(option, answer).rule);
    }
    expect(seen.size).toBeGreaterThan(50);
    for (const rule of seen) expectDescribed(rule);
  });

  it("names each app the way its maker spells it", () => {
    for (const source of BRAND_SOURCES) expect(describeAnswerRule(`brand:${source}`)).toBe(`Typed text names ${sourceLabel(source)}`);
    expect(describeAnswerRule("dm:instagram")).toBe("Typed text names a private message on Instagram");
    expect(describeAnswerRule("ad:x")).toBe("Typed text names an ad on X (Twitter)");
  });

  it("says what a rule means", () => {
    expect(describeAnswerRule("option")).toBe("The option picked");
    expect(describeAnswerRule("dont_remember")).toBe("Picked or typed “I don't remember”");
    expect(describeAnswerRule("keyword:word_of_mouth")).toBe("Typed text names word of mouth");
    expect(describeAnswerRule("keyword:website")).toBe("Typed text names a website, blog, article or review");
    expect(describeAnswerRule("medium_over_person")).toBe("Typed text names a person and a channel; the channel wins");
    expect(describeAnswerRule("person")).toBe("Typed text names a person (a friend, colleague, family)");
    expect(describeAnswerRule("ad:search")).toBe("Typed text names a search ad");
    expect(describeAnswerRule("fuzzy:instagram")).toBe("Typed text is read as “instagram” despite a typo");
    expect(describeAnswerRule("option+follow_up:brand:instagram")).toBe("Option, refined by the follow-up naming Instagram");
    expect(describeAnswerRule("follow_up:medium_over_person")).toBe("Follow-up wins over the option (private sharing), naming a person and a channel; the channel wins");
    expect(describeAnswerRule("option+follow_up:manual_label")).toBe("Option, refined by the follow-up labelled by an admin");
  });

  it("uses the instance's label of a channel", () => {
    expect(describeAnswerRule("keyword:word_of_mouth", (key) => (key === "word_of_mouth" ? "Personal recommendations" : key))).toBe(
      "Typed text names personal recommendations",
    );
  });

  it("shows an id it does not know humanised, as before", () => {
    expect(describeAnswerRule("some_new_rule")).toBe("Some new rule");
    expect(describeAnswerRule("keyword:telepathy")).toBe("Keyword telepathy");
    expect(describeAnswerRule("option+follow_up:dont_know")).toBe(humanize("option+follow_up:dont_know"));
    expect(describeAnswerRule(null)).toBe("—");
  });
});
