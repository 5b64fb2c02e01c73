import { apiKeyAuth, createVisitorHasher, errorBody, notFound, onError, requestId, type VisitorHasher } from "@lantern/http";
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { createPublicLimits } from "./abuse.ts";
import { type AppDeps, type AppEnv, DEFAULT_CONFIG, type Services, type SurveysConfig } from "./context.ts";
import { openApiDocument } from "./openapi.ts";
import { answerLabelRoutes } from "./routes/answer-labels.ts";
import { hostedRoutes } from "./routes/hosted.tsx";
import { publicResponseRoutes } from "./routes/public-responses.ts";
import { publicSurveyRoutes } from "./routes/public-surveys.ts";
import { publicSkipRoutes, publicViewRoutes } from "./routes/public-views.ts";
import { responseRoutes } from "./routes/responses.ts";
import { surveyRoutes } from "./routes/surveys.ts";
import { widgetRoutes } from "./routes/widget.ts";
import { createSurveyStore } from "./survey-store.ts";

export interface SurveysApp extends Hono<AppEnv> {
  /** Stops the background work the app started itself (the visitor salt refresher when none was passed in). */
  dispose(): void;
}

/**
 * The survey service. Public: the hosted page /s/:id, /widget.js and the /v1 endpoints (CORS open,
 * rate-limited, small bodies). Private: /api/... with API keys.
 */
export function createApp(deps: AppDeps & { hasher?: VisitorHasher }): SurveysApp {
  const config: SurveysConfig = { ...DEFAULT_CONFIG, ...deps.config, rateLimit: { ...DEFAULT_CONFIG.rateLimit, ...deps.config?.rateLimit } };
  const clock = deps.clock ?? Date.now;
  const redis = deps.redis ?? null;
  const ownHasher = !deps.hasher;
  const hasher = deps.hasher ?? createVisitorHasher({ db: deps.db, honorDnt: true, onError: (err) => deps.log?.warn({ err }, "visitor salt refresh failed") });
  if (ownHasher) hasher.start().catch((err) => deps.log?.warn({ err }, "visitor salts not loaded yet"));
  const limits = createPublicLimits({ redis, config, hasher });
  const store = createSurveyStore(deps.db, clock, { cacheTtlMs: config.surveyCacheTtlMs });
  const s: Services = { db: deps.db, buffer: deps.buffer, store, clock, config, redis, limits, log: deps.log };

  const app = new Hono<AppEnv>() as SurveysApp;
  app.dispose = () => {
    if (ownHasher) hasher.close();
  };
  app.onError(onError((err) => deps.log?.error({ err }, "unhandled error")));
  app.notFound(notFound);
  app.use("*", requestId);
  app.use("*", async (c, next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
  });

  const limitBody = (maxSize: number): MiddlewareHandler =>
    bodyLimit({ maxSize, onError: (c) => c.json(errorBody(c, "payload_too_large", `Keep the body under ${Math.floor(maxSize / 1024)} KB.`), 413) });

  app.get("/healthz", (c) => c.json({ ok: true }));
  let openApi: ReturnType<typeof openApiDocument> | null = null;
  app.get("/openapi.json", (c) => {
    openApi ??= openApiDocument(config.publicUrl);
    return c.json(openApi);
  });

  // Management API.
  app.use("/api/*", limitBody(config.apiBodyLimitBytes));
  app.use("/api/*", apiKeyAuth({ db: deps.db, bootstrapKey: config.bootstrapKey }));
  app.route("/api/surveys", surveyRoutes(s));
  app.route("/api/surveys", responseRoutes(s));
  app.route("/api/answer-labels", answerLabelRoutes(s));

  // Public API: open to every origin (no cookies are involved), small bodies, rate-limited writes.
  const limitWrites = limits.writes;
  app.use("/v1/*", cors({ origin: "*", allowMethods: ["GET", "POST", "OPTIONS"], allowHeaders: ["Content-Type"], maxAge: 86_400 }));
  app.use("/v1/*", limitBody(config.publicBodyLimitBytes));
  app.on("POST", "/v1/*", limitWrites);
  app.route("/v1/surveys", publicSurveyRoutes(s));
  app.route("/v1/responses", publicResponseRoutes(s));
  app.route("/v1/views", publicViewRoutes(s));
  app.route("/v1/skips", publicSkipRoutes(s));

  // Hosted page.
  app.use("/s/*", limitBody(config.publicBodyLimitBytes));
  app.on("POST", "/s/*", limitWrites);
  app.route("/s", hostedRoutes(s));

  app.route("/", widgetRoutes());
  return app;
}
