import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "@lantern/db";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../src/poll.ts";
import { deletePrefixKeys, freePorts, REPO_ROOT } from "../src/services.ts";
import type { OverviewReport } from "../../apps/admin/server/reports/overview.ts";

/**
 * `npm start` as a newcomer runs it (`node scripts/lantern.mjs start`, which is what the npm script
 * runs): set-up, first-run bootstrap, the four services, the demo world, and the banner with the
 * sign-in. Then what the banner promises: the printed sign-in opens a session whose overview shows
 * the demo data; `npm run backup` copies the database while it all runs; Ctrl-C stops every service;
 * a second start keeps the data, does not seed the demo again, still accepts the first run's
 * password, and stops on a supervisor's SIGTERM.
 *
 * Only the data folder, the ports and the queue prefix are the test's own, so that it cannot touch
 * another run; everything else is left to the script's defaults.
 */

interface Run {
  process: ChildProcess;
  output: () => string;
  startedAt: number;
}

const dataDir = mkdtempSync(join(tmpdir(), "lantern-npm-start-"));
const prefix = `e2e-start-${randomUUID().slice(0, 8)}`;
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
let ports: { admin: number; links: number; surveys: number; worker: number };
const runs: Run[] = [];

function environment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LANTERN_DATA_DIR: dataDir,
    LANTERN_QUEUE_PREFIX: prefix,
    REDIS_URL: redisUrl,
    ADMIN_PORT: String(ports.admin),
    LINKS_PORT: String(ports.links),
    SURVEYS_PORT: String(ports.surveys),
    WORKER_PORT: String(ports.worker),
    ADMIN_HOST: "127.0.0.1",
    LINKS_HOST: "127.0.0.1",
    SURVEYS_HOST: "127.0.0.1",
    WORKER_HOST: "127.0.0.1",
    FORCE_COLOR: "0",
  };
  // What a newcomer does not have: the script must make them up (database file, API key, admin password).
  for (const name of ["DATABASE_URL", "DATABASE_AUTH_TOKEN", "LANTERN_API_KEY", "LANTERN_ADMIN_EMAIL", "LANTERN_ADMIN_PASSWORD"]) delete env[name];
  for (const name of ["ADMIN", "LINKS", "SURVEYS"]) {
    delete env[`${name}_PUBLIC_URL`];
    delete env[`${name}_INTERNAL_URL`];
  }
  return env;
}

function npmStart(): Run {
  const child = spawn(process.execPath, [join(REPO_ROOT, "scripts/lantern.mjs"), "start"], {
    cwd: REPO_ROOT,
    env: environment(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, as a terminal gives it: Ctrl-C goes to the whole group
  });
  let out = "";
  const keep = (chunk: Buffer) => {
    out += chunk.toString();
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const run = { process: child, output: () => out, startedAt: Date.now() };
  runs.push(run);
  return run;
}

const exited = (p: ChildProcess) => p.exitCode !== null || p.signalCode !== null;

/** The banner's fields, once it is printed; fails at once if the script exits first. */
async function banner(run: Run): Promise<{ admin: string; apiKey: string; email: string; password: string; seconds: number }> {
  const text = await waitFor(
    () => {
      if (exited(run.process)) throw Object.assign(new Error(`npm start exited (${run.process.exitCode}) before its banner:\n${run.output().slice(-4000)}`), { fatal: true });
      return run.output().includes("Ctrl-C stops everything.") && run.output();
    },
    { what: "the banner of npm start", timeoutMs: 540_000, intervalMs: 250 },
  );
  const field = (label: string) => {
    const m = new RegExp(`^\\s+${label}\\s+(.+)$`, "m").exec(text);
    if (!m) throw new Error(`no "${label}" in the banner:\n${text.slice(-3000)}`);
    return m[1]!.trim();
  };
  const [email, password] = field("Admin sign-in").split(" / ") as [string, string];
  return { admin: field("Admin UI"), apiKey: field("API key"), email, password, seconds: (Date.now() - run.startedAt) / 1000 };
}

/**
 * Stops npm start and resolves with its exit code: "ctrl-c" is SIGINT to the whole process group, as
 * a terminal sends it; "sigterm" is SIGTERM to the script alone, as a supervisor may send it.
 */
function stop(run: Run, how: "ctrl-c" | "sigterm"): Promise<number | null> {
  return new Promise((resolve) => {
    if (exited(run.process)) return resolve(run.process.exitCode);
    run.process.once("exit", (code) => resolve(code));
    if (how === "ctrl-c") process.kill(-run.process.pid!, "SIGINT");
    else run.process.kill("SIGTERM");
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function signIn(admin: string, email: string, password: string): Promise<{ status: number; cookie: string }> {
  const res = await fetch(`${admin}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: admin },
    body: JSON.stringify({ email, password }),
  });
  await res.body?.cancel();
  return { status: res.status, cookie: (res.headers.get("set-cookie") ?? "").split(";")[0]! };
}

/** What GET /api/reports/overview answers, typed from the admin server's own report (type-only: nothing of it is loaded). */
type Overview = OverviewReport;

async function overview(admin: string, cookie: string): Promise<Overview> {
  const res = await fetch(`${admin}/api/reports/overview`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return (await res.json()) as Overview;
}

beforeAll(async () => {
  const [admin, links, surveys, worker] = (await freePorts(4)) as [number, number, number, number];
  ports = { admin, links, surveys, worker };
});

afterAll(async () => {
  for (const run of runs) {
    if (!exited(run.process)) {
      try {
        process.kill(-run.process.pid!, "SIGKILL");
      } catch {}
    }
  }
  await deletePrefixKeys(redisUrl, prefix);
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start on a fresh checkout", () => {
  let first: Run;
  let signInOf: { admin: string; email: string; password: string };
  let demo: Overview;

  test("prints the URLs, an API key and the demo sign-in once every service is up and the demo is loaded", async () => {
    first = npmStart();
    const b = await banner(first);
    console.log(`npm start: banner after ${b.seconds.toFixed(1)} s (set-up, migrations, four services, demo world)`);
    expect(b.admin).toBe(`http://localhost:${ports.admin}`);
    expect(b.apiKey).toMatch(/^lt_[A-Za-z0-9_-]{40,}$/);
    expect(b.email).toContain("@");
    expect(b.password.length).toBeGreaterThanOrEqual(12);
    expect(first.output()).toContain("first run: filling the instance with a 90-day demo world");
    // The secrets made up on first run are kept in the data folder, readable by the owner only.
    expect(readFileSync(join(dataDir, "api-key"), "utf8").trim()).toBe(b.apiKey);
    expect(readFileSync(join(dataDir, "admin-password"), "utf8")).toContain(b.password);
    expect(existsSync(join(dataDir, "lantern.db"))).toBe(true);
    signInOf = b;
  });

  test("the printed sign-in opens a session whose overview shows the demo world's last 30 days", async () => {
    const session = await signIn(signInOf.admin, signInOf.email, signInOf.password);
    expect(session.status).toBe(200);
    demo = await overview(signInOf.admin, session.cookie);
    expect(demo.conversions).toBeGreaterThan(100);
    expect(demo.clicks).toBeGreaterThan(1000);
    expect(demo.answers).toBeGreaterThan(50);
    const dark = demo.darkShare.all;
    expect(dark.estimate).toBeGreaterThan(0);
    expect(dark.low!).toBeLessThanOrEqual(dark.estimate!);
    expect(dark.high!).toBeGreaterThanOrEqual(dark.estimate!);
    // The admin UI itself is served (built on first start when missing).
    const page = await fetch(`${signInOf.admin}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  });

  test("npm run backup, while everything runs, writes a copy that holds the demo's conversions", async () => {
    const target = join(dataDir, "copy.db");
    const backup = spawnSync(process.execPath, [join(REPO_ROOT, "scripts/lantern.mjs"), "backup", target], { cwd: REPO_ROOT, env: environment(), encoding: "utf8" });
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toContain(`backed up to ${target}`);
    const copy = await createDb(`file:${target}`);
    const [row] = (await copy.$client.execute("SELECT count(*) AS n FROM conversions")).rows;
    copy.$client.close();
    expect(Number(row!.n)).toBeGreaterThanOrEqual(demo.conversions);
    // Never over a file that is there.
    expect(spawnSync(process.execPath, [join(REPO_ROOT, "scripts/lantern.mjs"), "backup", target], { cwd: REPO_ROOT, env: environment() }).status).toBe(1);
  });

  test("Ctrl-C stops every service and exits with 0", async () => {
    expect(await stop(first, "ctrl-c")).toBe(0);
    const open = await Promise.all(Object.values(ports).map(listening));
    expect(open).toEqual([false, false, false, false]);
  });

  test("a second start keeps the data, does not load the demo again, takes the first run's password, and stops on SIGTERM", async () => {
    const second = npmStart();
    const b = await banner(second);
    console.log(`npm start again: banner after ${b.seconds.toFixed(1)} s`);
    expect(second.output()).not.toContain("first run: filling");
    expect(b.password).toContain("kept in .lantern/admin-password");
    expect(b.apiKey).toBe(readFileSync(join(dataDir, "api-key"), "utf8").trim());
    const session = await signIn(signInOf.admin, signInOf.email, signInOf.password);
    expect(session.status).toBe(200);
    const again = await overview(signInOf.admin, session.cookie);
    expect(again.conversions).toBe(demo.conversions);
    expect(again.answers).toBe(demo.answers);
    // A supervisor's SIGTERM to the script alone reaches the services too.
    expect(await stop(second, "sigterm")).toBe(0);
    expect(await Promise.all(Object.values(ports).map(listening))).toEqual([false, false, false, false]);
  });
});
