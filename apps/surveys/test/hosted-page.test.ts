import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emailHash } from "../src/respondent.ts";
import { BROWSER_UA, call, createSurvey, harness, type Harness, optionByLabel, type SurveyJson } from "./support.ts";

let h: Harness;
let survey: SurveyJson;
beforeEach(async () => {
  h = await harness();
  survey = await createSurvey(h.app);
});
afterEach(async () => {
  await h.close();
});

const get = (path: string, headers: Record<string, string> = {}) => h.app.request(path, { headers: { "User-Agent": BROWSER_UA, ...headers } });
const postForm = (path: string, fields: Record<string, string>) =>
  h.app.request(path, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });
const hiddenValue = (html: string, name: string) => new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html)?.[1];

describe("hosted page GET /s/:id", () => {
  it("renders an accessible form: lang, one h1 in the legend, a label for every radio, phone viewport", async () => {
    const res = await get(`/s/${survey.id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.startsWith("<!DOCTYPE html><html lang=\"en\"")).toBe(true);
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html).toContain("<fieldset><legend><h1>How did you hear about us?</h1></legend>");
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
    for (const option of survey.options) {
      expect(html).toContain(`id="o-${option.id}"`);
      expect(html).toContain(`<label for="o-${option.id}">`);
    }
    expect(html).toContain('<label for="other-text">If other, please say</label>');
    expect(html).not.toMatch(/<script|<link /);
  });

  it("sends a strict CSP whose style hash matches the page's only stylesheet", async () => {
    const res = await get(`/s/${survey.id}`);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    const css = /<style>([\s\S]*?)<\/style>/.exec(await res.text())![1]!;
    expect(csp).toContain(`'sha256-${createHash("sha256").update(css).digest("base64")}'`);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("picks the locale from ?locale=, else from Accept-Language, else the survey's default", async () => {
    expect(await (await get(`/s/${survey.id}?locale=de`)).text()).toContain('lang="de"');
    const viaHeader = await (await get(`/s/${survey.id}`, { "Accept-Language": "fr;q=0.9, de-CH;q=0.8" })).text();
    expect(viaHeader).toContain('lang="de"');
    expect(viaHeader).toContain("Wie haben Sie von uns erfahren?");
    expect(viaHeader).toContain("Absenden");
    expect(await (await get(`/s/${survey.id}?locale=ja`)).text()).toContain('lang="en"');
  });

  it("carries lcid, visitor id, share token and conversion fields into hidden fields, and hashes the email", async () => {
    const res = await get(`/s/${survey.id}?lcid=click_9&vid=v_1&lsh=sh_2&conversion_type=signup&value=19.99&currency=usd&order_id=A-100&email=Jo@Example.com`);
    const html = await res.text();
    expect(hiddenValue(html, "lcid")).toBe("click_9");
    expect(hiddenValue(html, "vid")).toBe("v_1");
    expect(hiddenValue(html, "lsh")).toBe("sh_2");
    expect(hiddenValue(html, "conversion_type")).toBe("signup");
    expect(hiddenValue(html, "value")).toBe("19.99");
    expect(hiddenValue(html, "currency")).toBe("USD");
    expect(hiddenValue(html, "order_id")).toBe("A-100");
    expect(hiddenValue(html, "rh")).toBe(emailHash("jo@example.com"));
    expect(html.toLowerCase()).not.toContain("jo@example.com");
  });

  it("drops malformed parameters instead of failing", async () => {
    const res = await get(`/s/${survey.id}?lcid=${encodeURIComponent("<script>")}&value=lots&currency=euros&email=nope&vid=${"x".repeat(100)}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain("<script>");
    expect(hiddenValue(html, "lcid")).toBeUndefined();
    expect(hiddenValue(html, "vid")).toBeUndefined();
    expect(hiddenValue(html, "rh")).toBeUndefined();
  });

  it("records one hosted view per page view, with the page's lcid, and none for the thank-you state", async () => {
    await get(`/s/${survey.id}?lcid=click_9`);
    expect(h.events).toEqual([expect.objectContaining({ type: "survey.view", surveyId: survey.id, lcid: "click_9", placement: "hosted" })]);
    const thanks = await get(`/s/${survey.id}?thanks=1`);
    expect(thanks.status).toBe(200);
    expect(await thanks.text()).toContain('role="status"');
    expect(h.events).toHaveLength(1);
  });

  it("counts no view for link previews, crawlers and HEAD requests, which still get the page", async () => {
    for (const ua of ["Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "WhatsApp/2.23.20.0", "Googlebot/2.1 (+http://www.google.com/bot.html)", ""]) {
      const res = await get(`/s/${survey.id}?lcid=click_bot`, { "User-Agent": ua });
      expect(res.status).toBe(200);
    }
    expect((await h.app.request(`/s/${survey.id}`, { method: "HEAD", headers: { "User-Agent": BROWSER_UA } })).status).toBe(200);
    expect(h.events).toHaveLength(0);
  });

  it("shows a 404 page for an unknown survey and a 410 page for a closed one", async () => {
    const missing = await get("/s/doesnotexist");
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("<h1>This survey does not exist.</h1>");
    await call(h.app, "DELETE", `/api/surveys/${survey.id}`);
    const fresh = (await import("../src/app.ts")).createApp({ db: h.db, buffer: { push: () => undefined } });
    const closed = await fresh.request(`/s/${survey.id}`);
    fresh.dispose();
    expect(closed.status).toBe(410);
  });
});

describe("hosted page POST /s/:id (no JavaScript)", () => {
  it("takes the answer with the page's context and answers 303 to the thank-you state", async () => {
    const page = await (await get(`/s/${survey.id}?lcid=click_9&vid=v_1&email=jo@example.com&order_id=A-1&value=5`)).text();
    const friend = optionByLabel(survey, "A friend or colleague");
    const fields: Record<string, string> = { optionId: friend.id, otherText: "ignored: not Other" };
    for (const name of ["locale", "lcid", "vid", "rh", "order_id", "value", "conversion_type", "idem"]) fields[name] = hiddenValue(page, name) ?? "";
    const res = await postForm(`/s/${survey.id}`, fields);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/s/${survey.id}?thanks=1&locale=en`);
    const event = h.events.find((e) => e.type === "survey.response");
    expect(event).toMatchObject({
      optionId: friend.id,
      otherText: null,
      lcid: "click_9",
      visitorId: "v_1",
      respondentHash: emailHash("jo@example.com"),
      conversion: { type: "purchase", value: 5, externalId: "A-1" },
      idempotencyKey: `${survey.id}:${fields.idem}`,
    });
  });

  it("keeps Other text and the chosen option's follow-up only", async () => {
    const other = optionByLabel(survey, "Other");
    const podcast = optionByLabel(survey, "A podcast");
    await postForm(`/s/${survey.id}`, { optionId: other.id, otherText: "  whatsap  " });
    await postForm(`/s/${survey.id}`, { optionId: podcast.id, [`fu_${podcast.id}`]: "Hard Fork", otherText: "stale" });
    const answers = h.events.filter((e) => e.type === "survey.response");
    expect(answers[0]).toMatchObject({ optionId: other.id, otherText: "whatsap", followUpText: null });
    expect(answers[1]).toMatchObject({ optionId: podcast.id, otherText: null, followUpText: "Hard Fork" });
  });

  it("comes back with 400, an alert and the typed text when nothing was chosen", async () => {
    const res = await postForm(`/s/${survey.id}`, { locale: "de", lcid: "click_9" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain("Bitte wählen Sie eine Antwort.");
    expect(html).toContain('aria-describedby="form-error"');
    expect(hiddenValue(html, "lcid")).toBe("click_9");
    expect(h.events).toHaveLength(0);
  });

  it("answers a filled honeypot with the thank-you redirect and keeps nothing", async () => {
    const res = await postForm(`/s/${survey.id}`, { optionId: survey.options[0]!.id, website: "spam" });
    expect(res.status).toBe(303);
    expect(h.events).toHaveLength(0);
  });

  it("refuses an answer that is too long without storing it", async () => {
    const other = optionByLabel(survey, "Other");
    const res = await postForm(`/s/${survey.id}`, { optionId: other.id, otherText: "y".repeat(600) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("under 500 characters");
    expect(h.events).toHaveLength(0);
  });
});
