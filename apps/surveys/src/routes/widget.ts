import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { transformSync } from "esbuild";
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";

const SOURCE_URL = new URL("../widget/widget.js", import.meta.url);

/** Fallback when esbuild cannot run: the source without comment blocks, comment lines and indentation. */
function stripComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("//"))
    .join("\n");
}

/** The widget as served: minified for ES2017 browsers, once per process. */
export function widgetScript(): string {
  const source = readFileSync(SOURCE_URL, "utf8");
  try {
    return transformSync(source, { loader: "js", minify: true, target: "es2017", legalComments: "none", charset: "utf8" }).code.trim();
  } catch {
    return stripComments(source);
  }
}

let built: { body: string; version: string } | undefined;

/**
 * GET /widget.js. Cached for a day (sites embed an unversioned URL, so updates must get through),
 * revalidated by ETag; `?v=<etag>` URLs are immutable for a year.
 */
export function widgetRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/widget.js", (c) => {
    if (!built) {
      const body = widgetScript();
      built = { body, version: createHash("sha256").update(body).digest("base64url").slice(0, 16) };
    }
    const { body, version } = built;
    const etag = `"${version}"`;
    c.header("ETag", etag);
    c.header("Cache-Control", c.req.query("v") === version ? "public, max-age=31536000, immutable" : "public, max-age=86400, stale-while-revalidate=604800");
    // Sites that isolate themselves (COEP) may still load it.
    c.header("Cross-Origin-Resource-Policy", "cross-origin");
    const ifNoneMatch = c.req.header("if-none-match");
    if (ifNoneMatch?.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)) return c.body(null, 304);
    return c.body(body, 200, { "Content-Type": "application/javascript; charset=utf-8" });
  });
  return app;
}
