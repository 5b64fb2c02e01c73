import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const TSX = `${REPO_ROOT}node_modules/.bin/tsx`;

export interface Proc {
  child: ChildProcess;
  /** The port the process logged as {"msg":"listening","port":N}. */
  port: number;
  output(): string;
  /** SIGTERM (graceful), then SIGKILL if it does not exit within `graceMs`. Resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Runs a service entry point (TypeScript, through tsx) as a child process with the given environment,
 * and waits until it logs that it listens. Its output is kept to explain a failing test.
 */
export function startProcess(entry: string, env: Record<string, string>, timeoutMs = 100_000): Promise<Proc> {
  const child = spawn(TSX, [entry], { cwd: REPO_ROOT, env: { ...process.env, LANTERN_LOG_LEVEL: "info", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let exited: number | null | undefined;
  child.on("exit", (code) => {
    exited = code;
  });
  const stop = (graceMs = 10_000) =>
    new Promise<number | null>((resolve) => {
      if (exited !== undefined || child.exitCode !== null) return resolve(child.exitCode);
      const kill = setTimeout(() => child.kill("SIGKILL"), graceMs);
      child.once("exit", (code) => {
        clearTimeout(kill);
        resolve(code);
      });
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${entry} did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.length > 200_000) out = out.slice(-100_000);
      const m = /[^\n]*"msg":"listening"[^\n]*/.exec(out);
      if (m) {
        const port = /"port":(\d+)/.exec(m[0]);
        if (port) {
          clearTimeout(timer);
          child.stdout?.off("data", onData);
          child.stdout?.on("data", (c: Buffer) => {
            out += c.toString();
            if (out.length > 200_000) out = out.slice(-100_000);
          });
          resolve({ child, port: Number(port[1]), output: () => out, stop });
        }
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before listening:\n${out}`));
    });
  });
}

export const LINKS_ENTRY = "apps/links/src/main.ts";
export const WORKER_ENTRY = "apps/worker/src/main.ts";
