import { normalizeAnswer, refineWithFollowUp } from "@lantern/core";
import { migrate, normalizedAnswerTexts } from "@lantern/db";
import { surveyResponses } from "@lantern/db/schema";
import { createTestDb } from "@lantern/db/testing";
import { createApiKey } from "@lantern/http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_KEY, call, createSurvey, harness, type Harness, optionByLabel, SAMPLE_SURVEY, storedResponse, storedSkip, storedView, type SurveyJson } from "./support.ts";

let h: Harness;
beforeEach(async () => {
  h = await harness({ publicUrl: "https://surveys.example.com" });
});
afterEach(async () => {
  await h.close();
});

describe("management API: surveys", () => {
  it("creates a survey with per-locale texts and suggests each option's channel from its label", async () => {
    const survey = await createSurvey(h.app);
    expect(survey.question).toEqual(SAMPLE_SURVEY.question);
    expect(survey.randomize).toBe(true);
    expect(survey.active).toBe(true);
    expect(optionByLabel(survey, "A friend or colleague").channel).toBe("word_of_mouth");
    expect(optionByLabel(survey, "WhatsApp group")).toMatchObject({ channel: "messaging", source: "whatsapp" });
    expect(optionByLabel(survey, "Slack community")).toMatchObject({ channel: "workchat", source: "slack" });
    expect(optionByLabel(survey, "Google search")).toMatchObject({ channel: "organic_search", source: "google" });
    expect(optionByLabel(survey, "A podcast")).toMatchObject({ channel: "podcast", followUp: { en: "Which podcast?" } });
    expect(optionByLabel(survey, "Other")).toMatchObject({ kind: "other", channel: null });
    expect(optionByLabel(survey, "I don't remember")).toMatchObject({ kind: "dont_remember", channel: null });
    expect(survey.hostedUrl).toBe(`https://surveys.example.com/s/${survey.id}`);
    expect(survey.embed).toBe(`<script src="https://surveys.example.com/widget.js" data-survey="${survey.id}" async></script>`);
  });

  it("keeps an explicit channel and source over the suggestion, and derives the channel from a source alone", async () => {
    const survey = await createSurvey(h.app, {
      question: "Where did you find us?",
      options: [
        { label: "Our booth", channel: "events", source: "Web Summit" },
        { label: "Something", source: "telegram" },
        { label: "Mystery", channel: null },
      ],
    });
    expect(survey.options.map((o) => [o.channel, o.source])).toEqual([
      ["events", "web_summit"],
      ["messaging", "telegram"],
      [null, null],
    ]);
  });

  it("reads, lists and updates a survey; replaced options are archived, kept ones keep their id", async () => {
    const survey = await createSurvey(h.app);
    const read = await call(h.app, "GET", `/api/surveys/${survey.id}`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as SurveyJson).id).toBe(survey.id);

    const friend = optionByLabel(survey, "A friend or colleague");
    const other = optionByLabel(survey, "Other");
    const patched = await call(h.app, "PATCH", `/api/surveys/${survey.id}`, {
      name: "Renamed",
      randomize: false,
      options: [{ id: friend.id, label: { en: "A friend", de: "Ein Freund" } }, { label: "LinkedIn post" }, { id: other.id, kind: "other", label: "Other" }],
    });
    expect(patched.status).toBe(200);
    const updated = (await patched.json()) as SurveyJson;
    expect(updated.name).toBe("Renamed");
    expect(updated.randomize).toBe(false);
    expect(updated.options.map((o) => o.label.en)).toEqual(["A friend", "LinkedIn post", "Other"]);
    expect(updated.options[0]!.id).toBe(friend.id);
    expect(updated.options[1]).toMatchObject({ channel: "social", source: "linkedin" });

    const list = await call(h.app, "GET", "/api/surveys");
    const listed = ((await list.json()) as { data: SurveyJson[] }).data;
    expect(listed.map((s) => s.id)).toEqual([survey.id]);
  });

  it("archives on DELETE: the survey leaves the list, stops taking answers, and cannot be edited", async () => {
    const survey = await createSurvey(h.app);
    const res = await call(h.app, "DELETE", `/api/surveys/${survey.id}`);
    expect(res.status).toBe(200);
    const archived = (await res.json()) as SurveyJson;
    expect(archived.archivedAt).toEqual(expect.any(Number));
    expect(archived.active).toBe(false);
    expect(((await (await call(h.app, "GET", "/api/surveys")).json()) as { data: unknown[] }).data).toHaveLength(0);
    expect(((await (await call(h.app, "GET", "/api/surveys?archived=true")).json()) as { data: unknown[] }).data).toHaveLength(1);
    const answer = await call(h.app, "POST", "/v1/responses", { surveyId: survey.id, optionId: survey.options[0]!.id }, null);
    expect(answer.status).toBe(410);
    const edit = await call(h.app, "PATCH", `/api/surveys/${survey.id}`, { name: "x" });
    expect(edit.status).toBe(409);
  });

  it("answers 404 with the error shape for an unknown survey", async () => {
    const res = await call(h.app, "GET", "/api/surveys/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found", message: expect.any(String), requestId: expect.any(String) } });
  });

  it.each([
    ["no options", { question: "Q?", options: [] }],
    ["no question", { options: [{ label: "A" }] }],
    ["two Other options", { question: "Q?", options: [{ kind: "other", label: "Other" }, { kind: "other", label: "Else" }] }],
    ["an unknown channel", { question: "Q?", options: [{ label: "A", channel: "telepathy" }] }],
    ["a bad locale", { question: { "not a locale": "Q?" }, options: [{ label: "A" }] }],
    ["a question missing in the default locale", { defaultLocale: "de", question: { en: "Q?" }, options: [{ label: "A" }] }],
    ["a too long question", { question: "x".repeat(301), options: [{ label: "A" }] }],
    ["a body that is not an object", [1, 2, 3]],
  ])("rejects a survey with %s (400 validation_failed)", async (_name, body) => {
    const res = await call(h.app, "POST", "/api/surveys", body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("validation_failed");
  });

  it("rejects broken JSON (400), a wrong content type (415) and an unknown option id on update (400)", async () => {
    expect((await call(h.app, "POST", "/api/surveys", "{not json")).status).toBe(400);
    const wrongType = await h.app.request("/api/surveys", { method: "POST", headers: { Authorization: `Bearer ${ADMIN_KEY}`, "Content-Type": "application/xml" }, body: "<x/>" });
    expect(wrongType.status).toBe(415);
    const survey = await createSurvey(h.app);
    const res = await call(h.app, "PATCH", `/api/surveys/${survey.id}`, { options: [{ id: "not-an-option", label: "A" }] });
    expect(res.status).toBe(400);
    expect((await call(h.app, "PATCH", `/api/surveys/${survey.id}`, {})).status).toBe(400);
  });
});

describe("API description", () => {
  it("serves /openapi.json describing the management and public endpoints", async () => {
    const res = await h.app.request("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown>; servers: { url: string }[] };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/surveys", "/api/surveys/{id}", "/api/surveys/{id}/responses", "/api/surveys/{id}/responses.csv", "/api/surveys/{id}/stats", "/api/answer-labels", "/v1/surveys/{id}", "/v1/responses", "/v1/views", "/v1/skips"]),
    );
    expect(doc.servers[0]!.url).toBe("https://surveys.example.com");
  });
});

describe("management API: security", () => {
  it("refuses requests without a key, with an unknown key, and with a key lacking the scope", async () => {
    expect((await call(h.app, "GET", "/api/surveys", undefined, null)).status).toBe(401);
    expect((await call(h.app, "GET", "/api/surveys", undefined, "lt_not_a_real_key")).status).toBe(401);
    const malformed = await h.app.request("/api/surveys", { headers: { Authorization: "Basic abc" } });
    expect(malformed.status).toBe(401);

    const reader = await createApiKey(h.db, "reader", ["surveys:read"]);
    expect((await call(h.app, "GET", "/api/surveys", undefined, reader.key)).status).toBe(200);
    const write = await call(h.app, "POST", "/api/surveys", SAMPLE_SURVEY, reader.key);
    expect(write.status).toBe(403);
    expect(((await write.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    expect((await call(h.app, "PUT", "/api/answer-labels", { text: "x", channel: "social" }, reader.key)).status).toBe(403);

    const linksOnly = await createApiKey(h.db, "links", ["links:read", "links:write"]);
    expect((await call(h.app, "GET", "/api/surveys", undefined, linksOnly.key)).status).toBe(403);
    const writer = await createApiKey(h.db, "writer", ["surveys:write"]);
    expect((await call(h.app, "POST", "/api/surveys", SAMPLE_SURVEY, writer.key)).status).toBe(201);
  });

  it("does not open the management API to other origins (no CORS headers)", async () => {
    const res = await call(h.app, "GET", "/api/surveys", undefined, ADMIN_KEY, { Origin: "https://evil.example" });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses a management body over the size limit with 413", async () => {
    const res = await call(h.app, "POST", "/api/surveys", { question: "Q?", options: [{ label: "x".repeat(300_000) }] });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
  });
});

describe("management API: responses, export and figures", () => {
  const T0 = Date.UTC(2025, 0, 10);

  async function seeded() {
    const survey = await createSurvey(h.app);
    const friend = optionByLabel(survey, "A friend or colleague");
    const other = optionByLabel(survey, "Other");
    const whatsapp = optionByLabel(survey, "WhatsApp group");
    for (let i = 0; i < 5; i++) await storedResponse(h.db, { surveyId: survey.id, ts: T0 + i * 1000, optionId: friend.id, channel: "word_of_mouth", lcid: `c${i}` });
    await storedResponse(h.db, { surveyId: survey.id, ts: T0 + 10_000, optionId: whatsapp.id, channel: "messaging", source: "whatsapp" });
    await storedResponse(h.db, { surveyId: survey.id, ts: T0 + 11_000, optionId: other.id, otherText: "=HYPERLINK(\"http://x\")", channel: null, rule: "unclassified" });
    await storedResponse(h.db, { surveyId: survey.id, ts: T0 + 12_000, optionId: other.id, otherText: 'saw it on insta, "really"\nthanks', channel: "social", source: "instagram", rule: "brand:instagram" });
    for (let i = 0; i < 16; i++) await storedView(h.db, survey.id, T0 + i * 500);
    for (let i = 0; i < 4; i++) await storedSkip(h.db, survey.id, T0 + i * 500);
    return { survey, friend, other, whatsapp };
  }

  it("lists responses newest first with cursor pagination that visits every row once", async () => {
    const { survey } = await seeded();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call(h.app, "GET", `/api/surveys/${survey.id}/responses?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { data: { id: string; ts: number }[]; nextCursor: string | null };
      seen.push(...page.data.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(8);
    expect(seen).toHaveLength(8);
  });

  it("filters responses by time, channel, option and free text", async () => {
    const { survey, friend } = await seeded();
    const ids = async (query: string) => ((await (await call(h.app, "GET", `/api/surveys/${survey.id}/responses?${query}`)).json()) as { data: { optionId: string; channel: string | null }[] }).data;
    expect(await ids("channel=word_of_mouth")).toHaveLength(5);
    expect(await ids("channel=unclassified")).toHaveLength(1);
    expect(await ids(`optionId=${friend.id}`)).toHaveLength(5);
    expect(await ids("hasText=true")).toHaveLength(2);
    expect(await ids("hasText=false")).toHaveLength(6);
    expect(await ids(`from=${T0 + 10_000}`)).toHaveLength(3);
    expect(await ids(`to=${new Date(T0 + 2000).toISOString()}`)).toHaveLength(2);
    const first = (await ids("channel=messaging"))[0] as { optionLabel?: string };
    expect(first.optionLabel).toBe("WhatsApp group");
  });

  it.each(["limit=0", "limit=9999", "channel=telepathy", "hasText=maybe", "from=yesterday", "cursor=garbage"])("rejects the bad query %s with 400", async (query) => {
    const { survey } = await seeded();
    const res = await call(h.app, "GET", `/api/surveys/${survey.id}/responses?${query}`);
    expect(res.status).toBe(400);
  });

  it("exports CSV with quoting and without spreadsheet formulas", async () => {
    const { survey } = await seeded();
    const res = await call(h.app, "GET", `/api/surveys/${survey.id}/responses.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM, so spreadsheets read UTF-8
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith("id,answered_at,option_id,option,")).toBe(true);
    // Records end in CRLF; the line break inside a quoted answer stays a bare LF.
    expect(text.split("\r\n").filter(Boolean)).toHaveLength(1 + 8);
    expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(text).toContain(`"saw it on insta, ""really""\nthanks"`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it("reports views, responses, skips, the response rate and answers per option and per channel", async () => {
    const { survey, friend, other } = await seeded();
    const res = await call(h.app, "GET", `/api/surveys/${survey.id}/stats`);
    expect(res.status).toBe(200);
    const stats = (await res.json()) as {
      views: number;
      responses: number;
      skips: number;
      responseRate: number;
      options: { optionId: string; label: string; responses: number }[];
      channels: { channel: string; responses: number; share: number }[];
    };
    expect(stats).toMatchObject({ views: 16, responses: 8, skips: 4, responseRate: 0.5 });
    expect(stats.options.find((o) => o.optionId === friend.id)).toMatchObject({ label: "A friend or colleague", responses: 5 });
    expect(stats.options.find((o) => o.optionId === other.id)).toMatchObject({ label: "Other", responses: 2 });
    expect(stats.options).toHaveLength(survey.options.length);
    expect(stats.channels[0]).toMatchObject({ channel: "word_of_mouth", responses: 5, share: 5 / 8 });
    expect(stats.channels.find((c) => c.channel === "unclassified")?.responses).toBe(1);

    const windowed = (await (await call(h.app, "GET", `/api/surveys/${survey.id}/stats?from=${T0}&to=${T0 + 2000}`)).json()) as { views: number; responses: number; skips: number; responseRate: number };
    expect(windowed).toMatchObject({ views: 4, responses: 2, skips: 4, responseRate: 0.5 });
  });

  it("reports how often buyers answer an offered follow-up question", async () => {
    const survey = await createSurvey(h.app);
    const podcast = optionByLabel(survey, "A podcast");
    const friend = optionByLabel(survey, "A friend or colleague");
    expect(podcast.followUp).not.toBeNull();
    expect(friend.followUp ?? null).toBeNull();
    const answer = (ts: number, optionId: string, followUpText: string | null) =>
      storedResponse(h.db, { surveyId: survey.id, ts, optionId, followUpText, channel: "podcast", rule: "option" });
    await answer(1, podcast.id, "The Morning Crew");
    await answer(2, podcast.id, null);
    await answer(3, podcast.id, null);
    await answer(4, podcast.id, "a podcast about shoes");
    await answer(5, friend.id, null);
    const stats = (await (await call(h.app, "GET", `/api/surveys/${survey.id}/stats`)).json()) as {
      followUps: { offered: number; answered: number; rate: number | null };
      options: { optionId: string; followUps: number | null }[];
    };
    // Offered: the 4 answers whose option asks one; the friend's option asks none.
    expect(stats.followUps).toEqual({ offered: 4, answered: 2, rate: 0.5 });
    expect(stats.options.find((o) => o.optionId === podcast.id)?.followUps).toBe(2);
    expect(stats.options.find((o) => o.optionId === friend.id)?.followUps).toBeNull();
    const empty = await createSurvey(h.app);
    const none = (await (await call(h.app, "GET", `/api/surveys/${empty.id}/stats`)).json()) as { followUps: unknown };
    expect(none.followUps).toEqual({ offered: 0, answered: 0, rate: null });
  });

  it("gives a null response rate when there were no views", async () => {
    const survey = await createSurvey(h.app);
    const stats = (await (await call(h.app, "GET", `/api/surveys/${survey.id}/stats`)).json()) as { responseRate: number | null; views: number };
    expect(stats).toMatchObject({ views: 0, responseRate: null });
  });
});

describe("management API: manual labels", () => {
  it("stores a label under the normalised text and relabels stored answers with that text", async () => {
    const survey = await createSurvey(h.app);
    const other = optionByLabel(survey, "Other");
    const a = await storedResponse(h.db, { surveyId: survey.id, ts: 1, optionId: other.id, otherText: "The Lantern Newsletter!!", channel: null, rule: "unclassified" });
    const b = await storedResponse(h.db, { surveyId: survey.id, ts: 2, optionId: other.id, otherText: "the lantern   newsletter", channel: "email", rule: "keyword:newsletter" });
    const c = await storedResponse(h.db, { surveyId: survey.id, ts: 3, optionId: other.id, otherText: "a different newsletter", channel: "email", rule: "keyword:newsletter" });

    const before = Date.now();
    const res = await call(h.app, "PUT", "/api/answer-labels", { text: "the LANTERN newsletter", channel: "community", source: "Lantern Club" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { label: { normalizedText: string; channel: string; source: string }; relabeled: number };
    expect(body.label).toMatchObject({ normalizedText: "the lantern newsletter", channel: "community", source: "lantern_club" });
    expect(body.relabeled).toBe(2);

    const rows = ((await (await call(h.app, "GET", `/api/surveys/${survey.id}/responses`)).json()) as { data: { id: string; channel: string; source: string; rule: string }[] }).data;
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(a.id)).toMatchObject({ channel: "community", source: "lantern_club", rule: "manual_label" });
    expect(byId.get(b.id)).toMatchObject({ channel: "community", rule: "manual_label" });
    expect(byId.get(c.id)).toMatchObject({ channel: "email", rule: "keyword:newsletter" });
    // Relabelled answers are stamped as received now (the worker's next incremental run redoes their
    // conversions); the others keep when they arrived.
    const received = new Map(
      (await h.db.select({ id: surveyResponses.id, receivedAt: surveyResponses.receivedAt }).from(surveyResponses)).map((row) => [row.id, row.receivedAt]),
    );
    expect(received.get(a.id)).toBeGreaterThanOrEqual(before);
    expect(received.get(b.id)).toBeGreaterThanOrEqual(before);
    expect(received.get(c.id)).toBe(3);

    // Labelling again replaces the label.
    await call(h.app, "PUT", "/api/answer-labels", { text: "The Lantern Newsletter", channel: "email" });
    const labels = ((await (await call(h.app, "GET", "/api/answer-labels")).json()) as { data: { normalizedText: string; channel: string; labeledBy: string }[] }).data;
    expect(labels).toEqual([expect.objectContaining({ normalizedText: "the lantern newsletter", channel: "email", labeledBy: "bootstrap" })]);
  });

  it("relabels follow-up answers through their option: a label naming private sharing wins, one naming a public channel leaves the option", async () => {
    const survey = await createSurvey(h.app);
    const podcast = optionByLabel(survey, "A podcast");
    const told = await storedResponse(h.db, { surveyId: survey.id, ts: 1, optionId: podcast.id, followUpText: "The Morning Crew!", channel: "podcast", rule: "option" });
    const res = await call(h.app, "PUT", "/api/answer-labels", { text: "the morning crew", channel: "community", source: "morning-crew" });
    expect(((await res.json()) as { relabeled: number }).relabeled).toBe(1);
    const rows = ((await (await call(h.app, "GET", `/api/surveys/${survey.id}/responses`)).json()) as { data: { id: string; channel: string; source: string; rule: string }[] }).data;
    expect(rows.find((r) => r.id === told.id)).toMatchObject({ channel: "community", source: "morning_crew", rule: "follow_up:manual_label" });

    // Relabelled as a public channel other than the option's: the option stands.
    await call(h.app, "PUT", "/api/answer-labels", { text: "the morning crew", channel: "organic_search" });
    const again = ((await (await call(h.app, "GET", `/api/surveys/${survey.id}/responses`)).json()) as { data: { id: string; channel: string; source: string | null; rule: string }[] }).data;
    expect(again.find((r) => r.id === told.id)).toMatchObject({ channel: podcast.channel, rule: "option" });
  });

  it("relabels answers stored before migration 0005 (backfilled by migrate) and after it alike", async () => {
    const old = await harness({}, { db: await createTestDb({ migrationsBefore: 5 }) });
    try {
      const survey = await createSurvey(old.app);
      const other = optionByLabel(survey, "Other");
      const podcast = optionByLabel(survey, "A podcast");
      // As the worker stored answers before 0005: no normalised columns.
      const insertOld = (id: string, optionId: string, otherText: string | null, followUpText: string | null, channel: string | null) =>
        old.db.$client.execute({
          sql: "INSERT INTO survey_responses (id, survey_id, ts, received_at, option_id, other_text, follow_up_text, channel, rule) VALUES (?, ?, 1, 1, ?, ?, ?, ?, 'seeded')",
          args: [id, survey.id, optionId, otherText, followUpText, channel],
        });
      await insertOld("before-other", other.id, "The Lantern Newsletter!!", null, null);
      await insertOld("before-follow-up", podcast.id, null, "THE lantern newsletter", "podcast");
      await insertOld("before-unrelated", other.id, "a different newsletter", null, "email");
      await migrate(old.db);

      await storedResponse(old.db, { id: "after-other", surveyId: survey.id, ts: 2, optionId: other.id, otherText: "the lantern   newsletter 🙂", channel: null, rule: "seeded" });
      await storedResponse(old.db, { id: "after-follow-up", surveyId: survey.id, ts: 2, optionId: podcast.id, followUpText: "The Lantern Newsletter.", channel: "podcast", rule: "seeded" });
      // A writer older than 0005 still running after it (a rolling restart): caught up by the relabel itself.
      await insertOld("straggler", other.id, "the LANTERN newsletter", null, null);

      const res = await call(old.app, "PUT", "/api/answer-labels", { text: "the lantern newsletter", channel: "community", source: "Lantern Club" });
      expect(((await res.json()) as { relabeled: number }).relabeled).toBe(5);
      const rows = await old.db.select({ id: surveyResponses.id, channel: surveyResponses.channel, rule: surveyResponses.rule }).from(surveyResponses).orderBy(surveyResponses.id);
      expect(rows).toEqual([
        { id: "after-follow-up", channel: "community", rule: "follow_up:manual_label" },
        { id: "after-other", channel: "community", rule: "manual_label" },
        { id: "before-follow-up", channel: "community", rule: "follow_up:manual_label" },
        { id: "before-other", channel: "community", rule: "manual_label" },
        { id: "before-unrelated", channel: "email", rule: "seeded" },
        { id: "straggler", channel: "community", rule: "manual_label" },
      ]);
    } finally {
      await old.close();
    }
  });

  it("relabels exactly the answers a row-by-row comparison of the normalised texts picks", async () => {
    const survey = await createSurvey(h.app);
    const options = new Map(survey.options.map((o) => [o.id, o]));
    const texts = [null, "", "  ", "The Lantern Newsletter!!", "the lantern newsletter", "THE LANTERN NEWSLETTER 🙂", "a different newsletter", "lantern"];
    const optionIds = [...["Other", "A podcast", "A friend or colleague", "WhatsApp group"].map((l) => optionByLabel(survey, l).id), null, "", "gone"];
    const rows = texts.flatMap((otherText, i) =>
      texts.flatMap((followUpText, j) =>
        optionIds.map((optionId, k) => ({ id: `r-${i}-${j}-${k}`, surveyId: survey.id, ts: 1, receivedAt: 1, optionId, otherText, followUpText, channel: "direct", source: null, confidence: null, rule: "seeded" })),
      ),
    );
    await h.db.insert(surveyResponses).values(rows.map((r) => ({ ...r, ...normalizedAnswerTexts(r) })));

    let expected = new Map(rows.map((r) => [r.id, { channel: r.channel as string | null, source: r.source as string | null, confidence: r.confidence as number | null, rule: r.rule }]));
    for (const label of [
      { text: "the lantern newsletter", channel: "community", source: "lantern_club" },
      { text: "The Lantern Newsletter", channel: "organic_search", source: null },
    ]) {
      // What the route did before the normalised columns: normalise each stored text and compare.
      const key = normalizeAnswer(label.text);
      const manual = { channel: label.channel, source: label.source, confidence: 1, rule: "manual_label" };
      let matched = 0;
      const next = new Map(expected);
      for (const r of rows) {
        if (r.otherText && normalizeAnswer(r.otherText) === key) {
          matched++;
          next.set(r.id, manual);
        } else if (r.followUpText && r.optionId && normalizeAnswer(r.followUpText) === key) {
          matched++;
          const option = options.get(r.optionId);
          if (option?.channel) next.set(r.id, refineWithFollowUp({ channel: option.channel, source: option.source }, manual));
        }
      }
      expected = next;

      const res = await call(h.app, "PUT", "/api/answer-labels", label);
      expect(((await res.json()) as { relabeled: number }).relabeled).toBe(matched);
      const stored = await h.db
        .select({ id: surveyResponses.id, channel: surveyResponses.channel, source: surveyResponses.source, confidence: surveyResponses.confidence, rule: surveyResponses.rule })
        .from(surveyResponses);
      expect(new Map(stored.map(({ id, ...rest }) => [id, rest]))).toEqual(expected);
    }
  });

  it("rejects a label without a known channel or with nothing left after normalising", async () => {
    expect((await call(h.app, "PUT", "/api/answer-labels", { text: "x", channel: "nowhere" })).status).toBe(400);
    expect((await call(h.app, "PUT", "/api/answer-labels", { text: "!!! ???", channel: "social" })).status).toBe(400);
    expect((await call(h.app, "PUT", "/api/answer-labels", { channel: "social" })).status).toBe(400);
  });
});
