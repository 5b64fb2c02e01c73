import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createClient } from "@libsql/client";
import { databaseFile } from "./client.ts";

export interface BackupResult {
  /** Absolute path of the copy. */
  path: string;
  bytes: number;
  ms: number;
}

/**
 * An online, consistent copy of the embedded database, taken while the services keep reading and
 * writing: SQLite's `VACUUM INTO` writes the database as one read transaction sees it (WAL mode lets
 * writers go on meanwhile), compacted, into a new file that needs no -wal or -shm beside it. The copy
 * is then opened and checked (`PRAGMA integrity_check`); a copy that fails the check is deleted.
 *
 * A libSQL server (sqld, Turso) is backed up on the server: its own snapshots, or Turso's point-in-time
 * restore. Copying its files from here would not be consistent.
 */
export async function backupDatabase(url: string, target: string): Promise<BackupResult> {
  const started = performance.now();
  const source = databaseFile(url);
  if (!source) throw new Error(`DATABASE_URL is not an embedded file (${url.split("?")[0]}): back up a libSQL server on the server (sqld snapshots, Turso point-in-time restore).`);
  if (!existsSync(source)) throw new Error(`There is no database at ${source}: nothing to back up (is DATABASE_URL right?).`);
  const path = resolve(target);
  if (existsSync(path)) throw new Error(`${path} already exists: pick a new name, a backup never overwrites a file.`);
  mkdirSync(dirname(path), { recursive: true });

  const from = createClient({ url: `file:${source}`, timeout: 10_000 });
  try {
    await from.execute({ sql: "VACUUM INTO ?", args: [path] });
  } finally {
    from.close();
  }
  const copy = createClient({ url: `file:${path}` });
  let verdict: string;
  try {
    verdict = (await copy.execute("PRAGMA integrity_check")).rows.map((r) => String(r[0])).join("; ");
  } finally {
    copy.close();
  }
  if (verdict !== "ok") {
    rmSync(path, { force: true });
    throw new Error(`The copy failed SQLite's integrity check (${verdict}); it was deleted. The database itself was not changed.`);
  }
  return { path, bytes: statSync(path).size, ms: Math.round(performance.now() - started) };
}
