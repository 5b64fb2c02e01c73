/**
 * Fails when the JavaScript the first page loads is over budget (250 KB gzipped).
 *
 * "The first page" is what the browser must fetch before anything renders: the entry chunk of
 * index.html and, transitively, every chunk it imports statically (read from Vite's manifest).
 * Pages are lazy routes, so their chunks (and the chart library) are not part of it; the figure for
 * the overview route (entry plus the overview's own chunk and its static imports) is printed too.
 *
 * Usage, after `vite build`:  tsx scripts/check-bundle-size.ts [distDir]
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const LIMIT_BYTES = 250 * 1024;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

export interface ChunkSize {
  file: string;
  bytes: number;
  gzip: number;
}

export interface BundleReport {
  files: ChunkSize[];
  bytes: number;
  gzip: number;
}

export function readManifest(distDir: string): Manifest {
  return JSON.parse(readFileSync(join(distDir, ".vite", "manifest.json"), "utf8")) as Manifest;
}

/** The chunk keys reachable from `roots` through static imports only. */
function staticClosure(manifest: Manifest, roots: string[]): string[] {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`manifest has no chunk "${key}"`);
    seen.add(key);
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  for (const root of roots) visit(root);
  return [...seen];
}

function measure(distDir: string, manifest: Manifest, keys: string[]): BundleReport {
  const files = keys
    .map((key) => manifest[key]!.file)
    .filter((file) => file.endsWith(".js"))
    .map((file) => {
      const content = readFileSync(join(distDir, file));
      // Level 6 is zlib's default and what Vite's own report and most servers use.
      return { file, bytes: content.length, gzip: gzipSync(content, { level: 6 }).length };
    });
  return { files, bytes: files.reduce((s, f) => s + f.bytes, 0), gzip: files.reduce((s, f) => s + f.gzip, 0) };
}

function entryKey(manifest: Manifest): string {
  const entries = Object.entries(manifest).filter(([, c]) => c.isEntry);
  const html = entries.find(([key]) => key === "index.html") ?? entries[0];
  if (!html) throw new Error("manifest has no entry chunk");
  return html[0];
}

/** Entry chunk plus its static imports. */
export function firstPageJs(distDir: string): BundleReport {
  const manifest = readManifest(distDir);
  return measure(distDir, manifest, staticClosure(manifest, [entryKey(manifest)]));
}

/** Entry plus one lazy route's chunk and their static imports (what a direct visit to that route fetches). */
export function routeJs(distDir: string, routeSrc: string): BundleReport {
  const manifest = readManifest(distDir);
  return measure(distDir, manifest, staticClosure(manifest, [entryKey(manifest), routeSrc]));
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function main() {
  const distDir = resolve(process.argv[2] ?? fileURLToPath(new URL("../dist", import.meta.url)));
  const first = firstPageJs(distDir);
  for (const f of first.files.sort((a, b) => b.gzip - a.gzip)) console.log(`  ${f.file}  ${kb(f.bytes)}  gzip ${kb(f.gzip)}`);
  console.log(`first page JavaScript: ${kb(first.bytes)}, gzip ${kb(first.gzip)} (limit ${kb(LIMIT_BYTES)})`);
  const manifest = readManifest(distDir);
  if (manifest["src/pages/Overview.tsx"]) {
    const overview = routeJs(distDir, "src/pages/Overview.tsx");
    console.log(`overview route before its charts: gzip ${kb(overview.gzip)}`);
  }
  if (first.gzip > LIMIT_BYTES) {
    console.error(`FAIL: the first page loads ${kb(first.gzip)} of gzipped JavaScript, over the ${kb(LIMIT_BYTES)} budget.`);
    process.exit(1);
  }
  console.log("OK");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
