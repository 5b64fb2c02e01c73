import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { salts } from "@lantern/db/schema";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import { asksNotToTrack, createVisitorHasher, utcDay } from "../src/index.ts";

let t: TestDb | undefined;
afterEach(async () => t?.cleanup());

const DAY = 86_400_000;
const UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)";

describe("visitor hash", () => {
  it("is stable within a day, differs across visitors, and never contains the IP", async () => {
    t = await createTestDb();
    const hasher = createVisitorHasher({ db: t.db, honorDnt: true });
    await hasher.start();
    const a = hasher.visitorHash("203.0.113.7", UA);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(hasher.visitorHash("203.0.113.7", UA)).toBe(a);
    expect(hasher.visitorHash("203.0.113.8", UA)).not.toBe(a);
    expect(hasher.visitorHash("203.0.113.7", `${UA} Safari`)).not.toBe(a);
    hasher.close();
  });

  it("is sha256 of the day's salt, the IP and the user agent, one per line, so hashes stored by any version compare", async () => {
    t = await createTestDb();
    let now = Date.UTC(2025, 0, 10, 23, 59, 59, 999);
    const hasher = createVisitorHasher({ db: t.db, honorDnt: true, now: () => now });
    await hasher.start();
    const saltOf = async (ms: number) => (await t!.db.select().from(salts)).find((r) => r.day === utcDay(ms))!.salt;
    const expected = (salt: string) => createHash("sha256").update(salt).update("\n").update("192.0.2.1").update("\n").update(UA).digest("hex");
    expect(hasher.visitorHash("192.0.2.1", UA)).toBe(expected(await saltOf(now)));
    now += 1; // midnight UTC: the next day's salt, from the first millisecond
    expect(hasher.visitorHash("192.0.2.1", UA)).toBe(expected(await saltOf(now)));
    now -= 1;
    expect(hasher.visitorHash("192.0.2.1", UA)).toBe(expected(await saltOf(now)));
    hasher.close();
  });

  it("two instances agree on the day's salt (insert-or-ignore), so they hash a visitor alike", async () => {
    t = await createTestDb();
    const one = createVisitorHasher({ db: t.db, honorDnt: true });
    const two = createVisitorHasher({ db: t.db, honorDnt: true });
    await Promise.all([one.start(), two.start()]);
    expect(one.visitorHash("198.51.100.1", UA)).toBe(two.visitorHash("198.51.100.1", UA));
    one.close();
    two.close();
  });

  it("rotates daily and deletes past salts, so yesterday's hashes cannot be recomputed", async () => {
    t = await createTestDb();
    let now = Date.UTC(2025, 0, 10, 12);
    const hasher = createVisitorHasher({ db: t.db, honorDnt: true, now: () => now });
    await hasher.start();
    const monday = hasher.visitorHash("192.0.2.1", UA);
    now += DAY;
    // Tomorrow's salt was loaded ahead: midnight needs no database round trip.
    const tuesday = hasher.visitorHash("192.0.2.1", UA);
    expect(tuesday).toMatch(/^[0-9a-f]{64}$/);
    expect(tuesday).not.toBe(monday);
    const later = createVisitorHasher({ db: t.db, honorDnt: true, now: () => now });
    await later.start();
    const days = (await t.db.select().from(salts)).map((r) => r.day).sort();
    expect(days).toEqual([utcDay(now), utcDay(now + DAY)]);
    expect(later.visitorHash("192.0.2.1", UA)).toBe(tuesday);
    hasher.close();
    later.close();
  });

  it("DNT: 1 and Sec-GPC: 1 turn the hash off when the instance honours them, and only then", async () => {
    t = await createTestDb();
    const honouring = createVisitorHasher({ db: t.db, honorDnt: true });
    const ignoring = createVisitorHasher({ db: t.db, honorDnt: false });
    await Promise.all([honouring.start(), ignoring.start()]);
    expect(honouring.visitorHash("192.0.2.1", UA, { dnt: "1" })).toBeNull();
    expect(honouring.visitorHash("192.0.2.1", UA, { gpc: "1" })).toBeNull();
    expect(honouring.visitorHash("192.0.2.1", UA, { dnt: "0" })).toMatch(/^[0-9a-f]{64}$/);
    expect(ignoring.visitorHash("192.0.2.1", UA, { dnt: "1", gpc: "1" })).toMatch(/^[0-9a-f]{64}$/);
    expect(asksNotToTrack({ dnt: null, gpc: "1" })).toBe(true);
    expect(asksNotToTrack({})).toBe(false);
    honouring.close();
    ignoring.close();
  });

  it("answers null, without waiting, when no salt is loaded yet", async () => {
    t = await createTestDb();
    const hasher = createVisitorHasher({ db: t.db, honorDnt: true });
    expect(hasher.visitorHash("192.0.2.1", UA)).toBeNull();
    hasher.close();
  });
});
