import { describe, expect, it } from "vitest";
import { classifyVisit, type VisitInput, visitSaysSomething } from "../src/index.ts";
import { UA } from "./fixtures/clicks.ts";

const OWN = ["go.acme.test", "acme.test"];
const visit = (partial: Partial<VisitInput>) => classifyVisit({ referrer: null, page: "https://acme.test/pricing", userAgent: UA.chromeWindows, ...partial }, OWN);
const decided = (partial: Partial<VisitInput>) => {
  const c = visit(partial);
  return [c.channel, c.source, c.rule, c.dark];
};

describe("the channel of an untagged visit", () => {
  it("a Google referrer is organic search", () => {
    expect(visit({ referrer: "https://www.google.com/" })).toEqual({
      channel: "organic_search",
      source: "google",
      rule: "visit:referrer",
      referrerHost: "google.com",
      inApp: null,
      dark: false,
    });
  });

  it("a link pasted in Slack's web app is work chat, dark", () => {
    expect(decided({ referrer: "https://app.slack.com/" })).toEqual(["workchat", "slack", "visit:referrer", true]);
  });

  it("WhatsApp's in-app browser is WhatsApp, dark, and wins over a referrer", () => {
    expect(decided({ userAgent: UA.whatsappIos })).toEqual(["messaging", "whatsapp", "visit:in_app", true]);
    expect(decided({ userAgent: UA.whatsappAndroid, referrer: "https://www.instagram.com/" })).toEqual(["messaging", "whatsapp", "visit:in_app", true]);
    expect(decided({ userAgent: UA.slackDesktop })).toEqual(["workchat", "slack", "visit:in_app", true]);
  });

  it("a social app's in-app browser decides only without a referrer, and is not dark", () => {
    expect(decided({ userAgent: UA.instagramIos })).toEqual(["social", "instagram", "visit:in_app", false]);
    expect(decided({ userAgent: UA.googleApp })).toEqual(["organic_search", "google", "visit:in_app", false]);
    expect(decided({ userAgent: UA.instagramIos, referrer: "https://www.google.com/" })).toEqual(["organic_search", "google", "visit:referrer", false]);
  });

  it("a webmail referrer is a forwarded email, unless the page carries a campaign's parameters (decision 003)", () => {
    expect(decided({ referrer: "https://mail.google.com/" })).toEqual(["personal_email", "gmail", "visit:referrer", true]);
    expect(decided({ referrer: "https://mail.google.com/", page: "https://acme.test/?utm_source=newsletter&utm_medium=email" })).toEqual(["email", "newsletter", "visit:campaign", false]);
  });

  it("campaign parameters on the page count like a click's: a paid click id beats a search referrer", () => {
    expect(decided({ referrer: "https://www.google.com/", page: "/pricing?gclid=abc" })).toEqual(["paid_search", "google", "visit:campaign", false]);
    expect(decided({ page: "https://acme.test/?utm_source=whatsapp" })).toEqual(["messaging", "whatsapp", "visit:campaign", true]);
  });

  it("our own hosts, no referrer, or an unparsable page say nothing", () => {
    for (const says of [visit({ referrer: "https://acme.test/cart" }), visit({ referrer: "https://go.acme.test/x" }), visit({}), visit({ page: "http://[bad" }), visit({ userAgent: null, page: null })]) {
      expect([says.channel, says.rule, visitSaysSomething(says)]).toEqual(["direct", "visit:direct", false]);
    }
    expect(visit({ referrer: "https://acme.test/cart" }).referrerHost).toBe("acme.test");
  });
});
