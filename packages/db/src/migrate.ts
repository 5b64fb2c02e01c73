import { fileURLToPath } from "node:url";
import { migrate as drizzleMigrate } from "drizzle-orm/libsql/migrator";
import { backfillNormalizedAnswerTexts } from "./answer-text.ts";
import type { Db } from "./client.ts";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));

/**
 * Applies the committed drizzle-kit migrations. Safe to run at every start-up, and by several
 * processes at once: when two services start on a fresh database, both may read "nothing applied"
 * before either writes, and the loser fails with "already exists". Reading again then finds the
 * migration applied, so a few retries settle it.
 *
 * Then the backfills that SQL cannot do run in TypeScript, idempotent and cheap once done, so they
 * need no bookkeeping of their own: a process killed half-way finishes at its next start.
 * - 0005: the normalised free text of survey answers (`backfillNormalizedAnswerTexts`).
 */
export async function migrate(db: Db, attempts = 6): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await drizzleMigrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
      await backfillNormalizedAnswerTexts(db);
      return;
    } catch (err) {
      const message = String((err as Error)?.message ?? err) + String((err as { cause?: Error })?.cause?.message ?? "");
      const raced = /already exists|SQLITE_BUSY|database is locked/i.test(message);
      if (!raced || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt + Math.random() * 200));
    }
  }
}
