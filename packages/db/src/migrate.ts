import { fileURLToPath } from "node:url";
import { migrate as drizzleMigrate } from "drizzle-orm/libsql/migrator";
import type { Db } from "./client.ts";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));

/**
 * Applies the committed drizzle-kit migrations. Safe to run at every start-up, and by several
 * processes at once: when two services start on a fresh database, both may read "nothing applied"
 * before either writes, and the loser fails with "already exists". Reading again then finds the
 * migration applied, so a few retries settle it.
 */
export async function migrate(db: Db, attempts = 6): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await drizzleMigrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
      return;
    } catch (err) {
      const message = String((err as Error)?.message ?? err) + String((err as { cause?: Error })?.cause?.message ?? "");
      const raced = /already exists|SQLITE_BUSY|database is locked/i.test(message);
      if (!raced || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt + Math.random() * 200));
    }
  }
}
