import { randomUUID } from "node:crypto";
import { createRateLimiter, looksLikeEmail } from "@lantern/http";
import { type LanternEvent, lanternEvent } from "@lantern/queue";
import fc from "fast-check";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MAX_BEACON_BYTES } from "../src/routes/tracker.ts";
import { type BeaconKind, type BeaconMeta, beaconEvent } from "../src/tracker/beacons.ts";
import { REDIS_URL, type TrackerHarness, trackerHarness } from "./fixtures/tracker/harness.ts";

/** The public beacon endpoints in-process: what they answer, and exactly what they push into the buffer. */

let h: TrackerHarness;
beforeAll(async () => {
  h = await trackerHarness({ limits: null });
});
afterAll(() => h.close());
beforeEach(() => {
  h.pushed.length = 0;
});

type Kind = BeaconKind;

function post(app: TrackerHarness["app"], kind: Kind, body: unknown, headers: Record<string, string> = {}) {
  return app.request(`/t/${kind}`, {
    method: "POST",
    headers: { "content-type": "text/plain;charset=UTF-8", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const VALID = {
  landing: { visitorId: "visitor-0001", lcid: "Click_id_000001", shareToken: "shareA1234", page: "https://shop.example/lamp" },
  arrival: { shareToken: "shareA1234", referrer: "", page: "https://shop.example/lamp", visitorId: "visitor-0002", ownShareToken: "shareB1234" },
  visit: { visitorId: "visitor-0003", referrer: "https://www.google.com/", page: "https://shop.example/lamp" },
  conversion: { type: "purchase", value: 49.9, currency: "eur", id: "order-1", visitorId: "visitor-0002", lcid: null, shareToken: "shareB1234" },
} as const;

describe("beacons: accepted", () => {
  it("a landing beacon (text/plain, as sendBeacon sends it) is answered 202 and pushed as tracker.landing with a server-made id", async () => {
    const res = await post(h.app, "landing", VALID.landing);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: true });
    expect(h.pushed).toHaveLength(1);
    const e = h.pushed[0]!;
    expect(e).toMatchObject({ type: "tracker.landing", visitorId: "visitor-0001", lcid: "Click_id_000001", shareToken: "shareA1234", page: "https://shop.example/lamp" });
    expect(e.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(Math.abs(e.ts - Date.now())).toBeLessThan(60_000);
  });

  it("an arrival is pushed with its referrer (empty means none) and the visitor's user agent, for the worker to classify", async () => {
    const ua = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 WhatsApp/24.6.77";
    expect((await post(h.app, "arrival", VALID.arrival, { "user-agent": ua })).status).toBe(202);
    expect((await post(h.app, "arrival", { ...VALID.arrival, referrer: "android-app://com.slack/" })).status).toBe(202);
    expect(h.pushed.map((e) => e.type === "tracker.arrival" && [e.referrer, e.userAgent])).toEqual([
      [null, ua],
      ["android-app://com.slack/", null],
    ]);
    expect(h.pushed[0]).toMatchObject({ shareToken: "shareA1234", visitorId: "visitor-0002", ownShareToken: "shareB1234", page: "https://shop.example/lamp" });
  });

  it("a visit is pushed as tracker.visit with its referrer (empty means none), its page and the visitor's user agent, for the worker to classify", async () => {
    const ua = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 WhatsApp/2.24";
    expect((await post(h.app, "visit", VALID.visit, { "user-agent": ua })).status).toBe(202);
    expect((await post(h.app, "visit", { visitorId: "visitor-0003", referrer: "" })).status).toBe(202);
    expect((await post(h.app, "visit", { visitorId: "visitor-0003", referrer: "android-app://com.slack/", page: null })).status).toBe(202);
    expect(h.pushed).toMatchObject([
      { type: "tracker.visit", visitorId: "visitor-0003", referrer: "https://www.google.com/", page: "https://shop.example/lamp", userAgent: ua },
      { type: "tracker.visit", visitorId: "visitor-0003", referrer: null, page: null, userAgent: null },
      { type: "tracker.visit", visitorId: "visitor-0003", referrer: "android-app://com.slack/", page: null, userAgent: null },
    ]);
    for (const e of h.pushed) expect(e.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it("a conversion is pushed with origin tracker, its order id as external id and the currency upper-cased", async () => {
    expect((await post(h.app, "conversion", VALID.conversion, { "content-type": "application/json" })).status).toBe(202);
    expect(h.pushed[0]).toMatchObject({
      type: "conversion",
      origin: "tracker",
      visitorId: "visitor-0002",
      lcid: null,
      shareToken: "shareB1234",
      respondentHash: null,
      conversion: { type: "purchase", value: 49.9, currency: "EUR", externalId: "order-1", occurredAt: null },
    });
  });

  it("a bare conversion defaults its type, and unknown keys are dropped rather than refused", async () => {
    expect((await post(h.app, "conversion", { future: "field" })).status).toBe(202);
    expect(h.pushed[0]).toMatchObject({ visitorId: null, lcid: null, shareToken: null, conversion: { type: "conversion", value: null, currency: null, externalId: null } });
    expect(h.pushed[0]).not.toHaveProperty("future");
  });

  it("answers CORS for any origin, on a preflight, on success and on errors", async () => {
    const pre = await h.app.request("/t/conversion", { method: "OPTIONS", headers: { origin: "https://shop.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
    expect(pre.headers.get("access-control-allow-headers")).toContain("content-type");
    for (const res of [await post(h.app, "landing", VALID.landing), await post(h.app, "visit", VALID.visit), await post(h.app, "landing", "{oops")]) {
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });
});

describe("beacons: refused, and nothing pushed", () => {
  const refused = async (res: Response, status: number, code: string) => {
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: { code: string; message: string; requestId?: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(0);
    expect(body.error.requestId).toBeTruthy();
    expect(h.pushed).toEqual([]);
  };

  it("a body that is not JSON is a 400", async () => {
    await refused(await post(h.app, "landing", "visitorId=abc"), 400, "bad_request");
  });

  it("a body of another type (form, none) is a 415", async () => {
    await refused(await post(h.app, "landing", JSON.stringify(VALID.landing), { "content-type": "application/x-www-form-urlencoded" }), 415, "unsupported_media_type");
    await refused(await h.app.request("/t/landing", { method: "POST", body: new Blob([JSON.stringify(VALID.landing)]) }), 415, "unsupported_media_type");
  });

  it(`a body over ${MAX_BEACON_BYTES / 1024} KiB is a 413, with or without a content-length`, async () => {
    const big = { ...VALID.conversion, type: "x".repeat(MAX_BEACON_BYTES) };
    await refused(await post(h.app, "conversion", big), 413, "payload_too_large");
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(JSON.stringify(big)));
        controller.close();
      },
    });
    await refused(await h.app.request("/t/conversion", { method: "POST", headers: { "content-type": "text/plain" }, body: stream, duplex: "half" } as RequestInit), 413, "payload_too_large");
  });

  it("ids that are not base64url tokens, pages that are not http(s) URLs and broken values are 400s naming the field", async () => {
    const cases: [Kind, Record<string, unknown>, string][] = [
      ["landing", { ...VALID.landing, lcid: "has space" }, "lcid"],
      ["landing", { ...VALID.landing, visitorId: "<script>" }, "visitorId"],
      ["landing", { ...VALID.landing, shareToken: "abc" }, "shareToken"],
      ["landing", { ...VALID.landing, page: "javascript:alert(1)" }, "page"],
      ["landing", { visitorId: "visitor-0001", shareToken: "shareA1234" }, "lcid"],
      ["arrival", { ...VALID.arrival, ownShareToken: VALID.arrival.shareToken }, "ownShareToken"],
      ["arrival", { ...VALID.arrival, referrer: "not a url" }, "referrer"],
      ["arrival", { ...VALID.arrival, shareToken: 12345678 }, "shareToken"],
      ["visit", { ...VALID.visit, visitorId: "short" }, "visitorId"],
      ["visit", { referrer: "https://www.google.com/" }, "visitorId"],
      ["visit", { ...VALID.visit, referrer: "www.google.com" }, "referrer"],
      ["visit", { ...VALID.visit, referrer: "https://x.example/\u0007" }, "referrer"],
      ["visit", { ...VALID.visit, referrer: `https://x.example/${"a".repeat(2048)}` }, "referrer"],
      ["visit", { ...VALID.visit, page: "android-app://com.slack/" }, "page"],
      ["visit", { ...VALID.visit, page: 42 }, "page"],
      ["conversion", { ...VALID.conversion, value: "49.90" }, "value"],
      ["conversion", { ...VALID.conversion, currency: "euro" }, "currency"],
      ["conversion", { ...VALID.conversion, type: "" }, "type"],
      ["conversion", { ...VALID.conversion, id: "a\nb" }, "id"],
    ];
    for (const [kind, body, field] of cases) {
      const res = await post(h.app, kind, body);
      expect(res.status, `${kind} ${JSON.stringify(body)}`).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(field);
    }
    expect(h.pushed).toEqual([]);
  });

  it("JSON that is not an object (array, string, number, null) is a 400", async () => {
    for (const body of ["[]", '"text"', "42", "null"]) {
      expect((await post(h.app, "arrival", body)).status).toBe(400);
    }
    expect(h.pushed).toEqual([]);
  });
});

describe("beacons and Do Not Track", () => {
  it("with DNT: 1 or Sec-GPC: 1 (honoured): a landing and a visit are dropped, an arrival is counted anonymously, a conversion is counted without ids", async () => {
    for (const header of [{ dnt: "1" }, { "sec-gpc": "1" }] as Record<string, string>[]) {
      h.pushed.length = 0;
      expect((await post(h.app, "landing", VALID.landing, header)).status).toBe(202);
      expect((await post(h.app, "visit", VALID.visit, header)).status).toBe(202);
      expect(h.pushed).toEqual([]);

      expect((await post(h.app, "arrival", VALID.arrival, header)).status).toBe(202);
      const arrival = h.pushed[0] as Extract<LanternEvent, { type: "tracker.arrival" }>;
      expect(arrival.shareToken).toBe(VALID.arrival.shareToken); // the sharer's chain still grows
      expect(arrival.visitorId).not.toBe(VALID.arrival.visitorId);
      expect(arrival.ownShareToken).toBeNull();

      expect((await post(h.app, "conversion", VALID.conversion, header)).status).toBe(202);
      expect(h.pushed[1]).toMatchObject({ visitorId: null, lcid: null, shareToken: null, conversion: { type: "purchase", value: 49.9, externalId: "order-1" } });
    }
  });

  it("an instance configured not to honour DNT (LANTERN_HONOR_DNT=false) keeps the ids", async () => {
    const other = await trackerHarness({ limits: null, honorDnt: false });
    try {
      expect((await post(other.app, "landing", VALID.landing, { dnt: "1" })).status).toBe(202);
      expect((await post(other.app, "arrival", VALID.arrival, { "sec-gpc": "1" })).status).toBe(202);
      expect((await post(other.app, "visit", VALID.visit, { dnt: "1" })).status).toBe(202);
      expect(other.pushed).toMatchObject([
        { visitorId: VALID.landing.visitorId },
        { visitorId: VALID.arrival.visitorId, ownShareToken: VALID.arrival.ownShareToken },
        { type: "tracker.visit", visitorId: VALID.visit.visitorId },
      ]);
    } finally {
      await other.close();
    }
  });
});

describe("beaconEvent (pure)", () => {
  const meta = (over: Partial<BeaconMeta> = {}): BeaconMeta => ({ id: "event-00001", ts: 1_700_000_000_000, userAgent: null, doNotTrack: false, anonymousId: () => "anonymous-1", ...over });

  it("a visit becomes a tracker.visit with the meta's id, time and user agent (cut to 1024 characters), and nulls for what is missing", () => {
    const ua = `Mozilla/5.0 ${"x".repeat(2000)}`;
    expect(beaconEvent("visit", { visitorId: "visitor-0003", referrer: "https://www.google.com/", page: "https://shop.example/lamp" }, meta({ userAgent: ua }))).toEqual({
      id: "event-00001",
      ts: 1_700_000_000_000,
      type: "tracker.visit",
      visitorId: "visitor-0003",
      referrer: "https://www.google.com/",
      page: "https://shop.example/lamp",
      userAgent: ua.slice(0, 1024),
    });
    const bare = beaconEvent("visit", { visitorId: "visitor-0003" }, meta());
    expect(bare).toEqual({ id: "event-00001", ts: 1_700_000_000_000, type: "tracker.visit", visitorId: "visitor-0003", referrer: null, page: null, userAgent: null });
    expect(lanternEvent.safeParse(bare).success).toBe(true);
  });

  it("with do-not-track a visit is dropped (like a landing), while an arrival keeps its referrer under a one-off id", () => {
    const dnt = meta({ doNotTrack: true, userAgent: "UA" });
    expect(beaconEvent("visit", { visitorId: "visitor-0003", referrer: "https://www.google.com/" }, dnt)).toBeNull();
    expect(beaconEvent("landing", { visitorId: "visitor-0001", lcid: "Click_id_000001", shareToken: "shareA1234" }, dnt)).toBeNull();
    expect(beaconEvent("arrival", { visitorId: "visitor-0002", shareToken: "shareA1234", ownShareToken: "shareB1234", referrer: "https://www.google.com/" }, dnt)).toMatchObject({
      visitorId: "anonymous-1",
      ownShareToken: null,
      referrer: "https://www.google.com/",
      userAgent: "UA",
    });
  });
});

describe("beacon rate limits (Redis)", () => {
  it("limits beacons per visitor and per client address, answering 429 with Retry-After", async () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const prefix = `t-${randomUUID().slice(0, 8)}`;
    const limited = await trackerHarness({
      limits: {
        perIp: createRateLimiter({ redis, limit: 6, windowMs: 60_000, prefix: `${prefix}:ip` }),
        perVisitor: createRateLimiter({ redis, limit: 3, windowMs: 60_000, prefix: `${prefix}:v` }),
      },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await post(limited.app, "conversion", { visitorId: "visitor-same" })).status);
      expect(statuses).toEqual([202, 202, 202, 429]);
      // Other visitors from the same address: 2 more fit under the address's 6, then 429.
      for (let i = 0; i < 3; i++) statuses.push((await post(limited.app, "conversion", { visitorId: `visitor-other-${i}` })).status);
      expect(statuses.slice(4)).toEqual([202, 202, 429]);
      const res = await post(limited.app, "landing", VALID.landing);
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("60");
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
      expect(limited.pushed).toHaveLength(5);
      // The counters are in Redis under the prefix, keyed by hashes (no raw address).
      const keys = await redis.keys(`${prefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.join(" ")).not.toMatch(/unknown|127\.0\.0\.1/);
    } finally {
      await limited.close();
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Property-based: thousands of random and malformed bodies. Every answer is a 202 or a 4xx, never a
// 5xx; a 202 pushes exactly the event the body describes (and it is a valid queue event); a 4xx pushes
// nothing. Validity is judged by an oracle written here, independently of the zod schemas.

const TOKEN = /^[A-Za-z0-9_-]{6,64}$/;
const isToken = (v: unknown) => typeof v === "string" && TOKEN.test(v);
const isHttpUrl = (v: unknown) => typeof v === "string" && v.length <= 2048 && /^https?:\/\//i.test(v) && URL.canParse(v);
const absent = (v: unknown) => v === undefined || v === null;
/** Free text (conversion type, order id): trimmed first (so a trailing newline is fine), then 1..max characters, no control characters. */
const label = (max: number) => (v: unknown) => typeof v === "string" && v.trim().length >= 1 && v.trim().length <= max && !/\p{Cc}/u.test(v.trim());

/** document.referrer: empty, or any URL (android-app://... included) without control characters. */
const isReferrer = (v: unknown) => absent(v) || (typeof v === "string" && v.length <= 2048 && (v === "" || (URL.canParse(v) && !/\p{Cc}/u.test(v))));

const FIELDS: Record<Kind, Record<string, (v: unknown) => boolean>> = {
  landing: { visitorId: isToken, lcid: isToken, shareToken: isToken, page: (v) => absent(v) || isHttpUrl(v) },
  arrival: {
    shareToken: isToken,
    visitorId: isToken,
    ownShareToken: (v) => absent(v) || isToken(v),
    referrer: isReferrer,
    page: (v) => absent(v) || isHttpUrl(v),
  },
  visit: { visitorId: isToken, referrer: isReferrer, page: (v) => absent(v) || isHttpUrl(v) },
  conversion: {
    type: (v) => v === undefined || (label(64)(v) && !looksLikeEmail(v as string)),
    value: (v) => absent(v) || (typeof v === "number" && Number.isFinite(v) && Math.abs(v) <= 1e12),
    currency: (v) => absent(v) || (typeof v === "string" && /^[A-Za-z]{3}$/.test(v)),
    id: (v) => absent(v) || (label(200)(v) && !looksLikeEmail(v as string)),
    visitorId: (v) => absent(v) || isToken(v),
    lcid: (v) => absent(v) || isToken(v),
    shareToken: (v) => absent(v) || isToken(v),
  },
};

const KINDS = Object.keys(FIELDS) as Kind[];

function oracle(kind: Kind, body: Record<string, unknown>): boolean {
  for (const [field, ok] of Object.entries(FIELDS[kind])) if (!ok(body[field])) return false;
  if (kind === "arrival" && !absent(body.ownShareToken) && body.ownShareToken === body.shareToken) return false;
  return true;
}

const token = fc.stringMatching(/^[A-Za-z0-9_-]{6,64}$/);
/** Values a field may be given: good ones, near misses, and wrong types. */
const fieldValue = fc.oneof(
  token,
  token,
  fc.constantFrom("", "abc", "a b c d e f", "x".repeat(65), "tok/with/slash", "ok_token\n", "https://shop.example/p?a=1", "http://x", "javascript:alert(1)", "android-app://com.whatsapp/", "EUR", "usd", "€€€", "purchase", " ", "\u0000zero", "ana@example.com", " Bo@Example.COM "),
  fc.string({ maxLength: 80 }),
  fc.webUrl(),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
);

function bodyFor(kind: Kind) {
  const fields = Object.keys(FIELDS[kind]);
  return fc.record({
    base: fc.constant(VALID[kind] as Record<string, unknown>),
    changes: fc.dictionary(fc.constantFrom(...fields, "extra"), fieldValue, { maxKeys: 3 }),
    drop: fc.subarray(fields, { maxLength: 2 }),
  }).map(({ base, changes, drop }) => {
    const body: Record<string, unknown> = { ...base, ...changes };
    for (const f of drop) delete body[f];
    return body;
  });
}

function expectPushedMatches(kind: Kind, body: Record<string, unknown>, e: LanternEvent) {
  expect(lanternEvent.safeParse(e).success).toBe(true);
  if (kind === "landing") expect(e).toMatchObject({ type: "tracker.landing", visitorId: body.visitorId, lcid: body.lcid, shareToken: body.shareToken, page: body.page ?? null });
  if (kind === "arrival") expect(e).toMatchObject({ type: "tracker.arrival", shareToken: body.shareToken, ownShareToken: body.ownShareToken ?? null });
  if (kind === "visit") expect(e.type).toBe("tracker.visit");
  if (kind === "arrival" || kind === "visit") {
    expect(e).toMatchObject({ visitorId: body.visitorId, page: body.page ?? null, userAgent: null });
    expect((e as { referrer: string | null }).referrer).toBe(body.referrer ? body.referrer : null);
  }
  if (kind === "conversion") {
    expect(e).toMatchObject({
      type: "conversion",
      origin: "tracker",
      visitorId: body.visitorId ?? null,
      lcid: body.lcid ?? null,
      shareToken: body.shareToken ?? null,
      conversion: {
        type: body.type === undefined ? "conversion" : (body.type as string).trim(),
        value: body.value ?? null,
        currency: typeof body.currency === "string" ? body.currency.toUpperCase() : null,
        externalId: typeof body.id === "string" ? body.id.trim() : null,
      },
    });
  }
}

describe("beacons: property-based", () => {
  for (const kind of KINDS) {
    it(`/t/${kind}: mutated bodies get 202 exactly when valid, and only a 202 pushes (the event the body describes)`, async () => {
      await fc.assert(
        fc.asyncProperty(bodyFor(kind), async (generated) => {
          h.pushed.length = 0;
          // Judge the body the server receives: JSON turns NaN and ±Infinity into null.
          const body = JSON.parse(JSON.stringify(generated)) as Record<string, unknown>;
          const res = await post(h.app, kind, body);
          const valid = oracle(kind, body);
          expect(res.status, JSON.stringify(body)).toBe(valid ? 202 : 400);
          if (valid) {
            expect(h.pushed).toHaveLength(1);
            expectPushedMatches(kind, body, h.pushed[0]!);
          } else {
            expect(h.pushed).toEqual([]);
          }
        }),
        { numRuns: 1500 },
      );
    });
  }

  it("arbitrary bodies and content types on every beacon get a 202 or a 4xx, never a 5xx, and whatever is pushed is a valid event", async () => {
    const anyBody = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString("latin1")),
      fc.constantFrom("", "{", "}", "[", "null", "{}", '{"visitorId":', "\uFEFF{}", "{\"__proto__\":{\"x\":1}}", '{"constructor":{"prototype":{}}}'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...KINDS),
        anyBody,
        fc.constantFrom("text/plain", "text/plain;charset=UTF-8", "application/json", "application/json; charset=utf-8", "", "text/html", "multipart/form-data; boundary=x"),
        async (kind, body, type) => {
          h.pushed.length = 0;
          const res = await h.app.request(`/t/${kind}`, { method: "POST", headers: type ? { "content-type": type } : {}, body });
          expect(res.status === 202 || (res.status >= 400 && res.status < 500), `${res.status} for ${kind} ${type} ${body}`).toBe(true);
          if (res.status === 202) {
            expect(h.pushed.length).toBe(1);
            expect(lanternEvent.safeParse(h.pushed[0]).success).toBe(true);
          } else expect(h.pushed).toEqual([]);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
