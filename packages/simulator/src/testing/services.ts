import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDb, migrate } from "@lantern/db";
import { Redis } from "ioredis";

/**
 * Runs Lantern's four services as child processes (`tsx <entry>`, as `npm start` does) against a
 * temporary libSQL file, a fresh queue prefix and a fresh API key, on free ports of 127.0.0.1, and
 * waits until each answers /healthz. For end-to-end tests:
 *
 *   const lantern = await startServices();
 *   ... fetch(`${lantern.urls.links}/api/links`, { headers: { authorization: `Bearer ${lantern.apiKey}` } }) ...
 *   await lantern.stop(); // SIGTERM, temp files and the prefix's Redis keys removed
 *
 * Each service gets port 0 and reports the port it bound in its `{"msg":"listening","port":N}` log line.
 */

export type ServiceName = "worker" | "links" | "surveys" | "admin";

export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

export const SERVICE_ENTRIES: Record<ServiceName, string> = {
  worker: "apps/worker/src/main.ts",
  links: "apps/links/src/main.ts",
  surveys: "apps/surveys/src/main.ts",
  admin: "apps/admin/server/main.ts",
};

export interface StartOptions {
  /** Which services to run (default all four; the admin server needs links and surveys). */
  services?: ServiceName[];
  redisUrl?: string;
  /** Extra environment for every service (wins over the defaults below). */
  env?: Record<string, string>;
  /** Per service: how long it may take to listen and answer /healthz (default 120 s; tsx compiles on first start). */
  timeoutMs?: number;
}

export interface RunningService {
  name: ServiceName;
  port: number;
  url: string;
  child: ChildProcess;
  output(): string;
}

export interface LanternServices {
  urls: Partial<Record<ServiceName, string>>;
  services: Partial<Record<ServiceName, RunningService>>;
  apiKey: string;
  prefix: string;
  redisUrl: string;
  databaseUrl: string;
  dataDir: string;
  /** The environment every service got (without the per-service ports). */
  env: Record<string, string>;
  /** Output of one service (its pino lines), to explain a failing test. */
  output(name: ServiceName): string;
  /** Stops every service (SIGTERM, SIGKILL after 10 s), deletes the temp folder and the prefix's Redis keys. */
  stop(): Promise<void>;
}

const TSX = join(REPO_ROOT, "node_modules", ".bin", "tsx");

function spawnService(name: ServiceName, env: Record<string, string>, timeoutMs: number): Promise<RunningService> {
  const child = spawn(TSX, [SERVICE_ENTRIES[name]], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const keep = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.length > 400_000) out = out.slice(-200_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name} did not start listening within ${timeoutMs} ms:\n${out.slice(-4000)}`));
    }, timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before listening:\n${out.slice(-4000)}`));
    };
    child.once("exit", onExit);
    const check = () => {
      for (const line of out.split("\n")) {
        if (!line.includes('"listening"')) continue;
        try {
          const j = JSON.parse(line) as { msg?: string; port?: number };
          if (j.msg === "listening" && typeof j.port === "number" && j.port > 0) {
            clearTimeout(timer);
            child.off("exit", onExit);
            child.stdout!.off("data", check);
            resolve({ name, port: j.port, url: `http://127.0.0.1:${j.port}`, child, output: () => out });
            return;
          }
        } catch {
          // not a JSON line
        }
      }
    };
    child.stdout!.on("data", check);
  });
}

async function waitHealthy(service: RunningService, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) throw new Error(`${service.name} exited (${service.child.exitCode}):\n${service.output().slice(-4000)}`);
    try {
      const res = await fetch(`${service.url}/healthz`, { signal: AbortSignal.timeout(3000) });
      if (res.ok) return;
      last = `${res.status} ${(await res.text()).slice(0, 200)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${service.name} did not become healthy within ${timeoutMs} ms (last: ${last}):\n${service.output().slice(-4000)}`);
}

function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Deletes every Redis key under `prefix:` (BullMQ queues, rate limits, locks of this run). */
export async function deletePrefixKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  redis.on("error", () => {});
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export async function startServices(options: StartOptions = {}): Promise<LanternServices> {
  const names = options.services ?? ["worker", "links", "surveys", "admin"];
  const timeoutMs = options.timeoutMs ?? 120_000;
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const dataDir = mkdtempSync(join(tmpdir(), "lantern-e2e-"));
  const databaseUrl = `file:${join(dataDir, "lantern.db")}`;
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const apiKey = `lt_${randomBytes(24).toString("base64url")}`;

  // Migrate once here, so the services do not race each other to create the tables.
  const db = await createDb(databaseUrl);
  await migrate(db);
  db.$client.close();

  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    LANTERN_QUEUE_PREFIX: prefix,
    LANTERN_DATA_DIR: dataDir,
    LANTERN_API_KEY: apiKey,
    LANTERN_LOG_LEVEL: "info",
    LANTERN_ADMIN_EMAIL: "admin@example.com",
    LANTERN_ADMIN_PASSWORD: `pw-${randomBytes(12).toString("hex")}`,
    LINKS_HOST: "127.0.0.1",
    SURVEYS_HOST: "127.0.0.1",
    WORKER_HOST: "127.0.0.1",
    ADMIN_HOST: "127.0.0.1",
    LINKS_PORT: "0",
    SURVEYS_PORT: "0",
    WORKER_PORT: "0",
    ADMIN_PORT: "0",
    // Tests drive many requests from one address: no API or per-address limits in the way.
    // Each simulated visitor sends its own made-up address in X-Forwarded-For.
    LINKS_IP_HEADER: "x-forwarded-for",
    SURVEYS_IP_HEADER: "x-forwarded-for",
    LINKS_API_RATE_LIMIT: "0",
    SURVEYS_RATE_LIMIT_PER_IP: "1000000",
    SURVEYS_RATE_LIMIT_PER_VISITOR: "1000000",
    // Reconcile when asked (and shortly after ingestion), not on a 5-minute schedule.
    RECONCILE_EVERY_MS: "0",
    RECONCILE_DEBOUNCE_MS: "500",
    ...options.env,
  };

  const running: Partial<Record<ServiceName, RunningService>> = {};
  const stopAll = async () => {
    await Promise.all(Object.values(running).map((s) => stopChild(s.child)));
  };
  try {
    const first = names.filter((n) => n !== "admin");
    const started = await Promise.all(first.map((n) => spawnService(n, env, timeoutMs)));
    for (const s of started) running[s.name] = s;
    if (names.includes("admin")) {
      const adminEnv = {
        ...env,
        ...(running.links ? { LINKS_INTERNAL_URL: running.links.url } : {}),
        ...(running.surveys ? { SURVEYS_INTERNAL_URL: running.surveys.url } : {}),
      };
      running.admin = await spawnService("admin", adminEnv, timeoutMs);
    }
    await Promise.all(Object.values(running).map((s) => waitHealthy(s, timeoutMs)));
  } catch (err) {
    await stopAll();
    rmSync(dataDir, { recursive: true, force: true });
    await deletePrefixKeys(redisUrl, prefix).catch(() => 0);
    throw err;
  }

  const urls: Partial<Record<ServiceName, string>> = {};
  for (const [name, s] of Object.entries(running)) urls[name as ServiceName] = s.url;
  return {
    urls,
    services: running,
    apiKey,
    prefix,
    redisUrl,
    databaseUrl,
    dataDir,
    env,
    output: (name) => running[name]?.output() ?? "",
    async stop() {
      await stopAll();
      if (existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
      await deletePrefixKeys(redisUrl, prefix).catch(() => 0);
    },
  };
}
