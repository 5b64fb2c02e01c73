import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDb, type Db, migrate } from "@lantern/db";
import { Redis } from "ioredis";
import { waitFor } from "./poll.ts";

/**
 * Lantern's four services as child processes, the way `npm start` runs them (`tsx <entry>`), against
 * real Redis, a temporary libSQL file, a fresh queue prefix and a fresh API key.
 *
 * Written here rather than reusing @lantern/simulator/testing because an end-to-end test needs a few
 * things that helper does not give (see the e2e README section in the report):
 * - every port chosen up front, so the public URLs the services use (short links, the widget snippet,
 *   the admin origin that Origin headers are checked against) are the addresses the test really uses;
 * - readiness by /healthz alone (no dependence on a log line at level info);
 * - each service in its own process group, killed as a group: `tsx` runs the service in a child process,
 *   and killing only tsx's pid leaves the service running;
 * - no orphans when one service fails to start, or when the test process exits without afterAll.
 */

export type ServiceName = "worker" | "links" | "surveys" | "admin";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX = join(REPO_ROOT, "node_modules", ".bin", "tsx");
const ENTRIES: Record<ServiceName, string> = {
  worker: "apps/worker/src/main.ts",
  links: "apps/links/src/main.ts",
  surveys: "apps/surveys/src/main.ts",
  admin: "apps/admin/server/main.ts",
};
const NAMES: ServiceName[] = ["worker", "links", "surveys", "admin"];

export interface Lantern {
  links: string;
  surveys: string;
  admin: string;
  worker: string;
  apiKey: string;
  /** `{ authorization: "Bearer <LANTERN_API_KEY>" }` */
  auth: { authorization: string };
  adminEmail: string;
  adminPassword: string;
  prefix: string;
  redisUrl: string;
  databaseUrl: string;
  dataDir: string;
  /** The environment every service got. */
  env: Record<string, string>;
  /** The database the services write, for assertions. */
  db: Db;
  /** The last lines of every service's output, to explain a failure. */
  logs(lines?: number): string;
  /** SIGTERM (SIGKILL after 15 s) to every service; temp folder and the prefix's Redis keys removed. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment for every service (wins over the defaults). */
  env?: Record<string, string>;
  /** Where the admin server finds the built SPA (ADMIN_DIST_DIR). */
  spaDir?: string;
  /** How long the services may take to answer /healthz (default 180 s: tsx compiles each on start). */
  timeoutMs?: number;
  /** A database that is already there (e.g. a libSQL server, `http://...`); default a new file in the temp folder. */
  databaseUrl?: string;
  /** Its auth token: for the test's own client and, unless `env` says otherwise, every service's DATABASE_AUTH_TOKEN. */
  databaseAuthToken?: string;
  /** Which services to start (default all four); the others' URLs are in the env but nothing listens there. */
  services?: ServiceName[];
}

/** `count` distinct free ports on 127.0.0.1 (held open together so none is handed out twice). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.once("error", reject);
          s.listen(0, "127.0.0.1", () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const address = s.address();
    if (!address || typeof address === "string") throw new Error("no port");
    return address.port;
  });
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

interface Child {
  name: ServiceName;
  process: ChildProcess;
  output: () => string;
}

const alive = new Set<ChildProcess>();
const exited = (p: ChildProcess) => p.exitCode !== null || p.signalCode !== null;

function killGroup(p: ChildProcess, signal: NodeJS.Signals): void {
  if (p.pid === undefined || exited(p)) return;
  try {
    process.kill(-p.pid, signal); // the whole group: tsx and the service it runs
  } catch {
    // already gone
  }
}

let hooked = false;
/** Last resort when the test process ends without afterAll (a crash, Ctrl-C): no orphaned services. */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.once("exit", () => {
    for (const p of alive) killGroup(p, "SIGKILL");
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      for (const p of alive) killGroup(p, "SIGKILL");
      process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
    });
  }
}

function spawnService(name: ServiceName, env: Record<string, string>): Child {
  const child = spawn(TSX, [ENTRIES[name]], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  alive.add(child);
  child.once("exit", () => alive.delete(child));
  let out = "";
  const keep = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.length > 400_000) out = out.slice(-200_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  return { name, process: child, output: () => out };
}

/** SIGTERM to tsx (it hands the signal to the service, which flushes and exits); SIGKILL to the group after graceMs. */
function stopChild(c: Child, graceMs = 15_000): Promise<void> {
  return new Promise((resolve) => {
    if (exited(c.process)) {
      killGroup(c.process, "SIGKILL"); // tsx gone: make sure the service is too
      return resolve();
    }
    const force = setTimeout(() => killGroup(c.process, "SIGKILL"), graceMs);
    c.process.once("exit", () => {
      clearTimeout(force);
      killGroup(c.process, "SIGKILL");
      resolve();
    });
    c.process.kill("SIGTERM");
  });
}

/** Deletes every Redis key under `prefix:` (queues, rate limits, locks of this run). */
export async function deletePrefixKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  redis.on("error", () => {});
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

async function healthy(url: string): Promise<boolean> {
  const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
  await res.body?.cancel();
  return res.ok;
}

export async function startLantern(options: StartOptions = {}): Promise<Lantern> {
  hookExit();
  const timeoutMs = options.timeoutMs ?? 180_000;
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const dataDir = mkdtempSync(join(tmpdir(), "lantern-e2e-"));
  const databaseUrl = options.databaseUrl ?? `file:${join(dataDir, "lantern.db")}`;
  const prefix = `e2e-${randomUUID().slice(0, 8)}`;
  const apiKey = `lt_${randomBytes(24).toString("base64url")}`;
  const adminEmail = "marketer@lantern.test";
  const adminPassword = `pw-${randomBytes(12).toString("hex")}`;
  const [linksPort, surveysPort, adminPort, workerPort] = (await freePorts(4)) as [number, number, number, number];
  const url = (port: number) => `http://127.0.0.1:${port}`;

  // Migrated once here, so the four services do not race to create the tables.
  let db: Db;
  try {
    db = await createDb({ url: databaseUrl, authToken: options.databaseAuthToken });
    await migrate(db);
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const names = options.services ?? NAMES;

  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    ...(options.databaseAuthToken ? { DATABASE_AUTH_TOKEN: options.databaseAuthToken } : {}),
    REDIS_URL: redisUrl,
    LANTERN_QUEUE_PREFIX: prefix,
    LANTERN_DATA_DIR: dataDir,
    LANTERN_API_KEY: apiKey,
    LANTERN_LOG_LEVEL: "info",
    LANTERN_ADMIN_EMAIL: adminEmail,
    LANTERN_ADMIN_PASSWORD: adminPassword,
    LINKS_HOST: "127.0.0.1",
    SURVEYS_HOST: "127.0.0.1",
    WORKER_HOST: "127.0.0.1",
    ADMIN_HOST: "127.0.0.1",
    LINKS_PORT: String(linksPort),
    SURVEYS_PORT: String(surveysPort),
    ADMIN_PORT: String(adminPort),
    WORKER_PORT: String(workerPort),
    LINKS_PUBLIC_URL: url(linksPort),
    SURVEYS_PUBLIC_URL: url(surveysPort),
    ADMIN_PUBLIC_URL: url(adminPort),
    LINKS_INTERNAL_URL: url(linksPort),
    SURVEYS_INTERNAL_URL: url(surveysPort),
    // Simulated visitors each send their own made-up address in X-Forwarded-For (visitor hashes);
    // the API limits would only get in the way of a scripted flow from one machine.
    LINKS_IP_HEADER: "x-forwarded-for",
    SURVEYS_IP_HEADER: "x-forwarded-for",
    LINKS_API_RATE_LIMIT: "0",
    SURVEYS_RATE_LIMIT_PER_IP: "1000000",
    SURVEYS_RATE_LIMIT_PER_VISITOR: "1000000",
    // Reconciliation after ingestion (debounced) and on demand; no 5-minute schedule in a test.
    RECONCILE_EVERY_MS: "0",
    RECONCILE_DEBOUNCE_MS: "500",
    ...(options.spaDir ? { ADMIN_DIST_DIR: options.spaDir } : {}),
    ...options.env,
  };
  const urls: Record<ServiceName, string> = { links: url(linksPort), surveys: url(surveysPort), admin: url(adminPort), worker: url(workerPort) };

  const children = names.map((name) => spawnService(name, env));
  const output = (name: ServiceName, lines: number) =>
    children
      .find((c) => c.name === name)!
      .output()
      .split("\n")
      .slice(-lines)
      .join("\n");
  const logs = (lines = 40) => names.map((name) => `--- ${name}\n${output(name, lines)}`).join("\n");

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(children.map((c) => stopChild(c)));
    db.$client.close();
    rmSync(dataDir, { recursive: true, force: true });
    await deletePrefixKeys(redisUrl, prefix).catch(() => undefined);
  };

  try {
    await Promise.all(
      names.map((name) =>
        waitFor(
          async () => {
            const child = children.find((c) => c.name === name)!;
            if (exited(child.process)) throw Object.assign(new Error(`${name} exited (${child.process.exitCode ?? child.process.signalCode})`), { fatal: true });
            return healthy(urls[name]);
          },
          { what: `${name} to answer /healthz`, timeoutMs, intervalMs: 250 },
        ).catch((err) => {
          throw new Error(`${(err as Error).message}\n${output(name, 60)}`);
        }),
      ),
    );
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    ...urls,
    apiKey,
    auth: { authorization: `Bearer ${apiKey}` },
    adminEmail,
    adminPassword,
    prefix,
    redisUrl,
    databaseUrl,
    dataDir,
    env,
    db,
    logs,
    stop,
  };
}

/** One number from the database (`SELECT count(*) ...`). */
export async function count(db: Db, sql: string, args: (string | number | null)[] = []): Promise<number> {
  const r = await db.$client.execute({ sql, args });
  return Number(Object.values(r.rows[0] ?? {})[0] ?? 0);
}
