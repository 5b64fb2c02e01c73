import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@lantern/http";
import { BOOTSTRAP_KEY, REDIS_URL, as, harness, userAndSession, withKey, type Harness, type Signed } from "./server-helpers.ts";

/**
 * The gateway against the real links service (apps/links, started as its own process on a free
 * port, on the same database file and Redis prefix), as `npm start` runs it.
 */
const LINKS_MAIN = join(import.meta.dirname, "../../links/src/main.ts");
const TSX = join(import.meta.dirname, "../node_modules/.bin/tsx");

let h: Harness;
let links: ChildProcess;
let linksUrl: string;
let dataDir: string;
let admin: Signed;
let viewer: Signed;

function startLinks(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(TSX, [LINKS_MAIN], { cwd: join(import.meta.dirname, "../../links"), env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += String(d)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`links did not start within 100 s: ${stderr.slice(-500)}`)), 100_000);
    child.once("exit", (code) => reject(new Error(`links exited with ${code}: ${stderr.slice(-500)}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        const j = JSON.parse(line) as { msg?: string; port?: number };
        if (j.msg === "listening" && typeof j.port === "number") {
          clearTimeout(timer);
          resolve({ child, port: j.port });
        }
      } catch {}
    });
  });
}

beforeAll(async () => {
  h = await harness();
  dataDir = mkdtempSync(join(tmpdir(), "lantern-links-"));
  const started = await startLinks({
    LINKS_PORT: "0",
    LINKS_HOST: "127.0.0.1",
    LINKS_PUBLIC_URL: "http://localhost:39999",
    DATABASE_URL: h.t.url,
    REDIS_URL,
    LANTERN_QUEUE_PREFIX: h.prefix,
    LANTERN_DATA_DIR: dataDir,
    LANTERN_API_KEY: BOOTSTRAP_KEY,
    LANTERN_LOG_LEVEL: "info",
  });
  links = started.child;
  linksUrl = `http://127.0.0.1:${started.port}`;
  await h.app.close();
  h = { ...h, ...(await rebuild(h, { linksUrl })) };
  admin = await userAndSession(h, "admin");
  viewer = await userAndSession(h, "viewer");
}, 150_000);

/** The harness's app, re-created with the links service's address. */
async function rebuild(base: Harness, config: { linksUrl?: string; surveysUrl?: string; gatewayTimeoutMs?: number }) {
  const { createApp } = await import("../server/app.ts");
  const app = createApp({
    db: base.t.db,
    redis: base.redis,
    queuePrefix: base.prefix,
    clock: () => base.now.value,
    config: { publicUrl: "http://localhost:3000", apiKey: BOOTSTRAP_KEY, linksUrl: config.linksUrl ?? "http://127.0.0.1:1", surveysUrl: config.surveysUrl ?? "http://127.0.0.1:1", gatewayTimeoutMs: config.gatewayTimeoutMs },
  });
  return { app };
}

afterAll(async () => {
  if (links && links.exitCode === null) {
    const exited = new Promise((r) => links.once("exit", r));
    links.kill("SIGTERM");
    await exited;
  }
  await h.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("gateway to the links service", () => {
  it("an admin creates and lists links through the same origin; status, type and body come from the service", async () => {
    const created = await as(h, admin, "/api/links", { method: "POST", body: { url: "https://example.com/launch", source: "whatsapp", campaign: "launch" } });
    expect(created.status).toBe(201);
    expect(created.headers.get("content-type")).toContain("application/json");
    const link = (await created.json()) as { id: string; slug: string; channel: string; source: string };
    expect(link).toMatchObject({ channel: "messaging", source: "whatsapp" });

    const one = await as(h, viewer, `/api/links/${link.id}`);
    expect(one.status).toBe(200);
    expect(((await one.json()) as { id: string }).id).toBe(link.id);

    const list = await as(h, viewer, "/api/links?limit=10");
    expect(list.status).toBe(200);
    expect(JSON.stringify(await list.json())).toContain(link.id);
  });

  it("errors of the service pass through unchanged", async () => {
    const bad = await as(h, admin, "/api/links", { method: "POST", body: { url: "not a url" } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBeTruthy();
    const missing = await as(h, viewer, "/api/links/no-such-link");
    expect(missing.status).toBe(404);
  });

  it("a viewer cannot create links, and the service never sees the attempt", async () => {
    const before = (await (await as(h, admin, "/api/links?limit=100")).json()) as unknown;
    const res = await as(h, viewer, "/api/links", { method: "POST", body: { url: "https://example.com/viewer" } });
    expect(res.status).toBe(403);
    const after = (await (await as(h, admin, "/api/links?limit=100")).json()) as unknown;
    expect(after).toEqual(before);
  });

  it("a signed-out request is refused with 401 before reaching the service", async () => {
    expect((await h.app.request("/api/links")).status).toBe(401);
    const post = await h.app.request("/api/links", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ url: "https://example.com/anon" }) });
    expect(post.status).toBe(401);
  });

  it("a session write without the CSRF token is refused", async () => {
    expect((await as(h, admin, "/api/links", { method: "POST", body: { url: "https://example.com/x" }, csrf: false })).status).toBe(403);
  });

  it("an API-key caller is forwarded with its own key, so the service applies that key's scopes", async () => {
    const { key } = await createApiKey(h.t.db, "reports only", ["reports:read"]);
    const res = await withKey(h, key, "/api/links");
    expect(res.status).toBe(403);
    const { key: reader } = await createApiKey(h.t.db, "links reader", ["links:read"]);
    expect((await withKey(h, reader, "/api/links")).status).toBe(200);
  });
});

describe("gateway failures", () => {
  it("a service that is down is a 502 with a JSON error", async () => {
    const res = await as(h, admin, "/api/surveys");
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "unavailable", message: "The surveys service is not reachable." });
  });

  it("a service that does not answer in time is a 504", async () => {
    // A socket that accepts and never answers: what a hung service looks like from the gateway.
    const sockets: Socket[] = [];
    const hung: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => hung.listen(0, "127.0.0.1", r));
    const port = (hung.address() as { port: number }).port;
    const { app } = await rebuild(h, { surveysUrl: `http://127.0.0.1:${port}`, gatewayTimeoutMs: 300 });
    try {
      const res = await app.request("/api/surveys/abc", { headers: { cookie: admin.cookie } });
      expect(res.status).toBe(504);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unavailable");
    } finally {
      await app.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => hung.close(r));
    }
  });
});

