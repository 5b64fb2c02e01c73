import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createClient, type Client } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import * as schema from "./schema/index.ts";
import { checkServerAccepts } from "./server-auth.ts";

export type Db = LibSQLDatabase<typeof schema> & { $client: Client };

export interface DbOptions {
  url: string;
  authToken?: string;
}

/** The file behind a `file:` URL; null for a libSQL server. */
export function databaseFile(url: string): string | null {
  if (!url.startsWith("file:")) return null;
  const path = url.slice("file:".length).split("?")[0]!;
  return path && path !== ":memory:" ? resolve(path) : null;
}

/**
 * Opens the database: `file:` (embedded, the default) or `libsql://` / `http(s)://` (a sqld or Turso server).
 * For files, the folder is created and SQLite is put in WAL mode so readers do not block the writer.
 */
export async function createDb(options: DbOptions | string): Promise<Db> {
  const { url, authToken } = typeof options === "string" ? { url: options, authToken: undefined } : options;
  const file = databaseFile(url);
  if (file) mkdirSync(dirname(file), { recursive: true });
  // `timeout` is the busy timeout of every pooled connection to a file database: writers in other
  // processes (worker, links, surveys) wait for the lock instead of failing with SQLITE_BUSY.
  const client = createClient({ url, authToken, timeout: 10_000 });
  if (url.startsWith("file:")) {
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA synchronous = NORMAL");
  } else {
    await checkServerAccepts(client, url, authToken);
  }
  return drizzle(client, { schema }) as Db;
}

