import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { api, Cleanup, PUBLIC_URL, type Service, startService, UA, visit, waitFor } from "./helpers.ts";

const cleanup = new Cleanup();
let s: Service & { testDb: Awaited<ReturnType<typeof startService>>["testDb"] };
beforeEach(async () => {
  s = await startService(cleanup);
});
afterEach(() => cleanup.run());

const create = async (body: Record<string, unknown>) => {
  const res = await api(s).post("/api/links", body);
  expect(res.status).toBe(201);
  return res.json;
};

describe("a person following a short link", () => {
  it("is sent (302) to the destination with the link's UTMs and lcid merged into its query, fragment kept", async () => {
    await create({ url: "https://shop.example/p?id=42&color=red#reviews", slug: "boots", source: "whatsapp", campaign: "fall" });
    const res = await visit(s, "/boots", { referer: "https://chatgpt.com/" });
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    expect(location).toMatch(/^https:\/\/shop\.example\/p\?id=42&color=red&utm_source=whatsapp&utm_medium=messaging&utm_campaign=fall&lcid=[A-Za-z0-9_-]{16}#reviews$/);
    const [event] = await s.events();
    expect(event).toMatchObject({ type: "link.hit", served: "redirect", slug: "boots", referer: "https://chatgpt.com/", userAgent: UA.iphone, dnt: false });
    expect(new URL(location).searchParams.get("lcid")).toBe(event!.id);
    expect(event!.visitorHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("keeps the destination's own parameters, byte for byte, over the link's UTMs", async () => {
    await create({ url: "https://shop.example/?utm_source=newsletter&sig=a%2Fb%3D&q=a+b", slug: "signed", source: "slack" });
    const location = (await visit(s, "/signed")).headers.get("location")!;
    expect(location.startsWith("https://shop.example/?utm_source=newsletter&sig=a%2Fb%3D&q=a+b&utm_medium=workchat&lcid=")).toBe(true);
    expect(location).not.toContain("utm_source=slack");
  });

  it("forwards parameters the short URL carried (fbclid) unless the destination sets them, and records them", async () => {
    await create({ url: "https://shop.example/?ref=x", slug: "fb" });
    const res = await visit(s, "/fb?fbclid=IwAR123&ref=evil&lcid=forged");
    const url = new URL(res.headers.get("location")!);
    expect(url.searchParams.get("fbclid")).toBe("IwAR123");
    expect(url.searchParams.getAll("ref")).toEqual(["x"]);
    const [event] = await s.events();
    expect(url.searchParams.getAll("lcid")).toEqual([event!.id]);
    expect(event!.query).toEqual({ fbclid: "IwAR123", ref: "evil", lcid: "forged" });
  });

  it("matches the slug case-insensitively", async () => {
    await create({ url: "https://example.com/", slug: "promo" });
    expect((await visit(s, "/PROMO")).status).toBe(302);
  });

  it("sends no Referrer-Policy on the 302, so the destination sees the original referrer, and forbids caching", async () => {
    await create({ url: "https://example.com/", slug: "ref" });
    const res = await visit(s, "/ref", { referer: "https://www.perplexity.ai/" });
    expect(res.headers.get("referrer-policy")).toBeNull();
    expect(res.headers.get("cache-control")).toBe("private, no-store");
  });

  it("DNT: 1 or Sec-GPC: 1 drop the visitor hash (still a click, still an lcid)", async () => {
    await create({ url: "https://example.com/", slug: "dnt" });
    expect((await visit(s, "/dnt", { dnt: "1" })).headers.get("location")).toContain("lcid=");
    await visit(s, "/dnt", { "sec-gpc": "1" });
    const events = await s.events();
    expect(events.map((e) => [e.dnt, e.visitorHash])).toEqual([
      [true, null],
      [true, null],
    ]);
  });

  it("takes the country from the configured trusted header only, and only a real code", async () => {
    await create({ url: "https://example.com/", slug: "geo" });
    await visit(s, "/geo", { "cf-ipcountry": "de" });
    await visit(s, "/geo", { "cf-ipcountry": "XX" });
    await visit(s, "/geo", { "x-country": "FR" });
    expect((await s.events()).map((e) => e.country)).toEqual(["DE", null, null]);
  });
});

describe("a link-preview fetcher (unfurl)", () => {
  it("gets a 200 page with OpenGraph tags and a refresh to the destination, recorded as a preview, without lcid", async () => {
    await create({ url: "https://shop.example/p?id=1", slug: "card", source: "slack", preview: { title: "Winter boots", description: "Warm & dry", image: "https://cdn.example/boots.jpg" } });
    const res = await visit(s, "/card", { "user-agent": UA.slack });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    const html = await res.text();
    expect(html).toContain('<meta property="og:title" content="Winter boots">');
    expect(html).toContain('<meta property="og:description" content="Warm &#38; dry">');
    expect(html).toContain('<meta property="og:image" content="https://cdn.example/boots.jpg">');
    expect(html).toContain(`<meta property="og:url" content="${PUBLIC_URL}/card">`);
    expect(html).toContain('<meta http-equiv="refresh" content="0; url=https://shop.example/p?id=1&#38;utm_source=slack&#38;utm_medium=workchat">');
    expect(html).not.toContain("lcid");
    const [event] = await s.events();
    expect(event).toMatchObject({ served: "preview", userAgent: UA.slack, visitorHash: null });
  });

  it("escapes a preview title carrying a script, so the page runs nothing", async () => {
    const title = `</title><script>alert("x")</script>`;
    await create({ url: "https://example.com/", slug: "xss", preview: { title, description: `" onload="alert(1)` } });
    const html = await (await visit(s, "/xss", { "user-agent": UA.slack })).text();
    expect(html).not.toContain("<script");
    expect(html).not.toContain('" onload="');
    expect(html).toContain("&#60;/title&#62;&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;");
  });

  it("without a preview, names the card after the destination's host", async () => {
    await create({ url: "https://www.example.org/deep/page", slug: "plain" });
    const html = await (await visit(s, "/plain", { "user-agent": UA.slack })).text();
    expect(html).toContain("<title>www.example.org</title>");
    expect(html).toContain('<meta property="og:title" content="www.example.org">');
  });
});

describe("other requests", () => {
  it("a crawler is redirected without lcid and recorded (the worker stores it as a bot hit)", async () => {
    await create({ url: "https://example.com/", slug: "crawl", source: "email" });
    const res = await visit(s, "/crawl", { "user-agent": UA.googlebot });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://example.com/?utm_source=email&utm_medium=email");
    expect(await s.events()).toEqual([expect.objectContaining({ served: "redirect", userAgent: UA.googlebot, visitorHash: null })]);
  });

  it("HEAD gets the headers only and is recorded as nothing", async () => {
    await create({ url: "https://example.com/", slug: "head" });
    const res = await visit(s, "/head", {}, "HEAD");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://example.com/");
    expect(await res.text()).toBe("");
    const preview = await visit(s, "/head", { "user-agent": UA.slack }, "HEAD");
    expect(preview.status).toBe(200);
    expect(await preview.text()).toBe("");
    expect(await s.events()).toEqual([]);
  });

  it("an unknown slug gets a 404 page with security headers, and nothing is recorded", async () => {
    for (const path of ["/nothing-here", "/bad%20slug", "/x.php"]) {
      const res = await visit(s, path);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(await res.text()).toContain("does not exist");
    }
    expect(await s.events()).toEqual([]);
  });
});

describe("the link cache", () => {
  it("serves redirects of known links without any database lookup", async () => {
    await create({ url: "https://example.com/", slug: "hot" });
    for (let i = 0; i < 50; i++) expect((await visit(s, "/hot")).status).toBe(302);
    expect(s.cache.stats().lookups).toBe(0);
  });

  it("remembers a missing slug for a while: a burst of 404s costs one lookup", async () => {
    for (let i = 0; i < 20; i++) expect((await visit(s, "/ghost")).status).toBe(404);
    expect(s.cache.stats().lookups).toBe(1);
  });

  it("a link created, changed and archived on one instance is seen by another at once (pub/sub)", async () => {
    const other = await startService(cleanup, { db: s.testDb, prefix: s.prefix, negativeTtlMs: 60_000 });
    // The other instance has already answered 404 and would remember that for a minute...
    expect((await visit(other, "/news")).status).toBe(404);
    const link = await create({ url: "https://example.com/v1", slug: "news" });
    // ...but the announcement makes it re-read the link.
    await waitFor("the create to reach the other instance", async () => (await visit(other, "/news")).status === 302);
    await api(s).patch(`/api/links/${link.id}`, { url: "https://example.com/v2" });
    await waitFor("the change", async () => ((await visit(other, "/news")).headers.get("location") ?? "").startsWith("https://example.com/v2"));
    await api(s).delete(`/api/links/${link.id}`);
    await waitFor("the archive", async () => (await visit(other, "/news")).status === 410);
  });
});
