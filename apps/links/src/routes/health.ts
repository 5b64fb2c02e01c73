import { createRoute, z } from "@hono/zod-openapi";
import type { LinksDeps } from "../deps.ts";
import { router } from "./router.ts";

const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]).openapi({ description: "degraded: Redis is away; redirects go on and events wait in the spool" }),
    uptimeMs: z.number(),
    buffer: z.record(z.string(), z.unknown()),
    cache: z.record(z.string(), z.unknown()),
  })
  .openapi("Health");

const healthRoute = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["ops"],
  summary: "Liveness, event buffer and spool state, link cache state",
  responses: { 200: { content: { "application/json": { schema: HealthSchema } }, description: "Serving (possibly degraded)" } },
});

export function healthRoutes({ buffer, cache, clock }: LinksDeps) {
  const startedAt = (clock ?? Date.now)();
  const app = router();
  app.openapi(healthRoute, (c) => {
    const b = buffer.stats();
    const status = b.mode === "direct" && b.redis === "ready" ? "ok" : "degraded";
    c.header("cache-control", "no-store");
    return c.json({ status, uptimeMs: (clock ?? Date.now)() - startedAt, buffer: { ...b }, cache: { ...cache.stats() } }, 200);
  });
  return app;
}
