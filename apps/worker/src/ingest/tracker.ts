import { type ChannelKey, classifyReferrer, detectInAppBrowser, IN_APP_CHANNEL, inAppSource, isDarkChannel } from "@lantern/core";
import { arrivals, clicks, visitors } from "@lantern/db/schema";
import type { ArrivalEvent, LandingEvent } from "@lantern/queue";
import { eq, inArray } from "drizzle-orm";
import type { IngestContext } from "./context.ts";
import { distinct, insertNew, selectIn, type Tx } from "./db.ts";
import { VisitorBook } from "./visitor-book.ts";

type ArrivalRow = typeof arrivals.$inferInsert;

/** A re-share chain longer than this is followed no further in one batch (it also stops a token cycle). */
const MAX_HOPS = 32;

const byTime = <T extends { ts: number }>(events: readonly T[]) => [...events].sort((a, b) => a.ts - b.ts);

export interface TrackerResult {
  visitors: number;
  arrivals: number;
  /** Visitors whose place in the share graph may affect others: input to settleShareGraph. */
  touched: string[];
}

/**
 * Landings (generation 0: the visitor came through a click) and arrivals (generation n+1: the
 * visitor opened a URL that carried someone's share token), applied in time order.
 */
export async function ingestTracker(
  tx: Tx,
  landings: readonly LandingEvent[],
  arrivalEvents: readonly ArrivalEvent[],
  ctx: IngestContext,
): Promise<TrackerResult> {
  if (landings.length === 0 && arrivalEvents.length === 0) return { visitors: 0, arrivals: 0, touched: [] };
  const book = await VisitorBook.load(
    tx,
    [...landings.map((e) => e.visitorId), ...arrivalEvents.map((e) => e.visitorId)],
    [...landings.map((e) => e.shareToken), ...arrivalEvents.flatMap((e) => [e.shareToken, e.ownShareToken])],
    ctx,
  );

  // The click may not be stored yet (it can come in a later batch than the landing): then linkId
  // stays null and is filled in when the click arrives (see relinkVisitors in links.ts).
  const lcids = distinct(landings.map((e) => e.lcid));
  const clickLinks = new Map(
    (await selectIn(lcids, (part) => tx.select({ id: clicks.id, linkId: clicks.linkId }).from(clicks).where(inArray(clicks.id, part)))).map((c) => [c.id, c.linkId]),
  );
  for (const e of byTime(landings)) applyLanding(book, e, clickLinks.get(e.lcid) ?? null);

  const rows: ArrivalRow[] = [];
  for (const e of byTime(arrivalEvents)) {
    const row = applyArrival(book, e, ctx);
    if (row) rows.push(row);
  }

  const touched = book.placesChanged();
  const { inserted } = await book.save(tx);
  const storedArrivals = await insertNew(tx, arrivals, rows);
  return { visitors: inserted, arrivals: storedArrivals, touched };
}

function applyLanding(book: VisitorBook, e: LandingEvent, linkId: string | null): void {
  const v = book.get(e.visitorId);
  if (!v) {
    book.put({
      visitorId: e.visitorId,
      shareToken: book.freeToken(e.visitorId, e.shareToken),
      lcid: e.lcid,
      linkId,
      parentVisitorId: null,
      generation: 0,
      firstSeen: e.ts,
      lastSeen: e.ts,
    });
    return;
  }
  // First touch wins: a visitor who first came through someone's share keeps that place in the graph.
  const firstClick = v.generation === 0 && v.parentVisitorId === null && v.lcid === null;
  book.put({
    ...v,
    shareToken: v.shareToken ?? book.freeToken(v.visitorId, e.shareToken),
    lcid: firstClick ? e.lcid : v.lcid,
    linkId: v.linkId ?? (firstClick || v.lcid === e.lcid ? linkId : null),
    firstSeen: Math.min(v.firstSeen, e.ts),
    lastSeen: Math.max(v.lastSeen, e.ts),
  });
}

function applyArrival(book: VisitorBook, e: ArrivalEvent, ctx: IngestContext): ArrivalRow | null {
  const parent = book.owner(e.shareToken);
  // Opening one's own shared URL is not a re-share.
  if (parent?.visitorId === e.visitorId) return null;
  const generation = parent ? parent.generation + 1 : 1;
  const linkId = parent?.linkId ?? null;

  const v = book.get(e.visitorId);
  if (!v) {
    book.put({
      visitorId: e.visitorId,
      shareToken: book.freeToken(e.visitorId, e.ownShareToken),
      lcid: null,
      linkId,
      parentVisitorId: parent?.visitorId ?? null,
      generation,
      firstSeen: e.ts,
      lastSeen: e.ts,
    });
  } else {
    // A visitor seen before keeps its first place in the graph, unless that place was unknown
    // (an earlier arrival whose sharer was not known yet) and this arrival knows it.
    const adopt = parent !== undefined && v.lcid === null && (v.parentVisitorId === null || v.parentVisitorId === parent.visitorId);
    book.put({
      ...v,
      shareToken: v.shareToken ?? book.freeToken(v.visitorId, e.ownShareToken),
      parentVisitorId: adopt ? parent.visitorId : v.parentVisitorId,
      generation: adopt ? generation : v.generation,
      linkId: adopt ? (linkId ?? v.linkId) : v.linkId,
      firstSeen: Math.min(v.firstSeen, e.ts),
      lastSeen: Math.max(v.lastSeen, e.ts),
    });
  }

  return {
    id: e.id,
    ts: e.ts,
    receivedAt: ctx.now,
    shareToken: e.shareToken,
    visitorId: e.visitorId,
    parentVisitorId: parent?.visitorId ?? null,
    generation,
    linkId,
    page: e.page,
    ...classifyArrival(e, ctx.ownHosts),
  };
}

export interface ArrivalClassification {
  referrerHost: string | null;
  inApp: string | null;
  channel: ChannelKey;
  source: string | null;
  rule: string;
  dark: boolean;
}

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, "") || null;
  } catch {
    return null;
  }
}

/**
 * An arrival through a share token with no referrer is a copy-paste share through a private
 * channel: dark social. We record it as channel "messaging" with an unknown source
 * (rule "copy_paste_no_referrer"): a pasted URL without a referrer almost always travelled through a
 * chat app, and "messaging" keeps it in the dark group of every report. An in-app browser names the
 * app (a WhatsApp in-app browser -> messaging/whatsapp; an app whose own channel is not dark, e.g.
 * Instagram, is its private messages -> messaging/instagram). A referrer (other than our own hosts)
 * says where it really came from, and then the arrival is dark only if that channel is.
 */
export function classifyArrival(e: Pick<ArrivalEvent, "referrer" | "userAgent">, ownHosts: readonly string[]): ArrivalClassification {
  const inApp = detectInAppBrowser(e.userAgent);
  // null for no referrer, an unparsable one, our own hosts and generic shorteners: no information.
  const ref = classifyReferrer(e.referrer, { ownHosts });
  const referrerHost = ref?.host ?? hostOf(e.referrer);
  if (ref) return { referrerHost, inApp, channel: ref.channel, source: ref.source, rule: "referrer", dark: isDarkChannel(ref.channel) };
  if (inApp) {
    const appChannel = IN_APP_CHANNEL[inApp];
    const channel: ChannelKey = appChannel && isDarkChannel(appChannel) ? appChannel : "messaging";
    return { referrerHost, inApp, channel, source: inAppSource(inApp), rule: "in_app_no_referrer", dark: true };
  }
  return { referrerHost, inApp, channel: "messaging", source: null, rule: "copy_paste_no_referrer", dark: true };
}

/**
 * Repairs the share graph below `seeds` when events came out of order: a sharer stored after the
 * arrivals through its token, or a click stored after its landing (linkId filled in late). Walks
 * down from the seeds, one generation per round, fixing parent, generation and linkId of arrivals
 * and of the visitors they brought. Returns how many rows it changed. A changed row gets `now` as its
 * `receivedAt`: its conversions' paths changed, and incremental reconciliation finds them by it.
 */
export async function settleShareGraph(tx: Tx, seeds: readonly string[], now: number): Promise<number> {
  let frontier = distinct(seeds);
  let changed = 0;
  for (let hop = 0; hop < MAX_HOPS && frontier.length > 0; hop++) {
    const sharers = (await selectIn(frontier, (part) => tx.select().from(visitors).where(inArray(visitors.visitorId, part)))).filter((v) => v.shareToken);
    const byToken = new Map(sharers.map((v) => [v.shareToken!, v]));
    const children = byTime(await selectIn([...byToken.keys()], (part) => tx.select().from(arrivals).where(inArray(arrivals.shareToken, part))));
    if (children.length === 0) break;

    const parentOfVisitor = new Map<string, (typeof sharers)[number]>();
    for (const a of children) {
      const p = byToken.get(a.shareToken)!;
      if (p.visitorId === a.visitorId) continue;
      const want = { parentVisitorId: p.visitorId, generation: p.generation + 1, linkId: p.linkId ?? a.linkId };
      if (a.parentVisitorId !== want.parentVisitorId || a.generation !== want.generation || a.linkId !== want.linkId) {
        await tx.update(arrivals).set({ ...want, receivedAt: now }).where(eq(arrivals.id, a.id));
        changed++;
      }
      if (!parentOfVisitor.has(a.visitorId)) parentOfVisitor.set(a.visitorId, p);
    }

    const next: string[] = [];
    const kids = await selectIn([...parentOfVisitor.keys()], (part) => tx.select().from(visitors).where(inArray(visitors.visitorId, part)));
    for (const c of kids) {
      if (c.lcid !== null) continue; // came through a click: generation 0, whatever else it opened later
      const mine = c.parentVisitorId ? children.find((a) => a.visitorId === c.visitorId && byToken.get(a.shareToken)?.visitorId === c.parentVisitorId) : undefined;
      const p = mine ? byToken.get(mine.shareToken)! : c.parentVisitorId === null ? parentOfVisitor.get(c.visitorId)! : undefined;
      if (!p) continue; // its parent is someone outside this round
      const want = { parentVisitorId: p.visitorId, generation: p.generation + 1, linkId: p.linkId ?? c.linkId };
      if (c.parentVisitorId !== want.parentVisitorId || c.generation !== want.generation || c.linkId !== want.linkId) {
        await tx.update(visitors).set({ ...want, receivedAt: now }).where(eq(visitors.visitorId, c.visitorId));
        changed++;
        next.push(c.visitorId);
      }
    }
    frontier = next;
  }
  return changed;
}
