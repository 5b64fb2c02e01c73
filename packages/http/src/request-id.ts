import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";

/** Gives every request an id (kept from X-Request-Id when sane) and returns it in the response. */
export const requestId: MiddlewareHandler<{ Variables: { requestId: string } }> = async (c, next) => {
  const incoming = c.req.header("x-request-id");
  const id = incoming && /^[A-Za-z0-9_-]{1,64}$/.test(incoming) ? incoming : randomUUID();
  c.set("requestId", id);
  c.header("X-Request-Id", id);
  await next();
};
