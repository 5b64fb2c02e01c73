import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate as drizzleMigrate } from "drizzle-orm/libsql/migrator";
import { createDb, type Db } from "./client.ts";
import { MIGRATIONS_FOLDER, migrate } from "./migrate.ts";

export interface TestDb {
  db: Db;
  url: string;
  dir: string;
  cleanup(): Promise<void>;
}

export interface TestDbOptions {
  /**
   * Apply only the migrations numbered below this one (and none of `migrate()`'s backfills): a
   * database as an older release left it, to test what a later migration does to the rows already
   * there. Call `migrate(db)` to bring it up to date.
   */
  migrationsBefore?: number;
}

/** A migrated database in its own temporary file (`:memory:` loses data across transactions in @libsql/client). */
export async function createTestDb(options: TestDbOptions = {}): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), "lantern-db-"));
  const url = `file:${join(dir, "test.db")}`;
  const db = await createDb(url);
  if (options.migrationsBefore === undefined) await migrate(db);
  else await drizzleMigrate(db, { migrationsFolder: migrationsBefore(options.migrationsBefore, dir) });
  return {
    db,
    url,
    dir,
    async cleanup() {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A copy of the migrations folder (inside `dir`) whose journal stops before migration `idx`. */
function migrationsBefore(idx: number, dir: string): string {
  const folder = join(dir, "migrations");
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalFile = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((e) => e.idx < idx);
  writeFileSync(journalFile, JSON.stringify(journal));
  return folder;
}
