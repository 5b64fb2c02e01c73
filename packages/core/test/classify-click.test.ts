import { describe, expect, it } from "vitest";
import { type ClickInput, classifyClick, isDarkChannel } from "../src/index.ts";
import { CLICKS, UA } from "./fixtures/clicks.ts";

const input = (partial: Partial<ClickInput>): ClickInput => ({
  userAgent: null,
  referer: null,
  query: {},
  linkChannel: null,
  linkSource: null,
  ...partial,
});

describe("the channel of a click", () => {
  for (const c of CLICKS) {
    it(`${c.name} (rule ${c.expected.rule})`, () => {
      const got = classifyClick(input(c.input));
      expect({ channel: got.channel, source: got.source, rule: got.rule }).toEqual({
        channel: c.expected.channel,
        source: c.expected.source,
        rule: c.expected.rule,
      });
      if (c.expected.inApp !== undefined) expect(got.inApp).toBe(c.expected.inApp);
      if (c.expected.referrerHost !== undefined) expect(got.referrerHost).toBe(c.expected.referrerHost);
      expect(got.detail.length).toBeGreaterThan(0);
    });
  }

  it("reports device, browser, OS and the campaign parameters it saw", () => {
    const got = classifyClick(input({ userAgent: UA.whatsappAndroid, query: { utm_source: "whatsapp", utm_medium: "messaging", x: "1" } }));
    expect(got.device).toBe("mobile");
    expect(got.os).toBe("Android");
    expect(got.browser).toBe("Chrome");
    expect(got.campaignParams?.utm.source).toBe("whatsapp");
    expect(got.campaignParams?.clickIds).toEqual({});
  });

  it("has no campaign parameters when the request carried none", () => {
    expect(classifyClick(input({ userAgent: UA.chromeWindows, query: { page: "2" } })).campaignParams).toBeNull();
  });

  it("a click with nothing but a missing user agent is direct on an 'other' device", () => {
    const got = classifyClick(input({}));
    expect(got).toMatchObject({ channel: "direct", rule: "direct", device: "other", browser: null, os: null, inApp: null });
  });

  it("a messaging in-app browser with no other evidence makes the click dark social", () => {
    const got = classifyClick(input({ userAgent: UA.whatsappIos }));
    expect(isDarkChannel(got.channel)).toBe(true);
  });
});
