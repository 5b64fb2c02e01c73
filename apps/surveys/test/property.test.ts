import fc from "fast-check";
import { lanternEvent, type LanternEvent } from "@lantern/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_UA, createSurvey, harness, type Harness, type SurveyJson } from "./support.ts";

/**
 * Thousands of random and malformed requests at the public endpoints: every one gets an answer below
 * 500 (2xx/4xx; the hosted form's success is a 303), and whatever reached the event buffer is
 * well-formed and consistent with its survey.
 */
let h: Harness;
let survey: SurveyJson;
beforeAll(async () => {
  h = await harness();
  survey = await createSurvey(h.app);
});
afterAll(async () => {
  await h.close();
});

const ID = /^[A-Za-z0-9_-]{1,64}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/;

/** Everything the worker relies on, checked on each stored event. */
function checkEvent(event: LanternEvent) {
  expect(lanternEvent.safeParse(event).success).toBe(true);
  expect(event.id).toMatch(ID);
  if (event.type === "survey.view" || event.type === "survey.skip") {
    expect(event.surveyId).toBe(survey.id);
    for (const v of [event.lcid, event.visitorId]) if (v !== null) expect(v).toMatch(ID);
    return;
  }
  expect(event.type).toBe("survey.response");
  if (event.type !== "survey.response") return;
  expect(event.surveyId).toBe(survey.id);
  const option = survey.options.find((o) => o.id === event.optionId);
  if (event.optionId !== null) expect(option).toBeDefined();
  expect(event.optionId !== null || event.otherText !== null).toBe(true);
  if (event.otherText !== null) {
    expect(option === undefined || option.kind === "other").toBe(true);
    expect(event.otherText.length).toBeGreaterThan(0);
    expect(event.otherText.length).toBeLessThanOrEqual(500);
    expect(event.otherText).toBe(event.otherText.trim());
    expect(event.otherText).not.toMatch(CONTROL);
    expect(event.otherText).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  }
  if (event.followUpText !== null) {
    expect(option?.followUp).toBeTruthy();
    expect(event.followUpText.length).toBeLessThanOrEqual(500);
    expect(event.followUpText).not.toMatch(CONTROL);
  }
  if (event.respondentHash !== null) expect(event.respondentHash).toMatch(/^[0-9a-f]{64}$/);
  for (const v of [event.lcid, event.visitorId, event.shareToken]) if (v !== null) expect(v).toMatch(ID);
  if (event.conversion) {
    expect(Number.isFinite(event.conversion.value ?? 0)).toBe(true);
    if (event.conversion.currency !== null) expect(event.conversion.currency).toMatch(/^[A-Z]{3}$/);
  }
}

function arbitraries() {
  const optionIds = () => survey.options.map((o) => o.id);
  const text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 600 }),
    fc.constantFrom("", " ", "\u0000", "\ud800", "=cmd|' /C calc'!A0", "<script>alert(1)</script>", "x".repeat(500), "x".repeat(501), "whatsap", "my freind told me"),
  );
  const idLike = fc.oneof(fc.constantFrom("click_1", "v-2", "a".repeat(64), "a".repeat(65), "has space", "a:b", ""), fc.string({ maxLength: 70 }));
  const anyValue = fc.oneof(text, idLike, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }));

  const responseBody = fc.record(
    {
      surveyId: fc.oneof(fc.constant(survey.id), idLike, anyValue),
      optionId: fc.oneof(fc.constantFrom(...[0, 1, 2, 3, 4, 5, 6]).map((i) => optionIds()[i]), idLike, anyValue),
      otherText: fc.oneof(text, anyValue),
      followUpText: fc.oneof(text, anyValue),
      locale: fc.oneof(fc.constantFrom("en", "de", "pt-BR", "xx-"), anyValue),
      respondent: fc.oneof(fc.record({ email: fc.oneof(fc.emailAddress(), text), externalId: fc.oneof(text, anyValue) }, { requiredKeys: [] }), anyValue),
      lcid: idLike,
      visitorId: idLike,
      shareToken: fc.oneof(idLike, anyValue),
      conversion: fc.oneof(
        fc.record(
          {
            type: fc.oneof(text, anyValue),
            value: fc.oneof(fc.double(), fc.integer(), anyValue),
            currency: fc.oneof(fc.constantFrom("EUR", "usd", "EURO"), anyValue),
            occurredAt: fc.oneof(fc.integer(), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), anyValue),
            id: fc.oneof(text, anyValue),
          },
          { requiredKeys: [] },
        ),
        anyValue,
      ),
      idempotencyKey: fc.oneof(idLike, text),
      website: fc.oneof(fc.constant(""), fc.constant(undefined), text),
    },
    { requiredKeys: [] },
  );

  // Valid answers with a few fields gone wrong: the generator must also reach the "accepted" path.
  const nearlyValid = fc
    .record({
      optionId: fc.constantFrom(...optionIds()),
      otherText: rarely(text),
      followUpText: rarely(text),
      lcid: rarely(fc.constantFrom("click_1", "c-2", "bad id")),
      respondent: rarely(fc.record({ email: fc.oneof(fc.emailAddress(), fc.constant("nope")) })),
      idempotencyKey: rarely(fc.constantFrom("k1", "k2", "k3")),
      website: rarely(fc.constantFrom("", "spam")),
    })
    .map((b) => ({ surveyId: survey.id, ...b }));

  const rawBody = fc.oneof(
    { weight: 4, arbitrary: responseBody.map((b) => JSON.stringify(b)) },
    { weight: 3, arbitrary: nearlyValid.map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constantFrom("", "{", "null", "[]", '{"surveyId":', "\u0000", JSON.stringify({ surveyId: "x", otherText: "y".repeat(17_000) })) },
  );
  const contentType = fc.constantFrom("application/json", "application/json", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "", "multipart/form-data; boundary=x");

  return { rawBody, contentType, text, idLike, optionIds };
}

/** Mostly absent, sometimes the given value. */
function rarely<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
}

/** Percent-encodes like a browser; lone surrogates (which encodeURIComponent refuses) go out malformed. */
function enc(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return escape(value);
  }
}

function hasHoneypot(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { website?: unknown };
    return !!parsed && typeof parsed === "object" && !Array.isArray(parsed) && parsed.website !== undefined && parsed.website !== null && parsed.website !== "" && parsed.website !== false;
  } catch {
    return false;
  }
}

describe("property: POST /v1/responses", () => {
  it("answers every random or malformed body with a 2xx or 4xx and queues only well-formed answers", async () => {
    const { rawBody, contentType } = arbitraries();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(rawBody, contentType, async (body, type) => {
        const before = h.events.length;
        const res = await h.app.request("/v1/responses", { method: "POST", headers: type ? { "Content-Type": type } : {}, body });
        expect(res.status).toBeGreaterThanOrEqual(200);
        expect(res.status).toBeLessThan(500);
        expect(res.status === 202 || (res.status >= 400 && res.status < 500)).toBe(true);
        const json = (await res.json()) as { id?: string; error?: { code: string; message: string } };
        const added = h.events.slice(before);
        if (res.status === 202) {
          expect(json.id).toMatch(ID);
          if (hasHoneypot(body)) expect(added).toHaveLength(0);
          else {
            expect(added).toHaveLength(1);
            expect(added[0]!.id).toBe(json.id);
            accepted++;
          }
        } else {
          expect(json.error?.code).toEqual(expect.any(String));
          expect(added).toHaveLength(0);
        }
        for (const event of added) checkEvent(event);
      }),
      { numRuns: 3000 },
    );
    // The generator is not so hostile that nothing valid ever gets through.
    expect(accepted).toBeGreaterThan(20);
  });
});

describe("property: the hosted page", () => {
  it("answers every GET with random query strings with a 2xx or 4xx, and records only well-formed views", async () => {
    const { text, idLike } = arbitraries();
    const queryKey = fc.oneof(fc.constantFrom("lcid", "vid", "lsh", "locale", "thanks", "email", "value", "currency", "order_id", "conversion_type", "external_id"), fc.string({ maxLength: 10 }));
    const queryValue = fc.oneof(text, idLike, fc.constantFrom("1", "de", "en-US", "jo@example.com", "%", "%E0%A4%A", "12.50"));
    const rawQuery = fc.oneof(
      fc.array(fc.tuple(queryKey, queryValue), { maxLength: 8 }).map((pairs) => pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join("&")),
      fc.string({ maxLength: 100 }).map((s) => s.replace(/#/g, "")),
      fc.constantFrom("%", "a=%zz&b=%E0%A4%A", "lcid=%00", "locale=%FF", "&&&==", "thanks=1&thanks=0"),
    );
    await fc.assert(
      fc.asyncProperty(rawQuery, fc.constantFrom("", "de", "*", "xx;q=abc, en", "ü"), fc.boolean(), async (query, acceptLanguage, knownSurvey) => {
        const before = h.events.length;
        const path = `/s/${knownSurvey ? survey.id : "nosuchsurvey"}?${query}`;
        let url: URL;
        try {
          url = new URL(path, "http://localhost");
        } catch {
          return; // not a URL a client could send
        }
        const res = await h.app.request(url.pathname + url.search, { headers: { "User-Agent": BROWSER_UA, ...(acceptLanguage ? { "Accept-Language": acceptLanguage } : {}) } });
        expect(res.status === 200 || res.status === 404).toBe(true);
        expect(res.headers.get("content-type")).toContain("text/html");
        const html = await res.text();
        expect(html).not.toMatch(/<script/i);
        for (const event of h.events.slice(before)) checkEvent(event);
        expect(h.events.length - before).toBeLessThanOrEqual(1);
      }),
      { numRuns: 1500 },
    );
  });

  it("answers every POST with a random form with a 303 (thanks) or a 4xx, and queues only well-formed answers", async () => {
    const { text, idLike, optionIds } = arbitraries();
    const formField = fc.oneof(
      fc.constantFrom("optionId", "otherText", "locale", "lcid", "vid", "lsh", "rh", "idem", "website", "value", "currency", "order_id", "conversion_type", "external_id"),
      fc.constantFrom(...[0, 1, 2, 3, 4, 5, 6]).map((i) => `fu_${optionIds()[i]}`),
      fc.string({ maxLength: 10 }),
    );
    const fieldValue = fc.oneof(fc.constantFrom(...[0, 1, 2, 3, 4, 5, 6]).map((i) => optionIds()[i]!), text, idLike, fc.constant("a".repeat(64)));
    const form = fc.array(fc.tuple(formField, fieldValue), { maxLength: 10 });
    const encoding = fc.constantFrom("urlencoded", "multipart", "json", "garbage");
    await fc.assert(
      fc.asyncProperty(form, encoding, async (pairs, how) => {
        const before = h.events.length;
        let init: RequestInit;
        if (how === "urlencoded") {
          init = { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(pairs).toString() };
        } else if (how === "multipart") {
          const data = new FormData();
          for (const [k, v] of pairs) data.append(k, v);
          init = { method: "POST", body: data };
        } else if (how === "json") {
          init = { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(Object.fromEntries(pairs)) };
        } else {
          init = { method: "POST", headers: { "Content-Type": "multipart/form-data; boundary=zzz" }, body: pairs.map(([k, v]) => `--zzz\r\n${k}: ${v}`).join("") };
        }
        const res = await h.app.request(`/s/${survey.id}`, init);
        expect(res.status === 303 || (res.status >= 400 && res.status < 500)).toBe(true);
        const added = h.events.slice(before);
        expect(added.length).toBeLessThanOrEqual(1);
        if (added.length) expect(res.status).toBe(303);
        for (const event of added) checkEvent(event);
      }),
      { numRuns: 1500 },
    );
  });
});
