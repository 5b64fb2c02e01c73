import { describe, expect, it } from "vitest";
import {
  IN_APP_CHANNEL,
  UNFURL_APP_CHANNEL,
  UNFURL_APPS,
  classifyRequest,
  detectBot,
  detectInAppBrowser,
  detectUnfurlApp,
  parseDevice,
  quickKind,
} from "../src/index.ts";
import { BROWSERS } from "./fixtures/browsers.ts";
import { AUTOMATED } from "./fixtures/user-agents.ts";

const short = (ua: string) => (ua.length > 90 ? `${ua.slice(0, 87)}...` : ua || "(empty)");

describe("link-preview fetchers and bots (real user agents)", () => {
  it("the tables hold at least 40 previewers/bots and 40 browsers", () => {
    expect(AUTOMATED.length).toBeGreaterThanOrEqual(40);
    expect(AUTOMATED.filter((c) => c.kind === "unfurl").length).toBeGreaterThanOrEqual(40);
    expect(BROWSERS.length).toBeGreaterThanOrEqual(40);
    expect(BROWSERS.filter((c) => c.inApp !== null).length).toBeGreaterThanOrEqual(20);
  });

  for (const c of AUTOMATED) {
    const what = c.kind === "unfurl" ? `an unfurl from ${c.name}` : `a bot (${c.name})`;
    it(`${short(c.ua)} is ${what}`, () => {
      const expected = c.kind === "unfurl" ? { kind: "unfurl", app: c.name } : { kind: "bot", name: c.name };
      expect(classifyRequest(c.ua)).toEqual(expected);
      expect(quickKind(c.ua)).toBe(c.kind);
      expect(detectInAppBrowser(c.ua)).toBeNull();
    });
  }
});

describe("people's browsers, in-app ones included (real user agents)", () => {
  for (const c of BROWSERS) {
    it(`${short(c.ua)} is a person${c.inApp ? ` in ${c.inApp}'s in-app browser` : ""} on ${c.device}`, () => {
      expect(classifyRequest(c.ua)).toEqual({ kind: "human" });
      expect(quickKind(c.ua)).toBe("human");
      expect(detectInAppBrowser(c.ua)).toBe(c.inApp);
      const device = parseDevice(c.ua);
      expect(device.device).toBe(c.device);
      if (c.browser !== undefined) expect(device.browser).toBe(c.browser);
      if (c.os !== undefined) expect(device.os).toBe(c.os);
    });
  }
});

describe("rule order", () => {
  it("iMessage's spoofed UA is iMessage, not Facebook or X, although it names both crawlers", () => {
    const ua =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0";
    expect(detectUnfurlApp(ua)).toBe("imessage");
    expect(detectUnfurlApp("facebookexternalhit/1.1")).toBe("facebook");
    expect(detectUnfurlApp("Twitterbot/1.0")).toBe("x");
  });

  it("Signal's bare 'WhatsApp/2' is Signal; a versioned WhatsApp UA is WhatsApp", () => {
    expect(detectUnfurlApp("WhatsApp/2")).toBe("signal");
    expect(detectUnfurlApp("WhatsApp/2.23.20.0 A")).toBe("whatsapp");
  });

  it("an unfurl is decided before the bot check, although isbot flags the previewer", () => {
    expect(detectBot("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)")).not.toBeNull();
    expect(classifyRequest("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)")).toEqual({ kind: "unfurl", app: "slack" });
  });

  it("a search engine's page-preview crawler is a bot, not an unfurl", () => {
    expect(detectUnfurlApp("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) BingPreview/1.0b")).toBeNull();
  });

  it("the Teams desktop client's 'Preview' build is a person, not an unknown previewer", () => {
    const ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) MicrosoftTeams-Preview/1.5.00.23861 Chrome/85.0.4183.121 Electron/10.4.7 Safari/537.36";
    expect(detectUnfurlApp(ua)).toBeNull();
  });

  it("a missing or blank user agent is a bot named 'empty'", () => {
    expect(classifyRequest(null)).toEqual({ kind: "bot", name: "empty" });
    expect(classifyRequest(undefined)).toEqual({ kind: "bot", name: "empty" });
    expect(classifyRequest("   ")).toEqual({ kind: "bot", name: "empty" });
    expect(quickKind(null)).toBe("bot");
  });

  it("every unfurl app has a channel entry and every in-app app a channel", () => {
    for (const app of UNFURL_APPS) expect(app in UNFURL_APP_CHANNEL).toBe(true);
    for (const c of BROWSERS) if (c.inApp) expect(IN_APP_CHANNEL[c.inApp]).toBeDefined();
  });

  it("messaging in-app browsers are dark channels, social apps are not", () => {
    expect(IN_APP_CHANNEL.whatsapp).toBe("messaging");
    expect(IN_APP_CHANNEL.messenger).toBe("messaging");
    expect(IN_APP_CHANNEL.wechat).toBe("messaging");
    expect(IN_APP_CHANNEL.instagram).toBe("social");
    expect(IN_APP_CHANNEL.linkedin).toBe("social");
  });
});

describe("quickKind", () => {
  it("agrees with classifyRequest on repeated and very long user agents", () => {
    const long = `Mozilla/5.0 (compatible; Googlebot/2.1) ${"x".repeat(2000)}`;
    for (let i = 0; i < 3; i++) {
      expect(quickKind(long)).toBe(classifyRequest(long).kind);
      expect(quickKind("Twitterbot/1.0")).toBe("unfurl");
    }
  });
});
