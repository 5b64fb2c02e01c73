// `npm start` after the set-up in lantern.mjs: migrate, bootstrap on first run, start every service,
// print where everything is. Runs under tsx so it can use the workspace's TypeScript packages.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createDb, migrate } from "@lantern/db";
import { seedChannels } from "./lib/seed-channels.ts";
import { waitForHealth } from "./lib/wait.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const mode = process.argv[2] === "dev" ? "dev" : "start";
const flags = new Set(process.argv.slice(3));
const DATA = resolve(ROOT, process.env.LANTERN_DATA_DIR ?? ".lantern");
mkdirSync(DATA, { recursive: true });

process.env.LANTERN_DATA_DIR = DATA;
process.env.DATABASE_URL ??= `file:${join(DATA, "lantern.db")}`;
process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
const ports = {
  admin: Number(process.env.ADMIN_PORT ?? 3000),
  links: Number(process.env.LINKS_PORT ?? 3001),
  surveys: Number(process.env.SURVEYS_PORT ?? 3002),
  worker: Number(process.env.WORKER_PORT ?? 3003),
};
process.env.LINKS_PUBLIC_URL ??= `http://localhost:${ports.links}`;
process.env.SURVEYS_PUBLIC_URL ??= `http://localhost:${ports.surveys}`;
process.env.ADMIN_PUBLIC_URL ??= `http://localhost:${ports.admin}`;
process.env.LINKS_INTERNAL_URL ??= `http://127.0.0.1:${ports.links}`;
process.env.SURVEYS_INTERNAL_URL ??= `http://127.0.0.1:${ports.surveys}`;

/** The admin API key: LANTERN_API_KEY, else one generated on first run and kept in .lantern/api-key. */
function apiKey(): string {
  if (process.env.LANTERN_API_KEY) return process.env.LANTERN_API_KEY;
  const file = join(DATA, "api-key");
  if (!existsSync(file)) writeFileSync(file, `lt_${randomBytes(32).toString("base64url")}\n`, { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}
process.env.LANTERN_API_KEY = apiKey();

const firstRunMarker = join(DATA, "bootstrapped");
const firstRun = !existsSync(firstRunMarker);

console.log("[lantern] migrating the database");
const db = await createDb({ url: process.env.DATABASE_URL, authToken: process.env.DATABASE_AUTH_TOKEN });
await migrate(db);
await seedChannels(db);

const banner: string[] = [];

// Each app contributes its first-run bootstrap; optional so the script works while apps are added.
async function optionalImport<T>(path: string): Promise<T | null> {
  const full = join(ROOT, path);
  return existsSync(full) ? ((await import(full)) as T) : null;
}

console.log("[lantern] first-run bootstrap (channels, default survey, admin user)");
const surveysBoot = await optionalImport<{ ensureDefaultSurvey(db: unknown): Promise<string> }>("apps/surveys/src/bootstrap.ts");
const surveyId = surveysBoot ? await surveysBoot.ensureDefaultSurvey(db) : null;

const adminBoot = await optionalImport<{ ensureAdminUser(db: unknown): Promise<{ email: string; password: string | null }> }>("apps/admin/server/bootstrap.ts");
const admin = adminBoot ? await adminBoot.ensureAdminUser(db) : null;
if (admin?.password) writeFileSync(join(DATA, "admin-password"), `${admin.email} ${admin.password}\n`, { mode: 0o600 });

db.$client.close();

// The SPA is served by the admin server from apps/admin/dist: build it when missing or older than its sources.
function spaIsStale(): boolean {
  const dist = join(ROOT, "apps/admin/dist/index.html");
  const src = join(ROOT, "apps/admin/src");
  if (!existsSync(src)) return false;
  if (!existsSync(dist)) return true;
  const built = statSync(dist).mtimeMs;
  const newest = (dir: string): number => {
    let t = 0;
    for (const entry of readdirSafe(dir)) {
      const p = join(dir, entry);
      const s = statSync(p);
      t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
    }
    return t;
  };
  return newest(src) > built;
}
function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
if (mode === "start" && spaIsStale()) {
  console.log("[lantern] building the admin UI");
  const code = await runOnce(join(ROOT, "apps/admin/node_modules/.bin/vite"), ["build"], join(ROOT, "apps/admin"));
  if (code !== 0) console.error("[lantern] the admin UI did not build; the API still runs");
}

function runOnce(cmd: string, args: string[], cwd: string): Promise<number> {
  return new Promise((res) => {
    const child = spawn(cmd, args, { cwd, stdio: "inherit", env: process.env });
    child.on("exit", (code) => res(code ?? 1));
  });
}

// ---- services ---------------------------------------------------------------------------
interface Service {
  name: string;
  entry: string;
  port: number;
  health: string;
}
const services: Service[] = [
  { name: "worker", entry: "apps/worker/src/main.ts", port: ports.worker, health: "/healthz" },
  { name: "links", entry: "apps/links/src/main.ts", port: ports.links, health: "/healthz" },
  { name: "surveys", entry: "apps/surveys/src/main.ts", port: ports.surveys, health: "/healthz" },
  { name: "admin", entry: "apps/admin/server/main.ts", port: ports.admin, health: "/healthz" },
].filter((s) => existsSync(join(ROOT, s.entry)));

const colours: Record<string, string> = { worker: "35", links: "32", surveys: "33", admin: "34" };
const children: ChildProcess[] = [];
let stopping = false;

/** Pretty-prints the services' pino JSON lines as "[name] level message". */
function pipeLogs(name: string, stream: NodeJS.ReadableStream) {
  const rl = createInterface({ input: stream });
  rl.on("line", (line) => {
    let text = line;
    try {
      const j = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
      const level = (j.level ?? 30) >= 50 ? "error " : (j.level ?? 30) >= 40 ? "warn " : "";
      text = `${level}${j.msg ?? ""}${j.err?.message ? `: ${j.err.message}` : ""}`;
    } catch {}
    console.log(`\x1b[${colours[name] ?? "37"}m[${name}]\x1b[0m ${text}`);
  });
}

console.log(`[lantern] starting ${services.map((s) => s.name).join(", ")}`);
for (const s of services) {
  const args = mode === "dev" ? ["watch", s.entry] : [s.entry];
  const child = spawn(join(ROOT, "node_modules/.bin/tsx"), args, { cwd: ROOT, env: process.env, stdio: ["ignore", "pipe", "pipe"] });
  pipeLogs(s.name, child.stdout!);
  pipeLogs(s.name, child.stderr!);
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`[lantern] ${s.name} stopped (${signal ?? code}); stopping everything`);
      void stopAll(1);
    }
  });
  children.push(child);
}

async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill("SIGTERM");
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))));
  process.exit(code);
}
process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

for (const s of services) {
  const ok = await waitForHealth(`http://127.0.0.1:${s.port}${s.health}`, 180_000);
  if (!ok) {
    console.error(`[lantern] ${s.name} did not become healthy on port ${s.port}`);
    await stopAll(1);
  }
}

// ---- first-run demo data ------------------------------------------------------------------
const demo = await optionalImport<{ seedDemo(opts: { log: (m: string) => void }): Promise<void> }>("packages/simulator/src/demo.ts");
if (firstRun && demo && !flags.has("--no-demo")) {
  console.log("[lantern] first run: filling the instance with a 90-day demo world (start with --no-demo to skip)");
  try {
    await demo.seedDemo({ log: (m) => console.log(`[demo] ${m}`) });
  } catch (err) {
    console.error(`[lantern] demo data failed: ${(err as Error).message}`);
  }
}
writeFileSync(firstRunMarker, new Date().toISOString());

const links = process.env.LINKS_PUBLIC_URL;
const surveys = process.env.SURVEYS_PUBLIC_URL;
banner.push(
  "",
  "  Lantern is running",
  "",
  ...(services.some((s) => s.name === "admin") ? [`  Admin UI       ${process.env.ADMIN_PUBLIC_URL}`] : []),
  `  Short links    ${links}`,
  ...(services.some((s) => s.name === "surveys") ? [`  Surveys        ${surveys}`] : []),
  `  Worker health  http://127.0.0.1:${ports.worker}/healthz`,
  "",
  `  API key        ${process.env.LANTERN_API_KEY}`,
);
if (admin) {
  const password = admin.password ?? (existsSync(join(DATA, "admin-password")) ? "(printed on first run; kept in .lantern/admin-password)" : "(from LANTERN_ADMIN_PASSWORD)");
  banner.push(`  Admin sign-in  ${admin.email} / ${password}`);
}
if (surveyId) {
  banner.push(
    "",
    `  Survey page    ${surveys}/s/${surveyId}`,
    `  Embed snippet  <script src="${surveys}/widget.js" data-survey="${surveyId}" async></script>`,
  );
}
banner.push(
  "",
  "  Try it:",
  `    curl -s -X POST ${links}/api/links -H "Authorization: Bearer ${process.env.LANTERN_API_KEY}" \\`,
  `      -H "Content-Type: application/json" -d '{"url":"https://example.com/launch","source":"whatsapp"}'`,
  "",
  "  Ctrl-C stops everything.",
  "",
);
console.log(banner.join("\n"));
