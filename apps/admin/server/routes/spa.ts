import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { compress } from "hono/compress";
import type { AppEnv } from "../context.ts";

const isApi = (path: string) => path === "/api" || path.startsWith("/api/");

/**
 * The built SPA. Hashed files under /assets/ never change, so browsers may keep them a year;
 * everything else (index.html above all) is revalidated so a new build is picked up. Paths without
 * an extension are client-side routes and get index.html. /api/* is never the SPA.
 */
export function spaRoutes(distDir: string) {
  const app = new Hono<AppEnv>();
  const indexFile = join(distDir, "index.html");
  const files = serveStatic<AppEnv>({ root: distDir });
  // The first page's JavaScript is sent gzipped (what the 250 KB budget of the bundle is about).
  app.use("*", async (c, next) => (isApi(c.req.path) ? next() : compress()(c, next)));
  app.use("*", async (c, next) => {
    if (isApi(c.req.path)) return next();
    c.header("Cache-Control", c.req.path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
    return files(c, next);
  });
  app.get("*", (c) => {
    if (isApi(c.req.path) || /\.[A-Za-z0-9]{1,8}$/.test(c.req.path) || !existsSync(indexFile)) return c.notFound();
    c.header("Cache-Control", "no-cache");
    return c.html(readFileSync(indexFile, "utf8"));
  });
  return app;
}

export function hasSpa(distDir: string | null | undefined): distDir is string {
  return Boolean(distDir && existsSync(join(distDir, "index.html")));
}
