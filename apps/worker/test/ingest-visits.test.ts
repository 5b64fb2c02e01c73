import { schema } from "@lantern/db";
import { asc } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BatchResult } from "../src/ingest/worker.ts";
import { type Harness, startHarness, UA, visit } from "./helpers.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ ownHosts: ["go.example", "shop.example"] });
});
afterEach(async () => h.close());

const stored = async () => (await h.t.db.select().from(schema.visits).orderBy(asc(schema.visits.visitorId))).map(({ visitorId, channel, source, rule, dark, referrerHost, inApp }) => ({ visitorId, channel, source, rule, dark, referrerHost, inApp }));

describe("untagged visits", () => {
  it("are classified like clicks and stored only when they say where the visitor came from", async () => {
    const job = await h.send([
      visit({ visitorId: "google", referrer: "https://www.google.com/search?q=lamps" }),
      visit({ visitorId: "slack", referrer: "https://app.slack.com/client/T1/C2" }),
      visit({ visitorId: "whatsapp", userAgent: UA.whatsappInApp }),
      visit({ visitorId: "gmail", referrer: "https://mail.google.com/" }),
      visit({ visitorId: "own", referrer: "https://shop.example/cart" }),
      visit({ visitorId: "none" }),
    ]);
    expect(await stored()).toEqual([
      { visitorId: "gmail", channel: "personal_email", source: "gmail", rule: "visit:referrer", dark: true, referrerHost: "mail.google.com", inApp: null },
      { visitorId: "google", channel: "organic_search", source: "google", rule: "visit:referrer", dark: false, referrerHost: "google.com", inApp: null },
      { visitorId: "slack", channel: "workchat", source: "slack", rule: "visit:referrer", dark: true, referrerHost: "app.slack.com", inApp: null },
      { visitorId: "whatsapp", channel: "messaging", source: "whatsapp", rule: "visit:in_app", dark: true, referrerHost: null, inApp: "whatsapp" },
    ]);
    // Our own site and no referrer at all say nothing: counted, not stored.
    expect((job.returnvalue as BatchResult).stored).toMatchObject({ visits: 4, visitsDropped: 2 });
  });

  it("keep the visit's own time, page and the time the worker stored it", async () => {
    const e = visit({ visitorId: "V", referrer: "https://www.bing.com/", page: "https://shop.example/lamp?utm_source=bing&utm_medium=organic", ts: 1_700_000_000_000 });
    await h.send([e]);
    const [row] = await h.t.db.select().from(schema.visits);
    expect(row).toMatchObject({ id: e.id, ts: 1_700_000_000_000, visitorId: "V", page: e.page, channel: "organic_search", source: "bing" });
    expect(row!.receivedAt).toBeGreaterThan(1_700_000_000_000);
  });

  it("a batch of visits delivered twice stores nothing twice", async () => {
    const events = [visit({ visitorId: "A", referrer: "https://www.google.com/" }), visit({ visitorId: "B", userAgent: UA.whatsappInApp }), visit({ visitorId: "C" })];
    await h.send(events);
    const again = await h.send(events);
    expect((again.returnvalue as BatchResult).stored).toMatchObject({ visits: 0, visitsDropped: 1 });
    expect(await h.t.db.$count(schema.visits)).toBe(2);
  });

  it("are neither visitors of the share graph nor re-shares", async () => {
    await h.send([visit({ visitorId: "A", referrer: "https://www.google.com/" })]);
    expect([await h.t.db.$count(schema.visitors), await h.t.db.$count(schema.arrivals), await h.t.db.$count(schema.visits)]).toEqual([0, 0, 1]);
  });
});
