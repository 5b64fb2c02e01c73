import { describe, expect, it } from "vitest";
import { ENTITIES, PEOPLE } from "../src/answers/lexicon.ts";
import { SOURCE_CHANNEL } from "../src/channels.ts";
import { IN_APP_CHANNEL, inAppSource } from "../src/classify/in-app.ts";
import { ANDROID_APP_RULES, HOST_RULES } from "../src/classify/referrer-rules.ts";
import { UNFURL_APPS } from "../src/classify/unfurl.ts";
import { LABELLED_SOURCES, sourceLabel } from "../src/source-labels.ts";

/** Every source key a classifier can produce: these must read as their makers spell them. */
const produced = new Set<string>([
  ...HOST_RULES.map((r) => r.source),
  ...Object.values(ANDROID_APP_RULES).map((r) => r.source),
  ...Object.keys(IN_APP_CHANNEL).map(inAppSource),
  ...UNFURL_APPS,
  ...ENTITIES.flatMap((e) => (e.source ? [e.source] : [])),
  ...PEOPLE.flatMap((p) => (p.source ? [p.source] : [])),
  ...Object.keys(SOURCE_CHANNEL),
]);

describe("sourceLabel", () => {
  it("has a label of its own for every source the classifiers produce", () => {
    const missing = [...produced].filter((s) => !LABELLED_SOURCES.includes(s));
    expect(missing).toEqual([]);
  });

  it("spells apps the way their makers do", () => {
    expect(sourceLabel("imessage")).toBe("iMessage");
    expect(sourceLabel("whatsapp")).toBe("WhatsApp");
    expect(sourceLabel("google_messages")).toBe("Google Messages");
    expect(sourceLabel("teams")).toBe("Microsoft Teams");
    expect(sourceLabel("x")).toBe("X (Twitter)");
    expect(sourceLabel("LinkedIn")).toBe("LinkedIn");
  });

  it("keeps hosts as they are and gives a typed source its own words", () => {
    expect(sourceLabel("example.co.uk")).toBe("example.co.uk");
    expect(sourceLabel("spring_promo")).toBe("Spring promo");
    expect(sourceLabel("partner")).toBe("Partner");
  });

  it("finds nothing on Object.prototype", () => {
    expect(sourceLabel("constructor")).toBe("Constructor");
    expect(sourceLabel("__proto__")).toBe("Proto");
  });
});
