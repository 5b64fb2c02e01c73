import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ANDROID_APP_RULES } from "../src/classify/referrer-rules.ts";
import {
  CHANNEL_KEYS,
  channelForSource,
  channelFromCampaign,
  classifyClick,
  classifyReferrer,
  classifyRequest,
  detectBot,
  detectInAppBrowser,
  detectUnfurlApp,
  IN_APP_CHANNEL,
  normaliseCampaignSource,
  parseCampaign,
  parseDevice,
  quickKind,
  UNFURL_APP_CHANNEL,
} from "../src/index.ts";

const anyText = fc.oneof(fc.string(), fc.string({ unit: "binary", maxLength: 300 }), fc.constant(""));
/** Strings that look like user agents: browser-ish prefixes with random tails. */
const uaLike = fc.tuple(
  fc.constantFrom("Mozilla/5.0 (", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) ", "WhatsApp/", "facebookexternalhit/1.1", "curl/", "", "Opera/9.80 "),
  anyText,
).map(([a, b]) => a + b);
const channels = new Set<string>(CHANNEL_KEYS);
const runs = { numRuns: 500 };

describe("classifiers never throw on arbitrary input", () => {
  it("request classification of any string is one of the three kinds, and quickKind agrees", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, uaLike), (ua) => {
        const got = classifyRequest(ua);
        expect(["unfurl", "bot", "human"]).toContain(got.kind);
        expect(quickKind(ua)).toBe(got.kind);
        detectBot(ua);
        detectUnfurlApp(ua);
        detectInAppBrowser(ua);
        const device = parseDevice(ua);
        expect(["mobile", "tablet", "desktop", "other"]).toContain(device.device);
      }),
      runs,
    );
  });

  it("referrer classification of any string or URL gives null or a known channel", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.webUrl(), fc.domain().map((d) => `android-app://${d}/`)), fc.array(anyText, { maxLength: 3 }), (ref, own) => {
        const got = classifyReferrer(ref, { ownHosts: own });
        if (got !== null) {
          expect(channels.has(got.channel)).toBe(true);
          expect(got.source.length).toBeGreaterThan(0);
        }
      }),
      runs,
    );
  });

  it("a referrer under one of our own hosts is always internal (null)", () => {
    fc.assert(
      fc.property(fc.domain(), fc.webPath(), (host, path) => {
        expect(classifyReferrer(`https://${host}${path}`, { ownHosts: [host] })).toBeNull();
      }),
      runs,
    );
  });

  it("campaign parsing of any query gives null or a known channel", () => {
    const key = fc.oneof(fc.constantFrom("utm_source", "utm_medium", "UTM_Medium", "gclid", "fbclid", "ttclid", "mc_cid"), fc.string());
    fc.assert(
      fc.property(fc.dictionary(key, anyText), (query) => {
        const got = channelFromCampaign(parseCampaign(query));
        if (got !== null) expect(channels.has(got.channel)).toBe(true);
      }),
      runs,
    );
  });

  it("click classification of arbitrary evidence gives a known channel and rule", () => {
    fc.assert(
      fc.property(
        fc.record({
          userAgent: fc.option(fc.oneof(anyText, uaLike), { nil: null }),
          referer: fc.option(fc.oneof(anyText, fc.webUrl()), { nil: null }),
          query: fc.dictionary(fc.string(), anyText),
          linkChannel: fc.option(fc.oneof(anyText, fc.constantFrom(...CHANNEL_KEYS)), { nil: null }),
          linkSource: fc.option(anyText, { nil: null }),
          ownHosts: fc.option(fc.array(anyText, { maxLength: 2 }), { nil: undefined }),
        }),
        (input) => {
          const got = classifyClick(input);
          expect(channels.has(got.channel)).toBe(true);
          expect(["referrer", "campaign", "in_app", "link_tag", "direct"]).toContain(got.rule);
        },
      ),
      runs,
    );
  });
});

describe("keys that name Object.prototype's members", () => {
  // Found by the campaign property above: utm_source "_ proto _" normalises to "__proto__", and a plain
  // object table handed back Object.prototype. Every lookup table of request-controlled keys must miss.
  const keys = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];

  it("find no channel, alias or rule", () => {
    for (const key of keys) {
      expect(channelForSource(key), key).toBeNull();
      expect(normaliseCampaignSource(key), key).toBe(key.toLowerCase());
      // An unknown source is a referral, as any other unknown site would be.
      expect(channelFromCampaign(parseCampaign({ utm_source: key, utm_medium: key }))?.channel, key).toBe("referral");
      expect(IN_APP_CHANNEL[key], key).toBeUndefined();
      expect(UNFURL_APP_CHANNEL[key], key).toBeUndefined();
      expect(ANDROID_APP_RULES[key], key).toBeUndefined();
      const referrer = classifyReferrer(`android-app://${key}/`);
      expect(referrer === null || typeof referrer.channel === "string", key).toBe(true);
    }
  });
});
