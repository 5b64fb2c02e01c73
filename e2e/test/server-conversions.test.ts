import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { expectJson, hit, lcidOf, requestJson, UA } from "../src/http.ts";
import { waitFor } from "../src/poll.ts";
import { count, type Lantern, startLantern } from "../src/services.ts";

/**
 * Conversions reported by the site's server (POST /api/conversions on the links service), through the
 * real services: the order of a buyer who came through a WhatsApp link and bought with the tracker
 * blocked, reported by an order webhook (twice, as webhooks retry) with the click id the site kept and
 * the buyer's email; the buyer answers the emailed survey later without any id but the email. The
 * worker must keep one conversion, store only the email's hash, and the reconciler must join the
 * answer to the order by that hash.
 */

let lantern: Lantern;
beforeAll(async () => {
  lantern = await startLantern();
});
afterEach(({ task }) => {
  if (task.result?.state === "fail" && lantern) console.error(`service output after "${task.name}":\n${lantern.logs(30)}`);
});
afterAll(async () => {
  await lantern?.stop();
});

const EMAIL = "Ana.Lima@Example.com";
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describe("server-side conversions end to end", () => {
  test("a webhook's order, retried with more, counts once, keeps only the email's hash and meets the buyer's emailed answer", async () => {
    const started = Date.now();
    const link = await expectJson<{ shortUrl: string }>(201, `${lantern.links}/api/links`, {
      headers: lantern.auth,
      body: { url: "https://shop.example.com/lamp", source: "whatsapp" },
    });
    const lcid = lcidOf((await hit(link.shortUrl, { userAgent: UA.iphoneSafari, ip: "198.51.100.7" })).location);

    const { key } = await expectJson<{ key: string }>(201, `${lantern.admin}/api/api-keys`, { headers: lantern.auth, body: { name: "shop webhook", scopes: ["conversions:write"] } });
    // The retry knows the buyer's email, which the first call lacked: it must fill it in, not add an order.
    const order = { id: "order-77", type: "purchase", value: 80, currency: "EUR", lcid };
    const headers = { authorization: `Bearer ${key}` };
    expect(await expectJson(202, `${lantern.links}/api/conversions`, { headers, body: order })).toEqual({ accepted: 1 });
    expect(await expectJson(202, `${lantern.links}/api/conversions`, { headers, body: { ...order, email: EMAIL } })).toEqual({ accepted: 1 });
    // The same key may not do anything else.
    expect((await requestJson(`${lantern.links}/api/links`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(403);

    const survey = await expectJson<{ id: string; options: { id: string; channel: string | null }[] }>(201, `${lantern.surveys}/api/surveys`, {
      headers: lantern.auth,
      body: {
        name: "After purchase (email)",
        question: "How did you hear about us?",
        options: [
          { label: "A friend or colleague", channel: "word_of_mouth", source: null },
          { label: "Search engine", channel: "organic_search", source: "google" },
        ],
      },
    });
    const friend = survey.options.find((o) => o.channel === "word_of_mouth")!.id;
    await expectJson(202, `${lantern.surveys}/v1/responses`, { body: { surveyId: survey.id, optionId: friend, respondent: { email: EMAIL.toLowerCase() } } });

    await waitFor(async () => (await count(lantern.db, "SELECT count(*) FROM survey_responses")) === 1 && (await count(lantern.db, "SELECT count(*) FROM clicks")) === 1, {
      what: "the answer and the click to be stored",
    });
    await waitFor(async () => (await count(lantern.db, "SELECT count(*) FROM conversions WHERE respondent_hash IS NOT NULL")) > 0, { what: "the retried order to be stored" });
    const rows = await lantern.db.$client.execute("SELECT origin, value, currency, lcid, respondent_hash FROM conversions");
    expect(rows.rows.map((r) => ({ ...r }))).toEqual([{ origin: "api", value: 80, currency: "EUR", lcid, respondent_hash: sha256(EMAIL.toLowerCase()) }]);
    const dump = JSON.stringify((await lantern.db.$client.execute("SELECT * FROM conversions")).rows);
    expect(dump).not.toMatch(/example\.com/i);

    const { jobId } = await expectJson<{ jobId: string }>(202, `${lantern.admin}/api/reconcile`, { headers: lantern.auth, body: { mode: "full" } });
    await waitFor(
      async () => {
        const job = await expectJson<{ state: string }>(200, `${lantern.admin}/api/reconcile/${jobId}`, { headers: lantern.auth });
        return job.state === "completed";
      },
      { what: "the reconcile job to complete", intervalMs: 300 },
    );

    const range = `from=${started - 60_000}&to=${Date.now() + 60_000}`;
    const report = await expectJson<{ conversions: { software: { channel: string }; selfReport: { channel: string } | null; responded: boolean; dark: boolean }[] }>(
      200,
      `${lantern.admin}/api/reports/conversions?${range}`,
      { headers: lantern.auth },
    );
    expect(report.conversions).toHaveLength(1);
    expect(report.conversions[0]).toMatchObject({ software: { channel: "messaging" }, selfReport: { channel: "word_of_mouth" }, responded: true, dark: true });
  });
});
