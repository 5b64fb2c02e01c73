import type { Db } from "@lantern/db";
import { surveyResponses, surveySkips, surveyViews } from "@lantern/db/schema";
import { ApiError } from "@lantern/http";
import { and, count, desc, eq, gte, isNotNull, isNull, lt, or, type SQL } from "drizzle-orm";

export interface ResponseFilters {
  surveyId: string;
  from?: number;
  to?: number;
  /** A channel key, or "unclassified" for answers no rule could place. */
  channel?: string;
  optionId?: string;
  /** true: only answers with free text (otherText); false: only answers without. */
  hasText?: boolean;
}

export type ResponseRow = typeof surveyResponses.$inferSelect;

/** Cursors are opaque to clients: base64url of [ts, id] of the last row of the previous page. */
export function encodeCursor(row: Pick<ResponseRow, "ts" | "id">): string {
  return Buffer.from(JSON.stringify([row.ts, row.id])).toString("base64url");
}

export function decodeCursor(cursor: string): { ts: number; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && Number.isSafeInteger(value[0]) && typeof value[1] === "string" && value[1].length <= 64) {
      return { ts: value[0] as number, id: value[1] };
    }
  } catch {
    // fall through to the 400 below
  }
  throw new ApiError(400, "validation_failed", "cursor: not a cursor this API gave out; start again without it.");
}

function where(f: ResponseFilters, cursor?: { ts: number; id: string }): SQL | undefined {
  const r = surveyResponses;
  const parts: (SQL | undefined)[] = [eq(r.surveyId, f.surveyId)];
  if (f.from !== undefined) parts.push(gte(r.ts, f.from));
  if (f.to !== undefined) parts.push(lt(r.ts, f.to));
  if (f.channel !== undefined) parts.push(f.channel === "unclassified" ? isNull(r.channel) : eq(r.channel, f.channel));
  if (f.optionId !== undefined) parts.push(eq(r.optionId, f.optionId));
  if (f.hasText === true) parts.push(isNotNull(r.otherText));
  if (f.hasText === false) parts.push(isNull(r.otherText));
  if (cursor) parts.push(or(lt(r.ts, cursor.ts), and(eq(r.ts, cursor.ts), lt(r.id, cursor.id))));
  return and(...parts);
}

/** Newest first; `limit` rows and the cursor of the next page (null on the last page). */
export async function listResponses(db: Db, filters: ResponseFilters, page: { cursor?: string; limit: number }) {
  const cursor = page.cursor ? decodeCursor(page.cursor) : undefined;
  const rows = await db
    .select()
    .from(surveyResponses)
    .where(where(filters, cursor))
    .orderBy(desc(surveyResponses.ts), desc(surveyResponses.id))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const data = more ? rows.slice(0, page.limit) : rows;
  const last = data[data.length - 1];
  return { data, nextCursor: more && last ? encodeCursor(last) : null };
}

/** Every matching response, a page at a time (for the CSV export, so memory stays flat). */
export async function* allResponses(db: Db, filters: ResponseFilters, pageSize = 1000): AsyncGenerator<ResponseRow[]> {
  let cursor: string | undefined;
  for (;;) {
    const page = await listResponses(db, filters, { cursor, limit: pageSize });
    if (page.data.length) yield page.data;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

/** Views, skips and responses of a survey in [from, to), answers per option and per channel. */
export async function surveyCounts(db: Db, surveyId: string, from?: number, to?: number) {
  const range = <T extends typeof surveyViews | typeof surveySkips | typeof surveyResponses>(t: T) =>
    and(eq(t.surveyId, surveyId), from === undefined ? undefined : gte(t.ts, from), to === undefined ? undefined : lt(t.ts, to));
  const [[views], [skips], byOption, byChannel] = await Promise.all([
    db.select({ n: count() }).from(surveyViews).where(range(surveyViews)),
    db.select({ n: count() }).from(surveySkips).where(range(surveySkips)),
    // count(column) counts the answers with a follow-up text.
    db
      .select({ optionId: surveyResponses.optionId, n: count(), followUps: count(surveyResponses.followUpText) })
      .from(surveyResponses)
      .where(range(surveyResponses))
      .groupBy(surveyResponses.optionId),
    db.select({ channel: surveyResponses.channel, n: count() }).from(surveyResponses).where(range(surveyResponses)).groupBy(surveyResponses.channel),
  ]);
  return {
    views: views?.n ?? 0,
    skips: skips?.n ?? 0,
    responses: byOption.reduce((sum, r) => sum + r.n, 0),
    byOption,
    byChannel,
  };
}
