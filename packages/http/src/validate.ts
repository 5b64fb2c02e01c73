import type { Context } from "hono";
import type { z } from "zod";
import { ApiError, describeZodError } from "./errors.ts";

/** Reads and validates a JSON body: 415 for the wrong content type, 400 for broken JSON, 400 with the zod issues otherwise. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header("content-type") ?? "";
  if (!type.includes("application/json") && !type.includes("text/plain")) {
    throw new ApiError(415, "unsupported_media_type", "Send the body as JSON (Content-Type: application/json).");
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    throw new ApiError(400, "bad_request", "The body is not valid JSON.");
  }
  return parseOr400(schema, raw);
}

export function parseOr400<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ApiError(400, "validation_failed", describeZodError(result.error));
  return result.data;
}

export function queryOr400<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  return parseOr400(schema, c.req.query());
}
