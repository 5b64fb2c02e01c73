import { schema } from "@lantern/db";
import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BatchResult } from "../src/ingest/worker.ts";
import { arrival, conversion, type Harness, landing, linkHit, startHarness, UA } from "./helpers.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ ownHosts: ["go.example", "shop.example"] });
});
afterEach(async () => h.close());

const visitor = async (id: string) => (await h.t.db.select().from(schema.visitors).where(eq(schema.visitors.visitorId, id)))[0];
const arrivalsOf = async (visitorId: string) => h.t.db.select().from(schema.arrivals).where(eq(schema.arrivals.visitorId, visitorId));

describe("landings", () => {
  it("a landing stores its visitor at generation 0 with the click's link and its share token", async () => {
    const click = linkHit({ linkId: "L1" });
    await h.send([click, landing({ visitorId: "A", lcid: click.id, shareToken: "tA", ts: click.ts + 500 })]);
    expect(await visitor("A")).toMatchObject({ visitorId: "A", lcid: click.id, linkId: "L1", shareToken: "tA", generation: 0, parentVisitorId: null });
  });

  it("a landing that arrives before its click gets the click's link when the click comes, and so do the visitors it brought", async () => {
    const click = linkHit({ linkId: "L9" });
    const t = click.ts;
    await h.send([landing({ visitorId: "A", lcid: click.id, shareToken: "tA", ts: t + 100 }), arrival({ visitorId: "B", shareToken: "tA", ownShareToken: "tB", ts: t + 200 })]);
    expect((await visitor("A"))?.linkId).toBeNull();
    expect((await visitor("B"))?.linkId).toBeNull();
    await h.send([click]);
    expect((await visitor("A"))?.linkId).toBe("L9");
    expect((await visitor("B"))?.linkId).toBe("L9");
    expect((await arrivalsOf("B"))[0]?.linkId).toBe("L9");
  });

  it("a returning visitor keeps its first click and first share token", async () => {
    const c1 = linkHit({ linkId: "L1" });
    const c2 = linkHit({ linkId: "L2", ts: c1.ts + 10_000 });
    await h.send([c1, landing({ visitorId: "A", lcid: c1.id, shareToken: "tA", ts: c1.ts + 1 })]);
    await h.send([c2, landing({ visitorId: "A", lcid: c2.id, shareToken: "tA2", ts: c2.ts + 1 })]);
    expect(await visitor("A")).toMatchObject({ lcid: c1.id, linkId: "L1", shareToken: "tA", firstSeen: c1.ts + 1, lastSeen: c2.ts + 1 });
  });
});

describe("arrivals and the share graph", () => {
  it("a chain of re-shares across batches: each arrival finds its parent through the share token, one generation further, with the link inherited", async () => {
    const click = linkHit({ linkId: "L1" });
    const t = click.ts;
    await h.send([click, landing({ visitorId: "A", lcid: click.id, shareToken: "tA", ts: t + 1 })]);
    await h.send([arrival({ visitorId: "B", shareToken: "tA", ownShareToken: "tB", ts: t + 2 })]);
    await h.send([arrival({ visitorId: "C", shareToken: "tB", ownShareToken: "tC", ts: t + 3 })]);
    await h.send([arrival({ visitorId: "D", shareToken: "tC", ownShareToken: "tD", ts: t + 4 })]);
    for (const [id, parent, gen] of [["B", "A", 1], ["C", "B", 2], ["D", "C", 3]] as const) {
      expect(await visitor(id)).toMatchObject({ parentVisitorId: parent, generation: gen, linkId: "L1", lcid: null });
      expect(await arrivalsOf(id)).toMatchObject([{ parentVisitorId: parent, generation: gen, linkId: "L1" }]);
    }
  });

  it("a chain of re-shares inside one batch resolves in time order, whatever the order in the batch", async () => {
    const click = linkHit({ linkId: "L1" });
    const t = click.ts;
    await h.send([
      arrival({ visitorId: "C", shareToken: "tB", ownShareToken: "tC", ts: t + 3 }),
      arrival({ visitorId: "B", shareToken: "tA", ownShareToken: "tB", ts: t + 2 }),
      landing({ visitorId: "A", lcid: click.id, shareToken: "tA", ts: t + 1 }),
      click,
    ]);
    expect(await visitor("A")).toMatchObject({ generation: 0, linkId: "L1" });
    expect(await visitor("B")).toMatchObject({ parentVisitorId: "A", generation: 1, linkId: "L1" });
    expect(await visitor("C")).toMatchObject({ parentVisitorId: "B", generation: 2, linkId: "L1" });
  });

  it("an arrival stored before its sharer is known is repaired when the sharer comes, down the chain", async () => {
    const click = linkHit({ linkId: "L1" });
    const t = click.ts;
    await h.send([arrival({ visitorId: "C", shareToken: "tB", ownShareToken: "tC", ts: t + 3 })]);
    expect(await visitor("C")).toMatchObject({ parentVisitorId: null, generation: 1 });
    await h.send([arrival({ visitorId: "B", shareToken: "tA", ownShareToken: "tB", ts: t + 2 })]);
    expect(await visitor("C")).toMatchObject({ parentVisitorId: "B", generation: 2 });
    await h.send([click, landing({ visitorId: "A", lcid: click.id, shareToken: "tA", ts: t + 1 })]);
    expect(await visitor("B")).toMatchObject({ parentVisitorId: "A", generation: 1, linkId: "L1" });
    expect(await visitor("C")).toMatchObject({ parentVisitorId: "B", generation: 2, linkId: "L1" });
    expect(await arrivalsOf("C")).toMatchObject([{ parentVisitorId: "B", generation: 2, linkId: "L1" }]);
  });

  it("an arrival with a share token and no referrer is a dark copy-paste share: messaging, source unknown", async () => {
    await h.send([landing({ visitorId: "A", lcid: "c1", shareToken: "tA" }), arrival({ visitorId: "B", shareToken: "tA", ownShareToken: "tB" })]);
    expect((await arrivalsOf("B"))[0]).toMatchObject({ dark: true, channel: "messaging", source: null, rule: "copy_paste_no_referrer", referrerHost: null });
  });

  it("a referrer says more: a search engine is not dark, WhatsApp Web is dark messaging, our own site counts as no referrer", async () => {
    await h.send([
      landing({ visitorId: "A", lcid: "c1", shareToken: "tA" }),
      arrival({ visitorId: "B", shareToken: "tA", ownShareToken: "tB", referrer: "https://www.google.com/" }),
      arrival({ visitorId: "C", shareToken: "tA", ownShareToken: "tC", referrer: "https://web.whatsapp.com/" }),
      arrival({ visitorId: "D", shareToken: "tA", ownShareToken: "tD", referrer: "https://shop.example/other-page" }),
    ]);
    expect((await arrivalsOf("B"))[0]).toMatchObject({ dark: false, channel: "organic_search", source: "google", rule: "referrer" });
    expect((await arrivalsOf("C"))[0]).toMatchObject({ dark: true, channel: "messaging", source: "whatsapp", rule: "referrer" });
    expect((await arrivalsOf("D"))[0]).toMatchObject({ dark: true, channel: "messaging", source: null, rule: "copy_paste_no_referrer" });
  });

  it("an in-app browser names the app of a copy-paste share", async () => {
    await h.send([landing({ visitorId: "A", lcid: "c1", shareToken: "tA" }), arrival({ visitorId: "B", shareToken: "tA", ownShareToken: "tB", userAgent: UA.whatsappInApp })]);
    expect((await arrivalsOf("B"))[0]).toMatchObject({ dark: true, channel: "messaging", source: "whatsapp", inApp: "whatsapp", rule: "in_app_no_referrer" });
  });

  it("opening one's own shared URL is not a re-share", async () => {
    const job = await h.send([landing({ visitorId: "A", lcid: "c1", shareToken: "tA" }), arrival({ visitorId: "A", shareToken: "tA", ownShareToken: "tA2" })]);
    expect((job.returnvalue as BatchResult).stored.arrivals).toBe(0);
    expect(await h.t.db.$count(schema.arrivals)).toBe(0);
  });

  it("a tracker batch delivered twice stores nothing twice", async () => {
    const events = [landing({ visitorId: "A", lcid: "c1", shareToken: "tA" }), arrival({ visitorId: "B", shareToken: "tA", ownShareToken: "tB" })];
    await h.send(events);
    const again = await h.send(events);
    expect((again.returnvalue as BatchResult).stored).toMatchObject({ visitors: 0, arrivals: 0 });
    expect(await h.t.db.$count(schema.visitors)).toBe(2);
    expect(await h.t.db.$count(schema.arrivals)).toBe(1);
  });
});

describe("conversions", () => {
  it("stores a conversion with its identifiers; the occurrence time wins over the event time", async () => {
    const e = conversion({ visitorId: "A", lcid: "c1", shareToken: "tA" }, { externalId: "order-1", value: 42.5, occurredAt: 1_700_000_000_000 });
    await h.send([e]);
    const [c] = await h.t.db.select().from(schema.conversions);
    expect(c).toMatchObject({ id: e.id, externalId: "order-1", ts: 1_700_000_000_000, value: 42.5, currency: "EUR", visitorId: "A", lcid: "c1", shareToken: "tA", origin: "tracker", type: "purchase" });
  });

  it("the same order id is one conversion, in one batch or across batches: the first row stored, with what the reports that rank highest say", async () => {
    const T = Date.UTC(2026, 10, 2, 12);
    const first = conversion({ visitorId: "A", ts: T }, { externalId: "order-7", value: 1 });
    const second = conversion({ visitorId: "B", ts: T + 1_000 }, { externalId: "order-7", value: 2 });
    await h.send([first, second]);
    // Of two public reports (lantern.js's), the earlier one's figures and ids: a later one naming the
    // order cannot take it over.
    let rows = await h.t.db.select().from(schema.conversions).where(eq(schema.conversions.externalId, "order-7"));
    expect(rows).toMatchObject([{ id: first.id, value: 1, visitorId: "A", ts: T, origin: "tracker" }]);
    // The site's server outranks them: its value, type and the time it says the order happened; a
    // visitor only lantern.js knew is kept. Conversions without an order id stand alone.
    const third = conversion({ origin: "api", ts: T + 60_000 }, { externalId: "order-7", value: 3, type: "subscription", occurredAt: T - 5_000 });
    await h.send([third, conversion({}, { externalId: null }), conversion({}, { externalId: null })]);
    rows = await h.t.db.select().from(schema.conversions).where(eq(schema.conversions.externalId, "order-7"));
    expect(rows).toMatchObject([{ id: first.id, value: 3, type: "subscription", ts: T - 5_000, visitorId: "A", origin: "api" }]);
    expect(await h.t.db.$count(schema.conversions)).toBe(3);
  });

  it("the site's server's report wins over lantern.js's whichever comes first: its value, its click id, and a later correction of it", async () => {
    const T = Date.UTC(2026, 10, 3, 9);
    // lantern.js reports the order without a value and with a click id the server corrects.
    const browser = conversion({ lcid: "browser-click", visitorId: "V", ts: T }, { externalId: "order-9", value: null, currency: null, type: "conversion" });
    const server = conversion({ origin: "api", lcid: "server-click", ts: T + 30_000 }, { externalId: "order-9", value: 80, currency: "EUR", type: "purchase" });
    const corrected = conversion({ origin: "api", ts: T + 3_600_000 }, { externalId: "order-9", value: 95, currency: "EUR", type: "purchase" });
    const results = [];
    for (const order of [[browser, server, corrected], [corrected, server, browser], [server, corrected, browser]]) {
      await h.t.db.delete(schema.conversions);
      await h.t.db.delete(schema.conversionReports);
      for (const e of order) await h.send([e]);
      const [c] = await h.t.db.select().from(schema.conversions).where(eq(schema.conversions.externalId, "order-9"));
      results.push({ value: c!.value, currency: c!.currency, type: c!.type, lcid: c!.lcid, visitorId: c!.visitorId, ts: c!.ts, origin: c!.origin });
    }
    expect(results[0]).toEqual({ value: 95, currency: "EUR", type: "purchase", lcid: "server-click", visitorId: "V", ts: T, origin: "api" });
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });
});
