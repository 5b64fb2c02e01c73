import { ApiError } from "@lantern/http";
import type { Context } from "hono";
import { z } from "zod";

/**
 * The JSON body of a public request. text/plain is accepted too: the widget sends it that way so that
 * browsers skip the CORS preflight.
 */
export async function rawJson(c: Context): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!type.includes("application/json") && !type.includes("text/plain")) {
    throw new ApiError(415, "unsupported_media_type", "Send the body as JSON (Content-Type: application/json).");
  }
  try {
    return JSON.parse(await c.req.text());
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(400, "bad_request", "The body is not valid JSON.");
  }
}

/** The honeypot: a field people never see. Bots that fill it get a normal-looking answer and nothing is kept. */
export function honeypotFilled(body: unknown): boolean {
  if (!body || typeof body !== "object" || Array.isArray(body)) return false;
  const value = (body as Record<string, unknown>).website;
  return value !== undefined && value !== null && value !== "" && value !== false;
}

export const idField = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -");
