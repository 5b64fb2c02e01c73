import { describe, expect, it } from "vitest";
import { classifyReferrer, isDarkChannel, registrableHost } from "../src/index.ts";
import { REFERRERS } from "./fixtures/referrers.ts";

describe("referrers", () => {
  it("the table holds at least 40 cases", () => {
    expect(REFERRERS.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of REFERRERS) {
    const what = c.expected ? `${c.expected.channel}/${c.expected.source} by ${c.expected.rule}` : "no information";
    it(`${JSON.stringify(c.referrer)} -> ${what} (${c.why})`, () => {
      const got = classifyReferrer(c.referrer, { ownHosts: c.ownHosts });
      if (c.expected === null) expect(got).toBeNull();
      else expect(got && { channel: got.channel, source: got.source, rule: got.rule }).toEqual(c.expected);
    });
  }

  it("messaging and work-chat web apps are dark channels", () => {
    for (const ref of ["https://web.whatsapp.com/", "https://app.slack.com/", "https://teams.microsoft.com/", "https://discord.com/", "https://web.telegram.org/"]) {
      const got = classifyReferrer(ref);
      expect(got, ref).not.toBeNull();
      expect(isDarkChannel(got!.channel), ref).toBe(true);
    }
  });

  it("reports the referrer's host without www.", () => {
    expect(classifyReferrer("https://www.reddit.com/r/x")?.host).toBe("reddit.com");
    expect(classifyReferrer("android-app://com.slack/")?.host).toBe("com.slack");
  });

  it("gives the same answer the second time (cached library lookups)", () => {
    const first = classifyReferrer("https://www.google.de/search?q=a");
    expect(classifyReferrer("https://www.google.de/search?q=b")).toEqual(first);
    expect(first?.source).toBe("google");
  });
});

describe("registrableHost", () => {
  it.each([
    ["www.example.com", "example.com"],
    ["a.b.example.co.uk", "example.co.uk"],
    ["user.github.io", "user.github.io"],
    ["localhost", "localhost"],
    ["10.0.0.1", "10.0.0.1"],
    ["example.com", "example.com"],
  ])("%s -> %s", (host, expected) => {
    expect(registrableHost(host)).toBe(expected);
  });
});
