import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backupDatabase, createDb, schema } from "../src/index.ts";
import { createTestDb, type TestDb } from "../src/testing.ts";

let t: TestDb;
let out: string;
beforeEach(async () => {
  t = await createTestDb();
  out = mkdtempSync(join(tmpdir(), "lantern-backup-"));
});
afterEach(async () => {
  await t.cleanup();
  rmSync(out, { recursive: true, force: true });
});

const setting = (i: number) => ({ key: `k${i}`, value: { i }, updatedAt: i });
const countIn = async (url: string) => {
  const db = await createDb(url);
  try {
    return Number((await db.$client.execute("SELECT count(*) AS n FROM settings")).rows[0]!.n);
  } finally {
    db.$client.close();
  }
};

describe("backupDatabase", () => {
  it("copies a database that is being written to: the copy passes the integrity check and holds every row committed before it began", async () => {
    await t.db.insert(schema.settings).values(Array.from({ length: 500 }, (_, i) => setting(i)));
    // A writer in another connection keeps committing while the backup runs.
    const writer = await createDb(t.url);
    let writing = true;
    let written = 500;
    const writes = (async () => {
      while (writing) {
        await writer.insert(schema.settings).values(setting(written));
        written++;
      }
    })();
    const target = join(out, "nested", "copy.db");
    const result = await backupDatabase(t.url, target);
    writing = false;
    await writes;
    writer.$client.close();

    expect(result.path).toBe(target);
    expect(result.bytes).toBeGreaterThan(0);
    const copied = await countIn(`file:${target}`);
    expect(copied).toBeGreaterThanOrEqual(500);
    expect(copied).toBeLessThanOrEqual(written);
    // A complete database on its own: migrations recorded, no -wal beside it needed.
    const copy = await createDb(`file:${target}`);
    const migrations = Number((await copy.$client.execute("SELECT count(*) AS n FROM __drizzle_migrations")).rows[0]!.n);
    copy.$client.close();
    expect(migrations).toBeGreaterThan(0);
    expect(written).toBeGreaterThan(500);
    expect(await countIn(t.url)).toBe(written);
  });

  it("never overwrites a file", async () => {
    const target = join(out, "taken.db");
    writeFileSync(target, "precious");
    await expect(backupDatabase(t.url, target)).rejects.toThrow(/already exists/);
  });

  it("says what to do for a libSQL server or a missing file, and writes nothing", async () => {
    await expect(backupDatabase("http://127.0.0.1:8080", join(out, "a.db"))).rejects.toThrow(/back up a libSQL server on the server/);
    await expect(backupDatabase(`file:${join(out, "none.db")}`, join(out, "b.db"))).rejects.toThrow(/There is no database at/);
    expect(existsSync(join(out, "a.db")) || existsSync(join(out, "b.db"))).toBe(false);
  });
});
