/// <reference lib="dom" />
import { conversions, surveyResponses, surveySkips, surveyViews } from "@lantern/db/schema";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import { and, eq } from "drizzle-orm";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropQueueKeys, newPrefix, type Proc, servePages, startSurveys, startWorker, type SurveysServer, waitFor } from "./infra.ts";
import { ADMIN_KEY, BROWSER_UA, SAMPLE_SURVEY, type SurveyJson } from "./support.ts";

/**
 * Acceptance 1 and 2 in Chromium: the hosted page and the widget (embedded in a page of another
 * origin), with answers going through Redis and the real worker into the database.
 */
let t: TestDb;
let prefix: string;
let worker: Proc;
let surveys: SurveysServer;
let shop: { url: string; close(): Promise<void> };
let browser: Browser;
let survey: SurveyJson;

beforeAll(async () => {
  t = await createTestDb();
  prefix = newPrefix();
  worker = await startWorker({ databaseUrl: t.url, prefix });
  surveys = await startSurveys({ db: t.db, prefix });
  const res = await fetch(`${surveys.url}/api/surveys`, { method: "POST", headers: { Authorization: `Bearer ${ADMIN_KEY}`, "Content-Type": "application/json" }, body: JSON.stringify(SAMPLE_SURVEY) });
  survey = (await res.json()) as SurveyJson;
  const script = `${surveys.url}/widget.js`;
  shop = await servePages((path) => {
    // The site's own CSS tries hard to break the widget: the Shadow DOM must keep it out.
    const hostile = "<style>*{color:#fff !important;background:#fff !important;font-size:4px !important} label,input,button{display:none !important}</style>";
    if (path === "/thanks") {
      return `<!doctype html><html lang="en"><head><title>Order confirmed</title>${hostile}</head><body><h1>Thank you for your order</h1><script src="${script}" data-survey="${survey.id}" async></script></body></html>`;
    }
    if (path === "/manual") {
      return `<!doctype html><html lang="en"><head><title>Account</title></head><body><button id="ask">Tell us how you found us</button>
<script src="${script}" data-survey="${survey.id}" data-trigger="manual" async></script>
<script>document.getElementById("ask").addEventListener("click", function () {
  window.Lantern.survey.open({ surveyId: "${survey.id}", conversion: { type: "purchase", value: 42.5, currency: "EUR", id: "order-77" } });
});</script></body></html>`;
    }
    return null;
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});

afterAll(async () => {
  await browser?.close();
  await shop?.close();
  await surveys?.close();
  await worker?.stop();
  await dropQueueKeys(prefix);
  await t?.cleanup();
});

async function storedResponse(lcid: string) {
  let row: typeof surveyResponses.$inferSelect | undefined;
  await waitFor(`a stored response with lcid ${lcid}`, async () => {
    [row] = await t.db.select().from(surveyResponses).where(eq(surveyResponses.lcid, lcid));
    return row !== undefined;
  });
  return row!;
}

/** WCAG contrast ratio of an element's text against the first opaque background behind it. */
function contrastOf(page: Page, selector: string): Promise<number> {
  return page.locator(selector).first().evaluate((el) => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r = 0, g = 0, b = 0]: number[]) => {
      const f = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    let bg: number[] = [255, 255, 255];
    for (let node: Element | null = el; node; node = node.parentElement) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) {
        bg = c.slice(0, 3);
        break;
      }
    }
    const fg = lum(rgb(getComputedStyle(el).color));
    const b = lum(bg);
    return (Math.max(fg, b) + 0.05) / (Math.min(fg, b) + 0.05);
  });
}

describe("hosted page in Chromium (acceptance 1)", () => {
  it("a person picks an option, submits, sees thanks; the response is stored with its channel and the page's lcid", async () => {
    // Headless Chromium announces itself as HeadlessChrome, which counts as a bot (no view): look like a person.
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: "en-US", userAgent: BROWSER_UA });
    const page = await context.newPage();
    await page.goto(`${surveys.url}/s/${survey.id}?lcid=click_hosted_1&vid=visitor_1`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("How did you hear about us?");
    // Every option is a labelled radio inside the group named by the question.
    const group = page.getByRole("group", { name: "How did you hear about us?" });
    expect(await group.getByRole("radio").count()).toBe(SAMPLE_SURVEY.options.length);
    // Fits a phone: nothing wider than the viewport.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    await page.getByLabel("WhatsApp group").check();
    await page.getByRole("button", { name: "Submit" }).click();
    await page.waitForURL(/thanks=1/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Thank you for your answer!");

    const whatsapp = survey.options.find((o) => o.label.en === "WhatsApp group")!;
    const row = await storedResponse("click_hosted_1");
    expect(row).toMatchObject({ surveyId: survey.id, optionId: whatsapp.id, channel: "messaging", source: "whatsapp", lcid: "click_hosted_1", visitorId: "visitor_1", rule: "option" });
    await waitFor("the hosted view", async () => (await t.db.select().from(surveyViews).where(and(eq(surveyViews.lcid, "click_hosted_1"), eq(surveyViews.placement, "hosted")))).length === 1);
    await context.close();
  });

  it("works by keyboard alone with a visible focus, readable contrast, and the Other box revealed without JavaScript", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${surveys.url}/s/${survey.id}?lcid=click_keyboard_1&locale=de`);
    expect(await page.getAttribute("html", "lang")).toBe("de");
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement;
      const style = getComputedStyle(el);
      return { type: el.type, outline: style.outlineStyle, width: style.outlineWidth };
    });
    expect(focused.type).toBe("radio");
    expect(focused.outline).not.toBe("none");
    // Choose "Other" with the keyboard, type into the box that appears after it, and send with Enter.
    const otherBox = page.getByLabel("Falls anderes, bitte angeben");
    expect(await otherBox.isVisible()).toBe(false);
    for (let i = 0; i < 10 && !(await page.getByLabel("Sonstiges").isChecked()); i++) await page.keyboard.press("ArrowDown");
    expect(await page.getByLabel("Sonstiges").isChecked()).toBe(true);
    expect(await otherBox.isVisible()).toBe(true);
    await page.keyboard.press("Tab");
    expect(await otherBox.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type("Ein Kollege hat es auf Slack geteilt");
    for (const selector of ["h1", "label", "button", ".hint"]) {
      if ((await page.locator(selector).count()) > 0) expect(await contrastOf(page, selector)).toBeGreaterThanOrEqual(4.5);
    }
    await page.keyboard.press("Enter");
    await page.waitForURL(/thanks=1/);
    const row = await storedResponse("click_keyboard_1");
    expect(row).toMatchObject({ otherText: "Ein Kollege hat es auf Slack geteilt", locale: "de" });
    expect(row.channel).toBe("workchat");
    await context.close();
  });
});

describe("widget in Chromium (acceptance 2)", () => {
  async function openShop(lcid: string) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${shop.url}/thanks?lcid=${lcid}`);
    const dialog = page.getByRole("dialog", { name: "How did you hear about us?" });
    await dialog.waitFor({ state: "visible" });
    return { context, page, dialog };
  }

  it("opens on another origin with shuffled options, takes an Other answer with free text, stores it with the page's lcid", async () => {
    const orders = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const { context, dialog } = await openShop(`click_look_${i}`);
      const labels = await dialog.getByRole("radio").evaluateAll((radios) => radios.map((r) => (r as HTMLInputElement).labels?.[0]?.textContent ?? ""));
      expect(new Set(labels)).toEqual(new Set(SAMPLE_SURVEY.options.map((o) => (typeof o.label === "string" ? o.label : o.label.en))));
      expect(labels.slice(-2)).toEqual(["Other", "I don't remember"]);
      orders.add(labels.join("|"));
      await context.close();
    }
    expect(orders.size).toBeGreaterThan(1);

    const { context, page, dialog } = await openShop("click_widget_1");
    // Focus starts inside the dialog, on the first option; the site's hostile CSS did not hide anything.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-lantern-survey"))).toBe(survey.id);
    expect(await dialog.getByRole("button", { name: "Submit" }).isVisible()).toBe(true);
    await dialog.getByRole("radio", { name: "Other", exact: true }).check();
    await dialog.getByLabel("If other, please say").fill("my freind sent it to me on whatsap");
    await dialog.getByRole("button", { name: "Submit" }).click();
    await dialog.getByRole("status").waitFor();
    expect(await dialog.getByRole("status").textContent()).toBe("Thank you for your answer!");

    const other = survey.options.find((o) => o.kind === "other")!;
    const row = await storedResponse("click_widget_1");
    expect(row).toMatchObject({ surveyId: survey.id, optionId: other.id, otherText: "my freind sent it to me on whatsap", lcid: "click_widget_1", channel: "messaging" });
    await waitFor("the widget's view", async () => (await t.db.select().from(surveyViews).where(and(eq(surveyViews.lcid, "click_widget_1"), eq(surveyViews.placement, "widget")))).length === 1);

    // Answered: it does not come back on the next page.
    await page.reload();
    await page.waitForFunction(() => !!(window as unknown as { Lantern?: { survey?: unknown } }).Lantern?.survey);
    await page.waitForLoadState("networkidle");
    expect(await page.getByRole("dialog").count()).toBe(0);
    await context.close();
  });

  it("a dismissed widget is stored as a skip, not an answer, and does not show again", async () => {
    const { context, page, dialog } = await openShop("click_dismiss_1");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await waitFor("the skip", async () => (await t.db.select().from(surveySkips).where(eq(surveySkips.lcid, "click_dismiss_1"))).length === 1);
    expect(await t.db.select().from(surveyResponses).where(eq(surveyResponses.lcid, "click_dismiss_1"))).toHaveLength(0);

    await page.reload();
    await page.waitForFunction(() => !!(window as unknown as { Lantern?: { survey?: unknown } }).Lantern?.survey);
    await page.waitForLoadState("networkidle");
    expect(await page.getByRole("dialog").count()).toBe(0);
    expect(await page.evaluate((id) => localStorage.getItem(`lantern:done:${id}`), survey.id)).toBe("dismissed");
    // The click id from the first page was kept for later pages without it.
    expect(await page.evaluate(() => localStorage.getItem("lantern:lcid"))).toBe("click_dismiss_1");
    await context.close();
  });

  it("opens from code with a conversion, traps focus, closes on Esc and gives focus back", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${shop.url}/manual?lcid=click_manual_1`);
    await page.waitForFunction(() => !!(window as unknown as { Lantern?: { survey?: unknown } }).Lantern?.survey);
    await page.waitForLoadState("networkidle");
    expect(await page.getByRole("dialog").count()).toBe(0); // data-trigger="manual": nothing until asked

    await page.getByRole("button", { name: "Tell us how you found us" }).focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog");
    await dialog.waitFor({ state: "visible" });
    expect(await dialog.getAttribute("aria-modal")).toBe("true");
    // Tab many times: focus never leaves the dialog.
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.hasAttribute("data-lantern-survey"))).toBe(true);
    }
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("ask");
    await waitFor("the skip", async () => (await t.db.select().from(surveySkips).where(eq(surveySkips.lcid, "click_manual_1"))).length === 1);

    // Asked again from code after a dismissal: the visitor is not asked twice.
    expect(await page.evaluate((id) => (window as unknown as { Lantern: { survey: { open(o: unknown): Promise<boolean> } } }).Lantern.survey.open({ surveyId: id }), survey.id)).toBe(false);

    // A fresh visitor answers, with the conversion handed over by the site.
    const fresh = await browser.newContext();
    const page2 = await fresh.newPage();
    await page2.goto(`${shop.url}/manual?lcid=click_manual_2`);
    await page2.waitForFunction(() => !!(window as unknown as { Lantern?: { survey?: unknown } }).Lantern?.survey);
    await page2.getByRole("button", { name: "Tell us how you found us" }).click();
    const dialog2 = page2.getByRole("dialog");
    await dialog2.getByRole("radio", { name: "A podcast" }).check();
    await dialog2.getByLabel(/Which podcast\?/).fill("Hard Fork");
    await dialog2.getByRole("button", { name: "Submit" }).click();
    await dialog2.getByRole("status").waitFor();
    const row = await storedResponse("click_manual_2");
    expect(row).toMatchObject({ channel: "podcast", followUpText: "Hard Fork" });
    expect(row.conversionId).not.toBeNull();
    const [conversion] = await t.db.select().from(conversions).where(eq(conversions.id, row.conversionId!));
    expect(conversion).toMatchObject({ type: "purchase", value: 42.5, currency: "EUR", externalId: "order-77", lcid: "click_manual_2", origin: "survey" });
    await fresh.close();
    await context.close();
  });
});
