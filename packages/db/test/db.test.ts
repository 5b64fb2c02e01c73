import { normalizeAnswer } from "@lantern/core";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { backfillNormalizedAnswerTexts, normalizedAnswerTexts } from "../src/answer-text.ts";
import type { Db } from "../src/client.ts";
import { migrate } from "../src/migrate.ts";
import { clicks, links, surveyResponses, unfurls, visitors, visits } from "../src/schema/index.ts";
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

describe("migration 0003 (the answer's facts)", () => {
  it("backfills answer_named, answer_dark and software_dark of rows reconciled before it", async () => {
    t = await createTestDb({ migrationsBefore: 3 });
    const db = t.db;
    const row = (id: string, self: string | null, reasons: string[]) =>
      db.$client.execute({
        sql: `INSERT INTO conversion_attribution (conversion_id, ts, software_channel, self_channel, blended_channel, responded, dark, dark_reasons, path, rule, ruleset_version, reconciled_at)
              VALUES (?, 0, 'direct', ?, 'direct', 1, ?, ?, '{}', 'r', 'v', 0)`,
        args: [id, self, reasons.length > 0 ? 1 : 0, JSON.stringify(reasons)],
      });
    await row("both", "messaging", ["dark_self_report", "dark_tagged_link"]);
    await row("said", "word_of_mouth", ["dark_self_report"]);
    await row("seen", null, ["copy_paste_arrival"]);
    await row("none", "organic_search", []);
    await row("forgot", null, []);
    await migrate(db);
    const rows = await db.$client.execute("SELECT conversion_id, answer_named, answer_dark, software_dark FROM conversion_attribution ORDER BY conversion_id");
    expect(rows.rows.map((r) => [r.conversion_id, Number(r.answer_named), Number(r.answer_dark), Number(r.software_dark)])).toEqual([
      ["both", 1, 1, 1],
      ["forgot", 0, 0, 0],
      ["none", 1, 0, 0],
      ["said", 1, 1, 0],
      ["seen", 0, 0, 1],
    ]);
  });
});

describe("migration 0005 (normalised answer texts)", () => {
  const stored = async (db: Db) =>
    (await db.select({ id: surveyResponses.id, other: surveyResponses.otherTextNormalized, followUp: surveyResponses.followUpTextNormalized }).from(surveyResponses).orderBy(surveyResponses.id)).map(
      (r) => [r.id, r.other, r.followUp],
    );

  it("fills the normalised texts of answers stored before it with exactly what the core normaliser returns", async () => {
    t = await createTestDb({ migrationsBefore: 5 });
    const texts: [string, string | null, string | null][] = [
      ["a-other", "My FREIND told me!! 🙂", null],
      ["b-follow", null, "  L'ami   d'Åsa — Straße "],
      ["c-both", "ﬁrst Ａd", "don't know"],
      ["d-none", null, null],
      ["e-empty", "", "!!!"],
    ];
    for (const [id, other, followUp] of texts) {
      await t.db.$client.execute({
        sql: "INSERT INTO survey_responses (id, survey_id, ts, received_at, other_text, follow_up_text, rule) VALUES (?, 's1', 0, 0, ?, ?, 'r')",
        args: [id, other, followUp],
      });
    }
    await migrate(t.db);
    const n = (text: string | null) => (text === null ? null : normalizeAnswer(text));
    expect(await stored(t.db)).toEqual(texts.map(([id, other, followUp]) => [id, n(other), n(followUp)]));
    expect(await stored(t.db)).toContainEqual(["a-other", "my freind told me", null]);
    expect(await backfillNormalizedAnswerTexts(t.db)).toBe(0);
  });

  it("backfills in batches, and at the next start fills rows a writer older than the migration stored since", async () => {
    t = await createTestDb({ migrationsBefore: 5 });
    const many = Array.from({ length: 11_000 }, (_, i) => [`r${String(i).padStart(5, "0")}`, i % 3 === 0 ? null : `Answer #${i % 7}!`, i % 2 === 0 ? `WhatsApp ${i % 5}` : null]);
    await t.db.$client.execute({
      sql: "INSERT INTO survey_responses (id, survey_id, ts, received_at, other_text, follow_up_text, rule) SELECT j.value->>0, 's1', 0, 0, j.value->>1, j.value->>2, 'r' FROM json_each(?) AS j",
      args: [JSON.stringify(many)],
    });
    await migrate(t.db);
    const rows = await stored(t.db);
    expect(rows).toHaveLength(11_000);
    expect(rows).toEqual(many.map(([id, other, followUp]) => [id, other ? normalizeAnswer(other) : null, followUp ? normalizeAnswer(followUp) : null]));

    await t.db.$client.execute("INSERT INTO survey_responses (id, survey_id, ts, received_at, other_text, rule) VALUES ('late', 's1', 0, 0, 'Late, LATE!', 'r')");
    await migrate(t.db);
    expect(await stored(t.db)).toContainEqual(["late", "late late", null]);
  });

  it("gives writers the same normalised texts (null without text)", () => {
    expect(normalizedAnswerTexts({ otherText: "Slack — #growth", followUpText: null })).toEqual({ otherTextNormalized: normalizeAnswer("Slack — #growth"), followUpTextNormalized: null });
    expect(normalizedAnswerTexts({ followUpText: "" })).toEqual({ otherTextNormalized: null, followUpTextNormalized: "" });
  });
});

describe("migration 0006 (untagged visits)", () => {
  it("adds the visits table to a database of the previous release, keyed by event id, with its indexes", async () => {
    t = await createTestDb({ migrationsBefore: 6 });
    const tables = async () => (await t!.db.$client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'visits'")).rows.length;
    expect(await tables()).toBe(0);
    await migrate(t.db);
    expect(await tables()).toBe(1);
    const row = { id: "e1", ts: 1, receivedAt: 2, visitorId: "V", referrerHost: "google.com", page: null, inApp: null, channel: "organic_search", source: "google", rule: "visit:referrer", dark: false };
    await t.db.insert(visits).values(row).onConflictDoNothing();
    await t.db.insert(visits).values({ ...row, channel: "direct" }).onConflictDoNothing();
    expect(await t.db.select().from(visits)).toEqual([row]);
    const indexes = await t.db.$client.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'visits' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    expect(indexes.rows.map((r) => r.name)).toEqual(["visits_received_idx", "visits_ts_idx", "visits_visitor_idx"]);
  });
});

describe("migration 0007 (share-token index, latest rows of the reconciler)", () => {
  it("indexes conversions by share token and adds latest_rows, null for the state a previous release left", async () => {
    t = await createTestDb({ migrationsBefore: 7 });
    await t.db.$client.execute("INSERT INTO reconcile_state (id, watermark, last_run_at) VALUES ('attribution', 5, 6)");
    await migrate(t.db);
    const state = await t.db.$client.execute("SELECT id, watermark, last_run_at, latest_rows FROM reconcile_state");
    expect(state.rows.map((r) => ({ ...r }))).toEqual([{ id: "attribution", watermark: 5, last_run_at: 6, latest_rows: null }]);
    // The look-up of incremental reconciliation (apps/worker/src/reconcile/load.ts, conversionsOwnedByToken) uses it.
    const plan = await t.db.$client.execute({
      sql: "EXPLAIN QUERY PLAN SELECT id FROM conversions WHERE share_token IN (SELECT share_token FROM visitors WHERE visitor_id IN (SELECT value FROM json_each(?))) AND +visitor_id IS NULL AND ts >= ? AND ts <= ?",
      args: ["[]", 0, 1],
    });
    expect(plan.rows.map((r) => String(r.detail))).toContain("SEARCH conversions USING INDEX conversions_share_token_idx (share_token=?)");
  });
});

describe("migration 0008 (when arrivals and visitors were stored; answers without a conversion id by key)", () => {
  it("gives rows stored before it the time they happened, never later than now, and indexes them by it", async () => {
    t = await createTestDb({ migrationsBefore: 8 });
    const ahead = Date.now() + 86_400_000; // a client clock a day ahead must not move the reconciler's watermark
    await t.db.$client.execute({
      sql: "INSERT INTO visitors (visitor_id, share_token, generation, first_seen, last_seen) VALUES ('A', 'tA', 0, 10, 20), ('B', 'tB', 1, 30, 40), ('C', NULL, 1, 50, ?)",
      args: [ahead],
    });
    await t.db.$client.execute({
      sql: `INSERT INTO arrivals (id, ts, share_token, visitor_id, parent_visitor_id, generation, channel, rule, dark)
            VALUES ('r1', 35, 'tA', 'B', 'A', 1, 'messaging', 'copy_paste_no_referrer', 1), ('r2', ?, 'tB', 'C', 'B', 2, 'messaging', 'copy_paste_no_referrer', 1)`,
      args: [ahead],
    });
    const before = Date.now();
    await migrate(t.db);
    const after = Date.now();
    const stamps = async (sql: string) => (await t!.db.$client.execute(sql)).rows.map((r) => [String(r.k), Number(r.received_at)] as const);
    const visitorStamps = await stamps("SELECT visitor_id AS k, received_at FROM visitors ORDER BY visitor_id");
    const arrivalStamps = await stamps("SELECT id AS k, received_at FROM arrivals ORDER BY id");
    expect(visitorStamps.slice(0, 2)).toEqual([
      ["A", 20],
      ["B", 40],
    ]);
    expect(arrivalStamps[0]).toEqual(["r1", 35]);
    for (const [, at] of [visitorStamps[2]!, arrivalStamps[1]!]) {
      expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(at).toBeLessThanOrEqual(after);
    }
    const indexes = await t.db.$client.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%received_idx' AND tbl_name IN ('arrivals', 'visitors') ORDER BY name");
    expect(indexes.rows.map((r) => r.name)).toEqual(["arrivals_received_idx", "visitors_received_idx"]);
    // Rows written without it (fixtures, other writers) count as received long ago: full runs see them.
    await t.db.insert(visitors).values({ visitorId: "D", generation: 0, firstSeen: 1, lastSeen: 2 });
    expect((await t.db.select().from(visitors).where(eq(visitors.visitorId, "D")))[0]?.receivedAt).toBe(0);
  });

  it("makes the reconciler's look-ups of answers without a conversion id a search by key and time (they read every such answer before)", async () => {
    t = await createTestDb();
    const plan = async (sql: string, args: (number | string)[]) => (await t!.db.$client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args })).rows.map((r) => String(r.detail));
    // The queries of apps/worker/src/reconcile/load.ts, loadLooseAnswers.
    for (const [column, index] of [
      ["respondent_hash", "survey_responses_loose_respondent_idx"],
      ["visitor_id", "survey_responses_loose_visitor_idx"],
      ["lcid", "survey_responses_loose_lcid_idx"],
    ]) {
      const sql = `SELECT id FROM survey_responses WHERE conversion_id IS NULL AND ts >= ? AND ts <= ? AND ${column} IN (SELECT value FROM json_each(?))`;
      expect(await plan(sql, [0, 1, "[]"])).toContain(`SEARCH survey_responses USING INDEX ${index} (conversion_id=? AND ${column}=? AND ts>? AND ts<?)`);
    }
    // And incremental reconciliation's look-ups of late arrivals and landings (apps/worker/src/reconcile/touched.ts).
    for (const table of ["arrivals", "visitors"]) {
      expect(await plan(`SELECT visitor_id FROM ${table} WHERE received_at > ? AND received_at <= ?`, [0, 1])).toContain(
        `SEARCH ${table} USING INDEX ${table}_received_idx (received_at>? AND received_at<?)`,
      );
    }
  });
});

describe("migration 0009 (attribution_credits keyed by its primary key alone)", () => {
  const columns = "conversion_id, view, model, position, ts, channel, source, credit, value, rule, ruleset_version";
  const credits = async (db: Db) =>
    (await db.$client.execute(`SELECT ${columns} FROM attribution_credits ORDER BY conversion_id, view, model, position`)).rows.map((r) => ({ ...r }));

  it("keeps every credit of a previous release as it was, in a WITHOUT ROWID table without the ts index", async () => {
    t = await createTestDb({ migrationsBefore: 9 });
    const rows = [
      ["c2", "software", "linear", 1, 20, "social", null, 0.5, null, "software:click", "v1"],
      ["c1", "blended", "last_touch", 0, 10, "direct", "", 1, 12.5, "software:none", "v1"],
      ["c2", "software", "linear", 0, 20, "organic_search", "google", 0.5, 3.25, "software:click", "v1"],
      ["c1", "self_reported", "first_touch", 0, 10, "podcast", "a show", 1, 12.5, "self:answer", "v0"],
    ];
    for (const args of rows) await t.db.$client.execute({ sql: `INSERT INTO attribution_credits (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args: args as never[] });
    const before = await credits(t.db);
    await migrate(t.db);
    expect(await credits(t.db)).toEqual(before);
    const objects = await t.db.$client.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'attribution_credits' ORDER BY name");
    expect(objects.rows.map((r) => [r.type, r.name])).toEqual([["table", "attribution_credits"]]);
    expect(String(objects.rows[0]?.sql)).toMatch(/\) WITHOUT ROWID$/);
    // Still one row per key.
    await expect(t.db.$client.execute({ sql: `INSERT INTO attribution_credits (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args: rows[0] as never[] })).rejects.toThrow(/UNIQUE/);
  });

  it("gives a fresh database the same table, and the reconciler's look-ups by conversion search its key", async () => {
    t = await createTestDb();
    const [table] = (await t.db.$client.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'attribution_credits'")).rows;
    // drizzle cannot declare WITHOUT ROWID: a migration drizzle-kit generates to rebuild the table must add it again.
    expect(String(table?.sql)).toMatch(/\) WITHOUT ROWID$/);
    const plan = await t.db.$client.execute({ sql: "EXPLAIN QUERY PLAN DELETE FROM attribution_credits WHERE conversion_id IN (SELECT value FROM json_each(?))", args: ["[]"] });
    expect(plan.rows.map((r) => String(r.detail))).toContain("SEARCH attribution_credits USING PRIMARY KEY (conversion_id=?)");
  });
});

describe("migration 0010 (when clicks and unfurls were stored)", () => {
  it("adds received_at with a constant default (rows stored before it: 0, full runs only) and indexes it", async () => {
    t = await createTestDb({ migrationsBefore: 10 });
    await t.db.$client.execute("INSERT INTO clicks (id, link_id, ts, channel, rule) VALUES ('k1', 'L1', 10, 'social', 'referrer'), ('k2', 'L1', 20, 'direct', 'direct')");
    await t.db.$client.execute("INSERT INTO unfurls (id, link_id, ts, app) VALUES ('u1', 'L1', 5, 'slack')");
    await migrate(t.db);
    const stamps = async (table: string) => (await t!.db.$client.execute(`SELECT id, ts, received_at FROM ${table} ORDER BY id`)).rows.map((r) => [r.id, Number(r.ts), Number(r.received_at)]);
    expect(await stamps("clicks")).toEqual([
      ["k1", 10, 0],
      ["k2", 20, 0],
    ]);
    expect(await stamps("unfurls")).toEqual([["u1", 5, 0]]);
    const indexes = await t.db.$client.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%received_idx' AND tbl_name IN ('clicks', 'unfurls') ORDER BY name");
    expect(indexes.rows.map((r) => r.name)).toEqual(["clicks_received_idx", "unfurls_received_idx"]);
    // Writers that do not set it (fixtures, other writers) get the same default.
    await t.db.insert(clicks).values({ id: "k3", linkId: "L1", ts: 30, channel: "direct", rule: "direct" });
    await t.db.insert(unfurls).values({ id: "u2", linkId: "L1", ts: 40, app: "slack" });
    expect((await stamps("clicks"))[2]).toEqual(["k3", 30, 0]);
    expect((await stamps("unfurls"))[1]).toEqual(["u2", 40, 0]);
  });

  it("makes the reconciler's look-ups of clicks and unfurls by received_at a search of that index, never a scan", async () => {
    t = await createTestDb();
    const plan = async (sql: string) => (await t!.db.$client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: [0, 1].slice(0, (sql.match(/\?/g) ?? []).length) })).rows.map((r) => String(r.detail));
    for (const table of ["clicks", "unfurls"]) {
      // apps/worker/src/reconcile/run.ts: the watermark, and the days of link activity stored in a run's span.
      expect(await plan(`SELECT max(received_at) FROM ${table}`)).toEqual([`SEARCH ${table} USING COVERING INDEX ${table}_received_idx`]);
      expect(await plan(`SELECT DISTINCT ts / 86400000 AS d FROM ${table} WHERE received_at > ? AND received_at <= ?`)).toContain(
        `SEARCH ${table} USING INDEX ${table}_received_idx (received_at>? AND received_at<?)`,
      );
    }
    // touched.ts, conversionsOfLateClicks.
    expect(await plan("SELECT json_group_array(json_array(id, ts)) FROM clicks WHERE received_at > ? AND received_at <= ?")).toEqual([
      "SEARCH clicks USING INDEX clicks_received_idx (received_at>? AND received_at<?)",
    ]);
  });
});

describe("migration 0011 (every report of an order)", () => {
  it("gives each stored order one report holding what its row holds, made at the conversion's time; conversions without an order id none", async () => {
    t = await createTestDb({ migrationsBefore: 11 });
    await t.db.$client.execute(`INSERT INTO conversions (id, external_id, ts, received_at, type, value, currency, lcid, visitor_id, share_token, respondent_hash, origin) VALUES
      ('c1', 'order-1', 100, 150, 'purchase', 9.5, 'EUR', 'k1', '', NULL, NULL, 'tracker'),
      ('c2', 'order-2', 200, 250, 'lead', NULL, NULL, NULL, 'v2', 't2', 'h2', 'api'),
      ('c3', NULL, 300, 350, 'purchase', 1, 'EUR', NULL, NULL, NULL, NULL, 'survey')`);
    await migrate(t.db);
    const reports = await t.db.$client.execute(
      "SELECT id, external_id, rank, ts, occurred_at, type, value, currency, lcid, visitor_id, share_token, respondent_hash, origin FROM conversion_reports ORDER BY id",
    );
    expect(reports.rows.map((r) => ({ ...r }))).toEqual([
      { id: "stored:c1", external_id: "order-1", rank: 1, ts: 100, occurred_at: null, type: "purchase", value: 9.5, currency: "EUR", lcid: "k1", visitor_id: null, share_token: null, respondent_hash: null, origin: "tracker" },
      { id: "stored:c2", external_id: "order-2", rank: 2, ts: 200, occurred_at: null, type: "lead", value: null, currency: null, lcid: null, visitor_id: "v2", share_token: "t2", respondent_hash: "h2", origin: "api" },
    ]);
    const plan = await t.db.$client.execute({ sql: "EXPLAIN QUERY PLAN SELECT type FROM conversion_reports WHERE external_id = ? ORDER BY rank DESC LIMIT 1", args: ["order-1"] });
    expect(plan.rows.map((r) => String(r.detail))).toContain("SEARCH conversion_reports USING INDEX conversion_reports_external_idx (external_id=?)");
  });
});
