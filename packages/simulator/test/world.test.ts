import { createHash } from "node:crypto";
import { join } from "node:path";
import { classifyAnswer, classifyRequest, detectInAppBrowser, isChannelKey, isDarkChannel, refineWithFollowUp } from "@lantern/core";
import { lanternEvent, visitEvent } from "@lantern/queue";
import { describe, expect, it } from "vitest";
import { attributionActions, generateWorld, loadScenario, parseScenario, Random, SCENARIOS_DIR, type Scenario, type World, worldEvents } from "../src/index.ts";

const START = Date.parse("2025-03-03T00:00:00Z");

/** b2c-shop, smaller: fast enough to generate several times per test. */
function small(visitors = 3000): Scenario {
  const s = JSON.parse(JSON.stringify(loadScenario(join(SCENARIOS_DIR, "b2c-shop.json"))));
  s.visitors = visitors;
  return parseScenario(s);
}

const digest = (w: World) => createHash("sha256").update(JSON.stringify({ actions: w.actions, truth: w.truth, links: w.links })).digest("hex");

describe("seeded randomness", () => {
  it("the same seed gives the same numbers, a different seed different ones", () => {
    const draw = (seed: number) => Array.from({ length: 20 }, () => new Random(seed)).map((r, i) => r.fork(`x${i}`).nextU32());
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it("xoshiro128** from a fixed seed gives a fixed sequence (bit for bit, on every machine)", () => {
    const r = new Random(123);
    expect(Array.from({ length: 4 }, () => r.nextU32())).toEqual([3146710351, 1913850085, 2160143029, 1836263080]);
    expect(new Random(123).float()).toBe(0.732650596243165);
  });

  it("floats are uniform in [0, 1) and weighted picks follow their weights", () => {
    const r = new Random(1);
    let sum = 0;
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 20_000; i++) {
      const x = r.float();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      sum += x;
      counts[r.weighted([{ value: "a" as const, weight: 1 }, { value: "b" as const, weight: 3 }])]++;
    }
    expect(sum / 20_000).toBeCloseTo(0.5, 1);
    expect(counts.b / counts.a).toBeGreaterThan(2.7);
    expect(counts.b / counts.a).toBeLessThan(3.3);
  });
});

describe("a world is a function of its scenario and seed", () => {
  const scenario = small();

  it("the same seed gives the same world, bit for bit", () => {
    const a = generateWorld(scenario, 7, { start: START });
    const b = generateWorld(scenario, 7, { start: START });
    expect(digest(a)).toBe(digest(b));
    expect(a.actions.length).toBeGreaterThan(1000);
  });

  it("a different seed gives a different world of the same kind", () => {
    const a = generateWorld(scenario, 7, { start: START });
    const b = generateWorld(scenario, 8, { start: START });
    expect(digest(a)).not.toBe(digest(b));
    // Same scenario: similar volumes.
    expect(b.truth.counts.clicks / a.truth.counts.clicks).toBeGreaterThan(0.8);
    expect(b.truth.counts.clicks / a.truth.counts.clicks).toBeLessThan(1.25);
  });

  it("the world's start comes from the scenario unless given", () => {
    const withStart = generateWorld(scenario, 7);
    expect(withStart.start).toBe(Date.parse(`${scenario.start}T00:00:00Z`));
    const { start: _drop, ...noStart } = scenario;
    expect(() => generateWorld(noStart as Scenario, 7)).toThrow(/has no "start"/);
  });
});

describe("what the world sends looks like the real thing", () => {
  const world = generateWorld(small(4000), 11, { start: START });

  it("actions are in time order and inside the world's span", () => {
    for (let i = 1; i < world.actions.length; i++) expect(world.actions[i]!.ts).toBeGreaterThanOrEqual(world.actions[i - 1]!.ts);
    expect(world.actions[0]!.ts).toBeGreaterThanOrEqual(world.start);
    expect(world.actions.at(-1)!.ts).toBeLessThan(world.end);
  });

  it("preview fetches carry real previewer user agents, which Lantern classifies as unfurls", () => {
    const unfurls = world.actions.filter((a) => a.type === "unfurl");
    expect(unfurls.length).toBeGreaterThan(50);
    for (const u of unfurls) expect(classifyRequest(u.userAgent).kind).toBe("unfurl");
  });

  it("clicks look like people: browsers or in-app browsers, never bots", () => {
    const clicks = world.actions.filter((a) => a.type === "click");
    let inApp = 0;
    for (const c of clicks) {
      expect(classifyRequest(c.userAgent).kind).toBe("human");
      if (detectInAppBrowser(c.userAgent)) inApp++;
    }
    expect(inApp).toBeGreaterThan(clicks.length * 0.1);
    expect(inApp).toBeLessThan(clicks.length * 0.9);
  });

  it("crawler hits are classified as bots", () => {
    const bots = world.actions.filter((a) => a.type === "bot");
    expect(bots.length).toBeGreaterThan(0);
    for (const b of bots) expect(classifyRequest(b.userAgent).kind).toBe("bot");
  });

  it("WhatsApp and iMessage clicks never carry a referrer", () => {
    const apps = new Map(world.truth.conversions.map((c) => [c.visitor, c.app]));
    const clicks = world.actions.filter((a) => a.type === "click" && ["whatsapp", "imessage"].includes(apps.get(a.visitor) ?? ""));
    expect(clicks.length).toBeGreaterThan(0);
    for (const c of clicks) if (c.type === "click") expect(c.referer).toBeNull();
  });

  it("re-shares arrive with the sharer's token and a token of their own", () => {
    const tokens = new Set(world.actions.flatMap((a) => (a.type === "landing" ? [a.shareToken] : a.type === "arrival" ? [a.ownShareToken] : [])));
    const arrivals = world.actions.filter((a) => a.type === "arrival");
    expect(arrivals.length).toBeGreaterThan(0);
    for (const a of arrivals) if (a.type === "arrival") expect(tokens.has(a.shareToken)).toBe(true);
  });

  it("every answer and survey view belongs to a conversion that came first", () => {
    const orders = new Map(world.actions.flatMap((a) => (a.type === "conversion" ? [[a.order, a.ts] as const] : [])));
    for (const a of world.actions) {
      if (a.type === "survey.answer" || a.type === "survey.view" || a.type === "survey.skip") {
        expect(orders.get(a.order)).toBeLessThan(a.ts);
      }
    }
  });

  it("typed answers are written for people; most of them name the channel the buyer meant", () => {
    const typed = world.actions.flatMap((a) => (a.type === "survey.answer" && a.answer.kind === "other" ? [a.answer] : []));
    expect(typed.length).toBeGreaterThan(10);
    const placed = typed.filter((t) => t.kind === "other" && classifyAnswer(t.text).channel === t.said.channel).length;
    expect(placed / typed.length).toBeGreaterThan(0.5);
  });

  it("the truth counts every conversion once, and its dark share is what its rows say", () => {
    const conversions = world.actions.filter((a) => a.type === "conversion");
    expect(world.truth.conversions).toHaveLength(conversions.length);
    const dark = world.truth.conversions.filter((c) => c.dark).length / conversions.length;
    expect(world.truth.darkShare).toBeCloseTo(dark, 12);
    // A buyer whose own channel is dark is dark; dark can also come from a private hop further up.
    for (const c of world.truth.conversions) if (isDarkChannel(c.channel)) expect(c.dark).toBe(true);
    const mix = Object.values(world.truth.mix).reduce((s, x) => s + x!, 0);
    expect(mix).toBeCloseTo(1, 9);
  });

  it("every event the world makes passes the queue's own schema", () => {
    const links = new Map(world.links.map((l, i) => [l.key, { id: `link${i}xx`, slug: `slug${i}` }]));
    const survey = { id: "survey01", optionByChannel: new Map(), followUpOptionIds: new Set<string>(), otherOptionId: "other01", dontRememberOptionId: "dontrem1" };
    const events = worldEvents(world.actions, { run: "testrun1", links, survey });
    for (const e of events) expect(lanternEvent.safeParse(e).success).toBe(true);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });
});

describe("follow-up questions", () => {
  const withFollowUp = (p: number) => {
    const s = JSON.parse(JSON.stringify(small(25_000)));
    s.answers.followUp = p;
    return parseScenario(s);
  };
  const answersOf = (w: World) => w.actions.flatMap((a) => (a.type === "survey.answer" ? [a] : []));
  const truthOf = (w: World) => new Map(w.truth.conversions.map((c) => [c.order, c]));

  it("nobody answers them at rate 0, and the rest of the world is the same whatever the rate", () => {
    const none = generateWorld(withFollowUp(0), 3, { start: START });
    const all = generateWorld(withFollowUp(1), 3, { start: START });
    expect(answersOf(none).every((a) => a.answer.kind !== "option" || a.answer.followUp === null)).toBe(true);
    const strip = (w: World) => w.actions.map((a) => (a.type === "survey.answer" && a.answer.kind === "option" ? { ...a, answer: { ...a.answer, followUp: null } } : a));
    expect(JSON.stringify(strip(all))).toBe(JSON.stringify(strip(none)));
    expect(JSON.stringify(all.truth)).toBe(JSON.stringify(none.truth));
  });

  it("only options that ask one get an answer to it, at the scenario's rate", () => {
    const w = generateWorld(withFollowUp(0.5), 5, { start: START });
    const options = answersOf(w).flatMap((a) => (a.answer.kind === "option" ? [a.answer] : []));
    const asked = options.filter((o) => ["organic_search", "social", "podcast", "email", "events"].includes(o.channel));
    expect(options.filter((o) => !asked.includes(o)).every((o) => o.followUp === null)).toBe(true);
    const answered = asked.filter((o) => o.followUp !== null).length / asked.length;
    expect(asked.length).toBeGreaterThan(80);
    // 0.5 ± about 3.5 standard errors.
    expect(answered).toBeGreaterThan(0.35);
    expect(answered).toBeLessThan(0.65);
  });

  it('under "Search engine" a dark buyer names what sent them searching, and a real searcher names no channel', () => {
    const w = generateWorld(withFollowUp(1), 5, { start: START });
    const truth = truthOf(w);
    const search = answersOf(w).flatMap((a) => (a.answer.kind === "option" && a.answer.channel === "organic_search" && a.answer.followUp ? [{ a, t: truth.get(a.order)! }] : []));
    const searchers = search.filter(({ t }) => t.channel === "organic_search" || t.channel === "paid_search");
    const darkBuyers = search.filter(({ t }) => isDarkChannel(t.channel));
    expect(searchers.length).toBeGreaterThan(5);
    expect(darkBuyers.length).toBeGreaterThan(5);
    // What the worker does with them: a searcher's reason leaves "Search engine"; most dark buyers' become dark.
    const refinedDark = (text: string) => {
      const { channel } = refineWithFollowUp({ channel: "organic_search", source: null }, classifyAnswer(text));
      return isChannelKey(channel) && isDarkChannel(channel);
    };
    expect(searchers.some(({ a }) => a.answer.kind === "option" && refinedDark(a.answer.followUp!))).toBe(false);
    const revealed = darkBuyers.filter(({ a }) => a.answer.kind === "option" && refinedDark(a.answer.followUp!)).length;
    expect(revealed / darkBuyers.length).toBeGreaterThan(0.6);
  });

  it("a survey whose option asks no follow-up sends none", () => {
    const w = generateWorld(withFollowUp(1), 5, { start: START });
    const links = new Map(w.links.map((l, i) => [l.key, { id: `link${i}xx`, slug: `slug${i}` }]));
    const optionByChannel = new Map([["organic_search", "optsearch"], ["social", "optsocial"]] as const);
    const survey = { id: "survey01", optionByChannel: new Map<never, string>(optionByChannel as never), followUpOptionIds: new Set(["optsearch"]), otherOptionId: "other01", dontRememberOptionId: "dontrem1" };
    const events = worldEvents(w.actions, { run: "testrun1", links, survey }).flatMap((e) => (e.type === "survey.response" ? [e] : []));
    const bySearch = events.filter((e) => e.optionId === "optsearch");
    expect(bySearch.length).toBeGreaterThan(20);
    expect(bySearch.every((e) => e.followUpText !== null)).toBe(true);
    const bySocial = events.filter((e) => e.optionId === "optsocial");
    expect(bySocial.length).toBeGreaterThan(20);
    expect(bySocial.every((e) => e.followUpText === null)).toBe(true);
  });
});

describe("untagged visits", () => {
  const world = generateWorld(small(25_000), 3, { start: START });
  const visits = world.actions.flatMap((a) => (a.type === "visit" ? [a] : []));
  const visitOf = new Map(visits.map((v) => [v.visitor, v]));
  const conversionOf = new Map(world.actions.flatMap((a) => (a.type === "conversion" ? [[a.actor, a] as const] : [])));
  const inApp = (userAgent: string) => detectInAppBrowser(userAgent) !== null;

  it("only tracked visitors who arrive without a Lantern tag get one, once, on the campaign's page (a newsletter's with its campaign parameters)", () => {
    expect(visits.length).toBeGreaterThan(1000);
    expect(visitOf.size).toBe(visits.length);
    const tagged = new Set(world.actions.flatMap((a) => (a.type === "click" || a.type === "landing" || a.type === "arrival" ? [a.visitor] : [])));
    expect(visits.filter((v) => tagged.has(v.visitor))).toEqual([]);
    const pages = new Set(world.campaigns.map((c) => c.url));
    for (const v of visits) {
      const [page, query] = v.page.split("?");
      expect(pages.has(page!)).toBe(true);
      expect(query === undefined || /^utm_source=[a-z_]+&utm_medium=email$/.test(query)).toBe(true);
    }
    // A buyer's visit carries campaign parameters exactly when a newsletter sent them.
    const buyerVisits = world.truth.conversions.filter((c) => visitOf.has(c.visitor));
    for (const c of buyerVisits) expect(visitOf.get(c.visitor)!.page.endsWith(`?utm_source=${c.source}&utm_medium=email`)).toBe(c.channel === "email");
    expect(buyerVisits.some((c) => c.channel === "email")).toBe(true);
    // Buyers: a visit exactly when they came by the plain URL and the tracker ran, before they bought.
    let untagged = 0;
    for (const c of world.truth.conversions) {
      const tracked = conversionOf.get(c.visitor)!.origin === "tracker";
      expect(visitOf.has(c.visitor)).toBe(c.via === "url" && tracked);
      if (visitOf.has(c.visitor)) {
        expect(visitOf.get(c.visitor)!.ts).toBeLessThan(c.ts);
        untagged++;
      }
    }
    expect(untagged).toBeGreaterThan(100);
  });

  it("leave the visitor's own browser for what follows, even when the visit came in an in-app browser", () => {
    let checked = 0;
    for (const v of visits) {
      const conversion = conversionOf.get(v.visitor);
      if (!conversion || conversion.visitor !== v.visitor) continue; // no purchase, or on another device
      expect(inApp(conversion.userAgent)).toBe(false);
      if (!inApp(v.userAgent)) expect(conversion.userAgent).toBe(v.userAgent);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  /** Visits of a world whose visitors all come from one app by its plain URL, and share nothing. */
  function visitsFrom(appKey: string) {
    const s = JSON.parse(JSON.stringify(small(5000)));
    s.traffic.mix = [{ app: appKey, share: 1, viaLink: 0 }];
    s.sharing.rate = 0;
    const scenario = parseScenario(s);
    const vs = generateWorld(scenario, 9, { start: START }).actions.flatMap((a) => (a.type === "visit" ? [a] : []));
    expect(vs.length).toBeGreaterThan(3500);
    const share = (f: (v: (typeof vs)[number]) => boolean) => vs.filter(f).length / vs.length;
    return { app: scenario.apps[appKey]!, vs, share };
  }

  it("carry the referrer the app passes on: none from word of mouth, typed addresses or apps that strip it", () => {
    for (const key of ["word_of_mouth", "direct", "whatsapp", "imessage"]) expect(visitsFrom(key).vs.every((v) => v.referrer === null)).toBe(true);
    for (const key of ["instagram", "google"]) {
      const { app, vs, share } = visitsFrom(key);
      expect(vs.every((v) => v.referrer === null || app.referrers.includes(v.referrer))).toBe(true);
      // The configured share ± about 6 standard errors.
      expect(share((v) => v.referrer !== null)).toBeCloseTo(1 - app.stripReferrer, 1);
    }
  });

  it("come in the app's in-app browser as often as its clicks do", () => {
    for (const key of ["instagram", "whatsapp", "facebook", "google", "word_of_mouth"]) {
      const { app, share } = visitsFrom(key);
      const measured = share((v) => inApp(v.userAgent));
      expect(Math.abs(measured - app.inAppBrowser), key).toBeLessThan(0.04);
    }
  });

  it("are the same for the same seed and differ for another", () => {
    const again = generateWorld(small(25_000), 3, { start: START }).actions.filter((a) => a.type === "visit");
    expect(JSON.stringify(again)).toBe(JSON.stringify(visits));
    const other = generateWorld(small(25_000), 4, { start: START }).actions.filter((a) => a.type === "visit");
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(visits));
  });

  it("left every other action of a world as it was (counts recorded before visits existed)", () => {
    const counts = (w: World) => {
      const { visits: _visits, ...rest } = w.truth.counts;
      return rest;
    };
    expect(counts(generateWorld(small(3000), 7, { start: START }))).toEqual({
      visitors: 3428, clicks: 903, unfurls: 304, bots: 22, landings: 763, arrivals: 33, conversions: 139, views: 118, skips: 47, answers: 49,
    });
    const b2c = generateWorld(loadScenario(join(SCENARIOS_DIR, "b2c-shop.json")), 1);
    expect(counts(b2c)).toEqual({
      visitors: 27062, clicks: 7296, unfurls: 2237, bots: 234, landings: 6174, arrivals: 516, conversions: 962, views: 824, skips: 280, answers: 340,
    });
    expect(b2c.truth.counts.visits).toBe(b2c.actions.filter((a) => a.type === "visit").length);
  });

  it("become tracker.visit events with the run's visitor id", () => {
    const links = new Map(world.links.map((l, i) => [l.key, { id: `link${i}xx`, slug: `slug${i}` }]));
    const survey = { id: "survey01", optionByChannel: new Map(), followUpOptionIds: new Set<string>(), otherOptionId: "other01", dontRememberOptionId: "dontrem1" };
    const events = worldEvents(world.actions, { run: "testrun1", links, survey }).filter((e) => e.type === "tracker.visit");
    expect(events).toHaveLength(visits.length);
    events.forEach((e, i) => {
      expect(visitEvent.parse(e)).toEqual(e);
      expect(e).toMatchObject({ ts: visits[i]!.ts, visitorId: `testrun1_${visits[i]!.visitor}`, referrer: visits[i]!.referrer, page: visits[i]!.page, userAgent: visits[i]!.userAgent });
    });
  });

  it("of buyers and of those who passed the page on to them are kept for attribution, the others left out", () => {
    const kept = new Set<string>();
    for (const c of world.truth.conversions) for (let v: string | undefined = c.visitor; v !== undefined; v = world.parents[v]) kept.add(v);
    const pruned = attributionActions(world).filter((a) => a.type === "visit");
    expect(pruned.length).toBeGreaterThan(100);
    expect(pruned).toEqual(visits.filter((v) => kept.has(v.visitor)));
  });
});
