import { OpenAPIHono } from "@hono/zod-openapi";
import { ApiError, apiKeyAuth, errorBody, onError, requestId } from "@lantern/http";
import { bodyLimit } from "hono/body-limit";
import { MAX_CONVERSION_BATCH_BODY } from "./conversions/server-conversion.ts";
import type { LinksDeps } from "./deps.ts";
import { HTML_SECURITY_HEADERS, notFoundPage } from "./html/pages.ts";
import { conversionRoutes } from "./routes/conversions.ts";
import { healthRoutes } from "./routes/health.ts";
import { journeyRoutes } from "./routes/journey.ts";
import { linksRoutes } from "./routes/links.ts";
import { qrRoutes } from "./routes/qr.ts";
import { redirectRoutes } from "./routes/redirect.ts";
import type { AppEnv } from "./routes/router.ts";
import { statsRoutes } from "./routes/stats.ts";
import { trackerRoutes } from "./routes/tracker.ts";

export type { LinksConfig, LinksDeps } from "./deps.ts";

const MAX_API_BODY = 64 * 1024;
const BATCH_PATH = "/api/conversions/batch";

/**
 * The links service: the management API under /api (Bearer keys), /healthz, /openapi.json, and the
 * public redirect GET /:slug. Routes are one file per resource under routes/; the redirect is mounted
 * last so that every fixed path (and, later, /lantern.js and the beacons) wins over a slug.
 */
export function createApp(deps: LinksDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.onError(onError((err) => deps.log?.error({ err: err instanceof Error ? (err.stack ?? err.message) : String(err) }, "unhandled error")));
  app.notFound((c) => {
    if (c.req.path.startsWith("/api/") || c.req.path === "/api") return c.json(errorBody(c, "not_found", `No route for ${c.req.method} ${c.req.path}`), 404);
    return new Response(notFoundPage(), { status: 404, headers: HTML_SECURITY_HEADERS });
  });

  app.use("/api/*", requestId);
  app.use("/api/*", async (c, next) => {
    await next();
    c.header("x-content-type-options", "nosniff");
    c.header("cache-control", "no-store");
  });
  const limitTo = (maxSize: number, advice = "") =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError(413, "payload_too_large", `The body is larger than ${maxSize / 1024} KiB.${advice}`);
      },
    });
  const apiLimit = limitTo(MAX_API_BODY);
  const batchLimit = limitTo(MAX_CONVERSION_BATCH_BODY, " Send fewer conversions per batch.");
  app.use("/api/*", (c, next) => (c.req.path === BATCH_PATH ? batchLimit(c, next) : apiLimit(c, next)));
  app.use("/api/*", async (c, next) => {
    if (c.req.method === "POST" || c.req.method === "PATCH" || c.req.method === "PUT") {
      const type = c.req.header("content-type") ?? "";
      if (!/^application\/json\b/i.test(type)) throw new ApiError(415, "unsupported_media_type", "Send the body as JSON (Content-Type: application/json).");
    }
    await next();
  });
  app.use("/api/*", apiKeyAuth({ db: deps.db, bootstrapKey: deps.config.bootstrapKey }));
  if (deps.rateLimiter) {
    const limiter = deps.rateLimiter;
    app.use("/api/*", async (c, next) => {
      if (!(await limiter.hit(c.get("caller").keyId))) throw new ApiError(429, "rate_limited", "Too many requests for this API key; slow down and retry in a minute.");
      await next();
    });
  }

  app.route("/", linksRoutes(deps));
  app.route("/", statsRoutes(deps));
  app.route("/", qrRoutes(deps));
  app.route("/", healthRoutes(deps));
  app.route("/", journeyRoutes(deps));
  app.route("/", conversionRoutes(deps));
  app.route("/", trackerRoutes(deps)); // GET /lantern.js and the public beacons POST /t/*

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", description: "An API key (lt_...) or LANTERN_API_KEY" });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Lantern links API",
      version: "1.0.0",
      description:
        "Channel-tagged short links, and conversions reported by your servers. GET /{slug} (not listed) redirects people, serves link-preview pages to unfurl fetchers and records every hit.",
    },
    servers: [{ url: deps.config.publicUrl }],
  });

  // Last: a slug matches any single path segment.
  app.route("/", redirectRoutes(deps));
  return app;
}
