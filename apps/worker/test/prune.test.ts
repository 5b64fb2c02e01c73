import { DAY_MS } from "@lantern/core";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RAW_EVENT_TABLES, type RawEventTable, pruneRawEvents } from "../src/prune/prune.ts";
import { readRetention, retainedFrom } from "../src/prune/retention.ts";
import { runReconcile } from "../src/reconcile/run.ts";
import { addLink, eventDay, expectedRaw, ingest, rawIds, setRetention, snapshot } from "./prune-fixtures.ts";

/**
 * Pruning raw events against a real libSQL file: events stored through ingestEvents, attribution and
 * roll-ups made by runReconcile, then pruneRawEvents with the retention setting as the admin stores it.
 */

const NOW = Date.UTC(2025, 5, 20, 12);
const MIN = 60_000;

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
  await addLink(t.db);
});
afterEach(async () => t.cleanup());

/**
 * Records every transaction opened on the test database from now on, with the rows each of its
 * `DELETE FROM <table>` statements deleted; `onOpen` hears the count of transactions opened so far.
 */
function watchTransactions(db: TestDb, onOpen?: (opened: number) => void): { table: string; rows: number }[][] {
  const client = db.db.$client;
  const open = client.transaction.bind(client);
  const transactions: { table: string; rows: number }[][] = [];
  client.transaction = (async (mode?: "write" | "read" | "deferred") => {
    const tx = await open(mode);
    const statements: { table: string; rows: number }[] = [];
    transactions.push(statements);
    onOpen?.(transactions.length);
    const execute = tx.execute.bind(tx);
    tx.execute = (async (stmt: { sql: string; args: never[] }) => {
      const res = await execute(stmt);
      const table = /^DELETE FROM (\w+)/.exec(stmt.sql)?.[1];
      if (table) statements.push({ table, rows: res.rowsAffected });
      return res;
    }) as typeof tx.execute;
    return tx;
  }) as typeof client.transaction;
  return transactions;
}

const each = (n: number) => Object.fromEntries(RAW_EVENT_TABLES.map((table) => [table, n])) as Record<RawEventTable, number>;

describe("pruning raw events", () => {
  it("deletes exactly the raw events older than the retention setting, from every raw table, and none of the results", async () => {
    await setRetention(t.db, 30, NOW);
    const cutoff = NOW - 30 * DAY_MS;
    const old = eventDay(NOW - 45 * DAY_MS, "old");
    const justBefore = eventDay(cutoff - 10 * MIN, "just-before");
    const atCutoff = eventDay(cutoff, "at-cutoff");
    const recent = eventDay(NOW - 2 * DAY_MS, "recent");
    for (const day of [old, justBefore, atCutoff, recent]) await ingest(t.db, day.events, NOW);
    expect(await rawIds(t.db)).toEqual(expectedRaw([old, justBefore, atCutoff, recent]));
    await runReconcile(t.db, { now: NOW });
    const results = await snapshot(t.db);
    expect(results.conversionAttribution).toHaveLength(4);
    expect(results.linkDaily).not.toHaveLength(0);

    const logged: object[] = [];
    const run = await pruneRawEvents(t.db, { now: NOW, log: { info: (obj) => logged.push(obj) } });

    expect(run).toMatchObject({ retentionDays: 30, cutoff, deleted: each(2) });
    expect(await rawIds(t.db)).toEqual(expectedRaw([atCutoff, recent]));
    // Conversions, answers, visitors, links, attribution rows, credits and both roll-ups: untouched.
    expect(await snapshot(t.db)).toEqual(results);
    expect(logged).toEqual([expect.objectContaining({ retentionDays: 30, cutoff, deleted: each(2) })]);
    // Nothing left to delete: a second run deletes nothing.
    expect((await pruneRawEvents(t.db, { now: NOW })).deleted).toEqual(each(0));
  });

  it("keeps 395 days when no retention is set, and honours a changed setting at the next run", async () => {
    const days = [400, 100, 20].map((ago) => eventDay(NOW - ago * DAY_MS, `d${ago}`));
    for (const day of days) await ingest(t.db, day.events, NOW);

    expect(await pruneRawEvents(t.db, { now: NOW })).toMatchObject({ retentionDays: 395, cutoff: NOW - 395 * DAY_MS, deleted: each(1) });
    expect(await rawIds(t.db)).toEqual(expectedRaw(days.slice(1)));

    await setRetention(t.db, 90, NOW);
    expect(await pruneRawEvents(t.db, { now: NOW })).toMatchObject({ retentionDays: 90, deleted: each(1) });
    expect(await rawIds(t.db)).toEqual(expectedRaw(days.slice(2)));
    expect(await retainedFrom(t.db.$client, NOW)).toBe(NOW - 90 * DAY_MS);

    // Lengthened: nothing more is deleted, and reconciliation is still told that before the last cutoff
    // events are gone. Shortened: reconciliation counts on the shorter window before the next prune runs.
    await setRetention(t.db, 365, NOW);
    expect(await readRetention(t.db.$client, NOW)).toEqual({ days: 365, cutoff: NOW - 365 * DAY_MS });
    expect((await pruneRawEvents(t.db, { now: NOW })).deleted).toEqual(each(0));
    expect(await retainedFrom(t.db.$client, NOW)).toBe(NOW - 90 * DAY_MS);
    await setRetention(t.db, 10, NOW);
    expect(await retainedFrom(t.db.$client, NOW)).toBe(NOW - 10 * DAY_MS);
  });

  it("deletes in batches of at most batchSize rows, one write transaction each, until nothing old is left", async () => {
    await setRetention(t.db, 30, NOW);
    const old = [31, 32, 40, 41, 50].map((ago) => eventDay(NOW - ago * DAY_MS, `old${ago}`));
    const recent = eventDay(NOW - DAY_MS, "recent");
    for (const day of [...old, recent]) await ingest(t.db, day.events, NOW);

    const transactions = watchTransactions(t);
    const run = await pruneRawEvents(t.db, { now: NOW, batchSize: 2 });

    expect(run.deleted).toEqual(each(5));
    expect(await rawIds(t.db)).toEqual(expectedRaw([recent]));
    const deletes = transactions.slice(1); // the first records how far the prune goes
    expect(deletes.every((statements) => statements.length === 1 && statements[0]!.rows <= 2)).toBe(true);
    for (const table of RAW_EVENT_TABLES) {
      expect(deletes.flat().filter((s) => s.table === table).map((s) => s.rows)).toEqual([2, 2, 1]);
    }
  });

  it("lets the process's other writers in between its batches", async () => {
    await setRetention(t.db, 30, NOW);
    for (const ago of [31, 32, 33, 34]) await ingest(t.db, eventDay(NOW - ago * DAY_MS, `old${ago}`).events, NOW);
    const later = eventDay(NOW - DAY_MS, "later");
    let ingested: Promise<number> | undefined;
    // A batch of events comes while the prune's second batch is being written.
    const transactions = watchTransactions(t, (opened) => {
      if (opened === 3) ingested = ingest(t.db, later.events, NOW).then(deletes);
    });
    const deletes = () => transactions.flat().length;
    await pruneRawEvents(t.db, { now: NOW, batchSize: 1 });
    // 4 rows per table, one by one, and the last statement per table finds none.
    expect(deletes()).toBe(7 * 5);
    // It was stored right after that batch, not after the 33 others.
    expect(await ingested).toBeLessThanOrEqual(3);
    expect(await rawIds(t.db)).toEqual(expectedRaw([later]));
  });
});
