import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { ApiError, asksNotToTrack, createRateLimiter, describeZodError, newId, type RateLimiter, requestId } from "@lantern/http";
import { lanternEvent } from "@lantern/queue";
import type { Context } from "hono";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Redis } from "ioredis";
import type { LinksDeps } from "../deps.ts";
import { BEACON_SCHEMAS, type BeaconKind, beaconEvent, beaconVisitor } from "../tracker/beacons.ts";
import { trackerScript } from "../tracker/build.ts";
import type { AppEnv } from "./router.ts";

/**
 * The site tracker's public side: GET /lantern.js and its beacons POST /t/landing, /t/arrival, /t/visit
 * and /t/conversion (one route per kind of BEACON_SCHEMAS). Beacons are answered 202 as soon as they
 * are validated: the event goes into the same in-memory buffer as clicks (push() is synchronous), and
 * only the rate limiter talks to Redis (with its own short timeout and an in-process fallback).
 */

export const MAX_BEACON_BYTES = 8 * 1024;

export interface BeaconLimits {
  perIp: RateLimiter;
  perVisitor: RateLimiter;
}

export interface TrackerDeps {
  /** Beacon rate limits. Absent: in-process limits with the defaults; null: none (tests). */
  limits?: BeaconLimits | null;
  /** LANTERN_HONOR_DNT (default true): see beaconEvent for what DNT / Sec-GPC change. */
  honorDnt?: boolean;
}

/** A page view sends one or two beacons; these leave room for busy offices behind one address. */
export const BEACON_LIMIT_PER_IP = 600;
export const BEACON_LIMIT_PER_VISITOR = 60;

/** Rate limits kept in Redis (shared by every instance); without Redis, per process. */
export function beaconLimits(options: { redis: Redis | null; prefix: string; perIp?: number; perVisitor?: number; windowMs?: number }): BeaconLimits {
  const windowMs = options.windowMs ?? 60_000;
  return {
    perIp: createRateLimiter({ redis: options.redis, limit: options.perIp ?? BEACON_LIMIT_PER_IP, windowMs, prefix: `${options.prefix}:ratelimit:beacon:ip` }),
    perVisitor: createRateLimiter({ redis: options.redis, limit: options.perVisitor ?? BEACON_LIMIT_PER_VISITOR, windowMs, prefix: `${options.prefix}:ratelimit:beacon:v` }),
  };
}

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "content-type",
  "access-control-max-age": "86400",
};

type TrackerEnv = AppEnv & { Bindings: { incoming?: IncomingMessage } };

/** The client's address: the trusted proxy's header when configured (first of a list), else the socket's. */
function clientIp(c: Context<TrackerEnv>, ipHeader: string | undefined): string {
  if (ipHeader) {
    const value = c.req.header(ipHeader)?.split(",")[0]?.trim();
    if (value) return value.slice(0, 64);
  }
  return c.env?.incoming?.socket?.remoteAddress ?? "unknown";
}

export function trackerRoutes(deps: LinksDeps) {
  const { buffer, hasher, config } = deps;
  const clock = deps.clock ?? Date.now;
  const honorDnt = deps.tracker?.honorDnt ?? true;
  const limits = deps.tracker?.limits === undefined ? beaconLimits({ redis: null, prefix: "local" }) : deps.tracker.limits;
  // Limiter keys are salted hashes, never raw addresses: the daily visitor salt (shared by instances),
  // or a per-process salt until it is loaded.
  const fallbackSalt = randomBytes(16).toString("hex");
  const ipKey = (ip: string) => (hasher.visitorHash(ip, "") ?? createHash("sha256").update(`${fallbackSalt}\n${ip}`).digest("hex")).slice(0, 40);
  // Start minifying now, so the first request does not wait for it.
  void trackerScript().catch(() => {});

  const app = new Hono<TrackerEnv>();

  app.on(["GET", "HEAD"], "/lantern.js", async (c) => {
    const script = await trackerScript();
    const etag = `W/"${script.version}"`;
    const headers: Record<string, string> = {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": c.req.query("v") === script.version ? "public, max-age=31536000, immutable" : "public, max-age=3600, stale-while-revalidate=86400",
      etag,
      vary: "Accept-Encoding",
      "access-control-allow-origin": "*",
      // Sites that isolate themselves (COEP: require-corp) may still load it.
      "cross-origin-resource-policy": "cross-origin",
      "x-content-type-options": "nosniff",
    };
    const ifNoneMatch = c.req.header("if-none-match");
    if (ifNoneMatch?.split(",").some((t) => t.trim().replace(/^W\//, "") === etag.slice(2))) return new Response(null, { status: 304, headers });
    const accepts = acceptedEncodings(c.req.header("accept-encoding"));
    let body: string | Uint8Array<ArrayBuffer> = script.code;
    if (accepts.has("br")) {
      body = script.brotli;
      headers["content-encoding"] = "br";
    } else if (accepts.has("gzip")) {
      body = script.gzip;
      headers["content-encoding"] = "gzip";
    }
    return new Response(c.req.method === "HEAD" ? null : body, { status: 200, headers });
  });

  app.use("/t/*", requestId);
  app.use("/t/*", async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(CORS)) c.res.headers.set(k, v);
    c.res.headers.set("cache-control", "no-store");
    c.res.headers.set("x-content-type-options", "nosniff");
  });
  app.options("/t/:kind", (c) => c.body(null, 204));
  app.use(
    "/t/*",
    bodyLimit({
      maxSize: MAX_BEACON_BYTES,
      onError: () => {
        throw new ApiError(413, "payload_too_large", `A beacon may be at most ${MAX_BEACON_BYTES / 1024} KiB.`);
      },
    }),
  );

  const beacon = (kind: BeaconKind) => async (c: Context<TrackerEnv>) => {
    if (limits && !(await limits.perIp.hit(ipKey(clientIp(c, config.ipHeader))))) throw tooMany(c);

    const type = c.req.header("content-type") ?? "";
    // text/plain is what sendBeacon sends without a CORS preflight.
    if (!/^\s*(text\/plain|application\/json)\b/i.test(type)) throw new ApiError(415, "unsupported_media_type", "Send the beacon as JSON (Content-Type: text/plain or application/json).");
    let raw: unknown;
    try {
      raw = JSON.parse(await c.req.text());
    } catch (err) {
      if (err instanceof ApiError) throw err; // 413 from the body limit
      throw new ApiError(400, "bad_request", "The body is not valid JSON.");
    }
    const parsed = BEACON_SCHEMAS[kind].safeParse(raw);
    if (!parsed.success) throw new ApiError(400, "validation_failed", describeZodError(parsed.error));

    const visitor = beaconVisitor(parsed.data);
    if (limits && visitor && !(await limits.perVisitor.hit(visitor))) throw tooMany(c);

    const event = beaconEvent(kind, parsed.data, {
      id: newId(),
      ts: clock(),
      userAgent: c.req.header("user-agent") ?? null,
      doNotTrack: honorDnt && asksNotToTrack({ dnt: c.req.header("dnt"), gpc: c.req.header("sec-gpc") }),
      anonymousId: () => newId(),
    });
    if (event) {
      // The worker validates again; checking here keeps a bad event out of a batch it would reject whole.
      const checked = lanternEvent.safeParse(event);
      if (!checked.success) throw new ApiError(400, "validation_failed", describeZodError(checked.error));
      buffer.push(checked.data);
    }
    return c.json({ accepted: true }, 202);
  };

  for (const kind of Object.keys(BEACON_SCHEMAS) as BeaconKind[]) app.post(`/t/${kind}`, beacon(kind));
  return app;
}

function tooMany(c: Context): ApiError {
  c.header("retry-after", "60");
  return new ApiError(429, "rate_limited", "Too many beacons; try again in a minute.");
}

/** Encodings the client accepts (q=0 excluded). */
function acceptedEncodings(header: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const part of (header ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (q && Number(q.slice(2)) === 0) continue;
    out.add(name);
  }
  return out;
}
