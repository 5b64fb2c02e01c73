import { Script } from "node:vm";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTracker, trackerScript, trackerSource } from "../src/tracker/build.ts";
import { type TrackerHarness, trackerHarness } from "./fixtures/tracker/harness.ts";

const MAX_GZIP_BYTES = 3 * 1024;

let h: TrackerHarness;
beforeAll(async () => {
  h = await trackerHarness();
});
afterAll(() => h.close());

describe("lantern.js, the script", () => {
  it(`is minified by esbuild and at most ${MAX_GZIP_BYTES} bytes gzipped`, async () => {
    const script = await trackerScript();
    expect(script.minified).toBe(true);
    expect(script.gzip.length).toBeLessThanOrEqual(MAX_GZIP_BYTES);
    expect(script.code.length).toBeLessThan(trackerSource().length / 2);
  });

  it("is ES2017 with no dependencies: it compiles as a classic script and imports nothing", async () => {
    const { code } = await trackerScript();
    expect(() => new Script(code)).not.toThrow();
    // esbuild's target es2017 lowers anything newer; none of the usual newer forms (?. ?? optional catch binding **) is left.
    expect(code).not.toMatch(/\?\.[A-Za-z_$([]|\?\?|catch\{|\*\*/);
    expect(code).not.toMatch(/\bimport\s*[({]|\brequire\s*\(|\bimport\s+["']/);
    // One function expression called at once: it leaves nothing in the page's scope but window.lantern.
    expect(code).toMatch(/^\(\(\w+,\w+\)=>\{[\s\S]*\}\)\(window,document\);$/);
  });

  it("a source esbuild cannot minify is still served, comment-stripped: start-up never fails on it", async () => {
    const fallback = await buildTracker("/* note */\n// line\nvar x = ;\n");
    expect(fallback.minified).toBe(false);
    expect(fallback.code).toBe("var x = ;");
  });
});

describe("GET /lantern.js", () => {
  it("serves JavaScript to any origin with a revalidatable cache and an ETag", async () => {
    const res = await h.app.request("/lantern.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cache-control")).toBe("public, max-age=3600, stale-while-revalidate=86400");
    expect(res.headers.get("vary")).toBe("Accept-Encoding");
    expect(res.headers.get("content-encoding")).toBeNull();
    expect(await res.text()).toBe((await trackerScript()).code);

    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{16}"$/);
    const again = await h.app.request("/lantern.js", { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect((await h.app.request("/lantern.js", { headers: { "if-none-match": '"other"' } })).status).toBe(200);
  });

  it("a URL carrying the script's version (?v=) is immutable for a year", async () => {
    const { version } = await trackerScript();
    const res = await h.app.request(`/lantern.js?v=${version}`);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await h.app.request("/lantern.js?v=stale")).headers.get("cache-control")).toContain("max-age=3600");
  });

  it("is sent brotli- or gzip-compressed to clients that accept it, and is the same script once decompressed", async () => {
    const { code } = await trackerScript();
    const br = await h.app.request("/lantern.js", { headers: { "accept-encoding": "gzip, deflate, br" } });
    expect(br.headers.get("content-encoding")).toBe("br");
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(code);
    const gz = await h.app.request("/lantern.js", { headers: { "accept-encoding": "gzip, br;q=0" } });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    const bytes = Buffer.from(await gz.arrayBuffer());
    expect(bytes.length).toBeLessThanOrEqual(MAX_GZIP_BYTES);
    expect(gunzipSync(bytes).toString()).toBe(code);
  });

  it("answers HEAD with the headers only, and is not taken for a short link's slug", async () => {
    const head = await h.app.request("/lantern.js", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await head.text()).toBe("");
  });
});
