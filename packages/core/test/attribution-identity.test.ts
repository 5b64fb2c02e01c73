import { describe, expect, it } from "vitest";
import { attachResponses } from "../src/attribution/attach.ts";
import { buildIdentityIndex, softwareTouchpoints } from "../src/attribution/identity.ts";
import { reconcileConversion } from "../src/attribution/reconcile.ts";
import type { ArrivalRecord, ClickRecord, ConversionRecord, ResponseRecord, VisitorRecord } from "../src/attribution/types.ts";
import { DAY_MS } from "../src/attribution/types.ts";

const T0 = Date.UTC(2025, 4, 1);
const click = (id: string, over: Partial<ClickRecord> = {}): ClickRecord => ({
  id,
  ts: T0 - DAY_MS,
  linkId: "L1",
  channel: "social",
  source: "linkedin",
  rule: "referrer",
  referrerHost: "www.linkedin.com",
  inApp: null,
  unfurlApp: null,
  ...over,
});
const conv = (id: string, over: Partial<ConversionRecord> = {}): ConversionRecord => ({ id, ts: T0, value: 10, lcid: null, visitorId: null, shareToken: null, respondentHash: null, ...over });
const visitor = (visitorId: string, over: Partial<VisitorRecord> = {}): VisitorRecord => ({ visitorId, shareToken: `tok-${visitorId}`, lcid: null, linkId: null, parentVisitorId: null, generation: 0, ...over });
const arrival = (id: string, visitorId: string, parentVisitorId: string, ts: number): ArrivalRecord => ({
  id,
  ts,
  visitorId,
  parentVisitorId,
  shareToken: `tok-${parentVisitorId}`,
  generation: 1,
  linkId: "L1",
  referrerHost: null,
  inApp: null,
  channel: "messaging",
  source: null,
  rule: "copy_paste_no_referrer",
  dark: true,
});
const answer = (id: string, over: Partial<ResponseRecord> = {}): ResponseRecord => ({
  id,
  ts: T0,
  conversionId: null,
  channel: "word_of_mouth",
  source: null,
  rule: "option",
  confidence: 1,
  optionId: "o",
  respondentHash: null,
  visitorId: null,
  lcid: null,
  ...over,
});
const ids = (c: ConversionRecord, data: Parameters<typeof buildIdentityIndex>[0], options = {}) =>
  softwareTouchpoints(c, buildIdentityIndex(data), options).map((t) => `${t.kind}:${t.id}:${t.evidence.link}`);

describe("identity: which touchpoints belong to a conversion", () => {
  it("a click reached both by lcid and through the visitor keeps the stronger lcid link", () => {
    const c = conv("C", { lcid: "K", visitorId: "V" });
    expect(ids(c, { clicks: [click("K")], visitors: [visitor("V", { lcid: "K" })], conversions: [c] })).toEqual(["click:K:lcid"]);
  });

  it("a visitor's clicks include the click of its other conversions", () => {
    const earlier = conv("C0", { ts: T0 - 5 * DAY_MS, lcid: "K0", visitorId: "V" });
    const c = conv("C", { lcid: "K1", visitorId: "V" });
    const clicks = [click("K0", { ts: T0 - 6 * DAY_MS }), click("K1")];
    expect(ids(c, { clicks, visitors: [visitor("V")], conversions: [earlier, c] })).toEqual(["click:K0:visitor", "click:K1:lcid"]);
  });

  it("touchpoints older than the look-back window, or after the conversion beyond clock skew, are left out", () => {
    const c = conv("C", { visitorId: "V" });
    const arrivals = [arrival("Aold", "V", "P", T0 - 31 * DAY_MS), arrival("Ain", "V", "P", T0 - 29 * DAY_MS), arrival("Alate", "V", "P", T0 + DAY_MS)];
    const data = { arrivals, visitors: [visitor("V"), visitor("P")], conversions: [c] };
    expect(ids(c, data)).toEqual(["arrival:Ain:visitor"]);
    expect(ids(c, data, { lookbackDays: 60 })).toEqual(["arrival:Aold:visitor", "arrival:Ain:visitor"]);
  });

  it("the share chain is followed up two generations to the original click", () => {
    const c = conv("C", { visitorId: "V2" });
    const visitors = [visitor("V0", { lcid: "K0" }), visitor("V1", { parentVisitorId: "V0", generation: 1 }), visitor("V2", { parentVisitorId: "V1", generation: 2 })];
    const arrivals = [arrival("A1", "V1", "V0", T0 - 3 * DAY_MS), arrival("A2", "V2", "V1", T0 - 2 * DAY_MS)];
    expect(ids(c, { clicks: [click("K0", { ts: T0 - 4 * DAY_MS })], visitors, arrivals, conversions: [c] })).toEqual([
      "click:K0:share_chain",
      "arrival:A1:share_chain",
      "arrival:A2:visitor",
    ]);
  });

  it("a share token owned by someone else names the sharer; one's own token names the visitor", () => {
    const visitors = [visitor("S", { lcid: "Ks" }), visitor("V", { lcid: "Kv" })];
    const clicks = [click("Ks", { ts: T0 - 2 * DAY_MS }), click("Kv")];
    const viaSharer = conv("C1", { visitorId: "V", shareToken: "tok-S" });
    expect(ids(viaSharer, { clicks, visitors, conversions: [viaSharer] })).toEqual(["click:Ks:share_chain", "click:Kv:visitor"]);
    const ownTokenOnly = conv("C2", { shareToken: "tok-V" });
    expect(ids(ownTokenOnly, { clicks, visitors, conversions: [ownTokenOnly] })).toEqual(["click:Kv:visitor"]);
  });

  it("only earlier conversions of the same respondent lend their touchpoints", () => {
    const before = conv("Cb", { ts: T0 - 3 * DAY_MS, lcid: "Kb", respondentHash: "h" });
    const after = conv("Ca", { ts: T0 + DAY_MS, lcid: "Ka", respondentHash: "h" });
    const tooOld = conv("Co", { ts: T0 - 40 * DAY_MS, lcid: "Ko", respondentHash: "h" });
    const c = conv("C", { respondentHash: "h" });
    const clicks = [click("Kb", { ts: T0 - 3 * DAY_MS - 1000 }), click("Ka", { ts: T0 + DAY_MS - 1000 }), click("Ko", { ts: T0 - 40 * DAY_MS - 1000 })];
    expect(ids(c, { clicks, conversions: [before, after, tooOld, c] })).toEqual(["click:Kb:respondent"]);
  });
});

describe("evidence on clicks", () => {
  it("a direct click right after a WhatsApp preview fetch is messaging, dark because of the unfurl", () => {
    const c = conv("C", { lcid: "K" });
    const k = click("K", { channel: "direct", source: null, rule: "direct", referrerHost: null, unfurlApp: "whatsapp" });
    const [tp] = softwareTouchpoints(c, buildIdentityIndex({ clicks: [k], conversions: [c] }));
    expect(tp).toMatchObject({ channel: "messaging", source: "whatsapp", dark: true, evidence: { rule: "unfurl_before_click", darkReasons: ["messaging_unfurl_before_click"] } });
  });

  it("a click in WhatsApp's in-app browser is dark because of the in-app browser", () => {
    const c = conv("C", { lcid: "K" });
    const k = click("K", { channel: "messaging", source: "whatsapp", rule: "in_app", referrerHost: null, inApp: "whatsapp" });
    const r = reconcileConversion({ conversion: c, touchpoints: softwareTouchpoints(c, buildIdentityIndex({ clicks: [k] })), response: null });
    expect(r.darkReasons).toEqual(["messaging_in_app_browser"]);
  });

  it("a click from web.whatsapp.com on a Slack-tagged link names both the tag and the referrer", () => {
    const c = conv("C", { lcid: "K" });
    const k = click("K", { channel: "messaging", source: "whatsapp", rule: "referrer", referrerHost: "web.whatsapp.com" });
    const index = buildIdentityIndex({ clicks: [k], links: [{ id: "L1", channel: "workchat", source: "slack", campaign: null }] });
    const r = reconcileConversion({ conversion: c, touchpoints: softwareTouchpoints(c, index), response: null });
    expect(r.darkReasons).toEqual(["dark_tagged_link", "dark_referrer"]);
  });

  it("an instance's own dark channels are honoured", () => {
    const c = conv("C", { lcid: "K" });
    const k = click("K", { channel: "community", source: "circle", rule: "referrer" });
    const isDark = (ch: string) => ch === "community";
    const tps = softwareTouchpoints(c, buildIdentityIndex({ clicks: [k] }), { isDark });
    expect(reconcileConversion({ conversion: c, touchpoints: tps, response: null, isDark }).dark).toBe(true);
  });
});

describe("blended rules", () => {
  const tracked = (channel: string, source: string | null) => {
    const c = conv("C", { lcid: "K" });
    return { c, tps: softwareTouchpoints(c, buildIdentityIndex({ clicks: [click("K", { channel, source, rule: channel === "direct" ? "direct" : "referrer" })] })) };
  };

  it("a dark answer wins over a direct click, and makes the conversion dark", () => {
    const { c, tps } = tracked("direct", null);
    const r = reconcileConversion({ conversion: c, touchpoints: tps, response: answer("R", { conversionId: "C" }) });
    expect(r.blended).toEqual({ channel: "word_of_mouth", source: null, rule: "blended:self_report_over_direct" });
    expect(r.software.channel).toBe("direct");
    expect([r.dark, r.darkReasons]).toEqual([true, ["dark_self_report"]]);
  });

  it("software wins over an answer naming a channel tracking can measure", () => {
    const { c, tps } = tracked("social", "linkedin");
    const r = reconcileConversion({ conversion: c, touchpoints: tps, response: answer("R", { channel: "organic_search", source: "google" }) });
    expect(r.blended).toEqual({ channel: "social", source: "linkedin", rule: "blended:software_over_self_report" });
  });

  it("an answer no rule could place counts as responded but adds no touchpoint and no self-reported credits", () => {
    const { c, tps } = tracked("social", "linkedin");
    const r = reconcileConversion({ conversion: c, touchpoints: tps, response: answer("R", { channel: "unclassified", rule: "unclassified" }) });
    expect([r.responded, r.self, r.selfReport]).toEqual([true, null, null]);
    expect(r.path.rules).toEqual({ software: "software:lcid", selfReport: "self_report:unclassified", blended: "blended:software_only" });
    expect(r.credits.some((x) => x.view === "self_reported")).toBe(false);
  });
});

describe("attaching answers to conversions", () => {
  it("an answer naming its conversion wins over one that is merely near", () => {
    const c = conv("C", { respondentHash: "h" });
    const out = attachResponses([c], [answer("near", { respondentHash: "h", ts: T0 }), answer("named", { conversionId: "C", ts: T0 + 5000 })]);
    expect(out.get("C")?.id).toBe("named");
  });

  it("an answer without a conversion goes to the nearest conversion of the same visitor within a day, else nowhere", () => {
    const a = conv("A", { visitorId: "V", ts: T0 - 2 * 3_600_000 });
    const b = conv("B", { visitorId: "V", ts: T0 + 3_600_000 });
    const far = conv("F", { visitorId: "W", ts: T0 });
    const out = attachResponses([a, b, far], [answer("R", { visitorId: "V" }), answer("X", { visitorId: "W", ts: T0 + 2 * DAY_MS })]);
    expect(out.get("B")?.id).toBe("R");
    expect(out.has("A")).toBe(false);
    expect(out.has("F")).toBe(false);
  });

  it("a tie in distance goes to the earlier conversion", () => {
    const a = conv("A", { lcid: "K", ts: T0 - 1000 });
    const b = conv("B", { lcid: "K", ts: T0 + 1000 });
    expect([...attachResponses([b, a], [answer("R", { lcid: "K" })]).keys()]).toEqual(["A"]);
  });
});
