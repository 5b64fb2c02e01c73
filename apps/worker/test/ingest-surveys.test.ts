import { normalizeAnswer } from "@lantern/core";
import { schema } from "@lantern/db";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { surveyConversionId } from "../src/ingest/surveys.ts";
import type { BatchResult } from "../src/ingest/worker.ts";
import { conversion, type Harness, response, startHarness, surveySkip, surveyView } from "./helpers.ts";

let h: Harness;
const DAY = 24 * 3600_000;
const NOON = Date.UTC(2025, 2, 10, 12);

beforeEach(async () => {
  h = await startHarness();
  const now = Date.now();
  await h.t.db.insert(schema.surveys).values({ id: "s1", name: "HDYHAU", question: { en: "How did you hear about us?" }, createdAt: now, updatedAt: now });
  await h.t.db.insert(schema.surveyOptions).values([
    { id: "o-wa", surveyId: "s1", position: 0, kind: "option", label: { en: "WhatsApp group" }, channel: "messaging", source: "whatsapp" },
    { id: "o-friend", surveyId: "s1", position: 1, kind: "option", label: { en: "A friend" }, channel: "word_of_mouth", source: null },
    { id: "o-other", surveyId: "s1", position: 2, kind: "other", label: { en: "Other" } },
    { id: "o-dr", surveyId: "s1", position: 3, kind: "dont_remember", label: { en: "I don't remember" } },
    { id: "o-elsewhere", surveyId: "s2", position: 0, kind: "option", label: { en: "Podcast" }, channel: "podcast", source: null },
    { id: "o-social", surveyId: "s1", position: 4, kind: "option", label: { en: "Social media" }, channel: "social", source: null, followUp: { en: "Which one?" } },
  ]);
});
afterEach(async () => h.close());

const answer = async (id: string) => (await h.t.db.select().from(schema.surveyResponses).where(eq(schema.surveyResponses.id, id)))[0];

describe("survey views and skips", () => {
  it("views and skips are stored as such, a skip never as an answer, and re-delivery stores nothing twice", async () => {
    const events = [surveyView({ placement: "widget", lcid: "c1", visitorId: "v1" }), surveyView(), surveySkip({ visitorId: "v1" })];
    await h.send(events);
    await h.send(events);
    expect(await h.t.db.$count(schema.surveyViews)).toBe(2);
    expect(await h.t.db.$count(schema.surveySkips)).toBe(1);
    expect(await h.t.db.$count(schema.surveyResponses)).toBe(0);
    const views = await h.t.db.select().from(schema.surveyViews).where(eq(schema.surveyViews.id, events[0]!.id));
    expect(views[0]).toMatchObject({ surveyId: "s1", placement: "widget", lcid: "c1", visitorId: "v1" });
  });
});

describe("classifying answers", () => {
  it("an option answer takes the option's channel and source (rule option)", async () => {
    const e = response({ optionId: "o-wa", lcid: "c1" });
    await h.send([e]);
    expect(await answer(e.id)).toMatchObject({ channel: "messaging", source: "whatsapp", rule: "option", confidence: 1, lcid: "c1" });
  });

  it("an option's follow-up answer refines it: private sharing it reveals wins, an app within the channel becomes the source, anything else leaves it", async () => {
    const dm = response({ optionId: "o-social", followUpText: "a friend sent it to me on whatsapp" });
    const app = response({ optionId: "o-social", followUpText: "TikTok" });
    const vague = response({ optionId: "o-social", followUpText: "not sure" });
    const labelled = response({ optionId: "o-social", followUpText: "The Parents Club" });
    await h.t.db.insert(schema.answerLabels).values({ normalizedText: normalizeAnswer("the parents club"), channel: "community", source: "parents-club", createdAt: Date.now() });
    await h.send([dm, app, vague, labelled]);
    expect(await answer(dm.id)).toMatchObject({ channel: "messaging", source: "whatsapp", followUpText: "a friend sent it to me on whatsapp" });
    expect((await answer(dm.id))?.rule).toMatch(/^follow_up:/);
    expect(await answer(app.id)).toMatchObject({ channel: "social", source: "tiktok", confidence: 1 });
    expect(await answer(vague.id)).toMatchObject({ channel: "social", source: null, rule: "option", confidence: 1 });
    // An admin's manual label applies to follow-up text too.
    expect(await answer(labelled.id)).toMatchObject({ channel: "community", source: "parents-club", rule: "follow_up:manual_label" });
  });

  it("free text under Other goes through the classifier", async () => {
    const e = response({ optionId: "o-other", otherText: "a colleague sent it on slack" });
    await h.send([e]);
    expect(await answer(e.id)).toMatchObject({ channel: "workchat", source: "slack", otherText: "a colleague sent it on slack" });
  });

  it("an answer is stored with its texts' normalised forms, the keys a later manual label finds it by", async () => {
    const other = response({ optionId: "o-other", otherText: "Saw it on INSTA! 🙂" });
    const followUp = response({ optionId: "o-social", followUpText: "  The Parents' Club…" });
    const none = response({ optionId: "o-wa" });
    await h.send([other, followUp, none]);
    expect(await answer(other.id)).toMatchObject({ otherTextNormalized: normalizeAnswer("Saw it on INSTA! 🙂"), followUpTextNormalized: null });
    expect(await answer(followUp.id)).toMatchObject({ otherTextNormalized: null, followUpTextNormalized: normalizeAnswer("  The Parents' Club…") });
    expect(await answer(none.id)).toMatchObject({ otherTextNormalized: null, followUpTextNormalized: null });
  });

  it("an admin's manual label for the same text wins over the rules", async () => {
    await h.t.db.insert(schema.answerLabels).values({ normalizedText: normalizeAnswer("saw it on insta"), channel: "community", source: "insta-group", createdAt: Date.now() });
    const e = response({ optionId: "o-other", otherText: "Saw it on INSTA!" });
    await h.send([e]);
    expect(await answer(e.id)).toMatchObject({ channel: "community", source: "insta-group", rule: "manual_label", confidence: 1 });
  });

  it("I don't remember, text the rules cannot place, and an option of another survey are unclassified (channel null), never guessed", async () => {
    const dr = response({ optionId: "o-dr" });
    const vague = response({ optionId: "o-other", otherText: "qwzx blorf" });
    const wrong = response({ optionId: "o-elsewhere" });
    await h.send([dr, vague, wrong]);
    expect(await answer(dr.id)).toMatchObject({ channel: null, rule: "dont_remember" });
    expect(await answer(vague.id)).toMatchObject({ channel: null });
    expect(await answer(wrong.id)).toMatchObject({ channel: null, rule: "unknown_option" });
  });
});

describe("deduplicating answers", () => {
  it("the same idempotency key counts once, the first kept", async () => {
    const a = response({ optionId: "o-wa", idempotencyKey: "k1" });
    const b = response({ optionId: "o-friend", idempotencyKey: "k1" });
    await h.send([a, b]);
    await h.send([response({ optionId: "o-friend", idempotencyKey: "k1" })]);
    const rows = await h.t.db.select().from(schema.surveyResponses);
    expect(rows.map((r) => r.id)).toEqual([a.id]);
  });

  it("the same respondent answering the same survey twice within a UTC day counts once; the next day counts again", async () => {
    const first = response({ optionId: "o-wa", respondentHash: "h1", ts: NOON });
    const sameDay = response({ optionId: "o-friend", respondentHash: "h1", ts: NOON + 3600_000 });
    const nextDay = response({ optionId: "o-friend", respondentHash: "h1", ts: NOON + DAY });
    const otherPerson = response({ optionId: "o-friend", respondentHash: "h2", ts: NOON });
    const job = await h.send([first, sameDay]);
    await h.send([nextDay, otherPerson]);
    expect((job.returnvalue as BatchResult).stored.surveyResponses).toBe(1);
    const ids = (await h.t.db.select({ id: schema.surveyResponses.id }).from(schema.surveyResponses)).map((r) => r.id).sort();
    expect(ids).toEqual([first.id, nextDay.id, otherPerson.id].sort());
  });

  it("the respondent is the email hash, else the external id, else the visitor id; anonymous answers are not merged", async () => {
    await h.send([
      response({ optionId: "o-wa", externalId: "cust-1", ts: NOON }),
      response({ optionId: "o-wa", externalId: "cust-1", ts: NOON + 1 }),
      response({ optionId: "o-wa", visitorId: "v1", ts: NOON }),
      response({ optionId: "o-wa", visitorId: "v1", ts: NOON + 1 }),
      response({ optionId: "o-wa", ts: NOON }),
      response({ optionId: "o-wa", ts: NOON }),
    ]);
    expect(await h.t.db.$count(schema.surveyResponses)).toBe(4);
  });

  it("a response batch delivered twice stores nothing twice", async () => {
    const events = [response({ optionId: "o-wa" }), response({ optionId: "o-other", otherText: "podcast" }, ), response({ optionId: "o-wa", conversion: { type: "purchase", value: 5, currency: "EUR", externalId: null, occurredAt: null } })];
    await h.send(events);
    const again = await h.send(events);
    expect((again.returnvalue as BatchResult).stored).toMatchObject({ surveyResponses: 0, conversions: 0 });
    expect(await h.t.db.$count(schema.surveyResponses)).toBe(3);
    expect(await h.t.db.$count(schema.conversions)).toBe(1);
  });
});

describe("conversions that come with answers", () => {
  it("are stored with origin survey under an id derived from the event, and the answer points to them", async () => {
    const e = response({ optionId: "o-wa", respondentHash: "h1", lcid: "c1", conversion: { type: "signup", value: 0, currency: null, externalId: null, occurredAt: NOON } });
    await h.send([e]);
    const [c] = await h.t.db.select().from(schema.conversions);
    expect(c).toMatchObject({ id: surveyConversionId(e.id), origin: "survey", type: "signup", ts: NOON, lcid: "c1", respondentHash: "h1" });
    expect((await answer(e.id))?.conversionId).toBe(surveyConversionId(e.id));
  });

  it("an order already reported by the tracker is not stored twice; the answer points to the first", async () => {
    const tracked = conversion({ visitorId: "v1" }, { externalId: "order-9" });
    const e = response({ optionId: "o-wa", conversion: { type: "purchase", value: 9, currency: "EUR", externalId: "order-9", occurredAt: null } });
    await h.send([tracked]);
    await h.send([e]);
    expect(await h.t.db.$count(schema.conversions)).toBe(1);
    expect((await answer(e.id))?.conversionId).toBe(tracked.id);
  });

  it("whichever report of an order comes first, the stored conversion ends up with what both know, and is stamped when it learns more", async () => {
    // The answer's report knows the respondent; the tracker's knows the click and the visitor.
    const fromSurvey = () => response({ optionId: "o-wa", respondentHash: "h1", conversion: { type: "purchase", value: 9, currency: "EUR", externalId: "order-7", occurredAt: NOON } });
    const fromTracker = () => conversion({ visitorId: "v1", lcid: "c1", shareToken: "t1", ts: NOON }, { externalId: "order-7", value: 9 });
    for (const order of [[fromSurvey(), fromTracker()], [fromTracker(), fromSurvey()]] as const) {
      await h.t.db.delete(schema.conversions);
      await h.t.db.delete(schema.conversionReports);
      await h.t.db.delete(schema.surveyResponses);
      const sent1 = Date.now();
      await h.send([order[0]]);
      const [first] = await h.t.db.select().from(schema.conversions);
      await new Promise((r) => setTimeout(r, 5));
      await h.send([order[1]]);
      const rows = await h.t.db.select().from(schema.conversions);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ externalId: "order-7", lcid: "c1", visitorId: "v1", shareToken: "t1", value: 9 });
      expect(rows[0]!.respondentHash).not.toBeNull();
      // Stamped again when the second report added something, so the next incremental run redoes it.
      expect(rows[0]!.receivedAt).toBeGreaterThan(first!.receivedAt);
      expect(first!.receivedAt).toBeGreaterThanOrEqual(sent1);
      // Re-delivered, the second report changes nothing more.
      const before = rows[0]!.receivedAt;
      await h.send([order[1]]);
      expect((await h.t.db.select().from(schema.conversions))[0]!.receivedAt).toBe(before);
    }
  });

  it("several later reports of an order in one batch all add what they know; an empty id counts as unknown", async () => {
    await h.send([conversion({ ts: NOON, lcid: "" }, { externalId: "order-8" })]);
    const byClick = conversion({ lcid: "c8", visitorId: "", ts: NOON }, { externalId: "order-8" });
    const byVisitor = conversion({ visitorId: "v8", respondentHash: "r8", ts: NOON }, { externalId: "order-8" });
    await h.send([byClick, byVisitor]);
    const rows = await h.t.db.select().from(schema.conversions);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ lcid: "c8", visitorId: "v8", respondentHash: "r8" });
  });

  it("a duplicate answer's conversion is stored only when it has its own order id", async () => {
    const a = response({ optionId: "o-wa", respondentHash: "h1", ts: NOON, conversion: { type: "purchase", value: 1, currency: null, externalId: "o-1", occurredAt: null } });
    const b = response({ optionId: "o-wa", respondentHash: "h1", ts: NOON + 1, conversion: { type: "purchase", value: 2, currency: null, externalId: "o-2", occurredAt: null } });
    const c = response({ optionId: "o-wa", respondentHash: "h1", ts: NOON + 2, conversion: { type: "purchase", value: 3, currency: null, externalId: null, occurredAt: null } });
    await h.send([a, b, c]);
    expect(await h.t.db.$count(schema.surveyResponses)).toBe(1);
    const orders = (await h.t.db.select().from(schema.conversions)).map((r) => r.externalId).sort();
    expect(orders).toEqual(["o-1", "o-2"]);
  });
});
