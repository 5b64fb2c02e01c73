import type { IncomingMessage, ServerResponse } from "node:http";
import { RESERVED_SLUGS } from "../links/slug.ts";
import type { HitInput, HitOutput } from "./respond.ts";

/**
 * The redirect served straight from node:http, without building a WHATWG Request and Response per
 * click (what running it through Hono costs). Only plain GET/HEAD "/<slug>" requests take this path;
 * everything else, including percent-encoded slugs and every reserved single-segment path (/healthz,
 * /journey, ...), goes to the Hono app, which answers those identically.
 */
const FAST_PATH = /^\/[A-Za-z0-9_-]{1,64}$/;

export function redirectFastPath(respond: (input: HitInput) => HitOutput | Promise<HitOutput>) {
  const write = (req: IncomingMessage, res: ServerResponse, out: HitOutput) => {
    const body = out.body === null || req.method === "HEAD" ? undefined : out.body;
    if (out.body !== null) res.setHeader("content-length", Buffer.byteLength(out.body));
    res.writeHead(out.status, out.headers);
    res.end(body);
  };

  /** Answers and returns true when the request is a redirect; returns false to hand it on. */
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    if (!FAST_PATH.test(path)) return false;
    const slug = path.slice(1);
    if (RESERVED_SLUGS.has(slug.toLowerCase())) return false;
    const headers = req.headers;
    const out = respond({
      method: req.method,
      slug,
      url,
      header: (name) => headers[name] as string | undefined,
      remoteAddress: req.socket.remoteAddress,
    });
    if (out instanceof Promise) {
      out.then(
        (o) => write(req, res, o),
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    } else write(req, res, out);
    return true;
  };
}
