import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clicks, conversions, links, surveyResponses, surveys, unfurls } from "@lantern/db/schema";
import { BOOTSTRAP_KEY, harness, withKey, type Harness } from "./server-helpers.ts";

/**
 * The reports on what the real reconciler writes (apps/worker's runReconcile over stored events),
 * so that the admin server reads the reconciler's tables the way the reconciler means them.
 */
const T = (iso: string) => Date.parse(iso);
let h: Harness;

beforeAll(async () => {
  h = await harness({}, T("2024-06-20T12:00:00Z"));
  const db = h.t.db;
  await db.insert(links).values({ id: "L1", slug: "launch-wa", url: "https://example.com/launch", channel: "messaging", source: "whatsapp", campaign: "launch", utm: {}, tags: [], createdAt: T("2024-06-01T00:00:00Z"), updatedAt: T("2024-06-01T00:00:00Z") });
  await db.insert(unfurls).values({ id: "unfurl-1", linkId: "L1", ts: T("2024-06-10T09:00:00Z"), app: "slack" });
  await db.insert(clicks).values({ id: "click-0001", linkId: "L1", ts: T("2024-06-10T09:05:00Z"), channel: "messaging", source: "whatsapp", rule: "link_tag" });
  await db.insert(conversions).values([
    { id: "conv-0001", ts: T("2024-06-10T10:00:00Z"), receivedAt: T("2024-06-10T10:00:01Z"), type: "purchase", value: 40, lcid: "click-0001", origin: "tracker" },
    { id: "conv-0002", ts: T("2024-06-11T10:00:00Z"), receivedAt: T("2024-06-11T10:00:01Z"), type: "purchase", value: 10, origin: "api" },
  ]);
  await db.insert(surveys).values({ id: "s1", name: "HDYHAU", question: { en: "How did you hear about us?" }, createdAt: T("2024-06-01T00:00:00Z"), updatedAt: T("2024-06-01T00:00:00Z") });
  await db.insert(surveyResponses).values({ id: "resp-0001", surveyId: "s1", ts: T("2024-06-10T10:00:30Z"), receivedAt: T("2024-06-10T10:00:31Z"), channel: "word_of_mouth", source: "friend", rule: "option", conversionId: "conv-0001" });
  const { runReconcile } = await import("../../worker/src/reconcile/run.ts");
  await runReconcile(h.t.db, { mode: "full", now: T("2024-06-20T12:00:00Z") });
});

afterAll(async () => {
  await h.close();
});

const get = async <T>(path: string) => (await (await withKey(h, BOOTSTRAP_KEY, path)).json()) as T;
const JUNE = "from=2024-06-01&to=2024-06-30";

describe("reports on reconciled data", () => {
  it("the overview counts the reconciled conversions, the answer, the click and the unfurl", async () => {
    const body = await get<Record<string, unknown>>(`/api/reports/overview?${JUNE}`);
    expect(body).toMatchObject({ conversions: 2, value: 50, respondents: 1, answers: 1, clicks: 1, unfurls: 1, darkConversions: 1 });
    expect(body.darkShare).toMatchObject({ respondents: { estimate: 1, dark: 1, n: 1 } });
  });

  it("the conversions explorer shows the WhatsApp click, the 'friend' answer and why it is dark", async () => {
    const body = await get<{ conversions: { conversionId: string; software: unknown; selfReport: unknown; dark: boolean; darkReasons: string[]; rule: string }[] }>(`/api/reports/conversions?${JUNE}`);
    const c1 = body.conversions.find((c) => c.conversionId === "conv-0001")!;
    expect(c1.software).toEqual({ channel: "messaging", source: "whatsapp" });
    expect(c1.selfReport).toEqual({ channel: "word_of_mouth", source: "friend" });
    expect(c1.dark).toBe(true);
    expect(c1.darkReasons).toEqual(expect.arrayContaining(["dark_self_report", "dark_tagged_link"]));
    expect(c1.rule).toBeTruthy();
    const c2 = body.conversions.find((c) => c.conversionId === "conv-0002")!;
    expect(c2).toMatchObject({ software: { channel: "direct" }, selfReport: null, dark: false });
  });

  it("channel credits of every model add up to the conversions", async () => {
    for (const model of ["first_touch", "last_touch", "last_non_direct", "linear", "position_based", "time_decay"]) {
      const body = await get<{ totals: { credits: number; value: number } }>(`/api/reports/channels?${JUNE}&model=${model}&view=blended`);
      expect(body.totals.credits, model).toBeCloseTo(2, 6);
      expect(body.totals.value, model).toBeCloseTo(50, 6);
    }
    const software = await get<{ channels: { channel: string; credits: number }[] }>(`/api/reports/channels?${JUNE}&model=last_touch&view=software`);
    expect(software.channels.map((c) => [c.channel, c.credits])).toEqual([["direct", 1], ["messaging", 1]]);
  });

  it("the links report ranks the link with its click, unfurl and conversion", async () => {
    const body = await get<{ links: Record<string, unknown>[] }>(`/api/reports/links?${JUNE}`);
    expect(body.links[0]).toMatchObject({ linkId: "L1", slug: "launch-wa", campaign: "launch", clicks: 1, unfurls: 1, conversions: 1, darkConversions: 1, value: 40 });
  });

  it("dark social by evidence and by app", async () => {
    const body = await get<{ byEvidence: { reason: string }[]; bySource: { unfurlApps: unknown[]; selfReported: unknown[] } }>(`/api/reports/dark-social?${JUNE}&interval=week`);
    expect(body.byEvidence.map((e) => e.reason)).toEqual(expect.arrayContaining(["dark_self_report", "dark_tagged_link"]));
    expect(body.bySource.unfurlApps).toEqual([{ source: "slack", count: 1 }]);
    expect(body.bySource.selfReported).toEqual([{ source: "friend", channel: "word_of_mouth", count: 1 }]);
  });
});
