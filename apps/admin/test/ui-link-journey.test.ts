// What a link was made for, and the journey's figures, read from the links service's real shapes.
import { describe, expect, it } from "vitest";
import { linkTag } from "../src/components/Badges.tsx";
import type { Journey } from "../src/lib/types.ts";
import { formatValues, journeyFacts, journeySteps } from "../src/pages/links/Journey.tsx";

describe("what a link was made for", () => {
  it("a variant with source \"\" and a channel is a link for that channel in no app in particular", () => {
    expect(linkTag("messaging", "")).toEqual({ channel: "messaging", source: null });
  });

  it("a variant with source \"\" and no channel is the untagged link, not an unclassified one", () => {
    expect(linkTag(null, "")).toBeNull();
  });

  it("a source without a channel takes the source's channel, as the click classifier does", () => {
    expect(linkTag(null, "whatsapp")).toEqual({ channel: "messaging", source: "whatsapp" });
    expect(linkTag(null, "newsletter-site")).toEqual({ channel: "referral", source: "newsletter-site" });
  });
});

const journey = (over: Partial<Journey> = {}): Journey => ({
  linkId: "L1",
  from: null,
  to: null,
  unfurls: { total: 3, byApp: { whatsapp: 1, slack: 2 } },
  clicks: { human: 4 },
  landingVisitors: 3,
  reshares: { total: 5, dark: 4, visitors: 4, byGeneration: { "2": 1, "1": 4 } },
  visitors: 6,
  resharesPerVisitor: 5 / 6,
  conversions: { total: 3, byGeneration: { "1": 2, "0": 1 }, byType: { signup: 1, purchase: 2 }, value: { USD: 10, EUR: 40.5, unknown: 3 } },
  ...over,
});

describe("the journey of a link", () => {
  it("sums conversion values per currency, never across currencies", () => {
    expect(formatValues({ USD: 10, EUR: 40.5, unknown: 3 })).toBe("40.5 EUR + 10 USD + 3");
    expect(formatValues({})).toBeNull();
  });

  it("names the apps that drew previews, the dark re-shares and the value on their stages", () => {
    expect(journeySteps(journey()).map((s) => [s.label, s.value, s.hint])).toEqual([
      ["Unfurls", 3, "previews in Slack (2), WhatsApp (1)"],
      ["Clicks", 4, "opened by people (bots left out)"],
      ["Landing visitors", 3, "came through a click, seen by the site tracker"],
      ["Re-shares", 5, "4 through private channels (dark)"],
      ["Conversions", 3, "value 40.5 EUR + 10 USD + 3"],
    ]);
  });

  it("gives re-shares per visitor with the visitors it rests on, and generations in order", () => {
    expect(journeyFacts(journey())).toEqual([
      { label: "Visitors of the share tree", value: "6 (3 through a click, 4 through a re-share)" },
      { label: "Re-shares per visitor", value: "0.83 (5 re-shares by 6 visitors)" },
      { label: "Re-shares by generation", value: "generation 1: 4 · generation 2: 1" },
      { label: "Conversions by the buyer's generation", value: "generation 0 (came through a click): 1 · generation 1: 2" },
      { label: "Conversions by type", value: "purchase: 2 · signup: 1" },
    ]);
  });
});
