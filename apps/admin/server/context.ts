import type { Redis } from "ioredis";
import type { Db } from "@lantern/db";
import type { Caller } from "@lantern/http";
import type { ActiveSession } from "./auth/sessions.ts";

export interface AdminConfig {
  /** ADMIN_PUBLIC_URL: its origin is the one allowed in Origin headers; https makes cookies Secure. */
  publicUrl: string;
  /** LANTERN_API_KEY: accepted as an admin key, and what the gateway sends to the services. */
  apiKey?: string;
  linksUrl: string;
  surveysUrl: string;
  /** The built SPA; served when the folder holds an index.html. */
  distDir?: string | null;
  gatewayTimeoutMs?: number;
  /** LANTERN_HONOR_DNT: default of the privacy setting until an admin changes it. */
  honorDntDefault?: boolean;
  /** Use X-Forwarded-For as the client address (only behind a proxy you run). */
  trustProxy?: boolean;
  signInLimits?: { perIp: number; perEmail: number; windowMs: number };
  /** How long a report result is reused within one reconcile run (default 10 s; 0 turns it off). */
  reportCacheMs?: number;
}

export interface AdminDeps {
  db: Db;
  /** For the sign-in rate limit and the BullMQ queues; null runs without them (queues report "unavailable"). */
  redis: Redis | null;
  queuePrefix: string;
  config: AdminConfig;
  clock?: () => number;
  log?: { error(obj: unknown, msg?: string): void; info?(obj: unknown, msg?: string): void };
}

export type Auth = { kind: "session"; session: ActiveSession } | { kind: "api_key"; caller: Caller };

export type AppEnv = { Variables: { requestId: string; auth: Auth; caller: Caller } };
