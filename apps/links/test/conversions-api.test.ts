import { createHash } from "node:crypto";
import { createApiKey } from "@lantern/http";
import { EVENTS_QUEUE, eventsOfBatch, lanternEvent } from "@lantern/queue";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MAX_CONVERSIONS_PER_REQUEST } from "../src/conversions/server-conversion.ts";
import { FLUSH_WAIT_MS } from "../src/routes/conversions.ts";
import { ADMIN_KEY, type TrackerHarness, trackerHarness } from "./fixtures/tracker/harness.ts";
import { ADMIN_KEY as SERVICE_KEY, Cleanup, REDIS_URL, startService } from "./helpers.ts";

/** POST /api/conversions(/batch): conversions reported by the site's server, and exactly what they push. */

let h: TrackerHarness;
beforeAll(async () => {
  h = await trackerHarness({ limits: null });
});
afterAll(() => h.close());
beforeEach(() => {
  h.pushed.length = 0;
});

function post(path: string, body: unknown, key = ADMIN_KEY, type = "application/json") {
  return h.app.request(path, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": type }, body: typeof body === "string" ? body : JSON.stringify(body) });
}

/** The error body every Lantern error has. */
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const ORDER = { id: "order-1042", type: "purchase", value: 49.9, currency: "eur", visitorId: "visitor-0002", lcid: "Click_id_000001", shareToken: "shareB1234" };

describe("POST /api/conversions: accepted", () => {
  it("is answered 202 and pushes a conversion with origin api, the order id as external id and the currency upper-cased", async () => {
    const res = await post("/api/conversions", ORDER);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1 });
    expect(h.pushed).toHaveLength(1);
    expect(h.pushed[0]).toMatchObject({
      type: "conversion",
      origin: "api",
      visitorId: "visitor-0002",
      lcid: "Click_id_000001",
      shareToken: "shareB1234",
      respondentHash: null,
      conversion: { type: "purchase", value: 49.9, currency: "EUR", externalId: "order-1042", occurredAt: null },
    });
    expect(lanternEvent.safeParse(h.pushed[0]).success).toBe(true);
  });

  it("hashes the email as the survey service does (trimmed, lower-cased, sha256) and the address goes no further", async () => {
    expect((await post("/api/conversions", { id: "order-7", email: "  Ana.Lima@Example.COM " })).status).toBe(202);
    expect(h.pushed[0]).toMatchObject({ respondentHash: sha256("ana.lima@example.com") });
    expect(JSON.stringify(h.pushed)).not.toMatch(/example\.com/i);
  });

  it("takes an emailHash the site computed itself, and an occurredAt as epoch ms or ISO 8601", async () => {
    const hash = sha256("bo@example.com");
    expect((await post("/api/conversions", { id: "o-1", emailHash: hash, occurredAt: Date.UTC(2026, 10, 1, 9) })).status).toBe(202);
    expect((await post("/api/conversions", { id: "o-2", occurredAt: "2026-11-01T10:00:00+01:00" })).status).toBe(202);
    expect(h.pushed.map((e) => (e.type === "conversion" ? [e.respondentHash, e.conversion.occurredAt] : null))).toEqual([
      [hash, Date.UTC(2026, 10, 1, 9)],
      [null, Date.UTC(2026, 10, 1, 9)],
    ]);
  });

  it("a bare order id is enough: the type defaults to conversion and the rest is unknown", async () => {
    expect((await post("/api/conversions", { id: "lead-9" })).status).toBe(202);
    expect(h.pushed[0]).toMatchObject({ visitorId: null, lcid: null, shareToken: null, conversion: { type: "conversion", value: null, currency: null, externalId: "lead-9" } });
  });

  it("a batch pushes every conversion in order, each with its own event id", async () => {
    const conversions = Array.from({ length: MAX_CONVERSIONS_PER_REQUEST }, (_, i) => ({ id: `order-${i}`, value: i }));
    const res = await post("/api/conversions/batch", { conversions });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: MAX_CONVERSIONS_PER_REQUEST });
    expect(h.pushed.map((e) => (e.type === "conversion" ? e.conversion.externalId : null))).toEqual(conversions.map((c) => c.id));
    expect(new Set(h.pushed.map((e) => e.id)).size).toBe(MAX_CONVERSIONS_PER_REQUEST);
  });

  it("takes null for any field it can do without, as webhook payloads send it", async () => {
    const res = await post("/api/conversions", { id: "o-null", type: null, value: null, currency: null, occurredAt: null, email: null, emailHash: null, visitorId: null, lcid: null, shareToken: null });
    expect(res.status).toBe(202);
    expect(h.pushed[0]).toMatchObject({ respondentHash: null, conversion: { type: "conversion", value: null, currency: null, externalId: "o-null", occurredAt: null } });
  });

  it(`a batch of ${MAX_CONVERSIONS_PER_REQUEST} conversions with every field at its longest fits its body limit`, async () => {
    const longest = (i: number) => ({
      id: `o${i}-`.padEnd(200, "x"),
      type: "t".repeat(64),
      value: -123456789.123456,
      currency: "EUR",
      occurredAt: "2026-11-28T14:03:00.000+01:00",
      email: `${"a".repeat(60)}${i}@${"b".repeat(180)}.example`,
      visitorId: "v".repeat(64),
      lcid: "l".repeat(64),
      shareToken: "s".repeat(64),
    });
    const body = JSON.stringify({ conversions: Array.from({ length: MAX_CONVERSIONS_PER_REQUEST }, (_, i) => longest(i)) });
    expect(body.length).toBeGreaterThan(64 * 1024);
    const res = await post("/api/conversions/batch", body);
    expect(res.status).toBe(202);
    expect(h.pushed).toHaveLength(MAX_CONVERSIONS_PER_REQUEST);
  });

  it("a key with only the conversions:write scope may report", async () => {
    const { key } = await createApiKey(h.t.db, "shop backend", ["conversions:write"]);
    expect((await post("/api/conversions", { id: "o-scoped" }, key)).status).toBe(202);
  });
});

describe("POST /api/conversions: refused, and nothing pushed", () => {
  afterEach(() => expect(h.pushed).toEqual([]));

  it("without a key (401) or with a key lacking conversions:write (403)", async () => {
    const res = await h.app.request("/api/conversions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(ORDER) });
    expect(res.status).toBe(401);
    const { key } = await createApiKey(h.t.db, "links only", ["links:write"]);
    const refused = await post("/api/conversions", ORDER, key);
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).message).toMatch(/conversions:write/);
  });

  it("without an order id: a retried webhook could not be told from a second order", async () => {
    const res = await post("/api/conversions", { value: 10 });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/^id: /);
  });

  it.each([
    [{ id: "o", email: "not an email" }, /email: must be an email address/],
    [{ id: "o", emailHash: "ABC" }, /emailHash: must be the sha256/],
    [{ id: "o", email: "a@b.co", emailHash: sha256("a@b.co") }, /emailHash: send email or emailHash, not both/],
    [{ id: "o", currency: "euro" }, /currency: must be a three-letter currency code/],
    [{ id: "o", value: "12" }, /value: /],
    [{ id: "o", visitorId: "has spaces" }, /visitorId: must be 6-64 letters/],
    [{ id: "o", occurredAt: 1_700_000_000 }, /occurredAt: must be from 2000 on \(a number is epoch milliseconds, not seconds\)/],
    [{ id: "o", occurredAt: "yesterday" }, /occurredAt: must be epoch milliseconds or an ISO 8601 date-time with Z or an offset/],
    [{ id: "o", occurredAt: "2026-11-28T14:03:00" }, /occurredAt: must be epoch milliseconds or an ISO 8601 date-time with Z or an offset/],
    [{ id: "ana@example.com" }, /id: looks like an email address, which Lantern never stores as it is/],
    [{ id: "o", type: "bo@example.com" }, /type: looks like an email address/],
    [{ id: "o", occurredAt: Date.now() + 3_600_000 }, /occurredAt: lies in the future/],
    [{ id: " \u0007 " }, /id: /],
  ])("a malformed field is a 400 naming it: %j", async (body, message) => {
    const res = await post("/api/conversions", body);
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: "validation_failed", message: expect.stringMatching(message) });
  });

  it("a batch with one bad conversion is refused whole, naming its index", async () => {
    const conversions = [{ id: "ok-1" }, { id: "ok-2" }, { id: "bad", occurredAt: Date.now() + 86_400_000 }];
    const res = await post("/api/conversions/batch", { conversions });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/^conversions\.2\.occurredAt: lies in the future/);
  });

  it(`an empty batch, or one of more than ${MAX_CONVERSIONS_PER_REQUEST}, is a 400`, async () => {
    expect((await post("/api/conversions/batch", { conversions: [] })).status).toBe(400);
    const tooMany = Array.from({ length: MAX_CONVERSIONS_PER_REQUEST + 1 }, (_, i) => ({ id: `o${i}` }));
    expect((await post("/api/conversions/batch", { conversions: tooMany })).status).toBe(400);
  });

  it("a body that is not JSON is a 400, one of another type a 415, one over 64 KiB a 413 (a batch: over 160 KiB, with advice)", async () => {
    expect((await post("/api/conversions", "{")).status).toBe(400);
    expect((await post("/api/conversions", "id=o", ADMIN_KEY, "application/x-www-form-urlencoded")).status).toBe(415);
    expect((await post("/api/conversions", { id: "o", type: "x".repeat(70 * 1024) })).status).toBe(413);
    const big = await post("/api/conversions/batch", { conversions: [{ id: "o", type: "x".repeat(170 * 1024) }] });
    expect(big.status).toBe(413);
    expect((await errorOf(big)).message).toBe("The body is larger than 160 KiB. Send fewer conversions per batch.");
  });

  it("arbitrary JSON bodies get a 202 or a 4xx, never a 5xx, and whatever is pushed is a valid event", async () => {
    const anyConversion = fc.record(
      {
        id: fc.oneof(fc.string({ maxLength: 210 }), fc.integer(), fc.constant(null)),
        type: fc.oneof(fc.string({ maxLength: 70 }), fc.constant(null)),
        value: fc.oneof(fc.double(), fc.string(), fc.constant(null)),
        currency: fc.oneof(fc.constantFrom("EUR", "usd", "eu", "€€€"), fc.string({ maxLength: 4 })),
        occurredAt: fc.oneof(fc.integer(), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string()),
        email: fc.oneof(fc.emailAddress(), fc.string({ maxLength: 20 })),
        emailHash: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string({ maxLength: 70 })),
        visitorId: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{6,64}$/), fc.string({ maxLength: 70 }), fc.constant(null)),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyConversion, fc.jsonValue()), fc.boolean(), async (body, batched) => {
        h.pushed.length = 0;
        const res = await post(batched ? "/api/conversions/batch" : "/api/conversions", batched ? { conversions: [body] } : body);
        expect(res.status === 202 || (res.status >= 400 && res.status < 500), `${res.status} for ${JSON.stringify(body)}`).toBe(true);
        if (res.status === 202) {
          expect(h.pushed).toHaveLength(1);
          expect(lanternEvent.safeParse(h.pushed[0]).success).toBe(true);
        } else expect(h.pushed).toEqual([]);
      }),
      { numRuns: 1500 },
    );
    h.pushed.length = 0;
  });
});

describe("the OpenAPI document", () => {
  it("lists both routes, naming the conversions:write scope they need, with the body's fields", async () => {
    // biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is read loosely and its shape asserted.
    const doc = (await (await h.app.request("/openapi.json")).json()) as any;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/conversions", "/api/conversions/batch"]));
    for (const path of ["/api/conversions", "/api/conversions/batch"]) {
      expect(doc.paths[path].post.tags).toEqual(["conversions"]);
      expect(doc.paths[path].post.summary).toMatch(/\(scope conversions:write\)$/);
    }
    expect(Object.keys(doc.components.schemas.ServerConversion.properties)).toEqual(
      expect.arrayContaining(["id", "type", "value", "currency", "occurredAt", "email", "emailHash", "visitorId", "lcid", "shareToken"]),
    );
    expect(doc.components.schemas.ServerConversion.required).toEqual(["id"]);
  });
});

describe("POST /api/conversions when the conversion cannot be confirmed stored", () => {
  it(`answers 503 (send it again) when the flush fails, or takes longer than ${FLUSH_WAIT_MS} ms (Redis connected but stalled)`, async () => {
    for (const flush of [() => Promise.reject(new Error("ENOSPC: no space left on device")), () => new Promise<void>(() => {})]) {
      const slow = await trackerHarness({ limits: null }, { flush });
      try {
        const started = Date.now();
        const res = await slow.app.request("/api/conversions", {
          method: "POST",
          headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
          body: JSON.stringify({ id: "order-unsure" }),
        });
        expect(res.status).toBe(503);
        expect((await errorOf(res)).message).toMatch(/not yet confirmed stored .*Send it again: the same id counts once\./);
        expect(Date.now() - started).toBeLessThan(FLUSH_WAIT_MS + 2_000);
      } finally {
        await slow.close();
      }
    }
  });
});

describe("POST /api/conversions on the real buffer", () => {
  it("answers 202 only once the conversion is in Redis, not after the buffer's delay", async () => {
    const cleanup = new Cleanup();
    try {
      // A buffer that would hold events for a minute: only the route's flush sends them in time.
      const svc = await startService(cleanup, { bufferDelayMs: 60_000 });
      const res = await svc.app.request("/api/conversions", {
        method: "POST",
        headers: { authorization: `Bearer ${SERVICE_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ id: "order-durable", value: 5 }),
      });
      expect(res.status).toBe(202);
      const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      cleanup.add(() => connection.disconnect());
      const queue = new Queue(EVENTS_QUEUE, { connection, prefix: svc.prefix });
      cleanup.add(() => queue.close());
      const queued = (await queue.getJobs(["waiting"], 0, -1, true)).flatMap((j) => eventsOfBatch(j.data));
      expect(queued.map((e) => (e.type === "conversion" ? e.conversion.externalId : e.type))).toEqual(["order-durable"]);
    } finally {
      await cleanup.run();
    }
  });
});
