import type { ChannelKey } from "@lantern/core";
import { channelForSource, isChannelKey } from "@lantern/core";
import type { Db } from "@lantern/db";
import { links as linksTable, surveyOptions, surveys } from "@lantern/db/schema";
import { and, asc, eq, isNull } from "drizzle-orm";
import type { World } from "./world.ts";

/**
 * Where a world lands: the real short links made for it and the survey its answers go to. Links are
 * created through the links API (POST /api/links with a share kit, as a marketer would); the database
 * path is for runs without services (the accuracy benchmark) and writes the same rows.
 */

export interface LinkRef {
  id: string;
  slug: string;
}

export interface SurveyRef {
  id: string;
  /** Option id per channel (options of kind "option"). */
  optionByChannel: Map<ChannelKey, string>;
  /** Options that ask a follow-up question. */
  followUpOptionIds: Set<string>;
  otherOptionId: string | null;
  dontRememberOptionId: string | null;
}

export interface Target {
  /** Prefix of every id this run makes (visitor ids, tokens, event ids), so runs never collide. */
  run: string;
  links: Map<string, LinkRef>;
  survey: SurveyRef;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(url: string, init: RequestInit & { apiKey: string }): Promise<T> {
  const { apiKey, ...rest } = init;
  let res: Response;
  try {
    res = await fetch(url, { ...rest, headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", ...(rest.headers ?? {}) } });
  } catch (err) {
    throw new HttpError(0, `${init.method ?? "GET"} ${url} failed: ${(err as Error).message} (is the service running?)`);
  }
  const text = await res.text();
  if (!res.ok) throw new HttpError(res.status, `${init.method ?? "GET"} ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

interface ApiLink {
  id: string;
  slug: string;
  variants?: { id: string; slug: string; source: string }[];
}

/** Creates one share kit per campaign through POST /api/links; returns the links by world key. */
export async function createLinksViaApi(linksUrl: string, apiKey: string, world: World, run: string): Promise<Map<string, LinkRef>> {
  const out = new Map<string, LinkRef>();
  const base = linksUrl.replace(/\/+$/, "");
  for (const c of world.campaigns) {
    const body = {
      url: c.url,
      campaign: c.name,
      tags: ["simulator", `sim-${world.scenario}`.slice(0, 64)],
      preview: { title: `${c.name.replace(/-/g, " ")} (${world.scenario})`, description: `Simulated campaign of the ${world.scenario} scenario, run ${run}.` },
      ...(c.shareKit.length > 0 ? { shareKit: c.shareKit } : {}),
    };
    const link = await call<ApiLink>(`${base}/api/links`, { method: "POST", apiKey, body: JSON.stringify(body) });
    out.set(c.name, { id: link.id, slug: link.slug });
    for (const v of link.variants ?? []) out.set(`${c.name}~${v.source}`, { id: v.id, slug: v.slug });
  }
  for (const l of world.links) if (!out.has(l.key)) throw new Error(`the links service created no link for ${l.key}`);
  return out;
}

/**
 * Writes the same links straight into the database (main link and one variant per share-kit source,
 * with the UTMs the links service would give them).
 */
export async function createLinksInDb(db: Db, world: World, run: string, now = Date.now()): Promise<Map<string, LinkRef>> {
  const out = new Map<string, LinkRef>();
  const rows: (typeof linksTable.$inferInsert)[] = [];
  let n = 0;
  for (const c of world.campaigns) {
    const kitId = `${run}_kit_${c.name}`.slice(0, 64);
    const make = (source: string | null) => {
      const id = `${run}_l${++n}`;
      const slug = `${run}-${n}`.toLowerCase();
      const channel = source ? (channelForSource(source) ?? "referral") : null;
      rows.push({
        id,
        slug,
        url: c.url,
        channel,
        source,
        campaign: c.name,
        utm: { ...(source ? { source, medium: channel ?? undefined } : {}), campaign: c.name },
        tags: ["simulator"],
        preview: { title: c.name },
        kitId: c.shareKit.length > 0 ? kitId : null,
        createdAt: now,
        updatedAt: now,
      });
      out.set(source ? `${c.name}~${source}` : c.name, { id, slug });
    };
    make(null);
    for (const s of c.shareKit) make(s);
  }
  if (rows.length > 0) await db.insert(linksTable).values(rows);
  return out;
}

interface ApiSurvey {
  id: string;
  active: boolean;
  archivedAt: number | string | null;
  options: { id: string; kind: string; channel: string | null; followUp: unknown }[];
}

function surveyRef(s: ApiSurvey): SurveyRef {
  const optionByChannel = new Map<ChannelKey, string>();
  let otherOptionId: string | null = null;
  let dontRememberOptionId: string | null = null;
  const followUpOptionIds = new Set<string>();
  for (const o of s.options) {
    if (o.followUp) followUpOptionIds.add(o.id);
    if (o.kind === "other") otherOptionId ??= o.id;
    else if (o.kind === "dont_remember") dontRememberOptionId ??= o.id;
    else if (o.channel && isChannelKey(o.channel) && !optionByChannel.has(o.channel)) optionByChannel.set(o.channel, o.id);
  }
  return { id: s.id, optionByChannel, followUpOptionIds, otherOptionId, dontRememberOptionId };
}

/** The survey to answer: `surveyId`, else the oldest active one (the default survey on a fresh instance). */
export async function surveyViaApi(surveysUrl: string, apiKey: string, surveyId?: string): Promise<SurveyRef> {
  const base = surveysUrl.replace(/\/+$/, "");
  if (surveyId) return surveyRef(await call<ApiSurvey>(`${base}/api/surveys/${encodeURIComponent(surveyId)}`, { apiKey }));
  const list = await call<{ data: ApiSurvey[] }>(`${base}/api/surveys`, { apiKey });
  const live = list.data.filter((s) => s.active && !s.archivedAt);
  if (live.length === 0) throw new Error(`the survey service at ${base} has no active survey: create one, or start it once on an empty database (it creates the default survey)`);
  return surveyRef(live[0]!);
}

export async function surveyInDb(db: Db, surveyId?: string): Promise<SurveyRef> {
  const [row] = await db
    .select({ id: surveys.id })
    .from(surveys)
    .where(surveyId ? eq(surveys.id, surveyId) : and(isNull(surveys.archivedAt), eq(surveys.active, true)))
    .orderBy(asc(surveys.createdAt), asc(surveys.id))
    .limit(1);
  if (!row) throw new Error(surveyId ? `no survey ${surveyId} in the database` : "the database has no active survey: start the surveys service once (it creates the default survey)");
  const options = await db
    .select({ id: surveyOptions.id, kind: surveyOptions.kind, channel: surveyOptions.channel, followUp: surveyOptions.followUp })
    .from(surveyOptions)
    .where(and(eq(surveyOptions.surveyId, row.id), isNull(surveyOptions.archivedAt)))
    .orderBy(asc(surveyOptions.position));
  return surveyRef({ id: row.id, active: true, archivedAt: null, options });
}
