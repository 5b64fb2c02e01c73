import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { notFound, onError, requestId } from "@lantern/http";
import type { AdminDeps, AppEnv } from "./context.ts";
import { authenticate, guardWrites } from "./auth/middleware.ts";
import { createQueues } from "./queues.ts";
import { apiKeyRoutes } from "./routes/api-keys.ts";
import { channelRoutes } from "./routes/channels.ts";
import { gateway } from "./routes/gateway.ts";
import { reconcileRoutes } from "./routes/reconcile.ts";
import { reportRoutes } from "./routes/reports.ts";
import { sessionRoutes } from "./routes/session.ts";
import { settingsRoutes } from "./routes/settings.ts";
import { hasSpa, spaRoutes } from "./routes/spa.ts";
import { systemRoutes } from "./routes/system.ts";
import { userRoutes } from "./routes/users.ts";

export type { AdminConfig, AdminDeps } from "./context.ts";

export type AdminApp = Hono<AppEnv> & { close(): Promise<void> };

/**
 * The admin server: sessions and users, the reports API, reconcile and system status, a gateway to
 * the links and surveys management APIs, and the built SPA. Everything it needs comes in `deps`.
 */
export function createApp(deps: AdminDeps): AdminApp {
  const queues = createQueues(deps.redis, deps.queuePrefix);
  const app = new Hono<AppEnv>();

  app.onError(onError((err) => deps.log?.error({ err }, "unhandled error")));
  app.notFound(notFound);
  app.use("*", requestId);
  app.use(
    "*",
    secureHeaders({
      // A Vite build loads only its own hashed scripts and styles; charts draw inline SVG styles,
      // QR codes and previews are data:/blob: images, and link previews may show remote images.
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "blob:", "https:"],
        fontSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      crossOriginEmbedderPolicy: false,
      strictTransportSecurity: deps.config.publicUrl.startsWith("https:") ? "max-age=15552000; includeSubDomains" : false,
      referrerPolicy: "same-origin",
    }),
  );

  app.get("/healthz", (c) => c.json({ ok: true }));
  app.route("/api/session", sessionRoutes(deps));

  const api = new Hono<AppEnv>();
  api.use("*", async (c, next) => {
    await next();
    // API answers are per user: never cached by a shared cache.
    if (!c.res.headers.has("cache-control")) c.header("Cache-Control", "no-store");
  });
  api.use("*", authenticate(deps), guardWrites(deps));
  api.route("/reports", reportRoutes(deps));
  api.route("/reconcile", reconcileRoutes(deps, queues));
  api.route("/system", systemRoutes(deps, queues));
  api.route("/users", userRoutes(deps));
  api.route("/api-keys", apiKeyRoutes(deps));
  api.route("/settings", settingsRoutes(deps));
  api.route("/channels", channelRoutes(deps));
  const links = gateway(deps, "links");
  const surveys = gateway(deps, "surveys");
  api.all("/links", links);
  api.all("/links/*", links);
  api.all("/surveys", surveys);
  api.all("/surveys/*", surveys);
  api.all("/answer-labels", surveys);
  api.all("/answer-labels/*", surveys);
  app.route("/api", api);

  if (hasSpa(deps.config.distDir)) app.route("/", spaRoutes(deps.config.distDir));

  return Object.assign(app, { close: () => queues.close() });
}
