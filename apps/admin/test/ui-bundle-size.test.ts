// @vitest-environment node
// Acceptance 3: the production build's JavaScript for the first page is under 250 KB gzipped.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firstPageJs, LIMIT_BYTES, readManifest, routeJs } from "../scripts/check-bundle-size.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
let outDir: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), "lantern-admin-build-"));
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build; measure what ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ root, configFile: join(root, "vite.config.ts"), mode: "production", logLevel: "error", build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}, 180_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

describe("the production build", () => {
  it("loads under 250 KB of gzipped JavaScript on the first page", () => {
    const first = firstPageJs(outDir);
    expect(first.files.length).toBeGreaterThan(0);
    // A production React: the development build of react-dom alone would be far larger.
    const entry = first.files.map((f) => readFileSync(join(outDir, f.file), "utf8")).join("");
    expect(entry).toContain("Minified React error");
    expect(first.gzip).toBeLessThan(LIMIT_BYTES);
  });

  it("keeps the chart library out of the first page: it loads with the pages that draw charts", () => {
    const first = firstPageJs(outDir);
    const overview = routeJs(outDir, "src/pages/Overview.tsx");
    const manifest = readManifest(outDir);
    const chartChunks = Object.values(manifest).filter((c) => c.src?.includes("/charts/"));
    expect(chartChunks.length).toBeGreaterThan(0);
    for (const chunk of chartChunks) expect(first.files.map((f) => f.file)).not.toContain(chunk.file);
    // The overview's figures render with its own small chunk; its charts follow lazily.
    expect(overview.gzip - first.gzip).toBeLessThan(30 * 1024);
  });
});
