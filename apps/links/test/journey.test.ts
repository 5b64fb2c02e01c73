import { arrivals, clicks, conversions, unfurls, visitors } from "@lantern/db/schema";
import { createApiKey } from "@lantern/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, type TrackerHarness, trackerHarness } from "./fixtures/tracker/harness.ts";

/**
 * GET /api/links/:id/journey over rows as the worker writes them: a hand-built share tree with known
 * numbers, plus rows of another link and rows outside the range that must not count.
 */

let h: TrackerHarness;
let link: string;
let other: string;
const DAY = 86_400_000;
const T = Date.UTC(2025, 0, 10, 12);
const OLD = T - 10 * DAY;

async function get(path: string, key: string | null = ADMIN_KEY) {
  const res = await h.app.request(path, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string } } };
}

async function createLink(url: string) {
  const res = await h.app.request("/api/links", {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ url, source: "whatsapp" }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  h = await trackerHarness();
  link = await createLink("https://shop.example/lamp");
  other = await createLink("https://shop.example/other");
  const db = h.t.db;

  await db.insert(unfurls).values([
    { id: "u1", linkId: link, ts: T, app: "slack" },
    { id: "u2", linkId: link, ts: T + 1, app: "slack" },
    { id: "u3", linkId: link, ts: T + 2, app: "whatsapp" },
    { id: "u4", linkId: link, ts: OLD, app: "telegram" },
    { id: "u5", linkId: other, ts: T, app: "slack" },
  ]);
  const click = (id: string, linkId: string, ts: number) => ({ id, linkId, ts, channel: "messaging", source: "whatsapp", rule: "link_tag" });
  await db.insert(clicks).values([click("click-A", link, T), click("click-D", link, T + 5), click("click-3", link, T + 6), click("click-old", link, OLD), click("click-X", other, T)]);

  // The share tree of `link`: A and D landed (generation 0); B came through A's URL, C through B's, E through A's.
  const visitor = (visitorId: string, shareToken: string, linkId: string, generation: number, parent: string | null, lcid: string | null, firstSeen = T) => ({
    visitorId,
    shareToken,
    lcid,
    linkId,
    parentVisitorId: parent,
    generation,
    firstSeen,
    lastSeen: firstSeen,
  });
  await db.insert(visitors).values([
    visitor("visitor-A", "token-A", link, 0, null, "click-A"),
    visitor("visitor-D", "token-D", link, 0, null, "click-D"),
    visitor("visitor-B", "token-B", link, 1, "visitor-A", null, T + DAY),
    visitor("visitor-C", "token-C", link, 2, "visitor-B", null, T + 2 * DAY),
    visitor("visitor-E", "token-E", link, 1, "visitor-A", null, T + DAY),
    visitor("visitor-O", "token-O", link, 0, null, "click-old", OLD),
    visitor("visitor-X", "token-X", other, 0, null, "click-X"),
  ]);
  const arrival = (id: string, ts: number, shareToken: string, visitorId: string, parent: string, generation: number, linkId: string, dark: boolean) => ({
    id,
    ts,
    shareToken,
    visitorId,
    parentVisitorId: parent,
    generation,
    linkId,
    channel: dark ? "messaging" : "social",
    source: dark ? null : "linkedin",
    rule: dark ? "copy_paste_no_referrer" : "referrer",
    dark,
  });
  await db.insert(arrivals).values([
    arrival("arr-AB", T + DAY, "token-A", "visitor-B", "visitor-A", 1, link, true),
    arrival("arr-AB-again", T + DAY + 60_000, "token-A", "visitor-B", "visitor-A", 1, link, true), // the same re-share opened twice
    arrival("arr-BC", T + 2 * DAY, "token-B", "visitor-C", "visitor-B", 2, link, false),
    arrival("arr-AE", T + DAY, "token-A", "visitor-E", "visitor-A", 1, link, true),
    arrival("arr-old", OLD, "token-O", "visitor-Z", "visitor-O", 1, link, true),
    arrival("arr-X", T, "token-X", "visitor-Y", "visitor-X", 1, other, true),
  ]);
  const conversion = (id: string, ts: number, c: { visitorId?: string; lcid?: string; shareToken?: string; value?: number; currency?: string; type?: string }) => ({
    id,
    ts,
    receivedAt: ts,
    type: c.type ?? "purchase",
    value: c.value ?? null,
    currency: c.currency ?? null,
    visitorId: c.visitorId ?? null,
    lcid: c.lcid ?? null,
    shareToken: c.shareToken ?? null,
    origin: "tracker",
  });
  await db.insert(conversions).values([
    conversion("conv-A", T + 3 * DAY, { visitorId: "visitor-A", lcid: "click-A", shareToken: "token-A", value: 10, currency: "EUR" }),
    conversion("conv-C", T + 3 * DAY, { visitorId: "visitor-C", shareToken: "token-C", value: 20, currency: "EUR" }),
    conversion("conv-lcid-only", T + 3 * DAY, { lcid: "click-3", type: "signup" }), // a server-side call that knew only the click id
    conversion("conv-token-B", T + 3 * DAY, { shareToken: "token-B", value: 5, currency: "USD" }), // the tracker's own token, no visitor id
    conversion("conv-via-E", T + 3 * DAY, { visitorId: "visitor-unknown", shareToken: "token-E" }), // opened E's URL, visitor not stored yet
    conversion("conv-B-old", OLD, { visitorId: "visitor-B" }),
    conversion("conv-X", T + 3 * DAY, { visitorId: "visitor-X", lcid: "click-X" }),
    conversion("conv-stranger", T + 3 * DAY, { visitorId: "visitor-nobody" }),
  ]);
});
afterAll(() => h.close());

describe("GET /api/links/:id/journey", () => {
  it("follows the link from unfurls to conversions through its share tree, with exact numbers", async () => {
    const { status, body } = await get(`/api/links/${link}/journey`);
    expect(status).toBe(200);
    expect(body).toEqual({
      linkId: link,
      from: null,
      to: null,
      unfurls: { total: 4, byApp: { slack: 2, whatsapp: 1, telegram: 1 } },
      clicks: { human: 4 },
      landingVisitors: 3, // A, D, O
      // A->B (opened twice: one re-share), B->C, A->E, O->Z
      reshares: { total: 4, dark: 3, visitors: 4, byGeneration: { "1": 3, "2": 1 } },
      visitors: 7, // A, D, O landed; B, C, E, Z arrived
      resharesPerVisitor: 4 / 7,
      conversions: {
        total: 6,
        byGeneration: { "0": 2, "1": 2, "2": 2 }, // A and the lcid-only one; B's token and B's old one; C and the visitor who came through E
        byType: { purchase: 5, signup: 1 },
        value: { EUR: 30, USD: 5 },
      },
    });
  });

  it("counts each stage by its own time within from (inclusive) and to (exclusive)", async () => {
    const from = new Date(T).toISOString();
    const to = new Date(T + 3 * DAY).toISOString();
    const { status, body } = await get(`/api/links/${link}/journey?from=${from}&to=${to}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      from,
      to,
      unfurls: { total: 3, byApp: { slack: 2, whatsapp: 1 } },
      clicks: { human: 3 },
      landingVisitors: 2,
      reshares: { total: 3, dark: 2, visitors: 3, byGeneration: { "1": 2, "2": 1 } },
      visitors: 5,
      resharesPerVisitor: 3 / 5,
      conversions: { total: 0, byGeneration: {}, byType: {}, value: {} },
    });
    const later = await get(`/api/links/${link}/journey?from=${T + 3 * DAY}&to=${T + 4 * DAY}`);
    expect(later.body).toMatchObject({ clicks: { human: 0 }, reshares: { total: 0 }, visitors: 0, resharesPerVisitor: null, conversions: { total: 5 } });
  });

  it("another link's journey holds only its own rows", async () => {
    const { body } = await get(`/api/links/${other}/journey`);
    expect(body).toMatchObject({
      unfurls: { total: 1, byApp: { slack: 1 } },
      clicks: { human: 1 },
      landingVisitors: 1,
      reshares: { total: 1, dark: 1, visitors: 1, byGeneration: { "1": 1 } },
      visitors: 2,
      resharesPerVisitor: 0.5,
      conversions: { total: 1, byGeneration: { "0": 1 } },
    });
  });

  it("needs an API key with links:read, a known link and a sensible range", async () => {
    expect((await get(`/api/links/${link}/journey`, null)).status).toBe(401);
    const surveysOnly = (await createApiKey(h.t.db, "surveys", ["surveys:read"])).key;
    expect((await get(`/api/links/${link}/journey`, surveysOnly)).body.error?.code).toBe("forbidden");
    const reader = (await createApiKey(h.t.db, "reader", ["links:read"])).key;
    expect((await get(`/api/links/${link}/journey`, reader)).status).toBe(200);
    const missing = await get("/api/links/no-such-link/journey");
    expect([missing.status, missing.body.error?.code]).toEqual([404, "not_found"]);
    expect((await get(`/api/links/${link}/journey?from=2025-02-01&to=2025-01-01`)).status).toBe(400);
    expect((await get(`/api/links/${link}/journey?from=yesterday`)).status).toBe(400);
  });

  it("is described in /openapi.json", async () => {
    const { body } = await get("/openapi.json");
    expect(Object.keys(body.paths as object)).toContain("/api/links/{id}/journey");
  });
});
