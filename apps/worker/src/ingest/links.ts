import { type Campaign, classifyClick, classifyRequest, UNFURL_APP_CHANNEL } from "@lantern/core";
import { botHits, clicks, links, unfurls, visitors } from "@lantern/db/schema";
import type { LinkHitEvent } from "@lantern/queue";
import { and, gte, inArray, lte, sql } from "drizzle-orm";
import type { IngestContext } from "./context.ts";
import { distinct, insertNew, selectIn, type Tx } from "./db.ts";

type ClickRow = typeof clicks.$inferInsert;
type UnfurlRow = typeof unfurls.$inferInsert;
type BotHitRow = typeof botHits.$inferInsert;

/** A preview in a chat app this long before a click is taken as where the clicker saw the link. */
export const UNFURL_EVIDENCE_WINDOW_MS = 60 * 60 * 1000;

/** Unfurls that say "pasted into a private chat": messaging and work-chat apps. */
function isPrivateChatApp(app: string): boolean {
  const channel = UNFURL_APP_CHANNEL[app];
  return channel === "messaging" || channel === "workchat";
}

/** Campaign parameters flattened to what the clicks table stores: { utm_source: "x", gclid: "..." }. */
function flatCampaign(c: Campaign | null): Record<string, string> | null {
  if (!c) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.utm)) if (v !== null) out[`utm_${k}`] = v;
  for (const [k, v] of Object.entries(c.clickIds)) if (typeof v === "string") out[k] = v;
  return out;
}

export interface LinkHitsResult {
  clicks: number;
  unfurls: number;
  botHits: number;
  /** Visitors that landed before their click was stored and now know their link: the share graph below them needs it too. */
  relinkedVisitors: string[];
}

/**
 * Classifies each hit in the worker (the links service only decided 302 vs preview on the hot path):
 * an unfurl is stored as an unfurl with its app, a bot as a bot hit, a person as a click with its
 * channel. The classifier is trusted over `served`: a hit served the preview page whose user agent
 * classifies as a person is a click (the hot path's cache may be older than the rules), and a hit
 * served a redirect whose user agent is a previewer is an unfurl, never a click.
 */
export async function ingestLinkHits(tx: Tx, events: readonly LinkHitEvent[], ctx: IngestContext): Promise<LinkHitsResult> {
  if (events.length === 0) return { clicks: 0, unfurls: 0, botHits: 0, relinkedVisitors: [] };

  const unfurlRows: UnfurlRow[] = [];
  const botRows: BotHitRow[] = [];
  const humans: LinkHitEvent[] = [];
  for (const e of events) {
    const kind = classifyRequest(e.userAgent);
    if (kind.kind === "unfurl") unfurlRows.push({ id: e.id, linkId: e.linkId, ts: e.ts, receivedAt: ctx.now, app: kind.app, userAgent: e.userAgent });
    else if (kind.kind === "bot") botRows.push({ id: e.id, linkId: e.linkId, ts: e.ts, bot: kind.name, userAgent: e.userAgent });
    else humans.push(e);
  }

  const clickRows = await classifyClicks(tx, humans, unfurlRows, ctx);
  const storedUnfurls = await insertNew(tx, unfurls, unfurlRows);
  const storedBots = await insertNew(tx, botHits, botRows);
  const storedClicks = await insertNew(tx, clicks, clickRows);
  await markClicksPreviewedLate(tx, unfurlRows, ctx.now);
  const relinkedVisitors = await relinkVisitors(tx, clickRows.map((c) => c.id), ctx.now);
  return { clicks: storedClicks, unfurls: storedUnfurls, botHits: storedBots, relinkedVisitors };
}

/** The apps whose previews say "pasted into a private chat". */
const PRIVATE_CHAT_APPS = Object.keys(UNFURL_APP_CHANNEL).filter(isPrivateChatApp);

/**
 * A chat app's preview that reaches the worker after the click it preceded (another links instance's
 * spool, replayed later) marks that click as classifyClicks would have with every preview in: the stored
 * clicks of its link in the window after it get the latest chat preview stored before them. Those whose
 * preview changes are stamped as received now, so the next incremental run redoes their conversions
 * (touched.ts), and so is the visitor who landed through each: the click is on the paths of everyone
 * below that visitor (identity.ts), which the run's share-graph walk finds. An on-time preview finds no
 * click yet: one indexed look-up (clicks_link_ts_idx) per batch.
 */
async function markClicksPreviewedLate(tx: Tx, batchUnfurls: readonly UnfurlRow[], now: number): Promise<void> {
  const chat = batchUnfurls.filter((u) => isPrivateChatApp(u.app));
  if (chat.length === 0) return;
  const changed = await tx.all<{ id: string; app: string }>(sql`
    WITH later AS (
      SELECT DISTINCT c.id, c.link_id, c.ts, c.unfurl_app
      FROM json_each(${JSON.stringify(chat.map((u) => [u.linkId, u.ts]))}) AS j
      JOIN clicks AS c ON c.link_id = j.value->>0 AND c.ts >= j.value->>1 AND c.ts <= j.value->>1 + ${UNFURL_EVIDENCE_WINDOW_MS}
    ), latest AS (
      SELECT later.id, later.unfurl_app AS current,
        (SELECT u.app FROM unfurls AS u
         WHERE u.link_id = later.link_id AND u.ts <= later.ts AND u.ts >= later.ts - ${UNFURL_EVIDENCE_WINDOW_MS}
           AND u.app IN (SELECT value FROM json_each(${JSON.stringify(PRIVATE_CHAT_APPS)}))
         ORDER BY u.ts DESC, u.id DESC LIMIT 1) AS app
      FROM later
    )
    SELECT id, app FROM latest WHERE app IS NOT current`);
  if (changed.length === 0) return;
  const marks = JSON.stringify(changed.map((c) => [c.id, c.app]));
  // UPDATE … FROM joins each click to its mark once (a subquery per row would rescan the marks: quadratic).
  await tx.run(sql`
    UPDATE clicks SET unfurl_app = m.app, received_at = ${now}
    FROM (SELECT j.value->>0 AS id, j.value->>1 AS app FROM json_each(${marks}) AS j) AS m
    WHERE clicks.id = m.id`);
  await tx.run(sql`UPDATE visitors SET received_at = ${now} WHERE lcid IN (SELECT j.value->>0 FROM json_each(${marks}) AS j)`);
}

async function classifyClicks(tx: Tx, humans: readonly LinkHitEvent[], batchUnfurls: readonly UnfurlRow[], ctx: IngestContext): Promise<ClickRow[]> {
  if (humans.length === 0) return [];
  const linkIds = distinct(humans.map((e) => e.linkId));
  const tags = new Map(
    (await selectIn(linkIds, (part) => tx.select({ id: links.id, channel: links.channel, source: links.source }).from(links).where(inArray(links.id, part)))).map(
      (l) => [l.id, l],
    ),
  );
  const previews = await recentChatUnfurls(tx, humans, batchUnfurls);
  const ownHosts = [...ctx.ownHosts];

  return humans.map((e) => {
    const tag = tags.get(e.linkId);
    const c = classifyClick({ userAgent: e.userAgent, referer: e.referer, query: e.query, linkChannel: tag?.channel ?? null, linkSource: tag?.source ?? null, ownHosts });
    return {
      id: e.id,
      linkId: e.linkId,
      ts: e.ts,
      // Incremental reconciliation finds clicks stored after the conversion naming them (spooled and
      // replayed by the links service), and late clicks' days of link activity, by this.
      receivedAt: ctx.now,
      visitorHash: e.visitorHash,
      channel: c.channel,
      source: c.source,
      rule: c.rule,
      referrerHost: c.referrerHost,
      inApp: c.inApp,
      device: c.device,
      browser: c.browser,
      os: c.os,
      country: e.country,
      campaignParams: flatCampaign(c.campaignParams),
      unfurlApp: latestBefore(previews.get(e.linkId), e.ts),
      dnt: e.dnt,
    };
  });
}

/** A chat preview; of two at the same millisecond the one with the greater id counts as later (as in markClicksPreviewedLate). */
type Preview = { id: string; ts: number; app: string };

/**
 * Chat-app previews of the clicked links in the window before the clicks: from this batch and from the
 * database (one query). A preview that reaches the worker only after its click (another links instance
 * flushed later) marks it then (markClicksPreviewedLate).
 */
async function recentChatUnfurls(tx: Tx, humans: readonly LinkHitEvent[], batchUnfurls: readonly UnfurlRow[]): Promise<Map<string, Preview[]>> {
  const linkIds = distinct(humans.map((e) => e.linkId));
  let from = Number.POSITIVE_INFINITY;
  let to = 0;
  for (const e of humans) {
    from = Math.min(from, e.ts - UNFURL_EVIDENCE_WINDOW_MS);
    to = Math.max(to, e.ts);
  }
  const stored = await selectIn(linkIds, (part) =>
    tx
      .select({ id: unfurls.id, linkId: unfurls.linkId, ts: unfurls.ts, app: unfurls.app })
      .from(unfurls)
      .where(and(inArray(unfurls.linkId, part), gte(unfurls.ts, from), lte(unfurls.ts, to))),
  );
  const byLink = new Map<string, Preview[]>();
  for (const u of [...stored, ...batchUnfurls]) {
    if (!isPrivateChatApp(u.app)) continue;
    const list = byLink.get(u.linkId) ?? [];
    list.push({ id: u.id, ts: u.ts, app: u.app });
    byLink.set(u.linkId, list);
  }
  return byLink;
}

function latestBefore(previews: readonly Preview[] | undefined, ts: number): string | null {
  let best: Preview | null = null;
  for (const p of previews ?? []) {
    if (p.ts <= ts && p.ts >= ts - UNFURL_EVIDENCE_WINDOW_MS && (!best || p.ts > best.ts || (p.ts === best.ts && p.id > best.id))) best = p;
  }
  return best?.app ?? null;
}

/**
 * A landing can reach the worker before its click (the tracker's beacon and the redirect's event travel
 * through different buffers). Such a visitor was stored with its lcid and no link; now that the click is
 * here, give it the click's link (and `now` as the time its place was stored). Returns the visitors changed.
 */
async function relinkVisitors(tx: Tx, clickIds: readonly string[], now: number): Promise<string[]> {
  const changed = await selectIn(clickIds, (part) =>
    tx
      .update(visitors)
      .set({ linkId: sql`(select ${clicks.linkId} from ${clicks} where ${clicks.id} = ${visitors.lcid})`, receivedAt: now })
      // The unary + keeps SQLite on visitors_lcid_idx (a few rows) rather than link_id IS NULL (maybe many).
      .where(and(inArray(visitors.lcid, part), sql`+${visitors.linkId} is null`))
      .returning({ visitorId: visitors.visitorId }),
  );
  return changed.map((v) => v.visitorId);
}
