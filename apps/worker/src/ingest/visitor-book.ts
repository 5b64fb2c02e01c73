import { visitors } from "@lantern/db/schema";
import { eq, inArray } from "drizzle-orm";
import type { Logger } from "pino";
import { distinct, insertNew, selectIn, type Tx } from "./db.ts";

export type VisitorState = typeof visitors.$inferSelect;
/** What the tracker rules decide; the book stamps `receivedAt` itself. */
export type VisitorPlace = Omit<VisitorState, "receivedAt">;

/**
 * The visitors one batch touches, loaded in two queries (by id and by share token), changed in
 * memory while the batch's tracker events are applied in time order, then written back once.
 * Keeping them in memory is what lets a chain of re-shares inside one batch resolve
 * (B arrives through A's token and gets its own, then C arrives through B's).
 * A visitor stored new, or whose place changed, gets the batch's time as `receivedAt`: incremental
 * reconciliation finds it by that (apps/worker/src/reconcile/touched.ts).
 */
export class VisitorBook {
  private readonly byId = new Map<string, VisitorState>();
  private readonly byToken = new Map<string, string>();
  private readonly stored = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly moved = new Set<string>();

  private constructor(
    private readonly now: number,
    private readonly log: Logger,
  ) {}

  static async load(tx: Tx, ids: Iterable<string>, tokens: Iterable<string | null>, ctx: { now: number; log: Logger }): Promise<VisitorBook> {
    const book = new VisitorBook(ctx.now, ctx.log);
    const byId = await selectIn(distinct(ids), (part) => tx.select().from(visitors).where(inArray(visitors.visitorId, part)));
    const byToken = await selectIn(distinct(tokens), (part) => tx.select().from(visitors).where(inArray(visitors.shareToken, part)));
    for (const v of [...byId, ...byToken]) {
      book.byId.set(v.visitorId, v);
      book.stored.add(v.visitorId);
      if (v.shareToken) book.byToken.set(v.shareToken, v.visitorId);
    }
    return book;
  }

  get(visitorId: string): VisitorState | undefined {
    return this.byId.get(visitorId);
  }

  /** The visitor whose address bar carried this share token: the one who shared. */
  owner(token: string): VisitorState | undefined {
    const id = this.byToken.get(token);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /**
   * The token `visitorId` may take: null when it is empty or already belongs to someone else
   * (tokens are random, so that means a broken client; the share graph stays consistent anyway).
   */
  freeToken(visitorId: string, token: string | null): string | null {
    if (!token) return null;
    const holder = this.byToken.get(token);
    if (holder !== undefined && holder !== visitorId) {
      this.log.warn({ visitorId, holder }, "share token already belongs to another visitor; not reassigned");
      return null;
    }
    return token;
  }

  put(place: VisitorPlace): void {
    const prev = this.byId.get(place.visitorId);
    if (prev?.shareToken && prev.shareToken !== place.shareToken) this.byToken.delete(prev.shareToken);
    if (place.shareToken) this.byToken.set(place.shareToken, place.visitorId);
    const placeChanged =
      !prev ||
      prev.shareToken !== place.shareToken ||
      prev.lcid !== place.lcid ||
      prev.parentVisitorId !== place.parentVisitorId ||
      prev.generation !== place.generation ||
      prev.linkId !== place.linkId;
    this.byId.set(place.visitorId, { ...place, receivedAt: placeChanged ? this.now : prev.receivedAt });
    this.dirty.add(place.visitorId);
    if (placeChanged) this.moved.add(place.visitorId);
  }

  /**
   * Visitors that are new or whose place in the share graph changed (token, click, parent, generation, link):
   * only their re-shares may need repair. A returning visitor whose last visit moved is not one.
   */
  placesChanged(): string[] {
    return [...this.moved];
  }

  /** Writes new visitors in multi-row inserts and changed ones one by one (returning visitors are few). */
  async save(tx: Tx): Promise<{ inserted: number; updated: number }> {
    const fresh: VisitorState[] = [];
    let updated = 0;
    for (const id of this.dirty) {
      const v = this.byId.get(id)!;
      if (!this.stored.has(id)) {
        fresh.push(v);
        continue;
      }
      const { visitorId, ...rest } = v;
      await tx.update(visitors).set(rest).where(eq(visitors.visitorId, visitorId));
      updated++;
    }
    const inserted = await insertNew(tx, visitors, fresh);
    for (const v of fresh) this.stored.add(v.visitorId);
    this.dirty.clear();
    return { inserted, updated };
  }
}
