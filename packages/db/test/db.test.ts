import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
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
