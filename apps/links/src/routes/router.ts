import { OpenAPIHono } from "@hono/zod-openapi";
import { ApiError, type Caller, describeZodError } from "@lantern/http";

export type AppEnv = { Variables: { requestId: string; caller: Caller } };

/** A sub-app whose validation failures answer like every other Lantern error. */
export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new ApiError(400, "validation_failed", describeZodError(result.error));
    },
  });
}
