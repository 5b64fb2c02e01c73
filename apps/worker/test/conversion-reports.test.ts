import { schema } from "@lantern/db";
import type { ConversionEvent, SurveyResponseEvent } from "@lantern/queue";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversion, type Harness, response, startHarness } from "./helpers.ts";

/**
 * An order's stored conversion is derived from all its reports (lantern.js's, the site's server's, survey
 * answers'), so however they are split into batches and in whatever order they arrive, twice or once, the
 * row ends up the same (decision 009). Only its id (the first report stored) may differ.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

const T = Date.UTC(2026, 10, 10, 12);
const ORDER = "order-42";
const maybe = <A>(arb: fc.Arbitrary<A>) => fc.option(arb, { nil: null });

/** One report of ORDER: who made it, when, what it says; ids drawn from a small set so reports agree or disagree. */
const report = fc
  .record({
    origin: fc.constantFrom("tracker", "api", "survey"),
    at: fc.integer({ min: 0, max: 5 }).map((m) => T + m * 60_000),
    occurredAt: maybe(fc.integer({ min: -3, max: 0 }).map((m) => T + m * 60_000)),
    type: fc.constantFrom("purchase", "conversion", "subscription"),
    value: maybe(fc.constantFrom<number>(10, 25.5, 80)),
    currency: maybe(fc.constantFrom("EUR", "USD")),
    lcid: maybe(fc.constantFrom("click-a", "click-b")),
    visitorId: maybe(fc.constantFrom("visitor-a", "visitor-b")),
    shareToken: maybe(fc.constantFrom("token-a", "token-b")),
    respondentHash: maybe(fc.constantFrom("a".repeat(64), "b".repeat(64))),
  });

type Report = typeof report extends fc.Arbitrary<infer R> ? R : never;

/** The event a report arrives as: a conversion, or a survey answer carrying the order. */
function eventOf(r: Report): ConversionEvent | SurveyResponseEvent {
  const fields = { type: r.type, value: r.value, currency: r.currency, externalId: ORDER, occurredAt: r.occurredAt };
  if (r.origin === "survey") {
    // No respondent key for the dedupe: every answer is its own (anonymous) answer.
    return { ...response({ surveyId: "s1", optionId: null, otherText: "a friend", lcid: r.lcid, visitorId: null, shareToken: r.shareToken, conversion: fields }), ts: r.at };
  }
  return { ...conversion({ origin: r.origin, lcid: r.lcid, visitorId: r.visitorId, shareToken: r.shareToken, respondentHash: r.respondentHash }, fields), ts: r.at };
}

/** The reports' events delivered as the schedule says (batches of the given sizes, in the given order), then the stored row. */
async function deliver(events: readonly (ConversionEvent | SurveyResponseEvent)[], sizes: readonly number[]) {
  await h.t.db.delete(schema.conversions);
  await h.t.db.delete(schema.conversionReports);
  await h.t.db.delete(schema.surveyResponses);
  let at = 0;
  for (const size of sizes) {
    if (at >= events.length) break;
    await h.send(events.slice(at, at + size));
    at += size;
  }
  if (at < events.length) await h.send(events.slice(at));
  const rows = await h.t.db.select().from(schema.conversions);
  expect(rows).toHaveLength(1);
  const { id: _id, receivedAt: _r, ...row } = rows[0]!;
  return row;
}

describe("an order's conversion, from all its reports", () => {
  it("is the same whatever batches and order its reports arrive in, and whether some come twice", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(report, { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.boolean(),
        async (reports, sizes, seed, twice) => {
          const events = reports.map(eventOf);
          const inOrder = await deliver(events, [events.length]);
          // A shuffle (seeded), with the first few delivered again at the end when `twice`.
          const shuffled = [...events];
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = (seed * (i + 7)) % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          const again = twice ? [...shuffled, ...shuffled.slice(0, 2)] : shuffled;
          expect(await deliver(again, sizes)).toEqual(inOrder);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("takes its figures from the report that ranks highest: the site's server, then one with a value, then the latest", async () => {
    const browser = eventOf({ origin: "tracker", at: T, occurredAt: null, type: "conversion", value: null, currency: null, lcid: "click-a", visitorId: "visitor-a", shareToken: null, respondentHash: null });
    const answer = eventOf({ origin: "survey", at: T + 60_000, occurredAt: null, type: "purchase", value: 25.5, currency: "EUR", lcid: null, visitorId: null, shareToken: "token-a", respondentHash: null });
    // The answer's value outranks the browser's report without one; the time is the earliest report's.
    expect(await deliver([browser, answer], [1, 1])).toMatchObject({ type: "purchase", value: 25.5, currency: "EUR", ts: T, lcid: "click-a", visitorId: "visitor-a", shareToken: "token-a", origin: "survey" });
    const server = eventOf({ origin: "api", at: T + 120_000, occurredAt: T - 60_000, type: "purchase", value: 80, currency: "USD", lcid: "click-b", visitorId: null, shareToken: null, respondentHash: "a".repeat(64) });
    // The server's report outranks both: its value, currency, time and click id; ids it lacks come from the others.
    expect(await deliver([server, browser, answer], [3])).toMatchObject({
      type: "purchase",
      value: 80,
      currency: "USD",
      ts: T - 60_000,
      lcid: "click-b",
      visitorId: "visitor-a",
      shareToken: "token-a",
      respondentHash: "a".repeat(64),
      origin: "api",
    });
  });

  it("a later public report (a beacon or an answer naming the order) does not take over an order lantern.js reported", async () => {
    const browser = eventOf({ origin: "tracker", at: T, occurredAt: null, type: "purchase", value: 50, currency: "EUR", lcid: "click-a", visitorId: "visitor-a", shareToken: "token-a", respondentHash: null });
    const claim = eventOf({ origin: "survey", at: T + 60_000, occurredAt: null, type: "purchase", value: 99999, currency: "USD", lcid: "click-b", visitorId: null, shareToken: "token-b", respondentHash: null });
    for (const order of [[browser, claim], [claim, browser]]) {
      expect(await deliver(order, [1, 1])).toMatchObject({ value: 50, currency: "EUR", lcid: "click-a", shareToken: "token-a", origin: "tracker" });
    }
  });

  it("keeps a value's every digit, and a report that changes nothing leaves the row unstamped", async () => {
    const value = 49.95 * 3; // 149.85000000000002: JSON would round it to 15 digits
    const first = eventOf({ origin: "tracker", at: T, occurredAt: null, type: "purchase", value, currency: "EUR", lcid: "click-a", visitorId: null, shareToken: null, respondentHash: null });
    const again = eventOf({ origin: "survey", at: T + 60_000, occurredAt: null, type: "purchase", value: null, currency: null, lcid: null, visitorId: null, shareToken: null, respondentHash: null });
    await deliver([first], [1]);
    const [before] = await h.t.db.select().from(schema.conversions);
    await h.send([again]);
    const [after] = await h.t.db.select().from(schema.conversions);
    expect(after!.value).toBe(value);
    expect(after!.receivedAt).toBe(before!.receivedAt);
  });
});

describe("an order whose id changes", () => {
  it("restamps the conversions that shared the id it lost, so the next incremental run redoes them too", async () => {
    await h.t.db.delete(schema.conversions);
    await h.t.db.delete(schema.conversionReports);
    const x = conversion({ lcid: "click-shared", ts: T }, { externalId: "order-x" });
    const y = conversion({ lcid: "click-shared", ts: T + 1_000 }, { externalId: "order-y" });
    await h.send([x, y]);
    const stamp = async (order: string) => (await h.t.db.select().from(schema.conversions)).find((c) => c.externalId === order)!.receivedAt;
    const [xBefore, yBefore] = [await stamp("order-x"), await stamp("order-y")];
    await new Promise((r) => setTimeout(r, 5));
    // The site's server says order-x came through another click: order-x loses click-shared.
    await h.send([conversion({ origin: "api", lcid: "click-own", ts: T + 120_000 }, { externalId: "order-x" })]);
    expect(await stamp("order-x")).toBeGreaterThan(xBefore);
    expect(await stamp("order-y")).toBeGreaterThan(yBefore);
  });
});
