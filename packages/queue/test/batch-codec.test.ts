import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eventsOfBatch, packEvents, unpackEvent } from "../src/batch-codec.ts";
import { type LandingEvent, type LanternEvent, type LinkHitEvent, lanternEvent } from "../src/events.ts";

// Values drawn from small pools repeat within a batch (as user agents and referrers do), values drawn
// from open ranges do not: both paths of the string table get exercised.
const pooled = <T>(pool: T[], open: fc.Arbitrary<T>) => fc.oneof(fc.constantFrom(...pool), open);
const text = (max: number): fc.Arbitrary<string> => fc.string({ maxLength: max, unit: "grapheme" });

const linkHit: fc.Arbitrary<LinkHitEvent> = fc.record({
  id: fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
  ts: fc.nat(),
  type: fc.constant("link.hit" as const),
  linkId: pooled(["link_1", "link_2"], text(64)),
  slug: pooled(["k3x9ab2", "launch"], text(128)),
  served: fc.constantFrom("redirect" as const, "preview" as const),
  userAgent: fc.option(pooled(["Mozilla/5.0 (iPhone)", "Slackbot-LinkExpanding 1.0", ""], text(1024))),
  referer: fc.option(pooled(["https://www.google.com/", "https://chatgpt.com/"], text(2048))),
  query: fc.dictionary(fc.stringMatching(/^[a-z_]{1,8}$/), text(512), { maxKeys: 4 }),
  visitorHash: fc.option(fc.stringMatching(/^[0-9a-f]{64}$/)),
  country: fc.option(fc.constantFrom("DE", "FR", "US")),
  dnt: fc.boolean(),
});

const otherEvent: fc.Arbitrary<LandingEvent> = fc.record({
  id: fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
  ts: fc.nat(),
  type: fc.constant("tracker.landing" as const),
  visitorId: fc.stringMatching(/^[a-z0-9]{1,64}$/),
  lcid: fc.stringMatching(/^[a-z0-9]{1,64}$/),
  shareToken: fc.stringMatching(/^[a-z0-9]{1,64}$/),
  page: fc.option(text(2048)),
});

/** What the worker receives: the packed batch after its trip through JSON (BullMQ, or the spool file). */
const overTheWire = (events: LanternEvent[]) => JSON.parse(JSON.stringify({ batchId: "b1234567", producer: "links", ...packEvents(events) }));

const hit = (over: Partial<LinkHitEvent> = {}): LinkHitEvent => ({
  id: "ev00000001",
  ts: 1_764_385_000_000,
  type: "link.hit",
  linkId: "link_1",
  slug: "k3x9ab2",
  served: "redirect",
  userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  referer: "https://www.google.com/",
  query: {},
  visitorHash: "a".repeat(64),
  country: null,
  dnt: false,
  ...over,
});

describe("packed event batches", () => {
  it("any batch unpacks to exactly the events packed, in order, after a trip through JSON", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof({ arbitrary: linkHit, weight: 4 }, { arbitrary: otherEvent, weight: 1 }), { maxLength: 40 }), (events) => {
        const decoded = eventsOfBatch(overTheWire(events));
        expect(decoded).toEqual(events);
        for (const e of decoded) expect(lanternEvent.safeParse(e).success).toBe(true);
      }),
    );
  });

  it("keeps each repeated string once per batch, so a batch of one link's hits is a fraction of its plain size", () => {
    const events = Array.from({ length: 500 }, (_, i) => hit({ id: `ev${String(i).padStart(8, "0")}` }));
    const packed = packEvents(events);
    expect(packed.strings).toEqual(["link_1", "k3x9ab2", "redirect", events[0]!.userAgent, "https://www.google.com/"]);
    const plainBytes = JSON.stringify({ events }).length;
    const packedBytes = JSON.stringify(packed).length;
    expect(packedBytes / plainBytes).toBeLessThan(0.4);
  });

  it("packs only link hits: other events travel as the objects they are", () => {
    const landing: LanternEvent = { id: "ev00000002", ts: 1, type: "tracker.landing", visitorId: "v1", lcid: "c1", shareToken: "s1", page: null };
    const { events } = packEvents([hit(), landing]);
    expect(Array.isArray(events[0])).toBe(true);
    expect(events[1]).toBe(landing);
  });

  it("a plain batch (other producers, older jobs and spool files) reads as it is", () => {
    const events = [hit(), hit({ id: "ev00000002", userAgent: null, referer: null, dnt: true })];
    expect(eventsOfBatch(JSON.parse(JSON.stringify({ batchId: "b1234567", producer: "simulator", events })))).toEqual(events);
  });

  it("a broken packed hit unpacks to something the event schema rejects, never to another valid hit", () => {
    const strings = ["link_1", "k3x9ab2", "redirect"];
    const good = ["ev00000001", 1, 0, 1, 2, null, null, {}, null, null, 0];
    expect(lanternEvent.safeParse(unpackEvent(good, strings)).success).toBe(true);
    const broken: unknown[][] = [
      good.slice(0, 10), // an arity of 10
      [...good, 0], // an arity of 12
      Object.assign([...good], { 2: 3 }), // linkId past the table
      Object.assign([...good], { 3: -1 }), // slug before it
      Object.assign([...good], { 4: 0.5 }), // served not an index
      Object.assign([...good], { 5: "Mozilla" }), // userAgent inline instead of by index
      Object.assign([...good], { 10: 2 }), // dnt neither 0 nor 1
      Object.assign([...good], { 4: 0 }), // served pointing at a string that is not a served kind
    ];
    for (const tuple of broken) expect(lanternEvent.safeParse(unpackEvent(tuple, strings)).success).toBe(false);
  });
});
