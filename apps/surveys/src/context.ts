import type { Db } from "@lantern/db";
import type { Caller } from "@lantern/http";
import type { LanternEvent } from "@lantern/queue";
import type { Redis } from "ioredis";
import type { PublicLimits } from "./abuse.ts";
import type { SurveyStore } from "./survey-store.ts";

/** Where events go: the event buffer in production (push is synchronous and never throws on the request path). */
export interface EventSink {
  push(event: LanternEvent): void;
}

export interface SurveysConfig {
  /** Public base URL of this service, used in embed snippets and hosted links. */
  publicUrl: string;
  /** LANTERN_API_KEY: accepted as an admin key. */
  bootstrapKey?: string;
  /** Redis key prefix of the rate limiter (the queue prefix, so tests stay isolated). */
  queuePrefix: string;
  /** A header set by a trusted proxy with the client's IP (x-forwarded-for: its first entry). Unset: the socket address. */
  ipHeader?: string;
  /** Public writes (answers, views, skips) allowed per window, per client address and per visitor hash. */
  rateLimit: { perIp: number; perVisitor: number; windowMs: number };
  /** Largest public request body; larger ones get 413. */
  publicBodyLimitBytes: number;
  /** Largest management request body. */
  apiBodyLimitBytes: number;
  /** How long a survey definition stays cached for the public endpoints. */
  surveyCacheTtlMs: number;
}

export const DEFAULT_CONFIG: SurveysConfig = {
  publicUrl: "http://localhost:3002",
  queuePrefix: "lantern",
  rateLimit: { perIp: 120, perVisitor: 30, windowMs: 60_000 },
  publicBodyLimitBytes: 16 * 1024,
  apiBodyLimitBytes: 256 * 1024,
  surveyCacheTtlMs: 5_000,
};

export interface Logger {
  error(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
}

export interface AppDeps {
  db: Db;
  buffer: EventSink;
  redis?: Redis | null;
  config?: Partial<SurveysConfig>;
  clock?: () => number;
  log?: Logger;
}

/** What every route file gets. */
export interface Services {
  db: Db;
  buffer: EventSink;
  store: SurveyStore;
  clock: () => number;
  config: SurveysConfig;
  redis: Redis | null;
  limits: PublicLimits;
  log?: Logger;
}

export type AppEnv = { Variables: { requestId: string; caller: Caller } };
