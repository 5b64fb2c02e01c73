import { createRoute, z } from "@hono/zod-openapi";
import { ApiError, requireScope } from "@lantern/http";
import type { LinksDeps } from "../deps.ts";
import { findLinkById } from "../links/repo.ts";
import { linkJourney } from "../reports/journey.ts";
import { router } from "./router.ts";
import { errors, IdParam, StatsQuery } from "./schemas.ts";

const Counts = z.record(z.string(), z.number());

export const JourneySchema = z
  .object({
    linkId: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    unfurls: z.object({ total: z.number().int(), byApp: Counts }),
    clicks: z.object({ human: z.number().int() }),
    landingVisitors: z.number().int().openapi({ description: "Visitors lantern.js saw land through a click of this link (generation 0)" }),
    reshares: z
      .object({
        total: z.number().int().openapi({ description: "Copy-paste re-shares: distinct (arriving visitor, share token) pairs" }),
        dark: z.number().int().openapi({ description: "Re-shares through a private channel (no referrer, or a messaging app's)" }),
        visitors: z.number().int().openapi({ description: "Distinct visitors who arrived through a share token" }),
        byGeneration: Counts.openapi({ description: "Re-shares by generation: 1 = through a landing visitor's URL, 2 = one hop further, ..." }),
      })
      .openapi("Reshares"),
    visitors: z.number().int().openapi({ description: "Distinct visitors of the link's share tree: landing + arrived" }),
    resharesPerVisitor: z.number().nullable().openapi({ description: "reshares.total / visitors (null without visitors)" }),
    conversions: z
      .object({
        total: z.number().int(),
        byGeneration: Counts.openapi({ description: "By the converting visitor's generation (0: came through a click)" }),
        byType: Counts,
        value: Counts.openapi({ description: "Sum of conversion values per currency" }),
      })
      .openapi("JourneyConversions"),
  })
  .openapi("Journey");

const journeyRoute = createRoute({
  method: "get",
  path: "/api/links/{id}/journey",
  tags: ["links"],
  summary: "Unfurls by app -> clicks -> landing visitors -> copy-paste re-shares by generation -> conversions (from inclusive, to exclusive)",
  security: [{ bearer: [] }],
  middleware: [requireScope("links:read")] as const,
  request: { params: IdParam, query: StatsQuery },
  responses: {
    200: { content: { "application/json": { schema: JourneySchema } }, description: "The journey" },
    400: errors[400],
    401: errors[401],
    403: errors[403],
    404: errors[404],
  },
});

export function journeyRoutes({ db }: LinksDeps) {
  const app = router();
  app.openapi(journeyRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { from, to } = c.req.valid("query");
    if (from !== undefined && to !== undefined && from >= to) throw new ApiError(400, "validation_failed", "from: must be before to");
    const link = await findLinkById(db, id);
    if (!link) throw new ApiError(404, "not_found", `No link with id "${id}".`);
    const journey = await linkJourney(db, id, { from, to });
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    return c.json({ linkId: id, from: iso(from), to: iso(to), ...journey }, 200);
  });
  return app;
}
