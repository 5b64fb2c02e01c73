import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ZodError } from "zod";

export type ErrorCode =
  | "bad_request"
  | "validation_failed"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "gone"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "unavailable"
  | "internal_error";

/** The one error type of every Lantern service. Its JSON body is `{ error: { code, message, requestId } }`. */
export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(status: ContentfulStatusCode, code: ErrorCode, message: string, details?: unknown) {
    super(status, { message });
    this.code = code;
    this.details = details;
  }
}

/** Turns zod issues into one sentence a person can act on: "url: must be an http(s) URL; slug: too long". */
export function describeZodError(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}

export function errorBody(c: Context, code: ErrorCode, message: string, details?: unknown) {
  const requestId = (c.get("requestId" as never) as string | undefined) ?? c.req.header("x-request-id") ?? undefined;
  return { error: { code, message, requestId, ...(details === undefined ? {} : { details }) } };
}

/** One onError for every service: never a stack trace, never a 5xx for a bad request. */
export function onError(log?: (err: unknown) => void): ErrorHandler {
  return (err, c) => {
    if (err instanceof ApiError) return c.json(errorBody(c, err.code, err.message, err.details), err.status);
    if (err instanceof ZodError) return c.json(errorBody(c, "validation_failed", describeZodError(err)), 400);
    if (err instanceof HTTPException) {
      const status = err.status;
      const code: ErrorCode = status === 413 ? "payload_too_large" : status === 401 ? "unauthorized" : status === 404 ? "not_found" : status < 500 ? "bad_request" : "internal_error";
      return c.json(errorBody(c, code, err.message || "Bad request"), status);
    }
    if (err instanceof SyntaxError) return c.json(errorBody(c, "bad_request", "The body is not valid JSON."), 400);
    log?.(err);
    return c.json(errorBody(c, "internal_error", "Something went wrong on our side. It has been logged."), 500);
  };
}

export const notFound: NotFoundHandler = (c) => c.json(errorBody(c, "not_found", `No route for ${c.req.method} ${c.req.path}`), 404);
