import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type Db } from "./client.ts";
import { migrate } from "./migrate.ts";

export interface TestDb {
  db: Db;
  url: string;
  dir: string;
  cleanup(): Promise<void>;
}

/** A migrated database in its own temporary file (`:memory:` loses data across transactions in @libsql/client). */
export async function createTestDb(): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), "lantern-db-"));
  const url = `file:${join(dir, "test.db")}`;
  const db = await createDb(url);
  await migrate(db);
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
