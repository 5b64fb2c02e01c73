import type { LinkUtm } from "@lantern/db/schema";

export const MAX_URL_LENGTH = 2048;

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The hosts that serve our short links, as "host" or "host:port". A destination on one of them would
 * redirect to itself (or to another of our links: a chain that hides the real destination).
 */
export function shortHostsOf(publicUrl: string, extra: readonly string[] = []): string[] {
  const own = new URL(publicUrl);
  const hosts = new Set<string>([own.host.toLowerCase(), ...extra.map((h) => h.toLowerCase())]);
  // localhost, 127.0.0.1 and [::1] are one machine: block the same port on all of them.
  if (LOOPBACK.has(own.hostname)) for (const h of LOOPBACK) hosts.add(own.port ? `${h}:${own.port}` : h);
  return [...hosts];
}

/** Why a destination cannot be used, or null. Accepts absolute http(s) URLs only. */
export function destinationProblem(raw: string, shortHosts: readonly string[]): string | null {
  if (raw.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an absolute http(s) URL, e.g. https://example.com/page";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http(s) URL";
  if (!url.hostname) return "must name a host";
  if (url.username || url.password) return "must not carry a user name or password";
  if (url.href.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  const hostname = url.hostname.toLowerCase().replace(/\.$/, "");
  const host = url.port ? `${hostname}:${url.port}` : hostname;
  for (const short of shortHosts) {
    if (short === host || short === hostname) return "must not point at this short-link domain";
  }
  return null;
}

/** The link's UTMs as query pairs, in the conventional order. */
export function utmPairs(utm: LinkUtm): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const key of ["source", "medium", "campaign", "term", "content"] as const) {
    const value = utm[key];
    if (value) pairs.push([`utm_${key}`, value]);
  }
  return pairs;
}

/** A destination prepared once per link, so that a redirect only appends the click id. */
export interface RedirectTarget {
  /** Destination with the link's UTMs, without fragment. */
  base: string;
  /** The destination's fragment ("" or "#..."), put back at the end. */
  hash: string;
  hasQuery: boolean;
  /** base + hash: where bots and previews are sent (no click id). */
  plain: string;
  /** Parameter names already in `base`. */
  keys: ReadonlySet<string>;
}

const decodeKey = (raw: string) => {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return raw;
  }
};

const encodePair = (k: string, v: string) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`;

/**
 * Merges the link's UTMs into the destination's own query. The destination's own parameters win
 * (a marketer who wrote utm_source into the URL meant it) and are kept byte for byte (signed URLs
 * stay valid): new pairs are appended, nothing is re-encoded. A stale `lcid` in the destination is
 * dropped, since every click brings its own.
 */
export function redirectTarget(destination: string, utm: LinkUtm): RedirectTarget {
  const hashAt = destination.indexOf("#");
  const hash = hashAt >= 0 ? destination.slice(hashAt) : "";
  const beforeHash = hashAt >= 0 ? destination.slice(0, hashAt) : destination;
  const queryAt = beforeHash.indexOf("?");
  const path = queryAt >= 0 ? beforeHash.slice(0, queryAt) : beforeHash;
  const rawPairs = queryAt >= 0 ? beforeHash.slice(queryAt + 1).split("&").filter((p) => p !== "") : [];
  const kept = rawPairs.filter((p) => decodeKey(p.split("=", 1)[0]!) !== "lcid");
  const keys = new Set(kept.map((p) => decodeKey(p.split("=", 1)[0]!)));
  for (const [k, v] of utmPairs(utm)) {
    if (keys.has(k)) continue;
    kept.push(encodePair(k, v));
    keys.add(k);
  }
  const base = kept.length > 0 ? `${path}?${kept.join("&")}` : path;
  return { base, hash, hasQuery: kept.length > 0, plain: base + hash, keys };
}

/**
 * Where a human click goes: the prepared target plus `lcid`, and the parameters the short URL itself
 * carried (e.g. the fbclid Facebook appends) when the destination does not already set them.
 */
export function clickLocation(target: RedirectTarget, lcid: string, incoming?: Record<string, string>): string {
  let extra = "";
  if (incoming) {
    for (const [k, v] of Object.entries(incoming)) {
      if (k === "lcid" || target.keys.has(k)) continue;
      extra += `${encodePair(k, v)}&`;
    }
  }
  return `${target.base}${target.hasQuery ? "&" : "?"}${extra}lcid=${lcid}${target.hash}`;
}
