import type { Db } from "@lantern/db";
import type { LinkPreview } from "@lantern/db/schema";
import { LINK_INVALIDATION_CHANNEL, producerConnection } from "@lantern/queue";
import { Redis } from "ioredis";
import { redirectTarget, type RedirectTarget } from "./links/destination.ts";
import { findLinkById, findLinkBySlug, type LinkRow, linksChangedSince, loadLiveLinks } from "./links/repo.ts";
import type { Logger } from "./logger.ts";

/**
 * The in-process copy of the links table that the redirect path reads, so a click never waits on the
 * database or Redis.
 *
 * - At start: every live link, newest first, up to `maxEntries`.
 * - Coherence across instances: a writer updates its own copy at once and publishes the link id on
 *   `${prefix}:${LINK_INVALIDATION_CHANNEL}`; every instance re-reads that one link. Messages missed
 *   while Redis was away are caught up by re-reading links changed since the last sync, after every
 *   reconnect and every `resyncMs`.
 * - A miss (a link made a moment ago elsewhere, or beyond `maxEntries`) costs ONE database lookup;
 *   concurrent misses of a slug share it, and "no such slug" is remembered for `negativeTtlMs`, so
 *   a burst of requests for a bad slug costs one query per slug per interval.
 */

export interface CachedLink {
  id: string;
  slug: string;
  preview: LinkPreview | null;
  expiresAt: number | null;
  archivedAt: number | null;
  target: RedirectTarget;
  /** The preview page, rendered on first use (entries are replaced, never mutated, when a link changes). */
  previewHtml?: string;
}

export interface LinkCacheStats {
  size: number;
  negative: number;
  subscribed: boolean;
  lastSyncAt: number | null;
  lookups: number;
}

export interface LinkCache {
  start(): Promise<void>;
  /** The cached link, null when the slug is known not to exist, undefined when the cache cannot tell. */
  peek(slug: string): CachedLink | null | undefined;
  /** Looks a slug up in the database (once, however many requests wait for it) and caches the answer. */
  lookup(slug: string): Promise<CachedLink | null>;
  /** Call after writing a link: updates this instance now and tells the others. */
  changed(row: LinkRow, previousSlug?: string): void;
  stats(): LinkCacheStats;
  close(): Promise<void>;
}

export interface LinkCacheOptions {
  db: Db;
  redisUrl: string;
  prefix: string;
  maxEntries?: number;
  negativeTtlMs?: number;
  resyncMs?: number;
  now?: () => number;
  log?: Logger;
}

export function toCachedLink(row: LinkRow): CachedLink {
  return {
    id: row.id,
    slug: row.slug,
    preview: row.preview ?? null,
    expiresAt: row.expiresAt ?? null,
    archivedAt: row.archivedAt ?? null,
    target: redirectTarget(row.url, row.utm),
  };
}

interface Invalidation {
  id: string;
  previousSlug?: string;
}

export function createLinkCache(options: LinkCacheOptions): LinkCache {
  const { db, log } = options;
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 200_000;
  const negativeTtlMs = options.negativeTtlMs ?? 5_000;
  const resyncMs = options.resyncMs ?? 60_000;
  const channel = `${options.prefix}:${LINK_INVALIDATION_CHANNEL}`;

  const bySlug = new Map<string, CachedLink>();
  const slugById = new Map<string, string>();
  const missing = new Map<string, number>();
  const inflight = new Map<string, Promise<CachedLink | null>>();
  let lastSyncAt: number | null = null;
  let lookups = 0;
  let subscribed = false;
  let everSubscribed = false;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const subscriber = new Redis(options.redisUrl, { retryStrategy: (times) => Math.min(times * 200, 2000), maxRetriesPerRequest: null });
  const publisher = producerConnection(options.redisUrl);
  subscriber.on("error", () => {}); // reconnects on its own; state is visible in stats()
  publisher.on("error", () => {});

  const forget = (slug: string) => {
    const old = bySlug.get(slug);
    if (old) slugById.delete(old.id);
    bySlug.delete(slug);
  };

  const put = (row: LinkRow) => {
    const previous = slugById.get(row.id);
    if (previous !== undefined && previous !== row.slug) forget(previous);
    bySlug.delete(row.slug); // re-inserted at the end: Map order doubles as "most recently loaded"
    bySlug.set(row.slug, toCachedLink(row));
    slugById.set(row.id, row.slug);
    missing.delete(row.slug);
    while (bySlug.size > maxEntries) {
      const oldest = bySlug.keys().next().value as string;
      forget(oldest);
    }
  };

  const sync = async () => {
    const started = now();
    // A little overlap: a write committed just before the previous sync read is read again, never missed.
    const rows = await linksChangedSince(db, (lastSyncAt ?? 0) - 2_000);
    for (const row of rows) put(row);
    lastSyncAt = started;
  };

  const syncInBackground = () => {
    sync().catch((err) => log?.warn({ err: String(err) }, "link cache catch-up failed; will retry"));
  };

  const refetch = async (message: Invalidation) => {
    if (message.previousSlug) forget(message.previousSlug);
    const row = await findLinkById(db, message.id);
    if (row) put(row);
  };

  subscriber.on("message", (ch, payload) => {
    if (ch !== channel) return;
    try {
      const message = JSON.parse(payload) as Invalidation;
      if (typeof message.id !== "string") return;
      refetch(message).catch((err) => log?.warn({ err: String(err) }, "link cache refresh failed"));
    } catch {
      // not ours
    }
  });
  subscriber.on("ready", () => {
    subscribed = true;
    // Announcements published while we were disconnected are lost: read what changed meanwhile.
    if (everSubscribed) syncInBackground();
    everSubscribed = true;
  });
  subscriber.on("close", () => {
    subscribed = false;
  });

  return {
    async start() {
      const started = now();
      const rows = await loadLiveLinks(db, maxEntries);
      for (const row of rows.reverse()) put(row); // oldest first, so eviction drops the oldest
      lastSyncAt = started;
      // Waited for a moment only: with Redis away, the subscription waits in ioredis' queue until it connects.
      const subscribing = subscriber.subscribe(channel).then(
        () => {
          subscribed = true;
        },
        () => {},
      );
      await Promise.race([subscribing, new Promise((r) => setTimeout(r, 2000).unref())]);
      timer = setInterval(syncInBackground, resyncMs);
      timer.unref();
    },

    peek(slug) {
      const hit = bySlug.get(slug);
      if (hit) return hit;
      const until = missing.get(slug);
      if (until !== undefined) {
        if (until > now()) return null;
        missing.delete(slug);
      }
      return undefined;
    },

    lookup(slug) {
      const pending = inflight.get(slug);
      if (pending) return pending;
      lookups += 1;
      const promise = findLinkBySlug(db, slug)
        .then((row) => {
          if (row) {
            put(row);
            return bySlug.get(slug) ?? null;
          }
          if (negativeTtlMs > 0) {
            if (missing.size > 100_000) missing.clear();
            missing.set(slug, now() + negativeTtlMs);
          }
          return null;
        })
        .finally(() => inflight.delete(slug));
      inflight.set(slug, promise);
      return promise;
    },

    changed(row, previousSlug) {
      if (previousSlug && previousSlug !== row.slug) forget(previousSlug);
      put(row);
      const message: Invalidation = previousSlug && previousSlug !== row.slug ? { id: row.id, previousSlug } : { id: row.id };
      if (publisher.status !== "ready") {
        log?.warn({ id: row.id }, "Redis away: other instances see this link change at their next catch-up");
        return;
      }
      publisher.publish(channel, JSON.stringify(message)).catch(() => {
        log?.warn({ id: row.id }, "could not announce a link change; other instances catch up later");
      });
    },

    stats() {
      return { size: bySlug.size, negative: missing.size, subscribed, lastSyncAt, lookups };
    },

    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
