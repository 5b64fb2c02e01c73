import { schema } from "@lantern/db";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BatchResult } from "../src/ingest/worker.ts";
import { packEvents } from "@lantern/queue";
import { type Harness, linkHit, newId, startHarness, UA, until } from "./helpers.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  const now = Date.now();
  await h.t.db.insert(schema.links).values([
    { id: "link-wa", slug: "wa", url: "https://shop.example/", channel: "messaging", source: "whatsapp", utm: {}, tags: [], createdAt: now, updatedAt: now },
    { id: "link-plain", slug: "plain", url: "https://shop.example/", channel: null, source: null, utm: {}, tags: [], createdAt: now, updatedAt: now },
  ]);
});
afterEach(async () => h.close());

const count = async (table: Parameters<Harness["t"]["db"]["$count"]>[0]) => h.t.db.$count(table);

describe("ingesting link hits", () => {
  it("an unfurl from Slack is stored as an unfurl with its app, not a click", async () => {
    const e = linkHit({ linkId: "link-plain", userAgent: UA.slackbot, served: "preview" });
    const job = await h.send([e]);
    expect(await job.getState()).toBe("completed");
    const [u] = await h.t.db.select().from(schema.unfurls);
    expect(u).toMatchObject({ id: e.id, linkId: "link-plain", app: "slack", ts: e.ts });
    expect(await count(schema.clicks)).toBe(0);
    expect(await count(schema.botHits)).toBe(0);
  });

  it("a crawler is stored as a bot hit, never a click", async () => {
    await h.send([linkHit({ userAgent: UA.googlebot }), linkHit({ userAgent: UA.curl })]);
    const bots = await h.t.db.select().from(schema.botHits);
    expect(bots.map((b) => b.bot).sort()).toEqual(["curl", "googlebot"]);
    expect(await count(schema.clicks)).toBe(0);
  });

  it("a person's click without a referrer takes the channel the link was tagged with, and its device", async () => {
    const e = linkHit({ linkId: "link-wa", userAgent: UA.iphoneSafari, country: "DE", visitorHash: "abc" });
    await h.send([e]);
    const [c] = await h.t.db.select().from(schema.clicks);
    expect(c).toMatchObject({ id: e.id, linkId: "link-wa", channel: "messaging", source: "whatsapp", rule: "link_tag", device: "mobile", os: "iOS", country: "DE", visitorHash: "abc", unfurlApp: null, dnt: false });
  });

  it("observed evidence beats the link's tag: a Google referrer with UTMs is organic search, and the campaign parameters are kept", async () => {
    const e = linkHit({ linkId: "link-wa", referer: "https://www.google.com/", query: { utm_source: "newsletter", gclid: "" } });
    await h.send([e]);
    const [c] = await h.t.db.select().from(schema.clicks);
    expect(c).toMatchObject({ channel: "organic_search", source: "google", rule: "referrer", referrerHost: "google.com" });
    expect(c?.campaignParams).toMatchObject({ utm_source: "newsletter" });
  });

  it("a click from WhatsApp's in-app browser on an untagged link is messaging", async () => {
    await h.send([linkHit({ linkId: "link-plain", userAgent: UA.whatsappInApp })]);
    const [c] = await h.t.db.select().from(schema.clicks);
    expect(c).toMatchObject({ channel: "messaging", source: "whatsapp", rule: "in_app", inApp: "whatsapp" });
  });

  it("a click on an unknown link is still stored, as direct", async () => {
    await h.send([linkHit({ linkId: "gone" })]);
    const [c] = await h.t.db.select().from(schema.clicks);
    expect(c).toMatchObject({ linkId: "gone", channel: "direct", rule: "direct" });
  });

  it("a hit served the preview page whose user agent is a person's is trusted to the classifier: a click", async () => {
    await h.send([linkHit({ served: "preview", userAgent: UA.chrome })]);
    expect(await count(schema.clicks)).toBe(1);
    expect(await count(schema.unfurls)).toBe(0);
  });

  it("a WhatsApp preview shortly before a click marks the click with the app it was pasted into (same batch and earlier batch)", async () => {
    const t0 = Date.now() - 10 * 60_000;
    // Earlier batch: a WhatsApp unfurl of link-plain.
    await h.send([linkHit({ linkId: "link-plain", userAgent: UA.whatsapp, ts: t0 })]);
    const later = linkHit({ linkId: "link-plain", ts: t0 + 60_000 });
    // Same batch: a Telegram unfurl of link-wa, then its click; and a click of an unrelated link.
    const tg = linkHit({ linkId: "link-wa", userAgent: UA.telegram, ts: t0 + 1000 });
    const waClick = linkHit({ linkId: "link-wa", ts: t0 + 2000 });
    const beforeAnyPreview = linkHit({ linkId: "link-wa", ts: t0 });
    const slackPreviewOfOther = linkHit({ linkId: "link-other", userAgent: UA.slackbot, ts: t0 });
    const other = linkHit({ linkId: "link-other", ts: t0 + 2 * 3600_000 }); // too long after
    await h.send([later, tg, waClick, beforeAnyPreview, slackPreviewOfOther, other]);
    const rows = await h.t.db.select().from(schema.clicks);
    const app = (id: string) => rows.find((r) => r.id === id)?.unfurlApp;
    expect(app(later.id)).toBe("whatsapp");
    expect(app(waClick.id)).toBe("telegram");
    expect(app(beforeAnyPreview.id)).toBeNull();
    expect(app(other.id)).toBeNull();
  });

  it("a batch delivered twice stores nothing twice", async () => {
    const events = [linkHit(), linkHit({ userAgent: UA.slackbot }), linkHit({ userAgent: UA.googlebot }), linkHit({ linkId: "link-wa" })];
    const first = await h.send(events);
    // The same events again under another batch id, as a producer replaying its spool would send them.
    const second = await h.send(events);
    expect((first.returnvalue as BatchResult).stored).toMatchObject({ clicks: 2, unfurls: 1, botHits: 1 });
    expect((second.returnvalue as BatchResult).stored).toMatchObject({ clicks: 0, unfurls: 0, botHits: 0 });
    expect(await count(schema.clicks)).toBe(2);
    expect(await count(schema.unfurls)).toBe(1);
    expect(await count(schema.botHits)).toBe(1);
  });

  it("stores a large batch in chunks: 1,234 clicks in one job", async () => {
    const events = Array.from({ length: 1234 }, (_, i) => linkHit({ ts: Date.now() + i }));
    const job = await h.send(events);
    expect(await job.getState()).toBe("completed");
    expect(await count(schema.clicks)).toBe(1234);
  });

  it("a malformed job fails at once with UnrecoverableError and stores nothing", async () => {
    const batchId = newId();
    const failure = new Promise<Error>((resolve) => h.worker.on("failed", (j, err) => j?.id === batchId && resolve(err)));
    const job = await h.queue.add("batch", { batchId, producer: "test", events: "not a list" }, { jobId: batchId, attempts: 5, backoff: { type: "fixed", delay: 10 } });
    const failed = await failure;
    expect(failed.name).toBe("UnrecoverableError");
    const stored = (await h.queue.getJob(job.id!))!;
    expect(await stored.getState()).toBe("failed");
    expect(stored.attemptsMade).toBe(1);
    expect(stored.failedReason).toMatch(/malformed event batch/);
    expect(await count(schema.clicks)).toBe(0);
  });

  it("a batch whose every event is invalid fails with UnrecoverableError and stores nothing", async () => {
    const job = await h.send([{ ...linkHit(), id: "short" }, { type: "nope" }], { attempts: 5 });
    expect(await job.getState()).toBe("failed");
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/no valid event/);
    expect(await count(schema.clicks)).toBe(0);
  });

  it("one bad event in a good batch is skipped and reported; the good ones are stored", async () => {
    const good = [linkHit(), linkHit()];
    const bad = { ...linkHit(), served: "teleport" };
    const job = await h.send([good[0], bad, good[1]]);
    expect(await job.getState()).toBe("completed");
    const result = job.returnvalue as BatchResult;
    expect(result.received).toBe(3);
    expect(result.stored.clicks).toBe(2);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]).toMatchObject({ index: 1, id: bad.id, type: "link.hit" });
    expect(await h.t.db.select({ id: schema.clicks.id }).from(schema.clicks).where(eq(schema.clicks.id, bad.id))).toEqual([]);
    expect(await count(schema.clicks)).toBe(2);
  });

  it("a packed batch, as the event buffer sends it, is stored exactly like the same events sent plain", async () => {
    const click = linkHit({ linkId: "link-wa", referer: "https://www.google.com/", query: { utm_source: "newsletter" }, country: "DE", visitorHash: "abc", dnt: true });
    const events = [click, linkHit({ linkId: "link-wa", userAgent: UA.slackbot, served: "preview" }), linkHit({ userAgent: UA.googlebot, referer: null }), linkHit({ userAgent: null })];
    const job = await h.send(events, { packed: true });
    // (a hit without a user agent is a bot's, as when sent plain)
    expect((job.returnvalue as BatchResult).stored).toMatchObject({ clicks: 1, unfurls: 1, botHits: 2 });
    const [c] = await h.t.db.select().from(schema.clicks).where(eq(schema.clicks.id, click.id));
    expect(c).toMatchObject({ linkId: "link-wa", channel: "organic_search", referrerHost: "google.com", country: "DE", visitorHash: "abc", dnt: true, ts: click.ts });
    expect(c?.campaignParams).toMatchObject({ utm_source: "newsletter" });
  });

  it("a broken packed hit is skipped and reported like any bad event; its neighbours are stored", async () => {
    const good = [linkHit(), linkHit()];
    const batchId = newId();
    const { strings, events } = packEvents(good);
    const broken = [...(events[0] as unknown[])];
    broken[0] = "ev_broken_1";
    broken[2] = strings.length + 7; // a link id past the string table
    await h.queue.add("batch", { batchId, producer: "test", strings, events: [events[0], broken, events[1]] }, { jobId: batchId });
    await until(async () => (await h.queue.getJob(batchId))?.finishedOn, 30_000, "the batch");
    const result = (await h.queue.getJob(batchId))!.returnvalue as BatchResult;
    expect(result.stored.clicks).toBe(2);
    expect(result.rejected).toEqual([expect.objectContaining({ index: 1, id: "ev_broken_1", type: "link.hit", issues: [expect.stringMatching(/^linkId/)] })]);
  });

  it("calls onIngested after each stored batch", async () => {
    await h.send([linkHit()]);
    await h.send([linkHit()]);
    expect(h.ingested.map((r) => r.stored.clicks)).toEqual([1, 1]);
  });
});
