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
  503: { ...errors[400], description: "Not confirmed stored in time: send it again (the same id counts once)" },
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
 * When that takes longer than FLUSH_WAIT_MS (Redis connected but stalled) or fails, the answer is a 503:
 * the sender retries, and the order id makes the conversion count once.
 */
/** How long a report waits for its conversions to reach Redis or the spool: under a webhook sender's timeout (Shopify's is 5 s). */
export const FLUSH_WAIT_MS = 3_000;

const NOT_CONFIRMED =
  "The conversion is queued but not yet confirmed stored (Redis is slow to answer). Send it again: the same id counts once.";

/** Resolves once the flush did; a 503 (retry is safe) when it failed or takes longer than FLUSH_WAIT_MS. */
async function durably(flush: Promise<void>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), FLUSH_WAIT_MS);
  });
  try {
    if ((await Promise.race([flush.then(() => "stored" as const), late])) === "late") throw new ApiError(503, "unavailable", NOT_CONFIRMED);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(503, "unavailable", NOT_CONFIRMED.replace("(Redis is slow to answer)", "(it could not be written)"));
  } finally {
    clearTimeout(timer);
  }
}

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
    await durably(deps.buffer.flush());
    return events.length;
  }

  app.openapi(one, async (c) => c.json({ accepted: await queue([c.req.valid("json")], () => "") }, 202));
  app.openapi(batch, async (c) => c.json({ accepted: await queue(c.req.valid("json").conversions, (i) => `conversions.${i}.`) }, 202));
  return app;
}
