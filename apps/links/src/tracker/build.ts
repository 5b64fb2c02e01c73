import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { transform } from "esbuild";

/** lantern.js as served: minified once per process, with its compressed forms and a content hash. */
export interface TrackerScript {
  code: string;
  gzip: Uint8Array<ArrayBuffer>;
  brotli: Uint8Array<ArrayBuffer>;
  /** First 16 characters of the base64url sha256 of `code`: the ETag and the `?v=` of immutable URLs. */
  version: string;
  /** False when esbuild could not run and the comment-stripped source is served instead. */
  minified: boolean;
}

const SOURCE_URL = new URL("./lantern.src.js", import.meta.url);

export function trackerSource(): string {
  return readFileSync(SOURCE_URL, "utf8");
}

/** Fallback when esbuild is unavailable: the source without its comment blocks and comment lines. */
function stripComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .split("\n")
    .filter((line) => !/^\s*\/\//.test(line) && line.trim() !== "")
    .join("\n");
}

function pack(code: string, minified: boolean): TrackerScript {
  return {
    code,
    // Plain Uint8Arrays (copies) are what a fetch Response takes as a body.
    gzip: new Uint8Array(gzipSync(code, { level: 9 })),
    brotli: new Uint8Array(brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })),
    version: createHash("sha256").update(code).digest("base64url").slice(0, 16),
    minified,
  };
}

/**
 * Minifies the source with esbuild for ES2017 browsers. The source is written in ES5-style syntax, so
 * the target only guards against a newer construct slipping in (esbuild refuses what it cannot lower).
 */
export async function buildTracker(source = trackerSource()): Promise<TrackerScript> {
  try {
    const { code } = await transform(source, { loader: "js", minify: true, target: "es2017", legalComments: "none", charset: "utf8" });
    return pack(code.trim(), true);
  } catch {
    return pack(stripComments(source), false);
  }
}

let built: Promise<TrackerScript> | undefined;

/** The process-wide build (every app instance in a process serves the same bytes). */
export function trackerScript(): Promise<TrackerScript> {
  built ??= buildTracker();
  return built;
}
