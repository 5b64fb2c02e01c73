import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A service run as a child process in a test, the way `npm start` runs it (its TypeScript entry point
 * through tsx), for tests that need a real process: kill it, restart it, read its logs.
 */

export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const TSX = join(REPO_ROOT, "node_modules", ".bin", "tsx");
const LISTENING = /"msg":"listening"[^\n]*?"port":(\d+)|"port":(\d+)[^\n]*?"msg":"listening"/;

export interface Proc {
  child: ChildProcess;
  /** The port the process logged as {"msg":"listening","port":N}. */
  port: number;
  /** What it printed (stdout and stderr, the last 100-200 KB), to explain a failing test. */
  output(): string;
  /** SIGTERM (graceful), then SIGKILL if it does not exit within `graceMs`. Resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/** Starts `entry` (a path from the repository root) with `env` added, and resolves once it logs that it listens. */
export function startProcess(entry: string, env: Record<string, string>, timeoutMs = 100_000): Promise<Proc> {
  const child = spawn(TSX, [join(REPO_ROOT, entry)], { cwd: REPO_ROOT, env: { ...process.env, LANTERN_LOG_LEVEL: "info", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const keep = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const stop = (graceMs = 15_000) =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
      const kill = setTimeout(() => child.kill("SIGKILL"), graceMs);
      child.once("exit", (code) => {
        clearTimeout(kill);
        resolve(code);
      });
      child.kill("SIGTERM");
    });

  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
    };
    const timer = setTimeout(() => {
      done();
      child.kill("SIGKILL");
      reject(new Error(`${entry} did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`${entry} exited with ${code} before listening:\n${out}`));
    };
    const onData = () => {
      const m = LISTENING.exec(out);
      if (!m) return;
      done();
      resolve({ child, port: Number(m[1] ?? m[2]), output: () => out, stop });
    };
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
  });
}
