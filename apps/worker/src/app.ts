import { Hono } from "hono";
import type { HealthReport } from "./health.ts";

export interface AppDeps {
  health: () => Promise<HealthReport>;
}

/** The worker's only HTTP surface: GET /healthz (200 when Redis answers, 503 otherwise). */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.get("/healthz", async (c) => {
    const report = await deps.health();
    return c.json(report, report.ok ? 200 : 503);
  });
  app.notFound((c) => c.json({ error: { code: "not_found", message: "The worker serves only GET /healthz.", requestId: null } }, 404));
  // A health check that cannot be read is "unavailable", not a server fault.
  app.onError((err, c) => c.json({ error: { code: "unavailable", message: err.message, requestId: null } }, 503));
  return app;
}
