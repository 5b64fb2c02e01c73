/**
 * What kind of request hit a short link: a link-preview fetch (unfurl), a bot, or a person.
 * Unfurl is checked before bot because isbot flags most previewers as bots; a preview is evidence of
 * where the link was shared and must be stored as an unfurl, never dropped as bot noise.
 *
 * `quickKind` is for the redirect hot path, which must choose between a 302 and a preview page
 * without parsing much: it memoises `classifyRequest` by user agent in a bounded LRU, so it agrees
 * with `classifyRequest` by construction, and a repeated UA (the common case) costs one map lookup.
 */
import { detectBot } from "./bots.ts";
import { BoundedCache } from "./lru.ts";
import { detectUnfurlApp } from "./unfurl.ts";

export type RequestClassification = { kind: "unfurl"; app: string } | { kind: "bot"; name: string } | { kind: "human" };
export type RequestKind = RequestClassification["kind"];

export function classifyRequest(ua: string | null | undefined): RequestClassification {
  const app = detectUnfurlApp(ua);
  if (app) return { kind: "unfurl", app };
  const name = detectBot(ua);
  if (name) return { kind: "bot", name };
  return { kind: "human" };
}

const QUICK_CACHE_SIZE = 10_000;
/** Longer UAs are not cached: they are rare, and caching them would let junk headers fill memory. */
const MAX_CACHED_UA_LENGTH = 512;
const quickCache = new BoundedCache<string, RequestKind>(QUICK_CACHE_SIZE);

export function quickKind(ua: string | null | undefined): RequestKind {
  if (typeof ua !== "string" || ua.length > MAX_CACHED_UA_LENGTH) return classifyRequest(ua).kind;
  return quickCache.getOrCompute(ua, (key) => classifyRequest(key).kind);
}
