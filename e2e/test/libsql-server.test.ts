import { readdirSync } from "node:fs";
import { createDb, MIGRATIONS_FOLDER, migrate } from "@lantern/db";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Sqld, startSqld } from "../src/sqld.ts";

/**
 * Start-up on a libSQL server: every service migrates when it starts, so on a fresh server several
 * processes migrate at once. (The flow on a server is attribution-flow-libsql-server.test.ts.)
 */
let sqld: Sqld;
beforeAll(async () => {
  sqld = await startSqld();
});
afterAll(async () => {
  await sqld?.stop();
});

describe("a libSQL server", () => {
  test("four clients migrating a fresh server at once leave every migration applied once, and again is a no-op", async () => {
    const clients = await Promise.all(Array.from({ length: 4 }, () => createDb(sqld.url)));
    try {
      await Promise.all(clients.map((db) => migrate(db)));
      const files = readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith(".sql")).length;
      const applied = async () => Number((await clients[0]!.$client.execute("SELECT count(*) AS n FROM __drizzle_migrations")).rows[0]!.n);
      expect(await applied()).toBe(files);
      await migrate(clients[1]!);
      expect(await applied()).toBe(files);
      const tables = await clients[2]!.$client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('links', 'clicks', 'conversion_attribution', 'survey_responses')");
      expect(tables.rows.map((r) => r.name).sort()).toEqual(["clicks", "conversion_attribution", "links", "survey_responses"]);
    } finally {
      for (const db of clients) db.$client.close();
    }
  });
});
