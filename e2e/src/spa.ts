import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./services.ts";

/**
 * The admin SPA as the browser test and the screenshot script serve it. Built with the app's own Vite
 * config into e2e/.cache/admin-dist (passed to the admin server as ADMIN_DIST_DIR), not into
 * apps/admin/dist: the tests never race a developer's own build or a `vite build --watch`. Rebuilt only
 * when a source of the SPA is newer than the last build.
 */

const ADMIN = join(REPO_ROOT, "apps", "admin");
export const SPA_DIR = join(REPO_ROOT, "e2e", ".cache", "admin-dist");
const STAMP = join(REPO_ROOT, "e2e", ".cache", "admin-dist.stamp");

/** Newest modification time under the given files and folders. */
function newest(paths: string[]): number {
  let max = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const s = statSync(path);
    if (s.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== "node_modules" && entry !== "dist") visit(join(path, entry));
    } else max = Math.max(max, s.mtimeMs);
  };
  for (const p of paths) visit(p);
  return max;
}

/** Everything the SPA bundle is made from: its sources and the shared code it imports. */
function sourcesMtime(): number {
  return newest([
    join(ADMIN, "src"),
    join(ADMIN, "public"),
    join(ADMIN, "index.html"),
    join(ADMIN, "vite.config.ts"),
    join(ADMIN, "package.json"),
    join(REPO_ROOT, "packages", "core", "src"),
  ]);
}

function isFresh(): boolean {
  if (!existsSync(join(SPA_DIR, "index.html")) || !existsSync(STAMP)) return false;
  return Number(readFileSync(STAMP, "utf8")) >= sourcesMtime();
}

/** Builds the SPA if it is missing or older than its sources; returns the folder to serve. */
export async function ensureSpaBuilt(log: (msg: string) => void = () => {}): Promise<string> {
  if (isFresh()) return SPA_DIR;
  const startedFrom = sourcesMtime();
  log(`building the admin SPA into ${SPA_DIR}`);
  mkdirSync(SPA_DIR, { recursive: true });
  const vite = join(ADMIN, "node_modules", ".bin", "vite");
  await new Promise<void>((resolve, reject) => {
    const child = spawn(vite, ["build", "--outDir", SPA_DIR, "--emptyOutDir", "--logLevel", "warn"], { cwd: ADMIN, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed (${code}):\n${out.slice(-4000)}`))));
  });
  // The stamp is the sources' time when the build started: an edit during the build triggers the next one.
  writeFileSync(STAMP, String(startedFrom));
  return SPA_DIR;
}
