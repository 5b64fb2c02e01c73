import { describe, expect, it } from "vitest";
import { strataOf } from "../server/reports/overview.ts";

const g = (software: string, flags: { responded?: boolean; dark?: boolean; named?: boolean; confirmed?: boolean; namedDark?: boolean }, n: number) => ({
  software,
  responded: flags.responded ? 1 : 0,
  dark: flags.dark ? 1 : 0,
  answerNamed: flags.named ? 1 : 0,
  softwareDark: flags.confirmed ? 1 : 0,
  answerDark: flags.namedDark ? 1 : 0,
  n,
});

describe("strataOf", () => {
  it("counts answers that name no channel as no answer (unnamed), unless software saw a dark touch", () => {
    const { strata } = strataOf([
      g("direct", {}, 50),
      g("direct", { responded: true, named: true, dark: true, namedDark: true }, 12),
      g("direct", { responded: true, named: true }, 8),
      // "I don't remember": no channel named, nothing seen by software.
      g("direct", { responded: true }, 10),
      // "I don't remember" from a buyer who arrived through a copy-pasted share: software decides.
      g("direct", { responded: true, dark: true, confirmed: true }, 2),
    ]);
    expect(strata).toEqual([{ key: "direct", conversions: 82, respondents: 22, dark: 14, confirmed: 2, unnamed: 10 }]);
  });

  it("the answer check holds software-confirmed buyers who named a channel, and how many named a dark one", () => {
    const { strata, check } = strataOf([
      g("messaging", { responded: true, named: true, dark: true, confirmed: true, namedDark: true }, 7),
      g("messaging", { responded: true, named: true, dark: true, confirmed: true }, 3),
      g("messaging", { responded: true, dark: true, confirmed: true }, 4),
      g("messaging", { dark: true, confirmed: true }, 20),
      g("organic_search", { responded: true, named: true, dark: true, namedDark: true }, 5),
    ]);
    expect(check).toEqual({ respondents: 10, namedDark: 7 });
    expect(strata).toEqual([
      { key: "messaging", conversions: 34, respondents: 14, dark: 14, confirmed: 14, unnamed: 0 },
      { key: "organic_search", conversions: 5, respondents: 5, dark: 5, confirmed: 0, unnamed: 0 },
    ]);
  });
});
