/**
 * Referrer -> channel and source.
 *
 * Order (first answer wins):
 * 1. Nothing, junk or a non-web scheme (about:, file:, chrome-extension:) -> null.
 * 2. `android-app://<package>/` (Chrome Custom Tabs inside an Android app) -> ANDROID_APP_RULES, rule "android_app".
 * 3. One of our own hosts (`ownHosts`: the short-link domain, the destination site) -> null: internal navigation.
 * 4. Our host rules (referrer-rules.ts), rule "known_host". A known shortener/redirector -> null: it hides the origin.
 * 5. @tryghost/referrer-parser's list (2,300+ search engines, social sites, webmail, ad networks), rule "parser".
 *    Its matching is a bare string prefix of host+path, which lets "t.co" claim "t.cottage.com"; we accept
 *    its answer only when the matched entry covers the whole host (see `libraryLookup`).
 * 6. Any other website -> referral, with the registrable domain as source, rule "referral".
 */
import { ReferrerParser } from "@tryghost/referrer-parser";
import { type ChannelKey, normaliseSource } from "../channels.ts";
import { lookupTable } from "../lookup.ts";
import { hostAndParents, hostOfEntry, isHostUnder, normaliseHost, registrableHost } from "./host.ts";
import { BoundedCache } from "./lru.ts";
import { ANDROID_APP_RULES, HOST_RULES, type HostRule } from "./referrer-rules.ts";

export type ReferrerRule = "android_app" | "known_host" | "parser" | "referral";

export interface ReferrerClassification {
  channel: ChannelKey;
  source: string;
  /** The referrer's host without "www." (for android-app referrers, the package name). */
  host: string;
  rule: ReferrerRule;
}

export interface ReferrerOptions {
  /** Hosts that are ours (short-link domain, destination sites); a referrer under one is internal. */
  ownHosts?: readonly string[];
}

const MAX_REFERRER_LENGTH = 4096;

/** Our rules indexed by host, path rules first (longest path first), the host-wide rule last. */
const RULES_BY_HOST = new Map<string, HostRule[]>();
for (const rule of HOST_RULES) {
  const list = RULES_BY_HOST.get(rule.host) ?? [];
  list.push(rule);
  RULES_BY_HOST.set(rule.host, list);
}
for (const list of RULES_BY_HOST.values()) list.sort((a, b) => (b.path?.length ?? -1) - (a.path?.length ?? -1));

/** Parses the referrer; accepts a bare "example.com/path" as some clients send it. */
function parseUrl(referrer: string): URL | null {
  const text = referrer.trim().slice(0, MAX_REFERRER_LENGTH);
  if (text === "") return null;
  try {
    return new URL(text);
  } catch {
    if (!/^[a-z0-9.-]+\.[a-z]{2,}(?:[/:?#]|$)/i.test(text)) return null;
    try {
      return new URL(`https://${text}`);
    } catch {
      return null;
    }
  }
}

function ourRule(host: string, path: string): HostRule | undefined {
  for (const candidate of hostAndParents(host)) {
    const list = RULES_BY_HOST.get(candidate);
    if (!list) continue;
    for (const rule of list) {
      if (rule.path === undefined || path === rule.path || path.startsWith(`${rule.path}/`) || path.startsWith(`${rule.path}?`)) {
        return rule;
      }
    }
  }
  return undefined;
}

// ---- @tryghost/referrer-parser ------------------------------------------------------------------

const parser = new ReferrerParser({});
type LibraryData = { source: string; medium: string } | null;

/** The library sorts its 2,300 keys on every lookup (~0.4 ms); hosts repeat, so cache per host and first path segment. */
const libraryCache = new BoundedCache<string, LibraryData>(5_000);

function rawLookup(hostname: string, pathname: string): LibraryData {
  return parser.getDataFromUrl({ hostname, pathname } as URL);
}

/**
 * The library's entry for host+path, accepted only when the entry's key is at least as long as the host
 * (the whole host matched, possibly plus a path). A shorter key is a prefix of the host that does not end
 * on a label boundary, e.g. "t.co" inside "t.cottage.com". The library returns the same object for the same
 * key, so: the match is too short exactly when dropping the host's last character still finds that object.
 */
function exactLibraryLookup(hostname: string, pathname: string): LibraryData {
  const found = rawLookup(hostname, pathname);
  if (!found) return null;
  const shorter = rawLookup(hostname.slice(0, -1), "");
  return shorter === found ? null : found;
}

function libraryLookup(host: string, path: string): LibraryData {
  const firstSegment = path.split("/", 2)[1] ?? "";
  const key = `${host}/${firstSegment}`;
  return libraryCache.getOrCompute(key, () => {
    // The library keys hosts with and without "www."; try as sent, then the bare host, then parents.
    const pathname = `/${firstSegment}`;
    for (const candidate of [`www.${host}`, ...hostAndParents(host)]) {
      const found = exactLibraryLookup(candidate, pathname);
      if (found) return found;
    }
    return null;
  });
}

/** Library source names -> Lantern source keys. */
const LIBRARY_SOURCE_ALIASES = lookupTable<string>({
  google_images: "google", google_product_search: "google", bing_images: "bing", twitter: "x",
  "yahoo!": "yahoo", "yahoo!_mail": "yahoo_mail", "outlook.com": "outlook", vkontakte: "vk",
});

function libraryChannel(medium: string): ChannelKey {
  switch (medium) {
    case "search":
      return "organic_search";
    case "social":
      return "social";
    case "email":
      return "personal_email"; // the library's email entries are webmail front-ends
    case "paid":
      return "paid_search"; // ad-network redirects; the taxonomy has no display channel
    default:
      return "referral";
  }
}

function librarySource(name: string): string {
  const key = normaliseSource(name);
  return LIBRARY_SOURCE_ALIASES[key] ?? key.replace(/!/g, "");
}

// ---- public ------------------------------------------------------------------------------------

function ownHostList(ownHosts: readonly string[] | undefined): string[] {
  if (!ownHosts) return [];
  const out: string[] = [];
  for (const entry of ownHosts) {
    const host = typeof entry === "string" ? hostOfEntry(entry) : null;
    if (host) out.push(host);
  }
  return out;
}

/**
 * Channel and source of a referrer, or null when it carries no information about where the click
 * happened: missing, unparsable, internal (one of `ownHosts`) or a generic shortener.
 */
export function classifyReferrer(referrer: string | null | undefined, opts: ReferrerOptions = {}): ReferrerClassification | null {
  if (typeof referrer !== "string") return null;
  const url = parseUrl(referrer);
  if (!url) return null;

  if (url.protocol === "android-app:") {
    const pkg = url.hostname.toLowerCase();
    if (pkg === "") return null;
    const known = ANDROID_APP_RULES[pkg];
    if (known) return { ...known, host: pkg, rule: "android_app" };
    const library = exactLibraryLookup(pkg, "");
    if (library) return { channel: libraryChannel(library.medium), source: librarySource(library.source), host: pkg, rule: "parser" };
    return { channel: "referral", source: pkg, host: pkg, rule: "android_app" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;

  const host = normaliseHost(url.hostname);
  if (host === "") return null;
  if (ownHostList(opts.ownHosts).some((own) => isHostUnder(host, own))) return null;

  const path = url.pathname.toLowerCase();
  const ours = ourRule(host, path);
  if (ours !== undefined) {
    if (ours.channel === null) return null;
    return { channel: ours.channel, source: ours.source, host, rule: "known_host" };
  }

  const library = libraryLookup(host, path);
  if (library) return { channel: libraryChannel(library.medium), source: librarySource(library.source), host, rule: "parser" };

  return { channel: "referral", source: registrableHost(host), host, rule: "referral" };
}
