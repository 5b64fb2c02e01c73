import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLinksServer } from "../src/server.ts";
import { api, Cleanup, type Service, startService, UA, visit } from "./helpers.ts";

/**
 * main.ts serves plain GET /<slug> straight from node:http and everything else through Hono. The two
 * paths must answer alike; this drives the real server and compares with the Hono app's answers.
 */
const cleanup = new Cleanup();
let s: Service;
let base: string;
beforeEach(async () => {
  s = await startService(cleanup);
  const server = createLinksServer(s.app, s.deps);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.add(() => new Promise<void>((resolve) => server.close(() => resolve())));
  cleanup.add(() => server.closeAllConnections());
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => cleanup.run());

const overHttp = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  fetch(`${base}${path}`, { method, headers: { "user-agent": UA.iphone, ...headers }, redirect: "manual" });

describe("the node:http fast path", () => {
  it("answers every kind of request exactly as the Hono route does", async () => {
    await api(s).post("/api/links", { url: "https://example.com/p?a=1#f", slug: "same", source: "slack", preview: { title: "T" } });
    const archived = (await api(s).post("/api/links", { url: "https://example.com/", slug: "gone" })).json;
    await api(s).delete(`/api/links/${archived.id}`);
    const cases: Array<[string, Record<string, string>, string]> = [
      ["/same", {}, "GET"],
      ["/SAME?fbclid=x", {}, "GET"],
      ["/same", {}, "HEAD"],
      ["/same", { "user-agent": UA.slack }, "GET"],
      ["/same", { "user-agent": UA.slack }, "HEAD"],
      ["/same", { "user-agent": UA.googlebot }, "GET"],
      ["/gone", {}, "GET"],
      ["/missing", {}, "GET"],
      ["/%73ame", {}, "GET"],
      ["/a.b", {}, "GET"],
    ];
    for (const [path, headers, method] of cases) {
      const viaHttp = await overHttp(path, headers, method);
      const viaHono = await visit(s, path, headers, method);
      const label = `${method} ${path} ${headers["user-agent"] ?? ""}`;
      expect(viaHttp.status, label).toBe(viaHono.status);
      for (const h of ["content-type", "content-security-policy", "cache-control", "x-frame-options", "referrer-policy"]) {
        expect(viaHttp.headers.get(h), `${label} ${h}`).toBe(viaHono.headers.get(h));
      }
      const strip = (l: string | null) => l?.replace(/lcid=[^&#]+/, "lcid=X") ?? null;
      expect(strip(viaHttp.headers.get("location")), label).toBe(strip(viaHono.headers.get("location")));
      expect(await viaHttp.text(), label).toBe(await viaHono.text());
    }
    // Each side recorded the same hits: 4 redirects (3 people, 1 crawler) and 1 preview; HEAD and misses nothing.
    const served = (await s.events()).map((e) => e.served);
    expect(served.filter((x) => x === "redirect")).toHaveLength(8);
    expect(served.filter((x) => x === "preview")).toHaveLength(2);
  });

  it("leaves fixed single-segment routes to Hono", async () => {
    expect((await overHttp("/healthz")).headers.get("content-type")).toContain("application/json");
    expect((await overHttp("/openapi.json")).status).toBe(200);
  });
});
