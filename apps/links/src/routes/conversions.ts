import { createRoute, z } from "@hono/zod-openapi";
import { ApiError, newId, requireScope } from "@lantern/http";
import { lanternEvent } from "@lantern/queue";
import { MAX_CONVERSION_BATCH_BODY, MAX_CONVERSIONS_PER_REQUEST, occurredAtProblem, ServerConversion, ServerConversionBatch, serverConversionEvent } from "../conversions/server-conversion.ts";
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
const batchResponses = { ...responses, 413: { ...errors[413], description: `Body larger than ${MAX_CONVERSION_BATCH_BODY / 1024} KiB` } };

const one = createRoute({
  method: "post",
  path: "/api/conversions",
  tags: ["conversions"],
  summary: "Report a conversion from your server (an order webhook, a CRM); a second report of the same id counts once (scope conversions:write)",
  security,
  middleware: [requireScope("conversions:write")] as const,
  request: { body: { content: { "application/json": { schema: ServerConversion } }, required: true } },
  responses,
});

const batch = createRoute({
  method: "post",
  path: "/api/conversions/batch",
  tags: ["conversions"],
  summary: `Report up to ${MAX_CONVERSIONS_PER_REQUEST} conversions at once (a backfill); one invalid conversion refuses the whole batch (scope conversions:write)`,
  security,
  middleware: [requireScope("conversions:write")] as const,
  request: { body: { content: { "application/json": { schema: ServerConversionBatch } }, required: true } },
  responses: batchResponses,
});

/**
 * POST /api/conversions and /api/conversions/batch (scope conversions:write). Conversions are checked
 * whole before any is queued, so a refused request queues nothing. Accepted ones go into the same buffer
 * as clicks and beacons, which is then flushed: the 202 comes once they are in Redis or, while Redis is
 * away, in the spool on disk, so a sender told "accepted" need not retry even if this process dies next.
 */
export function conversionRoutes(deps: LinksDeps) {
  const clock = deps.clock ?? Date.now;
  const app = router();

  async function queue(conversions: readonly ServerConversion[], at: (i: number) => string) {
    const now = clock();
    const events = conversions.map((c, i) => {
      const problem = occurredAtProblem(c, now);
      if (problem) throw new ApiError(400, "validation_failed", `${at(i)}occurredAt: ${problem}`);
      // The worker validates again; checking here keeps a bad event out of a batch it would reject whole.
      return lanternEvent.parse(serverConversionEvent(c, { id: newId(), ts: now }));
    });
    for (const e of events) deps.buffer.push(e);
    await deps.buffer.flush();
    return events.length;
  }

  app.openapi(one, async (c) => c.json({ accepted: await queue([c.req.valid("json")], () => "") }, 202));
  app.openapi(batch, async (c) => c.json({ accepted: await queue(c.req.valid("json").conversions, (i) => `conversions.${i}.`) }, 202));
  return app;
}
