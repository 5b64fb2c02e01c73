import { and, desc, eq, gte, isNotNull, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@lantern/db";
import { links } from "@lantern/db/schema";

export type LinkRow = typeof links.$inferSelect;

/** A slug that is already taken (the unique index said so). */
export class SlugTakenError extends Error {
  constructor() {
    super("slug taken");
  }
}

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const text = `${(e as { code?: string }).code ?? ""} ${(e as Error).message ?? ""}`;
    if (/UNIQUE constraint failed|SQLITE_CONSTRAINT_UNIQUE/i.test(text)) return true;
  }
  return false;
}

/** Inserts links (a share kit and its variants) all or nothing. */
export async function insertLinks(db: Db, rows: LinkRow[]): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      for (const row of rows) await tx.insert(links).values(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new SlugTakenError();
    throw err;
  }
}

export async function updateLink(db: Db, id: string, changes: Partial<LinkRow>): Promise<LinkRow | null> {
  try {
    const [row] = await db.update(links).set(changes).where(eq(links.id, id)).returning();
    return row ?? null;
  } catch (err) {
    if (isUniqueViolation(err)) throw new SlugTakenError();
    throw err;
  }
}

export async function findLinkById(db: Db, id: string): Promise<LinkRow | null> {
  const [row] = await db.select().from(links).where(eq(links.id, id));
  return row ?? null;
}

export async function findLinkBySlug(db: Db, slug: string): Promise<LinkRow | null> {
  const [row] = await db.select().from(links).where(eq(links.slug, slug));
  return row ?? null;
}

export async function findKit(db: Db, kitId: string): Promise<LinkRow[]> {
  return db.select().from(links).where(eq(links.kitId, kitId)).orderBy(links.createdAt, links.id);
}

/** The links a fresh cache starts with: live ones, newest first, at most `limit`. */
export async function loadLiveLinks(db: Db, limit: number): Promise<LinkRow[]> {
  return db.select().from(links).where(isNull(links.archivedAt)).orderBy(desc(links.createdAt)).limit(limit);
}

/** Links created or changed since `since` (epoch ms), archived ones included: the cache's catch-up after missed messages. */
export async function linksChangedSince(db: Db, since: number): Promise<LinkRow[]> {
  return db.select().from(links).where(gte(links.updatedAt, since));
}

export interface ListFilter {
  q?: string;
  campaign?: string;
  tag?: string;
  source?: string;
  channel?: string;
  kitId?: string;
  archived: "false" | "true" | "all";
  limit: number;
  /** Position after which to continue: the last row of the previous page. */
  after?: { createdAt: number; id: string };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** Newest first, keyset-paginated on (createdAt, id) so pages stay stable while links are added. */
export async function listLinks(db: Db, filter: ListFilter): Promise<LinkRow[]> {
  const where: SQL[] = [];
  if (filter.q) {
    const pattern = `%${escapeLike(filter.q.toLowerCase())}%`;
    const anyOf = or(
      sql`lower(${links.slug}) like ${pattern} escape '\\'`,
      sql`lower(${links.url}) like ${pattern} escape '\\'`,
      sql`lower(coalesce(${links.campaign}, '')) like ${pattern} escape '\\'`,
      sql`lower(coalesce(json_extract(${links.preview}, '$.title'), '')) like ${pattern} escape '\\'`,
    );
    if (anyOf) where.push(anyOf);
  }
  if (filter.campaign) where.push(eq(links.campaign, filter.campaign));
  if (filter.source) where.push(eq(links.source, filter.source));
  if (filter.channel) where.push(eq(links.channel, filter.channel));
  if (filter.kitId) where.push(eq(links.kitId, filter.kitId));
  if (filter.tag) where.push(sql`exists (select 1 from json_each(${links.tags}) where json_each.value = ${filter.tag})`);
  if (filter.archived === "false") where.push(isNull(links.archivedAt));
  if (filter.archived === "true") where.push(isNotNull(links.archivedAt));
  if (filter.after) {
    const { createdAt, id } = filter.after;
    const page = or(lt(links.createdAt, createdAt), and(eq(links.createdAt, createdAt), lt(links.id, id)));
    if (page) where.push(page);
  }
  return db
    .select()
    .from(links)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(links.createdAt), desc(links.id))
    .limit(filter.limit);
}

