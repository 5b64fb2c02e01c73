import type { Db } from "@lantern/db";
import type { InferInsertModel } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";

/** The transaction handle every ingest step writes through. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Multi-row inserts stay well under SQLite's bound-parameter limit (rows x columns). */
export const MAX_ROWS_PER_INSERT = 500;

export function chunk<T>(items: readonly T[], size = MAX_ROWS_PER_INSERT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Inserts rows in chunks of at most 500, skipping every row that hits a primary-key or unique
 * constraint (`ON CONFLICT DO NOTHING` with no target covers all of them). That is what makes
 * re-delivery harmless: the event id is the primary key. Returns how many rows were new.
 */
export async function insertNew<T extends SQLiteTable>(tx: Tx, table: T, rows: readonly InferInsertModel<T>[]): Promise<number> {
  let inserted = 0;
  for (const part of chunk(rows)) {
    // biome-ignore lint/suspicious/noExplicitAny: drizzle cannot narrow a generic table's insert type.
    const res = await tx.insert(table).values(part as any).onConflictDoNothing();
    inserted += res.rowsAffected;
  }
  return inserted;
}

/** Distinct non-empty values, for `IN (...)` look-ups. */
export function distinct(values: Iterable<string | null | undefined>): string[] {
  const set = new Set<string>();
  for (const v of values) if (v) set.add(v);
  return [...set];
}

/**
 * Runs `fn` for each chunk of `keys` and concatenates the results: one query per 500 keys, so a
 * look-up for a whole batch is one round trip in practice and never exceeds the parameter limit.
 */
export async function selectIn<K, R>(keys: readonly K[], fn: (part: K[]) => Promise<R[]>): Promise<R[]> {
  if (keys.length === 0) return [];
  const out: R[] = [];
  for (const part of chunk(keys)) out.push(...(await fn(part)));
  return out;
}
