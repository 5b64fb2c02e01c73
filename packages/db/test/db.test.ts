import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { migrate as drizzleMigrate } from "drizzle-orm/libsql/migrator";
import { afterEach, describe, expect, it } from "vitest";
import { createDb } from "../src/client.ts";
import { MIGRATIONS_FOLDER, migrate } from "../src/migrate.ts";
import { links } from "../src/schema/index.ts";
import { createTestDb, type TestDb } from "../src/testing.ts";

let t: TestDb | undefined;
afterEach(async () => t?.cleanup());

describe("database", () => {
  it("migrates a fresh file and keeps rows written inside a transaction", async () => {
    t = await createTestDb();
    const now = Date.now();
    await t.db.transaction(async (tx) => {
      await tx.insert(links).values({ id: "l1", slug: "abc", url: "https://example.com", utm: {}, tags: ["a"], createdAt: now, updatedAt: now });
    });
    const [row] = await t.db.select().from(links).where(eq(links.slug, "abc"));
    expect(row?.tags).toEqual(["a"]);
  });

  it("insert ... on conflict do nothing makes a repeated event a no-op", async () => {
    t = await createTestDb();
    const now = Date.now();
    const row = { id: "l1", slug: "abc", url: "https://example.com", utm: {}, tags: [], createdAt: now, updatedAt: now };
    await t.db.insert(links).values(row).onConflictDoNothing();
    await t.db.insert(links).values(row).onConflictDoNothing();
    expect(await t.db.$count(links)).toBe(1);
  });
});

describe("migration 0003 (the answer's facts)", () => {
  it("backfills answer_named, answer_dark and software_dark of rows reconciled before it", async () => {
    // The migrations as they were before 0003.
    const before = mkdtempSync(join(tmpdir(), "lantern-migrations-"));
    cpSync(MIGRATIONS_FOLDER, before, { recursive: true });
    const journalFile = join(before, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { idx: number }[] };
    journal.entries = journal.entries.filter((e) => e.idx < 3);
    writeFileSync(journalFile, JSON.stringify(journal));
    const dir = mkdtempSync(join(tmpdir(), "lantern-db-"));
    const db = await createDb(`file:${join(dir, "old.db")}`);
    try {
      await drizzleMigrate(db, { migrationsFolder: before });
      const row = (id: string, self: string | null, reasons: string[]) =>
        db.$client.execute({
          sql: `INSERT INTO conversion_attribution (conversion_id, ts, software_channel, self_channel, blended_channel, responded, dark, dark_reasons, path, rule, ruleset_version, reconciled_at)
                VALUES (?, 0, 'direct', ?, 'direct', 1, ?, ?, '{}', 'r', 'v', 0)`,
          args: [id, self, reasons.length > 0 ? 1 : 0, JSON.stringify(reasons)],
        });
      await row("both", "messaging", ["dark_self_report", "dark_tagged_link"]);
      await row("said", "word_of_mouth", ["dark_self_report"]);
      await row("seen", null, ["copy_paste_arrival"]);
      await row("none", "organic_search", []);
      await row("forgot", null, []);
      await migrate(db);
      const rows = await db.$client.execute("SELECT conversion_id, answer_named, answer_dark, software_dark FROM conversion_attribution ORDER BY conversion_id");
      expect(rows.rows.map((r) => [r.conversion_id, Number(r.answer_named), Number(r.answer_dark), Number(r.software_dark)])).toEqual([
        ["both", 1, 1, 1],
        ["forgot", 0, 0, 0],
        ["none", 1, 0, 0],
        ["said", 1, 1, 0],
        ["seen", 0, 0, 1],
      ]);
    } finally {
      db.$client.close();
      rmSync(before, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
