import { describe, expect, it } from "vitest";
import { channelFromCampaign, hasCampaign, normaliseCampaignSource, parseCampaign } from "../src/index.ts";
import { CAMPAIGNS } from "./fixtures/campaigns.ts";

describe("campaign parameters", () => {
  for (const c of CAMPAIGNS) {
    const what = c.expected ? `${c.expected.channel}/${c.expected.source} by ${c.expected.rule}` : "no channel";
    it(`${JSON.stringify(c.query)} -> ${what} (${c.why})`, () => {
      expect(channelFromCampaign(parseCampaign(c.query))).toEqual(c.expected);
    });
  }

  it("parses UTMs and click ids, trimming values and ignoring blanks", () => {
    const parsed = parseCampaign({
      utm_source: " Newsletter ",
      utm_medium: "email",
      utm_campaign: "spring-launch",
      utm_term: "",
      utm_content: "hero",
      gclid: "abc",
      fbclid: "IwAR",
      other: "x",
    });
    expect(parsed).toEqual({
      utm: { source: "Newsletter", medium: "email", campaign: "spring-launch", term: null, content: "hero" },
      clickIds: { gclid: "abc", fbclid: "IwAR" },
    });
    expect(hasCampaign(parsed)).toBe(true);
    expect(hasCampaign(parseCampaign({ page: "1" }))).toBe(false);
  });

  it("caps very long values", () => {
    expect(parseCampaign({ utm_campaign: "x".repeat(10_000) }).utm.campaign).toHaveLength(256);
  });

  it("tolerates a query that is not an object", () => {
    expect(parseCampaign(null).clickIds).toEqual({});
    expect(parseCampaign(undefined).utm.source).toBeNull();
  });

  it.each([
    ["fb", "facebook"],
    ["Twitter", "x"],
    ["t.co", "x"],
    ["www.linkedin.com", "linkedin"],
    ["Google Ads", "google"],
    ["WA", "whatsapp"],
  ])("normalises utm_source %s -> %s", (raw, expected) => {
    expect(normaliseCampaignSource(raw)).toBe(expected);
  });
});
