import { createRoute } from "@hono/zod-openapi";
import { ApiError, requireScope } from "@lantern/http";
import type { LinksDeps } from "../deps.ts";
import { findLinkById } from "../links/repo.ts";
import { linkStats } from "../links/stats.ts";
import { router } from "./router.ts";
import { errors, IdParam, StatsQuery, StatsSchema } from "./schemas.ts";

const statsRoute = createRoute({
  method: "get",
  path: "/api/links/{id}/stats",
  tags: ["links"],
  summary: "Clicks, unfurls and bot hits of a link, broken down (from inclusive, to exclusive)",
  security: [{ bearer: [] }],
  middleware: [requireScope("links:read")] as const,
  request: { params: IdParam, query: StatsQuery },
  responses: {
    200: { content: { "application/json": { schema: StatsSchema } }, description: "The figures" },
    400: errors[400],
    401: errors[401],
    403: errors[403],
    404: errors[404],
  },
});

export function statsRoutes({ db }: LinksDeps) {
  const app = router();
  app.openapi(statsRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { from, to } = c.req.valid("query");
    if (from !== undefined && to !== undefined && from >= to) throw new ApiError(400, "validation_failed", "from: must be before to");
    const link = await findLinkById(db, id);
    if (!link) throw new ApiError(404, "not_found", `No link with id "${id}".`);
    const stats = await linkStats(db, id, { from, to });
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    return c.json({ linkId: id, from: iso(from), to: iso(to), ...stats }, 200);
  });
  return app;
}
