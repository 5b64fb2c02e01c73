import { serve } from "@hono/node-server";
import pino from "pino";
import { createDb, migrate } from "@lantern/db";
import { onShutdownSignal } from "@lantern/http";
import { producerConnection } from "@lantern/queue";
import { createApp } from "./app.ts";
import { ensureAdminUser } from "./bootstrap.ts";
import { parseEnv } from "./env.ts";

const env = parseEnv();
const log = pino({ level: env.LANTERN_LOG_LEVEL, base: { service: "admin" } });

const db = await createDb({ url: env.DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN });
await migrate(db);
const admin = await ensureAdminUser(db, { email: env.LANTERN_ADMIN_EMAIL, password: env.LANTERN_ADMIN_PASSWORD });
if (admin.password) log.warn({ email: admin.email }, `first admin created: ${admin.email} / ${admin.password} (shown once)`);

const redis = producerConnection(env.REDIS_URL);
redis.on("error", (err) => log.warn({ err: { message: err.message } }, "redis error"));

const app = createApp({
  db,
  redis,
  queuePrefix: env.LANTERN_QUEUE_PREFIX,
  log,
  config: {
    publicUrl: env.ADMIN_PUBLIC_URL,
    apiKey: env.LANTERN_API_KEY,
    linksUrl: env.LINKS_INTERNAL_URL,
    surveysUrl: env.SURVEYS_INTERNAL_URL,
    distDir: env.ADMIN_DIST_DIR,
    honorDntDefault: env.LANTERN_HONOR_DNT,
    trustProxy: env.ADMIN_TRUST_PROXY,
  },
});

const server = serve({ fetch: app.fetch, port: env.ADMIN_PORT, hostname: env.ADMIN_HOST }, (info) => {
  log.info({ port: info.port }, "listening");
});

onShutdownSignal({ log, graceMs: 10_000 }, async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  });
  await app.close();
  redis.disconnect();
  db.$client.close();
});
