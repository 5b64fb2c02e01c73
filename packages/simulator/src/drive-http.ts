import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { LanternEvent } from "@lantern/queue";
import { createEventBuffer, type EventBuffer } from "@lantern/queue/event-buffer";
import { answerFields, idOf } from "./events.ts";
import type { Target } from "./targets.ts";
import type { Action } from "./world.ts";

/**
 * Drives the real services over HTTP, as browsers, chat apps and a site would: short links followed
 * with the clicker's user agent and referrer (redirects not followed: the 302 is the answer, and its
 * `lcid` is the click id the site would see), preview fetches with the apps' fetchers' user agents,
 * tracker beacons, survey views, skips and answers. Everything happens now: HTTP cannot backdate, so
 * a world's days are compressed into the run (use the queue driver for backdated worlds).
 *
 * One person's actions run in order (a landing after its click, an answer after its conversion);
 * different people run side by side, up to `concurrency` requests at once. A click waits for the
 * preview fetch of the paste it came from, as in a chat, so the worker can see which app drew it.
 *
 * The tracker's beacons (/t/landing, /t/arrival, /t/visit, /t/conversion on the links service) are
 * used when the links service has them; otherwise those events go through the ingestion queue
 * (`redisUrl`), and the result says so. Server-side conversions (visitors whose tracker did not run)
 * are reported as the site's server would, to POST /api/conversions with `apiKey` (the queue without
 * a key, or with a links service that predates the endpoint).
 */

export interface HttpDriveOptions {
  linksUrl: string;
  surveysUrl: string;
  /** 127.0.0.1 only, unless `allowRemote`: this is a load driver. */
  allowRemote?: boolean;
  concurrency?: number;
  /** For POST /api/conversions (scope conversions:write): server-side conversions. */
  apiKey?: string;
  /** For tracker events the links service cannot take over HTTP. */
  redisUrl?: string;
  prefix?: string;
  onProgress?: (done: number, total: number) => void;
  /** Timeout of one request. */
  requestTimeoutMs?: number;
}

export interface HttpDriveResult {
  requests: number;
  /** Requests answered with something else than expected, by action type and status. */
  unexpected: Record<string, number>;
  /** Answers refused with 429 (rate limits: set SURVEYS_IP_HEADER=x-forwarded-for so that each simulated visitor has its own address). */
  rateLimited: number;
  /** Events sent through the queue because the links service has no endpoint for them (or no API key was given). */
  viaQueue: Record<string, number>;
  trackerBeacons: { landing: boolean; arrival: boolean; visit: boolean; conversion: boolean };
  /** Whether server-side conversions went to POST /api/conversions. */
  conversionsApi: boolean;
  /** World click id -> the click id (lcid) the links service gave it. */
  clickIds: Map<string, string>;
  ms: number;
}

const LOCAL = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** The object without its null values (an API takes a missing field where a beacon takes null too). */
const dropNulls = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));

function checkLocal(url: string, allowRemote: boolean | undefined): string {
  const u = new URL(url);
  if (!allowRemote && !LOCAL.has(u.hostname)) throw new Error(`refusing to drive ${url}: the HTTP driver only talks to 127.0.0.1 (pass allowRemote to override)`);
  return url.replace(/\/+$/, "");
}

/**
 * Whether the links service has a beacon: a POST with a body no beacon accepts (a visitor id that is
 * not a token) gets a 4xx from a beacon that exists and a 404 where there is none. Never an empty body:
 * an empty conversion beacon is a valid, anonymous conversion.
 */
async function hasBeacon(base: string, path: string): Promise<boolean> {
  try {
    const res = await fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"visitorId":"!"}' });
    await res.arrayBuffer();
    return res.status !== 404 && res.status !== 405;
  } catch {
    return false;
  }
}

/**
 * Whether the links service takes server-side conversions with this key: a body it must refuse gets a
 * 400 where it does, a 404 from a links service without the endpoint. A key it refuses (401, 403) or a
 * limit (429) is an error to fix, not a reason to fall back to the queue unnoticed.
 */
async function hasConversionsApi(base: string, apiKey: string | undefined): Promise<boolean> {
  if (!apiKey) return false;
  let res: Response;
  try {
    res = await fetch(`${base}/api/conversions`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` }, body: "{}" });
  } catch {
    return false;
  }
  const text = await res.text();
  if (res.status === 400) return true;
  if (res.status === 404 || res.status === 405) return false;
  const advice = res.status === 401 || res.status === 403 ? ": give an API key with the conversions:write scope" : "";
  throw new Error(`POST ${base}/api/conversions answered ${res.status} to the driver's probe (${text.slice(0, 200)})${advice}`);
}

export async function driveHttp(actions: readonly Action[], target: Target, options: HttpDriveOptions): Promise<HttpDriveResult> {
  const started = Date.now();
  const links = checkLocal(options.linksUrl, options.allowRemote);
  const surveys = checkLocal(options.surveysUrl, options.allowRemote);
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const timeout = options.requestTimeoutMs ?? 15_000;
  const { run } = target;

  const beacons = {
    landing: await hasBeacon(links, "/t/landing"),
    arrival: await hasBeacon(links, "/t/arrival"),
    visit: await hasBeacon(links, "/t/visit"),
    conversion: await hasBeacon(links, "/t/conversion"),
  };
  const conversionsApi = await hasConversionsApi(links, options.apiKey);
  let buffer: EventBuffer | null = null;
  let spoolDir: string | null = null;
  const needsQueue =
    !beacons.landing || !beacons.arrival || !beacons.visit || !beacons.conversion || (!conversionsApi && actions.some((a) => a.type === "conversion" && a.origin === "api"));
  if (needsQueue) {
    if (!options.redisUrl) throw new Error("the links service has no tracker beacons (/t/...) and no redisUrl was given to send tracker events through the queue");
    spoolDir = mkdtempSync(join(tmpdir(), "lantern-sim-spool-"));
    buffer = createEventBuffer({ redisUrl: options.redisUrl, prefix: options.prefix ?? "lantern", producer: "simulator", spoolDir, maxBatch: 500, maxDelayMs: 100 });
    await buffer.whenReady(5000);
  }

  const result: HttpDriveResult = { requests: 0, unexpected: {}, rateLimited: 0, viaQueue: {}, trackerBeacons: beacons, conversionsApi, clickIds: new Map(), ms: 0 };
  const note = (what: string) => {
    result.unexpected[what] = (result.unexpected[what] ?? 0) + 1;
  };
  const queued = (e: LanternEvent) => {
    buffer!.push(e);
    result.viaQueue[e.type] = (result.viaQueue[e.type] ?? 0) + 1;
  };
  const id = (worldId: string | null) => (worldId === null ? null : idOf(run, worldId));
  const lcidOf = (click: string | null) => (click === null ? null : (result.clickIds.get(click) ?? null));

  async function request(type: string, url: string, init: RequestInit, expect: number[]): Promise<Response | null> {
    result.requests++;
    try {
      const res = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(timeout) });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status === 429) result.rateLimited++;
      else if (!expect.includes(res.status)) note(`${type} ${res.status}`);
      return res;
    } catch (err) {
      note(`${type} ${(err as Error).name}`);
      return null;
    }
  }

  const post = (type: string, url: string, body: unknown, userAgent: string, ip?: string, apiKey?: string) =>
    request(
      type,
      url,
      {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": userAgent, ...(ip ? { "x-forwarded-for": ip } : {}), ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        body: JSON.stringify(body),
      },
      [200, 201, 202],
    );

  const slugOf = (key: string) => {
    const link = target.links.get(key);
    if (!link) throw new Error(`no link was created for ${key}`);
    return link.slug;
  };

  async function exec(a: Action): Promise<void> {
    switch (a.type) {
      case "unfurl":
        await request("unfurl", `${links}/${slugOf(a.link)}`, { headers: { "user-agent": a.userAgent } }, [200]);
        return;
      case "bot":
        await request("bot", `${links}/${slugOf(a.link)}`, { headers: { "user-agent": a.userAgent } }, [302]);
        return;
      case "click": {
        const qs = new URLSearchParams(a.query).toString();
        const headers: Record<string, string> = { "user-agent": a.userAgent, "x-forwarded-for": a.ip };
        if (a.referer) headers.referer = a.referer;
        if (a.country) headers["cf-ipcountry"] = a.country;
        const res = await request("click", `${links}/${slugOf(a.link)}${qs ? `?${qs}` : ""}`, { headers }, [302]);
        const location = res?.headers.get("location");
        const lcid = location ? new URL(location).searchParams.get("lcid") : null;
        if (lcid) result.clickIds.set(a.click, lcid);
        else if (res?.status === 302) note("click without lcid");
        return;
      }
      case "landing": {
        const lcid = lcidOf(a.click);
        if (lcid === null) return; // the click failed: the page never loaded with an lcid
        const body = { visitorId: id(a.visitor)!, lcid, shareToken: id(a.shareToken)!, page: a.page };
        if (beacons.landing) await post("landing", `${links}/t/landing`, body, a.userAgent, ipOf(a.actor));
        else queued({ id: newEventId(), ts: Date.now(), type: "tracker.landing", ...body });
        return;
      }
      case "arrival": {
        const body = { shareToken: id(a.shareToken)!, visitorId: id(a.visitor)!, ownShareToken: id(a.ownShareToken)!, referrer: a.referrer, page: a.page };
        if (beacons.arrival) await post("arrival", `${links}/t/arrival`, body, a.userAgent, ipOf(a.actor));
        else queued({ id: newEventId(), ts: Date.now(), type: "tracker.arrival", ...body, userAgent: a.userAgent });
        return;
      }
      case "visit": {
        const body = { visitorId: id(a.visitor)!, page: a.page };
        // lantern.js sends document.referrer, which is "" when there is none.
        if (beacons.visit) await post("visit", `${links}/t/visit`, { ...body, referrer: a.referrer ?? "" }, a.userAgent, ipOf(a.actor));
        else queued({ id: newEventId(), ts: Date.now(), type: "tracker.visit", ...body, referrer: a.referrer, userAgent: a.userAgent });
        return;
      }
      case "conversion": {
        const context = { visitorId: id(a.visitor), lcid: lcidOf(a.click), shareToken: id(a.shareToken) };
        const conversion = { type: a.kind, value: a.value, currency: a.currency, id: id(a.order)! };
        if (a.origin === "tracker" && beacons.conversion) {
          await post("conversion", `${links}/t/conversion`, { ...context, ...conversion }, a.userAgent, ipOf(a.actor));
        } else if (a.origin === "api" && conversionsApi) {
          await post("conversion", `${links}/api/conversions`, { ...dropNulls(context), ...conversion }, "lantern-simulator (server)", undefined, options.apiKey);
        } else {
          queued({
            id: newEventId(),
            ts: Date.now(),
            type: "conversion",
            origin: a.origin,
            ...context,
            respondentHash: null,
            conversion: { type: a.kind, value: a.value, currency: a.currency, externalId: conversion.id, occurredAt: null },
          });
        }
        return;
      }
      case "survey.view":
        await post("survey.view", `${surveys}/v1/views`, { surveyId: target.survey.id, visitorId: id(a.visitor), lcid: lcidOf(a.click), placement: "widget" }, a.userAgent, ipOf(a.actor));
        return;
      case "survey.skip":
        await post("survey.skip", `${surveys}/v1/skips`, { surveyId: target.survey.id, visitorId: id(a.visitor), lcid: lcidOf(a.click) }, a.userAgent, ipOf(a.actor));
        return;
      case "survey.answer": {
        const { optionId, otherText, followUpText } = answerFields(a.answer, target);
        const body = {
          surveyId: target.survey.id,
          optionId,
          otherText,
          followUpText,
          locale: a.locale,
          lcid: lcidOf(a.click),
          visitorId: id(a.visitor),
          shareToken: id(a.shareToken),
          conversion: { type: a.kind, value: a.value, currency: a.currency, id: id(a.order) },
        };
        await post("survey.answer", `${surveys}/v1/responses`, body, a.userAgent, ipOf(a.actor));
        return;
      }
    }
  }

  // One person's actions in order; a click after the preview fetch of its paste; at most `concurrency` at once.
  const chains = new Map<string, Promise<void>>();
  let inflight = 0;
  let done = 0;
  const waiters: (() => void)[] = [];
  for (const a of actions) {
    while (inflight >= concurrency) await new Promise<void>((r) => waiters.push(r));
    inflight++;
    const before = [chains.get(a.actor)];
    if (a.type === "click" && a.paste) before.push(chains.get(a.paste));
    const p = Promise.all(before)
      .then(() => exec(a))
      .catch((err: unknown) => note(`${a.type} ${(err as Error).message.slice(0, 80)}`))
      .finally(() => {
        inflight--;
        done++;
        options.onProgress?.(done, actions.length);
        waiters.shift()?.();
      });
    chains.set(a.actor, p);
  }
  await Promise.all(chains.values());
  if (buffer) {
    await buffer.close();
    const left = buffer.stats().spool;
    if (left.bytes > 0) note(`tracker events left in ${spoolDir} (Redis unreachable)`);
    else if (spoolDir) rmSync(spoolDir, { recursive: true, force: true });
  }
  result.ms = Date.now() - started;
  return result;
}

const newEventId = () => randomBytes(12).toString("base64url");

/** A stable made-up address per simulated person, for services configured to read X-Forwarded-For. */
function ipOf(actor: string): string {
  let h = 0;
  for (let i = 0; i < actor.length; i++) h = (Math.imul(h, 31) + actor.charCodeAt(i)) >>> 0;
  return `198.${18 + (h & 1)}.${(h >>> 8) & 255}.${(h >>> 16) & 255}`;
}
