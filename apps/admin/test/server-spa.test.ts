import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import { harness, type Harness } from "./server-helpers.ts";

let dist: string;
let h: Harness;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), "lantern-dist-"));
  mkdirSync(join(dist, "assets"));
  writeFileSync(join(dist, "index.html"), '<!doctype html><div id="root"></div><script type="module" src="/assets/index-abc123.js"></script>');
  writeFileSync(join(dist, "assets", "index-abc123.js"), "console.log('lantern')");
  writeFileSync(join(dist, "favicon.svg"), "<svg/>");
  h = await harness({ distDir: dist });
});
afterAll(async () => {
  await h.close();
  rmSync(dist, { recursive: true, force: true });
});

describe("the built SPA", () => {
  it("serves index.html at / and for client-side routes, revalidated every time", async () => {
    for (const path of ["/", "/links", "/links/abc123", "/settings/api-keys"]) {
      const res = await h.app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(await res.text()).toContain('<div id="root">');
    }
  });

  it("serves hashed assets with an immutable cache", async () => {
    const res = await h.app.request("/assets/index-abc123.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await res.text()).toBe("console.log('lantern')");
    expect((await h.app.request("/favicon.svg")).status).toBe(200);
  });

  it("compresses text files for clients that accept gzip", async () => {
    writeFileSync(join(dist, "assets", "big-abc123.js"), `console.log(${JSON.stringify("lantern ".repeat(2000))})`);
    const res = await h.app.request("/assets/big-abc123.js", { headers: { "accept-encoding": "gzip" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("missing files are 404, not the SPA; unknown API routes stay JSON 404s", async () => {
    expect((await h.app.request("/assets/missing.js")).status).toBe(404);
    const api = await h.app.request("/api/nothing-here", { headers: { authorization: "Bearer lt_test_bootstrap_key_0123456789" } });
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});

describe("npm start", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("server/main.ts listens on a free port for port 0, logs it as JSON, answers /healthz and stops on SIGTERM", async () => {
    const child = spawn(join(import.meta.dirname, "../node_modules/.bin/tsx"), ["server/main.ts"], {
      cwd: join(import.meta.dirname, ".."),
      env: {
        ...process.env,
        ADMIN_PORT: "0",
        ADMIN_HOST: "127.0.0.1",
        DATABASE_URL: t.url,
        LANTERN_QUEUE_PREFIX: `t-${randomUUID().slice(0, 8)}`,
        LANTERN_ADMIN_EMAIL: "ops@example.com",
        LANTERN_ADMIN_PASSWORD: "a long enough secret",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no listening line within 100 s")), 100_000);
        child.on("exit", (code) => reject(new Error(`exited early with ${code}`)));
        createInterface({ input: child.stdout! }).on("line", (line) => {
          try {
            const j = JSON.parse(line) as { msg?: string; port?: number };
            if (j.msg === "listening" && typeof j.port === "number") {
              clearTimeout(timer);
              resolve(j.port);
            }
          } catch {}
        });
      });
      expect(port).toBeGreaterThan(0);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await health.json()).toEqual({ ok: true });
      const signIn = await fetch(`http://127.0.0.1:${port}/api/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "ops@example.com", password: "a long enough secret" }),
      });
      expect(signIn.status).toBe(200);
    } finally {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    expect(child.exitCode).toBe(0);
  }, 150_000);
});
