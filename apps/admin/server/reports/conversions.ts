import { and, desc, eq, gte, lt, or, type SQL } from "drizzle-orm";
import type { Db } from "@lantern/db";
import { conversionAttribution } from "@lantern/db/schema";
import { ApiError } from "@lantern/http";
import type { Range } from "./range.ts";

export interface ConversionsQuery {
  limit: number;
  cursor?: string;
  dark?: boolean;
  channel?: string;
}

/** The cursor is the (ts, id) of the last row shown, so pages stay stable while new rows arrive. */
export function encodeCursor(ts: number, id: string): string {
  return Buffer.from(`${ts}:${id}`).toString("base64url");
}

export function decodeCursor(cursor: string): { ts: number; id: string } {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const at = text.indexOf(":");
  const ts = Number(text.slice(0, at));
  const id = text.slice(at + 1);
  if (at < 1 || !Number.isSafeInteger(ts) || !id) throw new ApiError(400, "bad_request", "cursor: not a cursor from a previous page. Start again without it.");
  return { ts, id };
}

function filters(range: Range, q: Omit<ConversionsQuery, "limit" | "cursor">): SQL[] {
  const c = conversionAttribution;
  const where: SQL[] = [gte(c.ts, range.from), lt(c.ts, range.to)];
  if (q.dark !== undefined) where.push(eq(c.dark, q.dark));
  if (q.channel) where.push(eq(c.blendedChannel, q.channel));
  return where;
}

function present(row: typeof conversionAttribution.$inferSelect) {
  return {
    conversionId: row.conversionId,
    ts: row.ts,
    value: row.value,
    software: { channel: row.softwareChannel, source: row.softwareSource },
    selfReport: row.responded && row.selfChannel ? { channel: row.selfChannel, source: row.selfSource } : null,
    blended: { channel: row.blendedChannel, source: row.blendedSource },
    responded: row.responded,
    dark: row.dark,
    darkReasons: row.darkReasons,
    path: row.path,
    linkId: row.linkId,
    campaign: row.campaign,
    rule: row.rule,
    rulesetVersion: row.rulesetVersion,
  };
}

export type ConversionRow = ReturnType<typeof present>;

/** One page of conversions, newest first. */
export async function conversionsPage(db: Db, range: Range, q: ConversionsQuery) {
  const c = conversionAttribution;
  const where = filters(range, q);
  if (q.cursor) {
    const after = decodeCursor(q.cursor);
    where.push(or(lt(c.ts, after.ts), and(eq(c.ts, after.ts), lt(c.conversionId, after.id)))!);
  }
  const rows = await db
    .select()
    .from(c)
    .where(and(...where))
    .orderBy(desc(c.ts), desc(c.conversionId))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { conversions: page.map(present), nextCursor: rows.length > q.limit && last ? encodeCursor(last.ts, last.conversionId) : null };
}

export const CONVERSION_COLUMNS = [
  "conversionId", "time", "value", "softwareChannel", "softwareSource", "selfChannel", "selfSource", "blendedChannel", "blendedSource",
  "responded", "dark", "darkReasons", "rule", "rulesetVersion", "linkId", "campaign", "path",
];

export function conversionCsvRow(r: ConversionRow) {
  return [
    r.conversionId, new Date(r.ts).toISOString(), r.value, r.software.channel, r.software.source, r.selfReport?.channel, r.selfReport?.source,
    r.blended.channel, r.blended.source, r.responded, r.dark, r.darkReasons.join(";"), r.rule, r.rulesetVersion, r.linkId, r.campaign, JSON.stringify(r.path),
  ];
}

/** Every matching conversion, page by page, for the CSV export (which streams instead of paging). */
export async function* allConversions(db: Db, range: Range, q: Omit<ConversionsQuery, "limit" | "cursor">) {
  let cursor: string | undefined;
  for (;;) {
    const page = await conversionsPage(db, range, { ...q, limit: 1000, cursor });
    yield* page.conversions;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}
