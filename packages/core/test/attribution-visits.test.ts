import { describe, expect, it } from "vitest";
import { buildIdentityIndex, type IdentityData, softwareTouchpoints } from "../src/attribution/identity.ts";
import { reconcileConversion } from "../src/attribution/reconcile.ts";
import type { ClickRecord, ConversionRecord, VisitorRecord, VisitRecord } from "../src/attribution/types.ts";
import { DAY_MS } from "../src/attribution/types.ts";

/**
 * Untagged visits on a conversion's path: only the buyer's own, inside the look-back window and not
 * after the conversion. Paths, channels, reasons and credits are worked out by hand.
 */

const T0 = Date.UTC(2025, 4, 1, 12);
const HOUR = 3_600_000;

const conv = (id: string, over: Partial<ConversionRecord> = {}): ConversionRecord => ({ id, ts: T0, value: 100, lcid: null, visitorId: "V", shareToken: null, respondentHash: null, ...over });
const google = (id: string, ts: number, visitorId = "V"): VisitRecord => ({
  id,
  ts,
  visitorId,
  referrerHost: "google.com",
  inApp: null,
  channel: "organic_search",
  source: "google",
  rule: "visit:referrer",
});
const slack = (id: string, ts: number, visitorId = "V"): VisitRecord => ({ ...google(id, ts, visitorId), referrerHost: "app.slack.com", channel: "workchat", source: "slack" });
const whatsappInApp = (id: string, ts: number): VisitRecord => ({ ...google(id, ts), referrerHost: null, inApp: "whatsapp", channel: "messaging", source: "whatsapp", rule: "visit:in_app" });
const visitor = (visitorId: string, over: Partial<VisitorRecord> = {}): VisitorRecord => ({ visitorId, shareToken: `tok-${visitorId}`, lcid: null, linkId: null, parentVisitorId: null, generation: 0, ...over });
const click = (id: string, ts: number): ClickRecord => ({ id, ts, linkId: "L1", channel: "social", source: "linkedin", rule: "link_tag", referrerHost: null, inApp: null, unfurlApp: null });

function reconcile(c: ConversionRecord, data: IdentityData) {
  return reconcileConversion({ conversion: c, touchpoints: softwareTouchpoints(c, buildIdentityIndex({ conversions: [c], ...data })), response: null });
}
const credits = (r: ReturnType<typeof reconcile>, model: string) => r.credits.filter((x) => x.view === "software" && x.model === model).map((x) => [x.channel, x.credit]);

describe("visits on the path", () => {
  it("a Google visit before the conversion makes the software channel organic search, tied through the visitor", () => {
    const r = reconcile(conv("C"), { visits: [google("G", T0 - 2 * HOUR)] });
    expect(r.softwarePath.map((t) => [t.kind, t.id, t.rule, t.evidence.rule])).toEqual([["visit", "G", "software:visitor", "visit:referrer"]]);
    expect(r.software).toEqual({ channel: "organic_search", source: "google", rule: "software:visitor" });
    expect(r.blended.rule).toBe("blended:software_only");
    expect([r.dark, r.darkReasons, r.linkId]).toEqual([false, [], null]);
    expect(r.softwarePath[0]!.evidence).toEqual({ rule: "visit:referrer", darkReasons: [], link: "visitor", referrerHost: "google.com", visitorId: "V" });
  });

  it("a visit from Slack's web app is work chat, dark because of the referrer", () => {
    const r = reconcile(conv("C"), { visits: [slack("S", T0 - HOUR)] });
    expect(r.software).toEqual({ channel: "workchat", source: "slack", rule: "software:visitor" });
    expect([r.dark, r.darkReasons]).toEqual([true, ["dark_referrer"]]);
    expect(r.softwarePath[0]).toMatchObject({ kind: "visit", dark: true });
  });

  it("a visit in WhatsApp's in-app browser is dark because of the in-app browser", () => {
    const r = reconcile(conv("C"), { visits: [whatsappInApp("W", T0 - HOUR)] });
    expect([r.software.channel, r.software.source, r.darkReasons]).toEqual(["messaging", "whatsapp", ["messaging_in_app_browser"]]);
  });

  it("a visit after an earlier tagged click: the models credit both, in time order", () => {
    // Click 4 days before, visit 1 day before: first touch the click, last touch the visit.
    const data = { clicks: [click("K", T0 - 4 * DAY_MS)], visitors: [visitor("V", { lcid: "K", linkId: "L1" })], visits: [google("G", T0 - DAY_MS)] };
    const r = reconcile(conv("C"), data);
    expect(r.softwarePath.map((t) => `${t.kind}:${t.id}`)).toEqual(["click:K", "visit:G"]);
    expect(r.software).toEqual({ channel: "organic_search", source: "google", rule: "software:visitor" });
    expect(credits(r, "first_touch")).toEqual([["social", 1]]);
    expect(credits(r, "last_touch")).toEqual([["organic_search", 1]]);
    expect(credits(r, "last_non_direct")).toEqual([["organic_search", 1]]);
    expect(credits(r, "linear")).toEqual([["social", 0.5], ["organic_search", 0.5]]);
    expect(credits(r, "position_based")).toEqual([["social", 0.5], ["organic_search", 0.5]]);
    // Half-life 7 days: weights 2^(-4/7) and 2^(-1/7), normalised.
    const [k, g] = [2 ** (-4 / 7), 2 ** (-1 / 7)];
    const decay = credits(r, "time_decay");
    expect(decay.map((x) => x[0])).toEqual(["social", "organic_search"]);
    expect(decay[0]![1]).toBeCloseTo(k / (k + g), 12);
    expect(decay[1]![1]).toBeCloseTo(g / (k + g), 12);
    // The link behind the conversion is the click's: the visit has none.
    expect(r.linkId).toBe("L1");
  });

  it("a visit after the conversion (beyond clock skew) or before the look-back window is not on the path", () => {
    const visits = [google("late", T0 + 10 * 60_000), google("old", T0 - 31 * DAY_MS), google("skew", T0 + 60_000), google("in", T0 - 29 * DAY_MS)];
    const r = reconcile(conv("C"), { visits });
    expect(r.softwarePath.map((t) => t.id)).toEqual(["in", "skew"]);
  });

  it("only the buyer's own visits: a sharer's visits stay off the path, the token owner's count when it is the buyer", () => {
    const visitors = [visitor("S", { lcid: "K" }), visitor("V", { parentVisitorId: "S", generation: 1 })];
    const data = { clicks: [click("K", T0 - 3 * DAY_MS)], visitors, visits: [slack("sharer", T0 - 2 * DAY_MS, "S"), google("own", T0 - HOUR)] };
    expect(reconcile(conv("C", { shareToken: "tok-S" }), data).softwarePath.map((t) => `${t.kind}:${t.id}:${t.evidence.link}`)).toEqual([
      "click:K:share_chain",
      "visit:own:visitor",
    ]);
    // Without a visitor id, the owner of the conversion's own token is the buyer.
    expect(reconcile(conv("C2", { visitorId: null, shareToken: "tok-S" }), data).softwarePath.map((t) => `${t.kind}:${t.id}`)).toEqual(["click:K", "visit:sharer"]);
  });

  it("an earlier conversion of the same respondent lends its visitor's visits, tied through the respondent", () => {
    const earlier = conv("C0", { ts: T0 - 2 * DAY_MS, visitorId: "phone", respondentHash: "h" });
    const c = conv("C", { visitorId: "laptop", respondentHash: "h" });
    const index = buildIdentityIndex({ conversions: [earlier, c], visits: [google("G", T0 - 3 * DAY_MS, "phone")] });
    expect(softwareTouchpoints(c, index).map((t) => `${t.id}:${t.evidence.link}`)).toEqual(["G:respondent"]);
  });

  it("a visit at the same time as a click comes after it, and a visit loaded twice is on the path once", () => {
    const data = { clicks: [click("K", T0 - HOUR)], visitors: [visitor("V", { lcid: "K" })], visits: [google("G", T0 - HOUR), google("G", T0 - HOUR)] };
    expect(reconcile(conv("C"), data).softwarePath.map((t) => `${t.kind}:${t.id}`)).toEqual(["click:K", "visit:G"]);
  });
});
