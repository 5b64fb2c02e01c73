import { quickKind } from "@lantern/core";
import { asksNotToTrack, newId } from "@lantern/http";
import type { LinkHitEvent } from "@lantern/queue";
import type { LinksDeps } from "../deps.ts";
import { gonePage, HTML_SECURITY_HEADERS, notFoundPage, previewPage, unavailablePage } from "../html/pages.ts";
import type { CachedLink } from "../link-cache.ts";
import { clickLocation } from "../links/destination.ts";
import { shortUrlOf } from "../links/serialize.ts";
import { SLUG_PATTERN } from "../links/slug.ts";

/**
 * GET /:slug, the hot path, independent of any HTTP framework (the Hono route and the raw node:http
 * fast path both call it). It reads the link from the in-process cache, answers, and pushes one raw
 * `link.hit` event into the buffer; the worker does the expensive classification later.
 *
 * - a person: 302 to the destination with the link's UTMs and `lcid=<click id>` (the event id);
 * - a link-preview fetcher (unfurl): 200 with OpenGraph/Twitter tags and a refresh to the destination;
 * - another bot: 302 to the destination without `lcid` (a bot's hit is not a click, and an lcid
 *   would let a crawler's visit pose as one downstream);
 * - HEAD: the same status and headers, nothing recorded (link checkers, not visits).
 *
 * No Referrer-Policy on the 302, on purpose: the browser keeps the policy of the page the link was
 * clicked on, so the destination's analytics see the same referrer (chatgpt.com, a newsletter, ...)
 * as with a direct link. Sending no-referrer here would turn every such visit into "direct".
 *
 * A cached link is answered synchronously (no promise, no I/O); only a cache miss returns a promise.
 */

export interface HitInput {
  method: string;
  /** The path segment, percent-decoded. */
  slug: string;
  /** Path and query as received (the query's parameters are recorded and forwarded). */
  url: string;
  header(name: string): string | undefined;
  remoteAddress: string | undefined;
}

export interface HitOutput {
  status: number;
  headers: Record<string, string>;
  /** null for redirects; HEAD answers drop it. */
  body: string | null;
}

const MAX_QUERY_PARAMS = 30;
const REDIRECT_CACHE_CONTROL = "private, no-store";

const redirect = (location: string): HitOutput => ({ status: 302, headers: { location, "cache-control": REDIRECT_CACHE_CONTROL }, body: null });
const html = (body: string, status: number, extra?: Record<string, string>): HitOutput => ({ status, headers: extra ? { ...HTML_SECURITY_HEADERS, ...extra } : HTML_SECURITY_HEADERS, body });

const truncate = (value: string | undefined | null, max: number) => (value ? value.slice(0, max) : null);

/** The request's query parameters, bounded to what a link.hit event may carry. */
export function queryOf(url: string): Record<string, string> | undefined {
  const at = url.indexOf("?");
  if (at < 0 || at === url.length - 1) return undefined;
  const out: Record<string, string> = {};
  let n = 0;
  for (const [k, v] of new URLSearchParams(url.slice(at + 1))) {
    if (k.length === 0 || k.length > 64 || k in out) continue;
    out[k] = v.slice(0, 512);
    if (++n >= MAX_QUERY_PARAMS) break;
  }
  return n > 0 ? out : undefined;
}

/** A two-letter country code from a trusted proxy header; anything else (XX, T1, junk) is unknown. */
export function countryOf(value: string | undefined): string | null {
  if (!value) return null;
  const code = value.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(code) && code !== "XX" ? code : null;
}

/**
 * The raw link.hit event of a request. A module-level function rather than a closure made per request:
 * the service runs under tsx, whose keepNames wraps every named closure in a naming call each time it
 * is created, and that showed in the redirect's profile.
 */
function hitEvent(id: string, ts: number, link: CachedLink, served: LinkHitEvent["served"], input: HitInput, userAgent: string | undefined): LinkHitEvent {
  return {
    id,
    ts,
    type: "link.hit",
    linkId: link.id,
    slug: link.slug,
    served,
    userAgent: truncate(userAgent, 1024),
    referer: truncate(input.header("referer"), 2048),
    query: queryOf(input.url) ?? {},
    visitorHash: null,
    country: null,
    dnt: false,
  };
}

export function createHitResponder(deps: LinksDeps): (input: HitInput) => HitOutput | Promise<HitOutput> {
  const { cache, buffer, hasher, config } = deps;
  const clock = deps.clock ?? Date.now;

  /** The visitor's IP: from the trusted proxy header when configured (first address of a list), else the socket. */
  const ipOf = (input: HitInput): string => {
    if (config.ipHeader) {
      const value = input.header(config.ipHeader);
      if (value) return value.split(",")[0]!.trim();
    }
    return input.remoteAddress ?? "";
  };

  const answer = (input: HitInput, link: CachedLink | null): HitOutput => {
    if (!link) return html(notFoundPage(), 404);
    const now = clock();
    if (link.archivedAt != null) return html(gonePage("archived"), 410);
    if (link.expiresAt != null && link.expiresAt <= now) return html(gonePage("expired"), 410);

    const userAgent = input.header("user-agent");
    const kind = quickKind(userAgent);
    const record = input.method !== "HEAD";

    if (kind === "unfurl") {
      link.previewHtml ??= previewPage({ preview: link.preview, destination: link.target.plain, shortUrl: shortUrlOf(config.publicUrl, link.slug) });
      if (record) buffer.push(hitEvent(newId(), now, link, "preview", input, userAgent));
      return html(link.previewHtml, 200);
    }
    if (kind === "bot" || !record) {
      if (record) buffer.push(hitEvent(newId(), now, link, "redirect", input, userAgent));
      return redirect(link.target.plain);
    }

    const event = hitEvent(newId(), now, link, "redirect", input, userAgent);
    const signals = { dnt: input.header("dnt"), gpc: input.header("sec-gpc") };
    event.dnt = asksNotToTrack(signals);
    event.country = config.countryHeader ? countryOf(input.header(config.countryHeader)) : null;
    event.visitorHash = hasher.visitorHash(ipOf(input), userAgent ?? "", signals);
    buffer.push(event);
    const hasQuery = Object.keys(event.query).length > 0;
    return redirect(clickLocation(link.target, event.id, hasQuery ? event.query : undefined));
  };

  return (input) => {
    if (!SLUG_PATTERN.test(input.slug)) return html(notFoundPage(), 404);
    const key = input.slug.toLowerCase();
    const cached = cache.peek(key);
    if (cached !== undefined) return answer(input, cached);
    return cache.lookup(key).then(
      (link) => answer(input, link),
      (err: unknown) => {
        deps.log?.error({ err: String(err), slug: key }, "link lookup failed on a cache miss");
        return html(unavailablePage(), 503, { "retry-after": "5" });
      },
    );
  };
}
