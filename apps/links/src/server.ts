import { createServer, type Server } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { createApp, LinksDeps } from "./app.ts";
import { redirectFastPath } from "./redirect/fast-path.ts";
import { createHitResponder } from "./redirect/respond.ts";

/**
 * The node:http server of the links service. Plain GET /<slug> requests are answered straight from
 * node:http (the same responder as the Hono route, without a WHATWG Request/Response per click);
 * everything else goes through the Hono app. Not listening yet: main.ts does that.
 */
export function createLinksServer(app: ReturnType<typeof createApp>, deps: LinksDeps): Server {
  const honoListener = getRequestListener(app.fetch);
  const fastPath = redirectFastPath(createHitResponder(deps));
  const server = createServer((req, res) => {
    if (!fastPath(req, res)) void honoListener(req, res);
  });
  server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeout
  return server;
}
