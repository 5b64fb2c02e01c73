import { createAdaptorServer } from "@hono/node-server";
import { createDb, migrate } from "@lantern/db";
import { createVisitorHasher, onShutdownSignal, runService } from "@lantern/http";
import { producerConnection } from "@lantern/queue";
import { createEventBuffer } from "@lantern/queue/event-buffer";
import { pino } from "pino";
import { createApp, type SurveysApp } from "./app.ts";
import { ensureDefaultSurvey } from "./bootstrap.ts";
import { loadEnv } from "./env.ts";
import { embedSnippet, hostedUrl } from "./present.ts";

/**
 * The survey service process: migrates, creates the default survey on first run, serves, and on
 * SIGINT/SIGTERM stops taking requests, flushes the event buffer (to Redis or the spool) and exits 0.
 */
async function main(): Promise<void> {
  const env = loadEnv();
  const log = pino({ level: env.LANTERN_LOG_LEVEL, base: { service: "surveys" } });

  const db = await createDb({ url: env.DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN });
  await migrate(db);
  const defaultSurveyId = await ensureDefaultSurvey(db);

  // Rate-limit counters; the limiter falls back to in-process counting while Redis is away.
  const redis = producerConnection(env.REDIS_URL);
  redis.on("error", (err) => log.debug({ err: err.message }, "rate-limit redis error"));
  const buffer = createEventBuffer({
    redisUrl: env.REDIS_URL,
    prefix: env.LANTERN_QUEUE_PREFIX,
    producer: "surveys",
    spoolDir: env.spoolDir,
    maxBatch: env.SURVEYS_BUFFER_MAX_BATCH,
    maxDelayMs: env.SURVEYS_BUFFER_MAX_DELAY_MS,
    log,
  });
  await buffer.whenReady(3000);
  const hasher = createVisitorHasher({ db, honorDnt: env.LANTERN_HONOR_DNT, onError: (err) => log.warn({ err }, "visitor salt refresh failed") });
  await hasher.start();

  // Listen first: with SURVEYS_PORT=0 the public URL (used in embed snippets) needs the bound port.
  let app: SurveysApp | null = null;
  const server = createAdaptorServer({ fetch: (req, bindings) => app!.fetch(req, bindings) });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.SURVEYS_PORT, env.SURVEYS_HOST, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.SURVEYS_PORT;
  const publicUrl = (env.SURVEYS_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, "");
  app = createApp({
    db,
    buffer,
    redis,
    hasher,
    log,
    config: {
      publicUrl,
      bootstrapKey: env.LANTERN_API_KEY,
      queuePrefix: env.LANTERN_QUEUE_PREFIX,
      ipHeader: env.SURVEYS_IP_HEADER,
      rateLimit: { perIp: env.SURVEYS_RATE_LIMIT_PER_IP, perVisitor: env.SURVEYS_RATE_LIMIT_PER_VISITOR, windowMs: 60_000 },
    },
  });
  log.info({ port }, "listening");
  if (defaultSurveyId) {
    log.info({ surveyId: defaultSurveyId, hostedUrl: hostedUrl(publicUrl, defaultSurveyId), embed: embedSnippet(publicUrl, defaultSurveyId) }, "survey ready");
  }

  onShutdownSignal({ log, graceMs: 15_000 }, async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Idle keep-alive connections would hold close() open; requests in flight still finish.
    if ("closeIdleConnections" in server) server.closeIdleConnections();
    await closed;
    await buffer.close(); // what is not in Redis by now is in the spool, replayed at the next start
    hasher.close();
    app?.dispose();
    await redis.quit().catch(() => undefined);
    db.$client.close();
  });
}

runService("surveys", main);
