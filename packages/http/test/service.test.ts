import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const FIXTURE = fileURLToPath(new URL("./fixtures/service.ts", import.meta.url));

/** Runs the fixture; sends SIGTERM (twice) once it says it listens. */
function run(mode: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    // Node itself with tsx's loader, not the tsx wrapper: the signals must reach the service, and the
    // wrapper has its own idea of what a second SIGTERM means.
    const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, mode], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes('"listening"') && !out.includes("shutting down")) {
        child.kill("SIGTERM");
        child.kill("SIGTERM");
      }
    });
    child.stderr.on("data", (c: Buffer) => {
      err += c.toString();
    });
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

describe("service start and stop", () => {
  it("a service that fails to start writes one JSON line to stderr and exits 1", async () => {
    const { code, err } = await run("fail");
    expect(code).toBe(1);
    const line = JSON.parse(err.trim().split("\n").at(-1)!) as { level: number; service: string; msg: string; err: string };
    expect(line).toMatchObject({ level: 60, service: "demo", msg: "demo failed to start" });
    expect(line.err).toContain("bad configuration");
  });

  it("SIGTERM runs the stop once, logs it and exits 0", async () => {
    const { code, out } = await run("stop");
    expect(code).toBe(0);
    expect(out.match(/shutting down/g)).toHaveLength(1);
    expect(out).toContain('"signal":"SIGTERM"');
    expect(out).toContain('"msg":"stopped"');
  });

  it("a stop that hangs past the grace period exits 1 with the given message", async () => {
    const { code, out } = await run("hang");
    expect(code).toBe(1);
    expect(out).toContain('"msg":"gave up"');
    expect(out).not.toContain('"msg":"stopped"');
  });
});
