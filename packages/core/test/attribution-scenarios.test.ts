import { describe, expect, it } from "vitest";
import { attachResponses } from "../src/attribution/attach.ts";
import { buildIdentityIndex, type IdentityData, softwareTouchpoints } from "../src/attribution/identity.ts";
import { type ReconcileResult, reconcileConversion } from "../src/attribution/reconcile.ts";
import {
  ATTRIBUTION_MODELS,
  type AttributionModel,
  type AttributionView,
  type ClickRecord,
  type ConversionRecord,
  DAY_MS,
  type ResponseRecord,
  RULESET_VERSION,
} from "../src/attribution/types.ts";

/**
 * The hand-built scenarios of the attribution issue's first acceptance criterion. Each one goes through
 * the same steps as the worker: index the records, find the software touchpoints, attach the answer,
 * reconcile. Expected rows, credits and reasons are written out by hand.
 */

const T0 = Date.UTC(2025, 2, 10, 12);
const HOUR = 3_600_000;

function click(id: string, over: Partial<ClickRecord>): ClickRecord {
  return { id, ts: T0 - HOUR, linkId: "L?", channel: "direct", source: null, rule: "direct", referrerHost: null, inApp: null, unfurlApp: null, ...over };
}
function conversion(id: string, over: Partial<ConversionRecord>): ConversionRecord {
  return { id, ts: T0, value: 100, lcid: null, visitorId: null, shareToken: null, respondentHash: null, ...over };
}
function answer(id: string, over: Partial<ResponseRecord>): ResponseRecord {
  return { id, ts: T0 + 60_000, conversionId: null, channel: null, source: null, rule: "option", confidence: 1, optionId: "o1", respondentHash: null, visitorId: null, lcid: null, ...over };
}

function reconcileAll(data: IdentityData & { conversions: ConversionRecord[] }, responses: ResponseRecord[]): Map<string, ReconcileResult> {
  const index = buildIdentityIndex(data);
  const attached = attachResponses(data.conversions, responses);
  return new Map(
    data.conversions.map((c) => [c.id, reconcileConversion({ conversion: c, touchpoints: softwareTouchpoints(c, index), response: attached.get(c.id) ?? null })]),
  );
}

type Expected = [AttributionView, AttributionModel, number, string, string | null, number, string];
const everyModel = (view: AttributionView, channel: string, source: string | null, rule: string): Expected[] =>
  ATTRIBUTION_MODELS.map((m) => [view, m, 0, channel, source, 1, rule]);

function expectCredits(r: ReconcileResult, expected: Expected[]): void {
  const key = (v: string, m: string, p: number) => `${v}/${m}/${p}`;
  const got = [...r.credits].sort((a, b) => (key(a.view, a.model, a.position) < key(b.view, b.model, b.position) ? -1 : 1));
  const want = [...expected].sort((a, b) => (key(a[0], a[1], a[2]) < key(b[0], b[1], b[2]) ? -1 : 1));
  expect(got.map((c) => key(c.view, c.model, c.position))).toEqual(want.map((e) => key(e[0], e[1], e[2])));
  got.forEach((c, i) => {
    const [, , , channel, source, credit, rule] = want[i]!;
    expect({ channel: c.channel, source: c.source, rule: c.rule, version: c.rulesetVersion }).toEqual({ channel, source, rule, version: RULESET_VERSION });
    expect(c.credit).toBeCloseTo(credit, 12);
    expect(c.value).toBeCloseTo(credit * (r.value ?? 0), 9);
  });
  // Credits of one conversion add up to 1 per view x model.
  const sums = new Map<string, number>();
  for (const c of r.credits) sums.set(`${c.view}/${c.model}`, (sums.get(`${c.view}/${c.model}`) ?? 0) + c.credit);
  for (const s of sums.values()) expect(s).toBeCloseTo(1, 12);
}

describe("acceptance scenarios", () => {
  it("(a) a WhatsApp-tagged click with no referrer and a 'friend told me' answer is dark, credited to WhatsApp by software and to word of mouth by the customer", () => {
    const links = [{ id: "Lwa", channel: "messaging", source: "whatsapp", campaign: "spring" }];
    const clicks = [click("Kwa", { linkId: "Lwa", ts: T0 - 2 * HOUR, channel: "messaging", source: "whatsapp", rule: "link_tag" })];
    const visitors = [{ visitorId: "Va", shareToken: "tokA", lcid: "Kwa", linkId: "Lwa", parentVisitorId: null, generation: 0 }];
    const conversions = [conversion("Ca", { lcid: "Kwa", visitorId: "Va" })];
    const r = reconcileAll({ links, clicks, visitors, conversions }, [answer("Ra", { conversionId: "Ca", channel: "word_of_mouth", source: "friend" })]).get("Ca")!;

    expect(r.softwarePath.map((t) => [t.id, t.rule])).toEqual([["Kwa", "software:lcid"]]);
    expect(r.software).toEqual({ channel: "messaging", source: "whatsapp", rule: "software:lcid" });
    expect(r.self).toEqual({ channel: "word_of_mouth", source: "friend", rule: "self_report:option" });
    expect(r.blended).toEqual({ channel: "messaging", source: "whatsapp", rule: "blended:software_dark_confirmed" });
    expect(r.responded).toBe(true);
    expect(r.dark).toBe(true);
    expect(r.darkReasons).toEqual(["dark_self_report", "dark_tagged_link"]);
    expect([r.linkId, r.campaign]).toEqual(["Lwa", "spring"]);
    expect(r.rule).toBe("blended:software_dark_confirmed");
    expect(r.blendedPath.map((t) => [t.kind, t.ts])).toEqual([["click", T0 - 2 * HOUR], ["self_report", T0]]);

    // Time decay on the blended path: the click 2 hours (1/12 day) before, the answer at conversion time.
    const wClick = 2 ** (-(1 / 12) / 7);
    expectCredits(r, [
      ...everyModel("software", "messaging", "whatsapp", "software:lcid"),
      ...everyModel("self_reported", "word_of_mouth", "friend", "self_report:option"),
      ["blended", "first_touch", 0, "messaging", "whatsapp", 1, "software:lcid"],
      ["blended", "last_touch", 1, "word_of_mouth", "friend", 1, "self_report:option"],
      ["blended", "last_non_direct", 1, "word_of_mouth", "friend", 1, "self_report:option"],
      ["blended", "linear", 0, "messaging", "whatsapp", 0.5, "software:lcid"],
      ["blended", "linear", 1, "word_of_mouth", "friend", 0.5, "self_report:option"],
      ["blended", "position_based", 0, "messaging", "whatsapp", 0.5, "software:lcid"],
      ["blended", "position_based", 1, "word_of_mouth", "friend", 0.5, "self_report:option"],
      ["blended", "time_decay", 0, "messaging", "whatsapp", wClick / (wClick + 1), "software:lcid"],
      ["blended", "time_decay", 1, "word_of_mouth", "friend", 1 / (wClick + 1), "self_report:option"],
    ]);
  });

  it("(b) a Google click with a 'podcast' answer is not dark; the blended channel is the podcast the software could not see", () => {
    const links = [{ id: "Lli", channel: "social", source: "linkedin", campaign: null }];
    const clicks = [click("Kg", { linkId: "Lli", ts: T0 - 3 * DAY_MS, channel: "organic_search", source: "google", rule: "referrer", referrerHost: "www.google.com" })];
    const conversions = [conversion("Cb", { lcid: "Kg", value: 40 })];
    const r = reconcileAll({ links, clicks, conversions }, [answer("Rb", { conversionId: "Cb", channel: "podcast", source: null })]).get("Cb")!;

    expect(r.software).toEqual({ channel: "organic_search", source: "google", rule: "software:lcid" });
    expect(r.self).toEqual({ channel: "podcast", source: null, rule: "self_report:option" });
    expect(r.blended).toEqual({ channel: "podcast", source: null, rule: "blended:self_report_untrackable" });
    expect(r.dark).toBe(false);
    expect(r.darkReasons).toEqual([]);
    expect(r.softwarePath[0]!.evidence).toMatchObject({ referrerHost: "www.google.com", linkChannel: "social", rule: "referrer", link: "lcid" });

    const wClick = 2 ** (-3 / 7);
    expectCredits(r, [
      ...everyModel("software", "organic_search", "google", "software:lcid"),
      ...everyModel("self_reported", "podcast", null, "self_report:option"),
      ["blended", "first_touch", 0, "organic_search", "google", 1, "software:lcid"],
      ["blended", "last_touch", 1, "podcast", null, 1, "self_report:option"],
      ["blended", "last_non_direct", 1, "podcast", null, 1, "self_report:option"],
      ["blended", "linear", 0, "organic_search", "google", 0.5, "software:lcid"],
      ["blended", "linear", 1, "podcast", null, 0.5, "self_report:option"],
      ["blended", "position_based", 0, "organic_search", "google", 0.5, "software:lcid"],
      ["blended", "position_based", 1, "podcast", null, 0.5, "self_report:option"],
      ["blended", "time_decay", 0, "organic_search", "google", wClick / (wClick + 1), "software:lcid"],
      ["blended", "time_decay", 1, "podcast", null, 1 / (wClick + 1), "self_report:option"],
    ]);
  });

  it("(c) a copy-paste arrival is dark: the path holds the sharer's click and the arrival, and no answer means no self-reported credits", () => {
    const links = [{ id: "Lsh", channel: "social", source: "linkedin", campaign: "launch" }];
    const clicks = [click("Ks", { linkId: "Lsh", ts: T0 - 7 * DAY_MS, channel: "social", source: "linkedin", rule: "referrer", referrerHost: "www.linkedin.com" })];
    const visitors = [
      { visitorId: "Vs", shareToken: "tokS", lcid: "Ks", linkId: "Lsh", parentVisitorId: null, generation: 0 },
      { visitorId: "Vc", shareToken: "tokC", lcid: null, linkId: "Lsh", parentVisitorId: "Vs", generation: 1 },
    ];
    const arrivals = [
      {
        id: "Ac",
        ts: T0 - DAY_MS,
        visitorId: "Vc",
        parentVisitorId: "Vs",
        shareToken: "tokS",
        generation: 1,
        linkId: "Lsh",
        referrerHost: null,
        inApp: null,
        channel: "messaging",
        source: null,
        rule: "copy_paste_no_referrer",
        dark: true,
      },
    ];
    const conversions = [conversion("Cc", { visitorId: "Vc", shareToken: "tokC", value: null })];
    const r = reconcileAll({ links, clicks, visitors, arrivals, conversions }, []).get("Cc")!;

    expect(r.softwarePath.map((t) => [t.kind, t.id, t.rule])).toEqual([
      ["click", "Ks", "software:share_chain"],
      ["arrival", "Ac", "software:visitor"],
    ]);
    expect(r.software).toEqual({ channel: "messaging", source: null, rule: "software:visitor" });
    expect(r.self).toBeNull();
    expect(r.blended).toEqual({ channel: "messaging", source: null, rule: "blended:software_only" });
    expect(r.responded).toBe(false);
    expect(r.dark).toBe(true);
    expect(r.darkReasons).toEqual(["copy_paste_arrival"]);
    expect([r.linkId, r.campaign]).toEqual(["Lsh", "launch"]);

    const [ws, wa] = [2 ** (-7 / 7), 2 ** (-1 / 7)];
    const twoTouches = (view: AttributionView): Expected[] => [
      [view, "first_touch", 0, "social", "linkedin", 1, "software:share_chain"],
      [view, "last_touch", 1, "messaging", null, 1, "software:visitor"],
      [view, "last_non_direct", 1, "messaging", null, 1, "software:visitor"],
      [view, "linear", 0, "social", "linkedin", 0.5, "software:share_chain"],
      [view, "linear", 1, "messaging", null, 0.5, "software:visitor"],
      [view, "position_based", 0, "social", "linkedin", 0.5, "software:share_chain"],
      [view, "position_based", 1, "messaging", null, 0.5, "software:visitor"],
      [view, "time_decay", 0, "social", "linkedin", ws / (ws + wa), "software:share_chain"],
      [view, "time_decay", 1, "messaging", null, wa / (ws + wa), "software:visitor"],
    ];
    expectCredits(r, [...twoTouches("software"), ...twoTouches("blended")]);
    expect(r.credits.every((c) => c.value === null)).toBe(true);
  });

  it("(d) a conversion with no answer and nothing tracked is credited wholly to direct, with no self-reported credits", () => {
    const r = reconcileAll({ conversions: [conversion("Cd", { value: 25 })] }, []).get("Cd")!;
    expect(r.softwarePath).toEqual([]);
    expect(r.software).toEqual({ channel: "direct", source: null, rule: "software:none" });
    expect(r.self).toBeNull();
    expect(r.blended).toEqual({ channel: "direct", source: null, rule: "blended:no_evidence" });
    expect([r.responded, r.dark, r.darkReasons, r.linkId]).toEqual([false, false, [], null]);
    expectCredits(r, [...everyModel("software", "direct", null, "software:none"), ...everyModel("blended", "direct", null, "software:none")]);
  });

  it("(e) a respondent who converts twice: the second conversion's path holds the first one's click, and an answer without a conversion id goes to the nearest conversion", () => {
    const links = [{ id: "Lsl", channel: "workchat", source: "slack", campaign: "community" }];
    const first = T0 - 10 * DAY_MS;
    const clicks = [click("Ksl", { linkId: "Lsl", ts: first - HOUR, channel: "workchat", source: "slack", rule: "link_tag" })];
    const conversions = [
      conversion("Ce1", { ts: first, lcid: "Ksl", respondentHash: "h-ann", value: 50 }),
      conversion("Ce2", { ts: T0, respondentHash: "h-ann", value: 80 }),
    ];
    const responses = [
      answer("Re1", { ts: first + 60_000, conversionId: "Ce1", channel: "workchat", source: "slack", respondentHash: "h-ann" }),
      // No conversion id: 1 hour after Ce2, 10 days after Ce1.
      answer("Re2", { ts: T0 + HOUR, channel: "word_of_mouth", source: null, rule: "keyword:friend", optionId: null, respondentHash: "h-ann" }),
    ];
    const results = reconcileAll({ links, clicks, conversions }, responses);
    const r1 = results.get("Ce1")!;
    const r2 = results.get("Ce2")!;

    expect(r1.software).toEqual({ channel: "workchat", source: "slack", rule: "software:lcid" });
    expect(r1.self).toEqual({ channel: "workchat", source: "slack", rule: "self_report:option" });
    expect(r1.blended).toEqual({ channel: "workchat", source: "slack", rule: "blended:agree" });
    expect(r1.darkReasons).toEqual(["dark_self_report", "dark_tagged_link"]);
    const w1 = 2 ** (-(1 / 24) / 7);
    expectCredits(r1, [
      ...everyModel("software", "workchat", "slack", "software:lcid"),
      ...everyModel("self_reported", "workchat", "slack", "self_report:option"),
      ["blended", "first_touch", 0, "workchat", "slack", 1, "software:lcid"],
      ["blended", "last_touch", 1, "workchat", "slack", 1, "self_report:option"],
      ["blended", "last_non_direct", 1, "workchat", "slack", 1, "self_report:option"],
      ["blended", "linear", 0, "workchat", "slack", 0.5, "software:lcid"],
      ["blended", "linear", 1, "workchat", "slack", 0.5, "self_report:option"],
      ["blended", "position_based", 0, "workchat", "slack", 0.5, "software:lcid"],
      ["blended", "position_based", 1, "workchat", "slack", 0.5, "self_report:option"],
      ["blended", "time_decay", 0, "workchat", "slack", w1 / (w1 + 1), "software:lcid"],
      ["blended", "time_decay", 1, "workchat", "slack", 1 / (w1 + 1), "self_report:option"],
    ]);

    expect(r2.softwarePath.map((t) => [t.id, t.rule])).toEqual([["Ksl", "software:respondent"]]);
    expect(r2.software).toEqual({ channel: "workchat", source: "slack", rule: "software:respondent" });
    expect(r2.self).toEqual({ channel: "word_of_mouth", source: null, rule: "self_report:keyword:friend" });
    expect(r2.blended).toEqual({ channel: "workchat", source: "slack", rule: "blended:software_dark_confirmed" });
    expect(r2.path.touchpoints.at(-1)!.id).toBe("Re2");
    expect(r2.darkReasons).toEqual(["dark_self_report", "dark_tagged_link"]);
    // The click was 10 days and 1 hour before the second conversion.
    const w2 = 2 ** (-(10 + 1 / 24) / 7);
    expectCredits(r2, [
      ...everyModel("software", "workchat", "slack", "software:respondent"),
      ...everyModel("self_reported", "word_of_mouth", null, "self_report:keyword:friend"),
      ["blended", "first_touch", 0, "workchat", "slack", 1, "software:respondent"],
      ["blended", "last_touch", 1, "word_of_mouth", null, 1, "self_report:keyword:friend"],
      ["blended", "last_non_direct", 1, "word_of_mouth", null, 1, "self_report:keyword:friend"],
      ["blended", "linear", 0, "workchat", "slack", 0.5, "software:respondent"],
      ["blended", "linear", 1, "word_of_mouth", null, 0.5, "self_report:keyword:friend"],
      ["blended", "position_based", 0, "workchat", "slack", 0.5, "software:respondent"],
      ["blended", "position_based", 1, "word_of_mouth", null, 0.5, "self_report:keyword:friend"],
      ["blended", "time_decay", 0, "workchat", "slack", w2 / (w2 + 1), "software:respondent"],
      ["blended", "time_decay", 1, "word_of_mouth", null, 1 / (w2 + 1), "self_report:keyword:friend"],
    ]);
    expect(r2.credits.find((c) => c.view === "software" && c.model === "linear")!.value).toBeCloseTo(80, 9);
  });
});
