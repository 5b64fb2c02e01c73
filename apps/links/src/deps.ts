import type { Db } from "@lantern/db";
import type { RateLimiter, VisitorHasher } from "@lantern/http";
import type { EventBuffer } from "@lantern/queue/event-buffer";
import type { LinkCache } from "./link-cache.ts";
import type { Logger } from "./logger.ts";
import type { TrackerDeps } from "./routes/tracker.ts";

export interface LinksConfig {
  /** LINKS_PUBLIC_URL: base of the short URLs. */
  publicUrl: string;
  /** Hosts (host or host:port) that serve our short links: never destinations. */
  shortHosts: string[];
  /** Header a trusted proxy sets with the visitor's country; unset: country is null. */
  countryHeader?: string;
  /** Header a trusted proxy sets with the visitor's IP; unset: the socket's address. */
  ipHeader?: string;
  /** LANTERN_API_KEY, accepted as an admin key. */
  bootstrapKey?: string;
}

/** Everything createApp needs, passed in so tests hand over real test instances. */
export interface LinksDeps {
  db: Db;
  buffer: Pick<EventBuffer, "push" | "flush" | "stats">;
  cache: LinkCache;
  hasher: Pick<VisitorHasher, "visitorHash">;
  config: LinksConfig;
  /** Per-key API rate limit; null or absent: no limit. */
  rateLimiter?: RateLimiter | null;
  /** Site tracker beacons: rate limits and the DNT policy (routes/tracker.ts). Absent: in-process limits, DNT honoured. */
  tracker?: TrackerDeps;
  clock?: () => number;
  log?: Logger;
}
