import { randomUUID } from "node:crypto";
import { createVisitorHasher } from "@lantern/http";
import { surveyResponseEvent } from "@lantern/queue";
import { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emailHash } from "../src/respondent.ts";
import { call, createSurvey, harness, type Harness, optionByLabel, type SurveyJson } from "./support.ts";

let h: Harness;
let survey: SurveyJson;
beforeEach(async () => {
  h = await harness();
  survey = await createSurvey(h.app);
});
afterEach(async () => {
  await h.close();
});

const post = (body: unknown, headers: Record<string, string> = {}) => call(h.app, "POST", "/v1/responses", body, null, headers);
const responses = () => h.events.filter((e) => e.type === "survey.response");

describe("POST /v1/responses", () => {
  it("accepts an option answer with click id, visitor, share token and conversion, and queues it as a survey.response", async () => {
    const friend = optionByLabel(survey, "A friend or colleague");
    const res = await post({
      surveyId: survey.id,
      optionId: friend.id,
      lcid: "click_123",
      visitorId: "v_abc",
      shareToken: "sh_1",
      locale: "de",
      conversion: { type: "purchase", value: 49.9, currency: "eur", occurredAt: "2025-03-01T10:00:00Z", id: "order-7" },
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    expect(responses()).toHaveLength(1);
    const event = responses()[0]!;
    expect(surveyResponseEvent.parse(event)).toEqual(event);
    expect(event).toMatchObject({
      id,
      surveyId: survey.id,
      optionId: friend.id,
      otherText: null,
      lcid: "click_123",
      visitorId: "v_abc",
      shareToken: "sh_1",
      locale: "de",
      conversion: { type: "purchase", value: 49.9, currency: "EUR", externalId: "order-7", occurredAt: Date.parse("2025-03-01T10:00:00Z") },
    });
  });

  it("takes free text for Other, and free text without an option as an Other answer", async () => {
    const other = optionByLabel(survey, "Other");
    expect((await post({ surveyId: survey.id, optionId: other.id, otherText: "  my freind told me  " })).status).toBe(202);
    expect((await post({ surveyId: survey.id, otherText: "saw it on insta" })).status).toBe(202);
    expect(responses().map((e) => [e.type === "survey.response" && e.optionId, e.type === "survey.response" && e.otherText])).toEqual([
      [other.id, "my freind told me"],
      [other.id, "saw it on insta"],
    ]);
  });

  it("keeps follow-up text for an option with a follow-up question", async () => {
    const podcast = optionByLabel(survey, "A podcast");
    expect((await post({ surveyId: survey.id, optionId: podcast.id, followUpText: "Lex Fridman" })).status).toBe(202);
    expect(responses()[0]).toMatchObject({ optionId: podcast.id, followUpText: "Lex Fridman" });
  });

  it("stores the respondent's email only as the sha256 of the trimmed, lower-cased address", async () => {
    const friend = optionByLabel(survey, "A friend or colleague");
    await post({ surveyId: survey.id, optionId: friend.id, respondent: { email: "  Jane.Doe+shop@Example.COM ", externalId: "cust-1" } });
    const event = responses()[0]!;
    expect(event).toMatchObject({ respondentHash: emailHash("jane.doe+shop@example.com"), externalId: "cust-1" });
    expect(JSON.stringify(h.events)).not.toMatch(/jane/i);
  });

  it("gives the same id for the same idempotency key, and for the same respondent answering twice on one day", async () => {
    const friend = optionByLabel(survey, "A friend or colleague");
    const whatsapp = optionByLabel(survey, "WhatsApp group");
    const a = (await (await post({ surveyId: survey.id, optionId: friend.id, idempotencyKey: "order-1" })).json()) as { id: string };
    const b = (await (await post({ surveyId: survey.id, optionId: friend.id, idempotencyKey: "order-1" })).json()) as { id: string };
    const c = (await (await post({ surveyId: survey.id, optionId: friend.id, idempotencyKey: "order-2" })).json()) as { id: string };
    expect(a.id).toBe(b.id);
    expect(c.id).not.toBe(a.id);
    expect(responses()[0]).toMatchObject({ idempotencyKey: `${survey.id}:order-1` });

    const r1 = (await (await post({ surveyId: survey.id, optionId: friend.id, respondent: { email: "a@b.co" } })).json()) as { id: string };
    const r2 = (await (await post({ surveyId: survey.id, optionId: whatsapp.id, respondent: { email: "A@B.co" } })).json()) as { id: string };
    expect(r1.id).toBe(r2.id);
  });

  it("answers 202 to a filled honeypot and keeps nothing", async () => {
    const friend = optionByLabel(survey, "A friend or colleague");
    const res = await post({ surveyId: survey.id, optionId: friend.id, website: "http://spam.example" });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { id: string }).id).toEqual(expect.any(String));
    expect(h.events).toHaveLength(0);
  });

  it.each([
    ["no answer at all", () => ({ surveyId: survey.id })],
    ["an option of another survey", () => ({ surveyId: survey.id, optionId: "abcdefghijkl" })],
    ["free text with an ordinary option", () => ({ surveyId: survey.id, optionId: optionByLabel(survey, "Google search").id, otherText: "hello" })],
    ["a follow-up on an option without one", () => ({ surveyId: survey.id, optionId: optionByLabel(survey, "Google search").id, followUpText: "hi" })],
    ["an answer over 500 characters", () => ({ surveyId: survey.id, otherText: "x".repeat(501) })],
    ["only blank free text", () => ({ surveyId: survey.id, otherText: " \u0000\u200b " })],
    ["a malformed email", () => ({ surveyId: survey.id, otherText: "friend", respondent: { email: "not-an-email" } })],
    ["a bad lcid", () => ({ surveyId: survey.id, otherText: "friend", lcid: "has spaces" })],
    ["a conversion without a type", () => ({ surveyId: survey.id, otherText: "friend", conversion: { value: 3 } })],
    ["a non-finite conversion value", () => ({ surveyId: survey.id, otherText: "friend", conversion: { type: "x", value: "NaN" } })],
    ["a bad currency", () => ({ surveyId: survey.id, otherText: "friend", conversion: { type: "x", currency: "EURO" } })],
    ["an idempotency key with spaces", () => ({ surveyId: survey.id, otherText: "friend", idempotencyKey: "a b" })],
    ["a survey id with a colon", () => ({ surveyId: "a:b", otherText: "friend" })],
    ["an array body", () => [1]],
    ["a null body", () => null],
  ])("rejects %s with 400 and queues nothing", async (_name, body) => {
    const res = await post(body());
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.message.length).toBeGreaterThan(0);
    expect(h.events).toHaveLength(0);
  });

  it("answers 404 for an unknown survey, 410 for an inactive one, 415 for a wrong content type, 400 for broken JSON", async () => {
    expect((await post({ surveyId: "nosuchsurvey", otherText: "x" })).status).toBe(404);
    await call(h.app, "PATCH", `/api/surveys/${survey.id}`, { active: false });
    // The public endpoints read a short-lived cache; a fresh app sees the change at once.
    const h2 = { ...h, app: (await import("../src/app.ts")).createApp({ db: h.db, buffer: { push: () => undefined } }) };
    expect((await call(h2.app, "POST", "/v1/responses", { surveyId: survey.id, otherText: "x" }, null)).status).toBe(410);
    h2.app.dispose();
    const wrongType = await h.app.request("/v1/responses", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "a=b" });
    expect(wrongType.status).toBe(415);
    expect((await post("{")).status).toBe(400);
  });

  it("refuses a conversion whose order id or type is an email address, or whose time is in seconds, unreadable or in the future, naming the field", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ type: "purchase", id: "ana@example.com" }, /^conversion\.id: looks like an email address/],
      [{ type: "bo@example.com" }, /^conversion\.type: looks like an email address/],
      [{ type: "purchase", occurredAt: 1_700_000_000 }, /^conversion\.occurredAt: must be from 2000 on \(a number is epoch milliseconds, not seconds\)/],
      [{ type: "purchase", occurredAt: "2026-11-28T14:03:00" }, /^conversion\.occurredAt: must be epoch milliseconds or an ISO 8601 date-time with Z or an offset/],
      [{ type: "purchase", occurredAt: Date.now() + 3_600_000 }, /^conversion\.occurredAt: lies in the future/],
    ];
    for (const [conversion, message] of cases) {
      const res = await post({ surveyId: survey.id, otherText: "a friend", conversion });
      expect(res.status, JSON.stringify(conversion)).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
    }
    expect(responses()).toHaveLength(0);
  });

  it("refuses a body over 16 KB with 413 JSON", async () => {
    const res = await post({ surveyId: survey.id, otherText: "x".repeat(20_000) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
  });

  it("accepts text/plain JSON (the widget's way to avoid a CORS preflight) and answers CORS for any origin", async () => {
    const friend = optionByLabel(survey, "A friend or colleague");
    const res = await h.app.request("/v1/responses", {
      method: "POST",
      headers: { "Content-Type": "text/plain;charset=UTF-8", Origin: "https://shop.example" },
      body: JSON.stringify({ surveyId: survey.id, optionId: friend.id }),
    });
    expect(res.status).toBe(202);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const preflight = await h.app.request("/v1/responses", { method: "OPTIONS", headers: { Origin: "https://shop.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
  });
});

describe("views, skips and the public survey definition", () => {
  it("records views and skips as their own events", async () => {
    expect((await call(h.app, "POST", "/v1/views", { surveyId: survey.id, lcid: "c1", placement: "widget" }, null)).status).toBe(202);
    expect((await call(h.app, "POST", "/v1/skips", { surveyId: survey.id, lcid: "c1" }, null)).status).toBe(202);
    expect(h.events.map((e) => e.type)).toEqual(["survey.view", "survey.skip"]);
    expect(h.events[0]).toMatchObject({ surveyId: survey.id, lcid: "c1", placement: "widget" });
    expect((await call(h.app, "POST", "/v1/skips", { surveyId: "unknown" }, null)).status).toBe(404);
    expect((await call(h.app, "POST", "/v1/views", { surveyId: survey.id, placement: "hosted" }, null)).status).toBe(400);
  });

  it("serves the survey in the asked locale, shuffled per request, with Other and I don't remember last", async () => {
    const orders = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const res = await h.app.request(`/v1/surveys/${survey.id}?locale=de-AT`);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const body = (await res.json()) as { locale: string; question: string; options: { kind: string; label: string }[] };
      expect(body.locale).toBe("de");
      expect(body.question).toBe("Wie haben Sie von uns erfahren?");
      expect(body.options.slice(-2).map((o) => o.kind)).toEqual(["other", "dont_remember"]);
      expect(body.options.slice(-2).map((o) => o.label)).toEqual(["Sonstiges", "Weiß ich nicht mehr"]);
      expect(JSON.stringify(body)).not.toContain("channel");
      orders.add(body.options.map((o) => o.label).join("|"));
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it("keeps the written order when the survey is not randomised", async () => {
    await call(h.app, "PATCH", `/api/surveys/${survey.id}`, { randomize: false });
    const fresh = (await import("../src/app.ts")).createApp({ db: h.db, buffer: { push: () => undefined } });
    const body = (await (await fresh.request(`/v1/surveys/${survey.id}`, { headers: { "Accept-Language": "fr-FR, en;q=0.5" } })).json()) as { locale: string; options: { id: string }[] };
    fresh.dispose();
    expect(body.locale).toBe("en");
    expect(body.options.map((o) => o.id)).toEqual(survey.options.map((o) => o.id));
  });
});

describe("the widget script", () => {
  it("is small, cacheable with an ETag, and revalidates to 304", async () => {
    const res = await h.app.request("/widget.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("javascript");
    const body = await res.text();
    expect(new TextEncoder().encode(body).length).toBeLessThan(8 * 1024);
    expect(res.headers.get("cache-control")).toContain("max-age=");
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^".+"$/);
    const again = await h.app.request("/widget.js", { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
    const versioned = await h.app.request(`/widget.js?v=${etag.slice(1, -1)}`);
    expect(versioned.headers.get("cache-control")).toContain("immutable");
  });
});

describe("rate limits", () => {
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  let redis: Redis;
  let prefix: string;
  beforeEach(async () => {
    redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    prefix = `t-${randomUUID().slice(0, 8)}`;
  });
  afterEach(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it("limits public writes per visitor (kept in Redis) with 429 and Retry-After", async () => {
    const { createApp } = await import("../src/app.ts");
    const events: unknown[] = [];
    const hasher = createVisitorHasher({ db: h.db, honorDnt: true });
    await hasher.start();
    // A day-long window: a fixed window that turned over mid-test would reset the count.
    const app = createApp({ db: h.db, buffer: { push: (e) => events.push(e) }, redis, hasher, config: { queuePrefix: prefix, rateLimit: { perIp: 100, perVisitor: 5, windowMs: 86_400_000 } } });
    const friend = optionByLabel(survey, "A friend or colleague");
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await app.request("/v1/responses", { method: "POST", headers: { "Content-Type": "application/json", "User-Agent": "ua-1" }, body: JSON.stringify({ surveyId: survey.id, optionId: friend.id }) });
      statuses.push(res.status);
      if (res.status === 429) expect(res.headers.get("retry-after")).toBe("86400");
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429, 429]);
    expect(events).toHaveLength(5);
    const keys = await redis.keys(`${prefix}:surveys:rl:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(" ")).not.toMatch(/127\.0\.0\.1|unknown/);
    app.dispose();
    hasher.close();
  });
});
