import type { Context } from "hono";
import { ApiError, errorBody } from "@lantern/http";
import type { AdminDeps, AppEnv } from "../context.ts";
import { isSafeMethod } from "../auth/middleware.ts";

const FORWARD_REQUEST_HEADERS = ["content-type", "accept", "accept-language", "if-none-match", "if-modified-since", "idempotency-key"];
const FORWARD_RESPONSE_HEADERS = ["content-type", "content-disposition", "cache-control", "etag", "last-modified", "location", "retry-after"];

/**
 * Same-origin gateway to a service's management API, so the SPA talks only to its own origin.
 * A session caller is forwarded with the server's own key (LANTERN_API_KEY); an API-key caller with
 * its own key, so the service decides what that key may do. Viewers may only read (guardWrites
 * has already refused their writes). Bodies are streamed both ways.
 */
export function gateway(deps: AdminDeps, target: "links" | "surveys") {
  const base = (target === "links" ? deps.config.linksUrl : deps.config.surveysUrl).replace(/\/+$/, "");
  const timeoutMs = deps.config.gatewayTimeoutMs ?? 15_000;
  return async (c: Context<AppEnv>) => {
    const auth = c.get("auth");
    let authorization: string;
    if (auth.kind === "api_key") authorization = c.req.header("authorization")!;
    else if (deps.config.apiKey) authorization = `Bearer ${deps.config.apiKey}`;
    else throw new ApiError(503, "unavailable", "LANTERN_API_KEY is not set, so the admin server cannot call the services.");

    const headers = new Headers({ authorization, "x-request-id": c.get("requestId") });
    for (const name of FORWARD_REQUEST_HEADERS) {
      const value = c.req.header(name);
      if (value) headers.set(name, value);
    }
    if (auth.kind === "session") headers.set("x-lantern-user", auth.session.user.email);

    const url = new URL(c.req.url);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let upstream: Response;
    try {
      const hasBody = !isSafeMethod(c.req.method) && c.req.raw.body !== null;
      upstream = await fetch(`${base}${url.pathname}${url.search}`, {
        method: c.req.method,
        headers,
        body: hasBody ? c.req.raw.body : undefined,
        redirect: "manual",
        signal: controller.signal,
        ...(hasBody ? { duplex: "half" } : {}),
      } as RequestInit);
    } catch (err) {
      const timedOut = controller.signal.aborted;
      deps.log?.error({ err, target }, "gateway: service call failed");
      return c.json(
        errorBody(c, "unavailable", timedOut ? `The ${target} service did not answer within ${Math.round(timeoutMs / 1000)} s.` : `The ${target} service is not reachable.`),
        timedOut ? 504 : 502,
      );
    } finally {
      clearTimeout(timer);
    }
    const out = new Headers();
    for (const name of FORWARD_RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value) out.set(name, value);
    }
    out.set("x-request-id", c.get("requestId"));
    return new Response(upstream.body, { status: upstream.status, headers: out });
  };
}
