import { createRoute, z } from "@hono/zod-openapi";
import { ApiError, newId, requireScope } from "@lantern/http";
import { lanternEvent } from "@lantern/queue";
import { MAX_CONVERSIONS_PER_REQUEST, occurredAtProblem, ServerConversion, ServerConversionBatch, serverConversionEvent } from "../conversions/server-conversion.ts";
import type { LinksDeps } from "../deps.ts";
import { router } from "./router.ts";
import { errors } from "./schemas.ts";

const security = [{ bearer: [] }];
const Accepted = z.object({ accepted: z.number().int().openapi({ description: "Conversions queued for the worker", example: 1 }) }).openapi("ConversionsAccepted");
const responses = {
  202: { content: { "application/json": { schema: Accepted } }, description: "Queued: the reports count it after the next reconcile" },
  400: errors[400],
  401: errors[401],
  403: errors[403],
  413: errors[413],
  415: errors[415],
  429: errors[429],
};

const one = createRoute({
  method: "post",
  path: "/api/conversions",
  tags: ["conversions"],
  summary: "Report a conversion from your server (an order webhook, a CRM); a second report of the same id counts once",
  security,
  middleware: [requireScope("conversions:write")] as const,
  request: { body: { content: { "application/json": { schema: ServerConversion } }, required: true } },
  responses,
});

const batch = createRoute({
  method: "post",
  path: "/api/conversions/batch",
  tags: ["conversions"],
  summary: `Report up to ${MAX_CONVERSIONS_PER_REQUEST} conversions at once (a backfill); one invalid conversion refuses the whole batch`,
  security,
  middleware: [requireScope("conversions:write")] as const,
  request: { body: { content: { "application/json": { schema: ServerConversionBatch } }, required: true } },
  responses,
});

/**
 * POST /api/conversions and /api/conversions/batch (scope conversions:write). Conversions are checked
 * whole before any is queued, so a refused request queues nothing; accepted ones go into the same
 * in-memory buffer as clicks and beacons (spilled to disk while Redis is away) and are answered 202.
 */
export function conversionRoutes(deps: LinksDeps) {
  const clock = deps.clock ?? Date.now;
  const app = router();

  function queue(conversions: readonly ServerConversion[], at: (i: number) => string) {
    const now = clock();
    const events = conversions.map((c, i) => {
      const problem = occurredAtProblem(c, now);
      if (problem) throw new ApiError(400, "validation_failed", `${at(i)}occurredAt: ${problem}`);
      // The worker validates again; checking here keeps a bad event out of a batch it would reject whole.
      return lanternEvent.parse(serverConversionEvent(c, { id: newId(), ts: now }));
    });
    for (const e of events) deps.buffer.push(e);
    return events.length;
  }

  app.openapi(one, (c) => c.json({ accepted: queue([c.req.valid("json")], () => "") }, 202));
  app.openapi(batch, (c) => c.json({ accepted: queue(c.req.valid("json").conversions, (i) => `conversions.${i}.`) }, 202));
  return app;
}
