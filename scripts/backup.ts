// `npm run backup [-- <file>]`: an online copy of the embedded database, taken while Lantern runs
// (packages/db/src/backup.ts). Default target: .lantern/backups/lantern-<UTC time>.db.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { backupDatabase } from "@lantern/db";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DATA = resolve(ROOT, process.env.LANTERN_DATA_DIR ?? ".lantern");
const url = process.env.DATABASE_URL ?? `file:${join(DATA, "lantern.db")}`;
const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");
// A path given on the command line is read from where the command was typed (npm sets INIT_CWD).
const target = process.argv[2] ? resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2]) : join(DATA, "backups", `lantern-${stamp}.db`);

try {
  const { path, bytes, ms } = await backupDatabase(url, target);
  console.log(`[lantern] backed up to ${path} (${(bytes / 1e6).toFixed(1)} MB, ${(ms / 1000).toFixed(1)} s; integrity check ok)`);
  console.log("[lantern] to restore: stop Lantern, copy it over the database file (delete its -wal and -shm files), start again");
} catch (err) {
  console.error(`[lantern] backup failed: ${(err as Error).message}`);
  process.exit(1);
}
