import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { RESERVED_SLUGS } from "../links/slug.ts";
import type { HitInput, HitOutput } from "./respond.ts";

/**
 * The redirect served straight from node:http, without building a WHATWG Request and Response per
 * click (what running it through Hono costs). Only plain GET/HEAD "/<slug>" requests take this path;
 * everything else, including percent-encoded slugs and every reserved single-segment path (/healthz,
 * /journey, ...), goes to the Hono app, which answers those identically.
 */
const FAST_PATH = /^\/[A-Za-z0-9_-]{1,64}$/;

/**
 * A request as the responder sees it. A class with a prototype method, not an object literal with an
 * arrow function: under tsx (what `npm start` runs), keepNames wraps every arrow assigned to a name
 * in a defineProperty call each time it is created, which cost a visible share of each redirect.
 */
class NodeHitInput implements HitInput {
  constructor(
    readonly method: string,
    readonly slug: string,
    readonly url: string,
    private readonly headers: IncomingHttpHeaders,
    readonly remoteAddress: string | undefined,
  ) {}

  header(name: string): string | undefined {
    return this.headers[name] as string | undefined;
  }
}

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
    const out = respond(new NodeHitInput(req.method, slug, url, req.headers, req.socket.remoteAddress));
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
