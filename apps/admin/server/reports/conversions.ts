import { and, desc, eq, gte, lt, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "@lantern/db";
import { conversionAttribution, conversions } from "@lantern/db/schema";
import { ApiError } from "@lantern/http";
import type { Range } from "./range.ts";

export interface ConversionsQuery {
  limit: number;
  cursor?: string;
  dark?: boolean;
  channel?: string;
  /** The site's order id: that one conversion. */
  order?: string;
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
  if (q.order !== undefined) where.push(sql`${c.conversionId} IN (SELECT id FROM conversions WHERE external_id = ${q.order})`);
  return where;
}

/**
 * What the conversion itself says (null where its row is gone): the site's order id, what kind and
 * currency, and whose report they come from (lantern.js, the site's server, a survey answer).
 */
type ConversionFacts = { [K in "externalId" | "type" | "currency" | "origin"]: (typeof conversions.$inferSelect)[K] | null };

function present({ a: row, ...conversion }: { a: typeof conversionAttribution.$inferSelect } & ConversionFacts) {
  return {
    conversionId: row.conversionId,
    orderId: conversion.externalId,
    type: conversion.type,
    origin: conversion.origin as "tracker" | "api" | "survey" | null,
    ts: row.ts,
    value: row.value,
    currency: conversion.currency,
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
    // Flat, not a nested object: drizzle reads a left-joined object whose first column is null as no row.
    .select({ a: c, externalId: conversions.externalId, type: conversions.type, currency: conversions.currency, origin: conversions.origin })
    .from(c)
    .leftJoin(conversions, eq(conversions.id, c.conversionId))
    .where(and(...where))
    .orderBy(desc(c.ts), desc(c.conversionId))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { conversions: page.map(present), nextCursor: rows.length > q.limit && last ? encodeCursor(last.a.ts, last.a.conversionId) : null };
}

/** How many conversions match the range and filters (all pages), for "page 2 of 41". */
export async function conversionsTotal(db: Db, range: Range, q: Omit<ConversionsQuery, "limit" | "cursor">): Promise<number> {
  return db.$count(conversionAttribution, and(...filters(range, q)));
}

export const CONVERSION_COLUMNS = [
  "conversionId", "orderId", "type", "origin", "time", "value", "currency", "softwareChannel", "softwareSource", "selfChannel", "selfSource", "blendedChannel", "blendedSource",
  "responded", "dark", "darkReasons", "rule", "rulesetVersion", "linkId", "campaign", "path",
];

export function conversionCsvRow(r: ConversionRow) {
  return [
    r.conversionId, r.orderId, r.type, r.origin, new Date(r.ts).toISOString(), r.value, r.currency, r.software.channel, r.software.source, r.selfReport?.channel, r.selfReport?.source,
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
