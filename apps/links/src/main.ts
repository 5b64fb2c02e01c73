import { hostname } from "node:os";
import { createDb, migrate } from "@lantern/db";
import { createRateLimiter, createVisitorHasher, onShutdownSignal, runService } from "@lantern/http";
import { producerConnection } from "@lantern/queue";
import { createEventBuffer } from "@lantern/queue/event-buffer";
import { pino } from "pino";
import { createApp, type LinksDeps } from "./app.ts";
import { shortHostsOf } from "./links/destination.ts";
import { createLinkCache } from "./link-cache.ts";
import { beaconLimits } from "./routes/tracker.ts";
import { loadEnv } from "./env.ts";
import { createLinksServer } from "./server.ts";

/**
 * The links service process, the only place that starts a server. Start-up: database (migrated),
 * visitor-hash salts, link cache, event buffer; then listen. SIGINT/SIGTERM: stop accepting connections, let requests in flight finish,
 * flush the event buffer (to Redis, or to the spool file), close, exit 0.
 */
async function main(): Promise<void> {
  const env = loadEnv();
  const log = pino({ level: env.LANTERN_LOG_LEVEL, base: { service: "links" } });

  const db = await createDb({ url: env.DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN });
  // The worker may be migrating the same file at this very moment: a later attempt sees its work done.
  for (let attempt = 1; ; attempt++) {
    try {
      await migrate(db);
      break;
    } catch (err) {
      if (attempt >= 4) throw err;
      await new Promise((r) => setTimeout(r, 300 * attempt));
    }
  }

  const hasher = createVisitorHasher({ db, honorDnt: env.LANTERN_HONOR_DNT, onError: (err) => log.warn({ err: String(err) }, "salt refresh failed") });
  await hasher.start();

  const buffer = createEventBuffer({
    redisUrl: env.REDIS_URL,
    prefix: env.LANTERN_QUEUE_PREFIX,
    producer: "links",
    spoolDir: env.spoolDir,
    maxBatch: env.LINKS_BUFFER_MAX_BATCH,
    maxDelayMs: env.LINKS_BUFFER_MAX_DELAY_MS,
    log,
  });
  const cache = createLinkCache({
    db,
    redisUrl: env.REDIS_URL,
    prefix: env.LANTERN_QUEUE_PREFIX,
    maxEntries: env.LINKS_CACHE_MAX,
    negativeTtlMs: env.LINKS_NEGATIVE_CACHE_MS,
    log,
  });
  await cache.start();
  // Bounded wait: with Redis away the service starts anyway and spools.
  if (!(await buffer.whenReady(3000))) log.warn({ redis: env.REDIS_URL }, "Redis is not reachable: serving anyway, events go to the spool");

  const limiterRedis = env.LINKS_API_RATE_LIMIT > 0 ? producerConnection(env.REDIS_URL) : null;
  limiterRedis?.on("error", () => {}); // the limiter falls back to an in-process window
  const rateLimiter = limiterRedis ? createRateLimiter({ redis: limiterRedis, limit: env.LINKS_API_RATE_LIMIT, windowMs: 60_000, prefix: `${env.LANTERN_QUEUE_PREFIX}:ratelimit:links` }) : null;

  const deps: LinksDeps = {
    db,
    buffer,
    cache,
    hasher,
    rateLimiter,
    // Beacon limits share the API limiter's connection (in-process when LINKS_API_RATE_LIMIT=0).
    tracker: { honorDnt: env.LANTERN_HONOR_DNT, limits: beaconLimits({ redis: limiterRedis, prefix: env.LANTERN_QUEUE_PREFIX }) },
    log,
    config: {
      publicUrl: env.LINKS_PUBLIC_URL.replace(/\/+$/, ""),
      shortHosts: shortHostsOf(env.LINKS_PUBLIC_URL, env.LINKS_SHORT_HOSTS),
      countryHeader: env.LINKS_COUNTRY_HEADER,
      ipHeader: env.LINKS_IP_HEADER,
      bootstrapKey: env.LANTERN_API_KEY,
    },
  };
  const app = createApp(deps);

  const server = createLinksServer(app, deps);
  server.listen(env.LINKS_PORT, env.LINKS_HOST, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : env.LINKS_PORT;
    log.info({ port, host: hostname(), publicUrl: env.LINKS_PUBLIC_URL }, "listening");
  });

  onShutdownSignal({ log, graceMs: 15_000, tooLong: "shutdown took too long; exiting (unsent events are in the spool)" }, async () => {
    // Stop accepting; idle keep-alive sockets are closed now, busy ones after their response.
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 5_000).unref();
    });
    await buffer.close(); // flushes: to Redis, or to the spool file
    await cache.close();
    hasher.close();
    limiterRedis?.disconnect();
    db.$client.close();
  });
}

runService("links", main);
