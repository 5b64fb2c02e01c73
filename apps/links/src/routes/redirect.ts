import type { IncomingMessage } from "node:http";
import { Hono } from "hono";
import type { LinksDeps } from "../deps.ts";
import { createHitResponder, type HitOutput } from "../redirect/respond.ts";
import type { AppEnv } from "./router.ts";

type NodeBindings = { incoming?: IncomingMessage };

/**
 * GET|HEAD /:slug through Hono: used by `app.request` in tests and for the requests the node:http
 * fast path (redirect/fast-path.ts) hands on. Both call the same responder (redirect/respond.ts).
 */
export function redirectRoutes(deps: LinksDeps) {
  const respond = createHitResponder(deps);
  const app = new Hono<AppEnv & { Bindings: NodeBindings }>();
  const toResponse = (out: HitOutput) => new Response(out.body, { status: out.status, headers: out.headers });
  app.on(["GET", "HEAD"], "/:slug", async (c) => {
    const incoming = c.env?.incoming;
    const out = await respond({
      method: c.req.method,
      slug: c.req.param("slug"),
      url: incoming?.url ?? c.req.url,
      header: (name) => c.req.header(name),
      remoteAddress: incoming?.socket?.remoteAddress,
    });
    return toResponse(out);
  });
  return app;
}
