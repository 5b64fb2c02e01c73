import { arrivalTouchpoint, clickTouchpoint, type DarkTest, defaultIsDark, visitTouchpoint } from "./evidence.ts";
import {
  type ArrivalRecord,
  type ClickRecord,
  type ConversionRecord,
  DAY_MS,
  DEFAULT_CLOCK_SKEW_MS,
  DEFAULT_LOOKBACK_DAYS,
  IDENTITY_LINKS,
  type IdentityLink,
  type LinkRecord,
  type Touchpoint,
  type VisitorRecord,
  type VisitRecord,
} from "./types.ts";

/** The records the worker loaded for a set of conversions, indexed for the look-ups below. */
export interface IdentityIndex {
  clicks: Map<string, ClickRecord>;
  links: Map<string, LinkRecord>;
  visitors: Map<string, VisitorRecord>;
  visitorByToken: Map<string, VisitorRecord>;
  arrivalsByVisitor: Map<string, ArrivalRecord[]>;
  visitsByVisitor: Map<string, VisitRecord[]>;
  conversionsByRespondent: Map<string, ConversionRecord[]>;
  conversionsByVisitor: Map<string, ConversionRecord[]>;
}

export interface IdentityData {
  clicks?: Iterable<ClickRecord>;
  links?: Iterable<LinkRecord>;
  visitors?: Iterable<VisitorRecord>;
  arrivals?: Iterable<ArrivalRecord>;
  visits?: Iterable<VisitRecord>;
  /** Conversions to look up by respondent and by visitor (the ones being reconciled and their neighbours). */
  conversions?: Iterable<ConversionRecord>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The records with the first of each id (the loader may hand one record twice: a neighbour of two slices). */
function distinctById<T extends { id: string }>(records: Iterable<T> | undefined): T[] {
  const byId = new Map<string, T>();
  for (const r of records ?? []) if (!byId.has(r.id)) byId.set(r.id, r);
  return [...byId.values()];
}

export function buildIdentityIndex(data: IdentityData): IdentityIndex {
  const index: IdentityIndex = {
    clicks: new Map(),
    links: new Map(),
    visitors: new Map(),
    visitorByToken: new Map(),
    arrivalsByVisitor: new Map(),
    visitsByVisitor: new Map(),
    conversionsByRespondent: new Map(),
    conversionsByVisitor: new Map(),
  };
  for (const c of data.clicks ?? []) index.clicks.set(c.id, c);
  for (const l of data.links ?? []) index.links.set(l.id, l);
  for (const v of data.visitors ?? []) {
    index.visitors.set(v.visitorId, v);
    if (v.shareToken) index.visitorByToken.set(v.shareToken, v);
  }
  for (const a of distinctById(data.arrivals)) push(index.arrivalsByVisitor, a.visitorId, a);
  for (const v of distinctById(data.visits)) push(index.visitsByVisitor, v.visitorId, v);
  for (const c of distinctById(data.conversions)) {
    if (c.respondentHash) push(index.conversionsByRespondent, c.respondentHash, c);
    if (c.visitorId) push(index.conversionsByVisitor, c.visitorId, c);
  }
  return index;
}

export interface IdentityOptions {
  /** Touchpoints older than this before the conversion are not on its path (default 30 days). */
  lookbackDays?: number;
  /** How far up the share graph to follow sharers (default 10 hops). */
  maxChainHops?: number;
  /** Touchpoints stamped by another server's clock may come slightly after the conversion (default 5 minutes). */
  clockSkewMs?: number;
  isDark?: DarkTest;
}

const RANK: Record<IdentityLink, number> = Object.fromEntries(IDENTITY_LINKS.map((l, i) => [l, i])) as Record<IdentityLink, number>;
const KIND_ORDER = { click: 0, arrival: 1, visit: 2, self_report: 3 } as const;

/** Touchpoints in time order (ties: clicks, then arrivals, then visits, then by id, so the order is stable). */
export function byTime(a: Touchpoint, b: Touchpoint): number {
  return a.ts - b.ts || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The touchpoints software saw for one conversion, in time order, each naming how it was tied:
 * - lcid: the exact click whose id the redirect appended and the conversion carried;
 * - visitor: the click that brought the conversion's visitor, the clicks of that visitor's other
 *   conversions, the visitor's arrivals (re-shares it opened) and its own untagged visits (search,
 *   referrals, a link pasted in a chat without a Lantern tag); a sharer's visits are never on the path;
 * - share_chain: up the share graph, the sharers whose URL the visitor opened (their click and arrivals),
 *   including the owner of the conversion's share token when it is someone else;
 * - respondent: everything above for earlier conversions of the same respondent (hashed email or external id).
 * A touchpoint reached several ways keeps the strongest link. Only touchpoints inside the look-back
 * window (and not after the conversion, up to clock skew) count.
 */
export function softwareTouchpoints(conversion: ConversionRecord, index: IdentityIndex, options: IdentityOptions = {}): Touchpoint[] {
  const collector = new PathCollector(index, conversion.ts, options);
  collector.addConversion(conversion, DIRECT);
  if (conversion.respondentHash) {
    for (const earlier of index.conversionsByRespondent.get(conversion.respondentHash) ?? []) {
      if (earlier.id === conversion.id || earlier.ts < collector.from) continue;
      const before = earlier.ts < conversion.ts || (earlier.ts === conversion.ts && earlier.id < conversion.id);
      if (before) collector.addConversion(earlier, VIA_RESPONDENT);
    }
  }
  return collector.touchpoints();
}

interface Links {
  lcid: IdentityLink;
  visitor: IdentityLink;
  chain: IdentityLink;
}
const DIRECT: Links = { lcid: "lcid", visitor: "visitor", chain: "share_chain" };
const VIA_RESPONDENT: Links = { lcid: "respondent", visitor: "respondent", chain: "respondent" };

/**
 * Collects the touchpoints of one conversion. A class rather than closures: this runs for every
 * conversion of a full reconciliation, and a touchpoint is only built once it is known to be kept
 * (inside the window, and not already reached through a stronger link).
 */
class PathCollector {
  readonly from: number;
  private readonly to: number;
  private readonly maxHops: number;
  private readonly isDark: DarkTest;
  private readonly found = new Map<string, Touchpoint>();

  constructor(
    private readonly index: IdentityIndex,
    conversionTs: number,
    options: IdentityOptions,
  ) {
    this.isDark = options.isDark ?? defaultIsDark;
    this.from = conversionTs - (options.lookbackDays ?? DEFAULT_LOOKBACK_DAYS) * DAY_MS;
    this.to = conversionTs + (options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS);
    this.maxHops = options.maxChainHops ?? 10;
  }

  touchpoints(): Touchpoint[] {
    return [...this.found.values()].sort(byTime);
  }

  /** Whether a touchpoint at `ts` reached through `via` would be kept (checked before building it). */
  private wanted(key: string, ts: number, via: IdentityLink): boolean {
    if (ts < this.from || ts > this.to) return false;
    const existing = this.found.get(key);
    return !existing || RANK[via] < RANK[existing.evidence.link!];
  }

  private addClick(lcid: string | null, via: IdentityLink): void {
    const click = lcid ? this.index.clicks.get(lcid) : undefined;
    if (!click) return;
    const key = `click:${click.id}`;
    if (this.wanted(key, click.ts, via)) this.found.set(key, clickTouchpoint(click, this.index.links.get(click.linkId), via, this.isDark));
  }

  /** The visitor's own click and the arrivals it opened. */
  private addOwn(visitorId: string, via: IdentityLink): void {
    this.addClick(this.index.visitors.get(visitorId)?.lcid ?? null, via);
    for (const a of this.index.arrivalsByVisitor.get(visitorId) ?? []) {
      const key = `arrival:${a.id}`;
      if (this.wanted(key, a.ts, via)) this.found.set(key, arrivalTouchpoint(a, a.linkId ? this.index.links.get(a.linkId) : undefined, via, this.isDark));
    }
  }

  /** The untagged visits of the buyer itself (never of its sharers: how they found us is not how the buyer did). */
  private addVisits(visitorId: string, via: IdentityLink): void {
    for (const v of this.index.visitsByVisitor.get(visitorId) ?? []) {
      const key = `visit:${v.id}`;
      if (this.wanted(key, v.ts, via)) this.found.set(key, visitTouchpoint(v, via, this.isDark));
    }
  }

  private parentsOf(visitorId: string): string[] {
    const parents = new Set<string>();
    const v = this.index.visitors.get(visitorId);
    if (v?.parentVisitorId) parents.add(v.parentVisitorId);
    for (const a of this.index.arrivalsByVisitor.get(visitorId) ?? []) {
      const p = a.parentVisitorId ?? this.index.visitorByToken.get(a.shareToken)?.visitorId;
      if (p) parents.add(p);
    }
    parents.delete(visitorId);
    return [...parents];
  }

  /** Sharers up the graph from `start` (not including it). */
  private addChain(start: string, via: IdentityLink, visited: Set<string>): void {
    let frontier = this.parentsOf(start);
    for (let hop = 0; hop < this.maxHops && frontier.length > 0; hop++) {
      const next: string[] = [];
      for (const p of frontier) {
        if (visited.has(p)) continue;
        visited.add(p);
        this.addOwn(p, via);
        next.push(...this.parentsOf(p));
      }
      frontier = next;
    }
  }

  /** A conversion's own identity: its click, its visitor and that visitor's sharers, its token's owner. */
  addConversion(c: ConversionRecord, links: Links): void {
    this.addClick(c.lcid, links.lcid);
    const owner = c.shareToken ? this.index.visitorByToken.get(c.shareToken) : undefined;
    // The tracker reports the visitor's own token; without a visitor id, its owner is the visitor.
    const visitorId = c.visitorId ?? owner?.visitorId ?? null;
    const visited = new Set<string>();
    if (visitorId) {
      visited.add(visitorId);
      this.addOwn(visitorId, links.visitor);
      this.addVisits(visitorId, links.visitor);
      for (const other of this.index.conversionsByVisitor.get(visitorId) ?? []) this.addClick(other.lcid, links.visitor);
      this.addChain(visitorId, links.chain, visited);
    }
    // A token owned by someone else is the URL the visitor opened: its owner is the sharer.
    if (owner && owner.visitorId !== visitorId && !visited.has(owner.visitorId)) {
      visited.add(owner.visitorId);
      this.addOwn(owner.visitorId, links.chain);
      this.addChain(owner.visitorId, links.chain, visited);
    }
  }
}
