import { apiKeys, botHits, clicks, unfurls } from "@lantern/db/schema";
import { createRateLimiter } from "@lantern/http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { api, Cleanup, keyWith, PUBLIC_URL, type Service, startService, visit } from "./helpers.ts";

const cleanup = new Cleanup();
let s: Service;
beforeEach(async () => {
  s = await startService(cleanup);
});
afterEach(() => cleanup.run());

const create = (body: Record<string, unknown>) => api(s).post("/api/links", body);

describe("API keys", () => {
  it("a request without a key gets 401 with the error shape and a request id", async () => {
    const res = await s.app.request("/api/links");
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe("unauthorized");
    expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("an unknown key gets 401", async () => {
    expect((await api(s, "lt_not_a_key_at_all").get("/api/links")).status).toBe(401);
  });

  it("a revoked key gets 401", async () => {
    const key = await keyWith(s.db, ["links:read"]);
    await s.db.update(apiKeys).set({ revokedAt: Date.now() });
    expect((await api(s, key).get("/api/links")).status).toBe(401);
  });

  it("a key without links:write may read but not create (403)", async () => {
    const key = await keyWith(s.db, ["links:read"]);
    expect((await api(s, key).get("/api/links")).status).toBe(200);
    const res = await api(s, key).post("/api/links", { url: "https://example.com" });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("forbidden");
  });

  it("a stored key with links:write may create", async () => {
    const key = await keyWith(s.db, ["links:read", "links:write"]);
    expect((await api(s, key).post("/api/links", { url: "https://example.com" })).status).toBe(201);
  });

  it("the per-key rate limit answers 429 past its limit", async () => {
    await cleanup.run();
    s = await startService(cleanup, { rateLimiter: createRateLimiter({ redis: null, limit: 3, windowMs: 60_000, prefix: "t" }) });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await api(s).get("/api/links")).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

describe("POST /api/links", () => {
  it("creates a tagged link: channel from the source, default UTMs, short URL, Location", async () => {
    const res = await create({ url: "https://example.com/sale", source: "WhatsApp", campaign: "spring", tags: ["q2"] });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/api/links/${res.json.id}`);
    expect(res.json).toMatchObject({
      url: "https://example.com/sale",
      source: "whatsapp",
      channel: "messaging",
      campaign: "spring",
      utm: { source: "whatsapp", medium: "messaging", campaign: "spring" },
      tags: ["q2"],
      status: "active",
      destination: "https://example.com/sale?utm_source=whatsapp&utm_medium=messaging&utm_campaign=spring",
    });
    expect(res.json.slug).toMatch(/^[2-9a-hjkmnp-z]{7}$/);
    expect(res.json.shortUrl).toBe(`${PUBLIC_URL}/${res.json.slug}`);
  });

  it("an explicit channel and explicit UTMs win over the defaults; utm:false adds none", async () => {
    const a = await create({ url: "https://example.com", source: "newsletter", channel: "personal_email", utm: { campaign: "fwd", content: "footer" } });
    expect(a.json.channel).toBe("personal_email");
    expect(a.json.utm).toEqual({ source: "newsletter", medium: "personal_email", campaign: "fwd", content: "footer" });
    const b = await create({ url: "https://example.com", source: "slack", utm: false });
    expect(b.json.utm).toEqual({});
    expect(b.json.destination).toBe("https://example.com/");
  });

  it("a custom slug is stored in lower case and matched case-insensitively; a duplicate is 409", async () => {
    const a = await create({ url: "https://example.com/a", slug: "Spring-Sale" });
    expect(a.status).toBe(201);
    expect(a.json.slug).toBe("spring-sale");
    const b = await create({ url: "https://example.com/b", slug: "SPRING-SALE" });
    expect(b.status).toBe(409);
    expect(b.json.error.code).toBe("conflict");
  });

  it.each(["api", "healthz", "T", "s", "favicon", "admin"])("refuses the reserved slug %s", async (slug) => {
    const res = await create({ url: "https://example.com", slug });
    if (slug === "favicon") return expect(res.status).toBe(201); // not reserved: only favicon.ico is
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/slug: .*reserved/);
  });

  it.each(["a b", "../x", "x.js", "é", "a".repeat(65), "a/b"])("refuses the unsafe slug %j", async (slug) => {
    const res = await create({ url: "https://example.com", slug });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_failed");
  });

  it.each([
    ["javascript:alert(document.cookie)", "http(s)"],
    ["JaVaScRiPt:alert(1)", "http(s)"],
    ["data:text/html,<script>alert(1)</script>", "http(s)"],
    ["ftp://example.com/file", "http(s)"],
    ["//example.com/x", "absolute"],
    ["https://user:pass@example.com/", "user name"],
    [`https://example.com/${"a".repeat(2048)}`, "2048"],
  ])("refuses the destination %.60s", async (url, why) => {
    const res = await create({ url });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain("url:");
    expect(res.json.error.message).toContain(why);
  });

  it.each([`${PUBLIC_URL}/abc`, "https://LNK.test./abc", "http://lnk.test/x?y=1", "https://go.lnk.test/other"])("refuses a destination on the short domain itself: %s", async (url) => {
    const res = await create({ url });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain("short-link domain");
  });

  it("refuses broken JSON (400), a non-JSON body (415), unknown fields and a body over 64 KiB (413)", async () => {
    const broken = await api(s).post("/api/links", '{"url": "https://example.com"');
    expect(broken.status).toBe(400);
    expect(broken.json.error.code).toBe("bad_request");
    const form = await api(s).post("/api/links", "url=https://example.com", { "content-type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(415);
    expect(form.json.error.code).toBe("unsupported_media_type");
    const typo = await create({ url: "https://example.com", shareKits: ["slack"] });
    expect(typo.status).toBe(400);
    const huge = await create({ url: "https://example.com", tags: ["x"], preview: { description: "x".repeat(70_000) } });
    expect(huge.status).toBe(413);
    expect(huge.json.error.code).toBe("payload_too_large");
  });

  it.each(["none", "Unknown", " NONE "])("refuses the reserved source %j (the stats' placeholder for clicks with no source), also in a kit", async (source) => {
    const res = await create({ url: "https://example.com", source });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/source: 'none' and 'unknown' are reserved/);
    const kit = await create({ url: "https://example.com", shareKit: ["whatsapp", source] });
    expect(kit.status).toBe(400);
  });

  it("refuses an expiry in the past and a preview image that is not http(s)", async () => {
    expect((await create({ url: "https://example.com", expiresAt: Date.now() - 1000 })).status).toBe(400);
    expect((await create({ url: "https://example.com", preview: { image: "javascript:alert(1)" } })).status).toBe(400);
    const ok = await create({ url: "https://example.com", expiresAt: "2999-01-01T00:00:00Z" });
    expect(ok.json.expiresAt).toBe("2999-01-01T00:00:00.000Z");
  });

  it("a share kit creates one variant per source, each with its own slug and UTMs, all sharing a kitId", async () => {
    const res = await create({ url: "https://example.com/launch?ref=kit#top", campaign: "launch", shareKit: ["whatsapp", "slack", "linkedin", "email", "sms"] });
    expect(res.status).toBe(201);
    const { variants, kitId } = res.json;
    expect(kitId).toEqual(expect.any(String));
    expect(variants.map((v: { source: string }) => v.source)).toEqual(["whatsapp", "slack", "linkedin", "email", "sms"]);
    expect(variants.map((v: { channel: string }) => v.channel)).toEqual(["messaging", "workchat", "social", "email", "messaging"]);
    const slugs = new Set([res.json.slug, ...variants.map((v: { slug: string }) => v.slug)]);
    expect(slugs.size).toBe(6);
    for (const v of variants) {
      expect(v.utm).toEqual({ source: v.source, medium: v.channel, campaign: "launch" });
      expect(v.shortUrl).toBe(`${PUBLIC_URL}/${v.slug}`);
    }
    const listed = await api(s).get(`/api/links?kitId=${kitId}`);
    expect(listed.json.data).toHaveLength(6);
    // Seen from a variant, the kit's own link is one of the others, with no source (null, as on a link).
    const fromVariant = await api(s).get(`/api/links/${variants[0].id}`);
    const own = fromVariant.json.variants.find((v: { id: string }) => v.id === res.json.id);
    expect(own).toMatchObject({ source: null, channel: null });
    // A variant's redirect carries its own UTMs, merged into the destination's query before the fragment.
    const slack = variants.find((v: { source: string }) => v.source === "slack");
    const hit = await visit(s, `/${slack.slug}`);
    const location = new URL(hit.headers.get("location")!);
    expect(location.searchParams.get("ref")).toBe("kit");
    expect(location.searchParams.get("utm_source")).toBe("slack");
    expect(location.searchParams.get("utm_medium")).toBe("workchat");
    expect(location.searchParams.get("utm_campaign")).toBe("launch");
    expect(location.hash).toBe("#top");
  });

  it("a share kit with a custom slug names its variants <slug>-<source>", async () => {
    const res = await create({ url: "https://example.com", slug: "fall", shareKit: ["whatsapp", "google chat"] });
    expect(res.json.variants.map((v: { slug: string }) => v.slug)).toEqual(["fall-whatsapp", "fall-google_chat"]);
    const again = await create({ url: "https://example.com", slug: "fall-whatsapp" });
    expect(again.status).toBe(409);
  });
});

describe("GET /api/links", () => {
  it("pages through every link exactly once with the cursor, newest first", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await create({ url: `https://example.com/${i}` })).json.id);
      s.advance(1); // distinct creation times
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api(s).get(`/api/links?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      seen.push(...res.json.data.map((l: { id: string }) => l.id));
      cursor = res.json.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
  });

  it("searches and filters by campaign, tag, source and channel", async () => {
    await create({ url: "https://shop.example/boots", campaign: "winter", tags: ["shoes"], source: "slack" });
    await create({ url: "https://shop.example/hats", campaign: "winter", tags: ["hats"], source: "whatsapp", preview: { title: "Warm hats" } });
    await create({ url: "https://blog.example/post", campaign: "blog" });
    const slugsOf = async (q: string) => (await api(s).get(`/api/links?${q}`)).json.data.map((l: { url: string }) => l.url).sort();
    expect(await slugsOf("campaign=winter")).toEqual(["https://shop.example/boots", "https://shop.example/hats"]);
    expect(await slugsOf("tag=shoes")).toEqual(["https://shop.example/boots"]);
    expect(await slugsOf("source=WhatsApp")).toEqual(["https://shop.example/hats"]);
    expect(await slugsOf("channel=workchat")).toEqual(["https://shop.example/boots"]);
    expect(await slugsOf("q=blog")).toEqual(["https://blog.example/post"]);
    expect(await slugsOf("q=warm")).toEqual(["https://shop.example/hats"]);
    expect(await slugsOf("q=100%25")).toEqual([]);
  });

  it("refuses a forged cursor and a limit out of range with 400", async () => {
    expect((await api(s).get("/api/links?cursor=bm90IGEgY3Vyc29y")).status).toBe(400);
    expect((await api(s).get("/api/links?limit=1000")).status).toBe(400);
  });
});

describe("GET, PATCH and DELETE /api/links/:id", () => {
  it("404s an unknown id", async () => {
    const res = await api(s).get("/api/links/nope");
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe("not_found");
  });

  it("a new destination and a new slug take effect on the redirect at once; the old slug is gone", async () => {
    const link = (await create({ url: "https://example.com/old", slug: "deal" })).json;
    expect((await visit(s, "/deal")).headers.get("location")).toMatch(/^https:\/\/example\.com\/old\?lcid=/);
    const res = await api(s).patch(`/api/links/${link.id}`, { url: "https://example.com/new", slug: "deal2" });
    expect(res.status).toBe(200);
    expect((await visit(s, "/deal2")).headers.get("location")).toMatch(/^https:\/\/example\.com\/new\?lcid=/);
    expect((await visit(s, "/deal")).status).toBe(404);
  });

  it("changing the source re-derives the UTMs that were defaults and keeps hand-set ones", async () => {
    const link = (await create({ url: "https://example.com", source: "whatsapp", campaign: "c1", utm: { campaign: "manual" } })).json;
    const res = await api(s).patch(`/api/links/${link.id}`, { source: "slack" });
    expect(res.json).toMatchObject({ source: "slack", channel: "workchat", utm: { source: "slack", medium: "workchat", campaign: "manual" } });
  });

  it("PATCH validates like POST: bad URL 400, taken slug 409", async () => {
    const a = (await create({ url: "https://example.com", slug: "one" })).json;
    await create({ url: "https://example.com", slug: "two" });
    expect((await api(s).patch(`/api/links/${a.id}`, { url: "javascript:alert(1)" })).status).toBe(400);
    expect((await api(s).patch(`/api/links/${a.id}`, { slug: "Two" })).status).toBe(409);
  });

  it("DELETE archives: the redirect answers 410, lists hide it unless asked, data is kept; PATCH archived:false restores", async () => {
    const link = (await create({ url: "https://example.com", slug: "old-news" })).json;
    const res = await api(s).delete(`/api/links/${link.id}`);
    expect(res.status).toBe(200);
    expect(res.json.status).toBe("archived");
    const gone = await visit(s, "/old-news");
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain("no longer available");
    expect((await api(s).get("/api/links")).json.data).toHaveLength(0);
    expect((await api(s).get("/api/links?archived=true")).json.data).toHaveLength(1);
    expect((await api(s).get(`/api/links/${link.id}`)).json.status).toBe("archived");
    await api(s).patch(`/api/links/${link.id}`, { archived: false });
    expect((await visit(s, "/old-news")).status).toBe(302);
  });

  it("an expired link answers 410", async () => {
    await create({ url: "https://example.com", slug: "flash", expiresAt: Date.now() + 60_000 });
    expect((await visit(s, "/flash")).status).toBe(302);
    s.advance(61_000);
    const res = await visit(s, "/flash");
    expect(res.status).toBe(410);
    expect(await res.text()).toContain("expired");
  });
});

describe("GET /api/links/:id/stats", () => {
  it("counts what the worker stored: human clicks, bot hits, unfurls by app, and the breakdowns", async () => {
    const link = (await create({ url: "https://example.com" })).json;
    const other = (await create({ url: "https://example.com/other" })).json;
    const day1 = Date.UTC(2025, 2, 1, 10);
    const day2 = Date.UTC(2025, 2, 2, 10);
    const click = (id: string, ts: number, extra: Partial<typeof clicks.$inferInsert> = {}) => ({
      id, linkId: link.id, ts, channel: "messaging", source: "whatsapp", rule: "in_app", device: "mobile", browser: "Mobile Safari", os: "iOS", inApp: "whatsapp", country: "DE", ...extra,
    });
    await s.db.insert(clicks).values([
      click("c1", day1),
      click("c2", day1, { channel: "direct", source: null, rule: "direct", inApp: null, device: "desktop", browser: "Chrome", os: "Windows", country: null, referrerHost: null }),
      click("c3", day2, { channel: "ai_assistant", source: "chatgpt", rule: "referrer", inApp: null, referrerHost: "chatgpt.com" }),
      { ...click("c4", day2), linkId: other.id },
    ]);
    await s.db.insert(unfurls).values([
      { id: "u1", linkId: link.id, ts: day1, app: "slack" },
      { id: "u2", linkId: link.id, ts: day1, app: "slack" },
      { id: "u3", linkId: link.id, ts: day2, app: "whatsapp" },
    ]);
    await s.db.insert(botHits).values([{ id: "b1", linkId: link.id, ts: day2, bot: "googlebot" }]);

    const res = await api(s).get(`/api/links/${link.id}/stats`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      clicks: { human: 3, bot: 1 },
      unfurls: { total: 3, byApp: { slack: 2, whatsapp: 1 } },
      byChannel: { messaging: 1, direct: 1, ai_assistant: 1 },
      bySource: { whatsapp: 1, none: 1, chatgpt: 1 },
      byDevice: { mobile: 2, desktop: 1 },
      byBrowser: { "Mobile Safari": 2, Chrome: 1 },
      byOs: { iOS: 2, Windows: 1 },
      byInApp: { whatsapp: 1, none: 2 },
      byCountry: { DE: 2, unknown: 1 },
      byReferrer: { "chatgpt.com": 1, none: 2 },
      byDay: [
        { day: "2025-03-01", clicks: 2, unfurls: 2, bots: 0 },
        { day: "2025-03-02", clicks: 1, unfurls: 1, bots: 1 },
      ],
    });
    const day2Only = await api(s).get(`/api/links/${link.id}/stats?from=2025-03-02&to=${day2 + 1}`);
    expect(day2Only.json).toMatchObject({ clicks: { human: 1, bot: 1 }, unfurls: { total: 1, byApp: { whatsapp: 1 } }, from: "2025-03-02T00:00:00.000Z" });
  });

  it("404s an unknown link and 400s a reversed range", async () => {
    const link = (await create({ url: "https://example.com" })).json;
    expect((await api(s).get("/api/links/nope/stats")).status).toBe(404);
    expect((await api(s).get(`/api/links/${link.id}/stats?from=2025-03-02&to=2025-03-01`)).status).toBe(400);
    expect((await api(s).get(`/api/links/${link.id}/stats?from=yesterday`)).status).toBe(400);
  });
});

describe("QR codes, OpenAPI and health", () => {
  it("draws the short URL as SVG and as PNG", async () => {
    const link = (await create({ url: "https://example.com" })).json;
    const svg = await s.app.request(`/api/links/${link.id}/qr`, { headers: { authorization: "Bearer lt_admin_bootstrap_key_for_tests" } });
    expect(svg.status).toBe(200);
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
    expect(await svg.text()).toMatch(/^<svg/);
    const png = await s.app.request(`/api/links/${link.id}/qr?format=png&size=256`, { headers: { authorization: "Bearer lt_admin_bootstrap_key_for_tests" } });
    expect(png.headers.get("content-type")).toBe("image/png");
    const bytes = new Uint8Array(await png.arrayBuffer());
    expect([...bytes.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect((await api(s).get(`/api/links/${link.id}/qr?format=gif`)).status).toBe(400);
  });

  it("/openapi.json describes the API without a key", async () => {
    const res = await s.app.request("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown>; components: { securitySchemes: { bearer: { scheme: string } } } };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/links", "/api/links/{id}", "/api/links/{id}/stats", "/api/links/{id}/qr", "/healthz"]));
    expect(doc.components.securitySchemes.bearer.scheme).toBe("bearer");
  });

  it("/healthz reports the buffer and the cache", async () => {
    const res = await s.app.request("/healthz");
    const body = (await res.json()) as { status: string; buffer: unknown; cache: unknown };
    expect(body.status).toBe("ok");
    expect(body.buffer).toMatchObject({ mode: "direct", redis: "ready" });
    expect(body.cache).toMatchObject({ subscribed: true });
  });

  it("an unknown API path is a JSON 404, not the HTML page", async () => {
    const res = await api(s).get("/api/nothing/here");
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe("not_found");
  });
});
