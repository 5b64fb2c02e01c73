import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { launchChromium } from "../src/browser.ts";
import { csvText, parseCsv } from "../src/csv.ts";
import { expectJson, hit, requestJson, UA } from "../src/http.ts";
import { waitFor } from "../src/poll.ts";
import { count, type Lantern, REPO_ROOT, startLantern } from "../src/services.ts";
import { type Site, startSite } from "../src/site.ts";
import { ensureSpaBuilt } from "../src/spa.ts";

/**
 * Issue 6, acceptance 2: the whole product in Debian's Chromium, as a marketer uses it. The four
 * services run as child processes with the admin SPA built and served by the admin server; the
 * marketer's own site (a product page embedding lantern.js and the survey widget) runs on its own port.
 *
 * The marketer signs in and creates a share kit; Slack draws the preview of the slack variant (a plain
 * HTTP fetch with Slackbot's user agent); a visitor (a second browser context) follows the variant,
 * lands on the product page, buys and answers the survey ("A friend or colleague"); a friend (a third
 * context) opens the URL the visitor would copy from the address bar. The marketer presses
 * "Reconcile now" and finds the click, the preview, the answer, the re-share and the dark share on the
 * overview and on the link's page, exports CSVs, invites a viewer and signs out. The viewer can read but
 * not create links (the UI hides it, the gateway answers 403), and signed out the gateway answers 401.
 *
 * Elements are found by role, label and text only, so the test also checks that the UI is labelled
 * for assistive technology.
 */

const PAGE_TIMEOUT = 60_000;
/** Figures are read until they show the expected value: a page may first show cached numbers while it refetches. */
const POLL = { timeout: PAGE_TIMEOUT, interval: 250 };
const FAILURES = join(REPO_ROOT, "e2e", ".cache", "failures");

let lantern: Lantern;
let site: Site;
let browser: Browser;
let admin: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
const pages: Page[] = [];
const run = Date.now().toString(36);
const order = { id: `order-${run}`, value: 49.9, currency: "EUR" };
const viewer = { email: `viewer.${run}@lantern.test`, password: `viewer-${run}-password` };
let slackShortUrl = "";
let slackLinkId = "";
let visitorUrl = "";

/**
 * Headless Chromium says "HeadlessChrome" in its user agent, which Lantern rightly takes for a bot (no
 * click id, no click). People's browsers do not: visitors get the user agent of the Chrome they run.
 */
const PERSON_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

async function newContext(options: { person?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, ...(options.person ? { userAgent: PERSON_UA } : {}) });
  context.setDefaultTimeout(PAGE_TIMEOUT);
  context.on("page", (p) => pages.push(p));
  return context;
}

/** The text as a person sees it (rendered: hidden text left out, blocks on their own lines), trimmed. */
async function seen(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator, not a DOM node; the rendered text is the point
  return (await locator.innerText()).trim();
}

/** The value of a key figure (`<dt>label</dt><dd>value</dd>`) inside a labelled list of figures. */
async function figure(scope: Locator, label: string): Promise<string> {
  const term = scope.getByRole("term").filter({ hasText: new RegExp(`^${label}$`) });
  return seen(term.locator("xpath=following-sibling::dd[1]"));
}

/** The value cell of a row of a labelled bar list or table. */
async function rowValue(table: Locator, rowLabel: string | RegExp): Promise<string> {
  const row = table.getByRole("row").filter({ has: table.page().getByRole("rowheader", { name: rowLabel }) });
  return seen(row.getByRole("cell").first());
}

beforeAll(async () => {
  const spaDir = await ensureSpaBuilt();
  lantern = await startLantern({ spaDir });
  // The survey the surveys service creates on its first start ("How did you hear about us?").
  const surveys = await expectJson<{ data: { id: string; name: string }[] }>(200, `${lantern.admin}/api/surveys`, { headers: lantern.auth });
  const surveyId = surveys.data[0]!.id;
  site = await startSite({ links: lantern.links, surveys: lantern.surveys, surveyId, order });
  browser = await launchChromium();
  admin = await newContext();
  page = await admin.newPage();
  page.on("pageerror", (err) => pageErrors.push(`${page.url()}: ${err.message}`));
});

afterEach(async ({ task }) => {
  if (task.result?.state !== "fail") return;
  mkdirSync(FAILURES, { recursive: true });
  for (const [i, p] of pages.entries()) {
    if (p.isClosed()) continue;
    const file = join(FAILURES, `${task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}-${i}.png`);
    await p.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    console.error(`page ${i} at ${p.url()}: screenshot ${file}`);
  }
  if (lantern) console.error(`service output after "${task.name}":\n${lantern.logs(30)}`);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await site?.close();
  await lantern?.stop();
});

describe("the admin UI in Chromium, as a marketer uses it", () => {
  test("signing in with the first admin's email and password opens the overview", async () => {
    await page.goto(lantern.admin);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    // A wrong password is refused with a message, and no session.
    await page.getByLabel("Email").fill(lantern.adminEmail);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => seen(page.getByRole("alert")), { timeout: PAGE_TIMEOUT }).toMatch(/Wrong email or password/);

    await page.getByLabel("Password").fill(lantern.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    await page.getByRole("navigation", { name: "Main" }).waitFor();
  });

  test("a share kit created in the UI gets one tagged variant per source", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Links" }).click();
    await page.getByRole("heading", { name: "Links", level: 1 }).waitFor();
    await page.getByRole("link", { name: "New link or share kit" }).click();
    await page.getByRole("heading", { name: "New link", level: 1 }).waitFor();

    const form = page.getByRole("form", { name: "New link" });
    await form.getByRole("radio", { name: "Share kit" }).check();
    await form.getByLabel("Destination URL").fill(site.shop);
    await form.getByLabel("Campaign").fill("night-lamp");
    await form.getByLabel("Slug (optional)").fill("lamp");
    await form.getByLabel("Title").fill("The night lamp");
    await form.getByLabel("Description").fill("A lamp for dark rooms.");
    // The default kit: whatsapp, slack, linkedin, email and sms.
    for (const source of ["WhatsApp", "Slack", "LinkedIn", "Email", "SMS"]) expect(await form.getByRole("checkbox", { name: source }).isChecked(), source).toBe(true);
    const planned = form.getByRole("table", { name: "Planned variants" });
    expect(await planned.getByRole("row").count()).toBe(6); // header + 5 variants
    await form.getByRole("button", { name: "Create share kit (5 variants)" }).click();

    await page.getByRole("heading", { name: "Share kit created" }).waitFor();
    const created = page.getByRole("table", { name: "The links created" });
    expect(await created.getByRole("row").count()).toBe(6);
    const slackRow = created.getByRole("row").filter({ has: page.getByRole("rowheader", { name: /Slack/ }) });
    slackShortUrl = await seen(slackRow.getByRole("link", { name: /\/lamp-slack$/ }));
    expect(slackShortUrl).toBe(`${lantern.links}/lamp-slack`);
    expect(await seen(slackRow)).toContain("utm_medium");
    const stored = await lantern.db.$client.execute({ sql: "SELECT id, channel, source, campaign FROM links WHERE slug = ?", args: ["lamp-slack"] });
    expect(stored.rows.map((r) => [r.channel, r.source, r.campaign])).toEqual([["workchat", "slack", "night-lamp"]]);
    slackLinkId = String(stored.rows[0]!.id);
  });

  test("Slack's preview fetch gets the preview page and is stored as an unfurl", async () => {
    const preview = await hit(slackShortUrl, { userAgent: UA.slackbot });
    expect(preview.status).toBe(200);
    expect(preview.body).toContain('property="og:title" content="The night lamp"');
    await waitFor(async () => (await count(lantern.db, "SELECT count(*) FROM unfurls WHERE link_id = ? AND app = 'slack'", [slackLinkId])) === 1, {
      what: "the Slack unfurl to be stored",
    });
  });

  test("a visitor follows the slack variant, lands on the shop, buys and answers the survey; a friend opens the copied URL", async () => {
    const visitor = await newContext({ person: true });
    const shop = await visitor.newPage();
    shop.on("pageerror", (err) => pageErrors.push(`visitor ${shop.url()}: ${err.message}`));
    await shop.goto(slackShortUrl);
    await shop.getByRole("heading", { name: "Night lamp" }).waitFor();
    expect(new URL(shop.url()).origin).toBe(site.url);
    // lantern.js swaps the click id in the address bar for this visitor's share token.
    await expect.poll(() => new URL(shop.url()).searchParams.has("lsh"), { timeout: PAGE_TIMEOUT }).toBe(true);
    const landed = new URL(shop.url());
    expect(landed.searchParams.has("lcid")).toBe(false);
    expect([landed.searchParams.get("utm_source"), landed.searchParams.get("utm_medium"), landed.searchParams.get("utm_campaign")]).toEqual(["slack", "workchat", "night-lamp"]);
    visitorUrl = shop.url();

    // The friend gets the URL pasted into a chat: no referrer, lsh= and no lcid.
    const friend = await newContext({ person: true });
    const friendPage = await friend.newPage();
    await friendPage.goto(visitorUrl);
    await friendPage.getByRole("heading", { name: "Night lamp" }).waitFor();
    await waitFor(async () => (await count(lantern.db, "SELECT count(*) FROM arrivals WHERE link_id = ?", [slackLinkId])) === 1, {
      what: "the friend's copy-paste arrival to be stored",
    });
    await friend.close();

    // The visitor buys; the page reports the order and opens the survey with it.
    await shop.waitForFunction(() => {
      const w = window as unknown as { Lantern?: { survey?: { open?: unknown } }; lantern?: { context?: unknown } };
      return typeof w.Lantern?.survey?.open === "function" && typeof w.lantern?.context === "function";
    });
    await shop.getByRole("button", { name: /^Buy for/ }).click();
    const survey = shop.getByRole("dialog", { name: "How did you hear about us?" });
    await survey.waitFor();
    await survey.getByRole("radio", { name: "A friend or colleague" }).check();
    await survey.getByRole("button", { name: "Submit" }).click();
    await expect.poll(() => seen(survey.getByRole("status")), { timeout: PAGE_TIMEOUT }).toBe("Thank you for your answer!");

    await waitFor(
      async () =>
        (await count(lantern.db, "SELECT count(*) FROM clicks WHERE link_id = ?", [slackLinkId])) === 1 &&
        (await count(lantern.db, "SELECT count(*) FROM survey_responses")) === 1 &&
        (await count(lantern.db, "SELECT count(*) FROM survey_views")) === 1 &&
        (await count(lantern.db, "SELECT count(*) FROM conversions")) === 1 &&
        (await count(lantern.db, "SELECT count(*) FROM visitors")) === 2,
      { what: "the click, the landing, the answer, the view and the (single) conversion to be stored" },
    );
    // The answer carries the click id the visitor landed with, through lantern.context().
    const answer = await lantern.db.$client.execute({ sql: "SELECT r.lcid, r.channel, c.id AS click FROM survey_responses r, clicks c WHERE c.link_id = ?", args: [slackLinkId] });
    expect(answer.rows[0]!.lcid).toBe(answer.rows[0]!.click);
    expect(answer.rows[0]!.channel).toBe("word_of_mouth");
    await visitor.close();
  });

  test('"Reconcile now" on the System page runs a reconciliation and says when it is done', async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "System" }).click();
    await page.getByRole("heading", { name: "System", level: 1 }).waitFor();
    const card = page.getByRole("region", { name: "Reconcile" });
    await card.getByRole("button", { name: "Reconcile now" }).click();
    await expect.poll(() => seen(card.getByRole("status")), { timeout: 120_000 }).toMatch(/Reconcile finished/);
    expect(await count(lantern.db, "SELECT count(*) FROM conversion_attribution WHERE dark = 1")).toBe(1);
  });

  test("the overview shows the click, the unfurl, the answer and the dark share", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
    await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    const figures = page.getByLabel("Key figures");
    await figures.waitFor();
    await expect.poll(() => figure(figures, "Clicks"), POLL).toBe("1");
    await expect.poll(() => figure(figures, "Unfurls"), POLL).toBe("1");
    await expect.poll(() => figure(figures, "Conversions"), POLL).toBe("1");
    await expect.poll(() => figure(figures, "Answers"), POLL).toBe("1");
    await expect.poll(() => figure(figures, "Response rate"), POLL).toBe("100%");
    await expect.poll(() => figure(figures, "Dark share"), POLL).toBe("100%");
    // Every share comes with its basis.
    await figures.getByText("1 link previews; 1 re-shares").waitFor();
    await figures.getByText(/^100% \(95% CI \d+–100%, n=1 answer\)$/).waitFor();

    const shared = page.getByRole("region", { name: "Where links were shared" }).getByRole("table", { name: "Unfurls by app" });
    await expect.poll(() => rowValue(shared, "Slack"), POLL).toBe("1");
    const channels = page.getByRole("region", { name: "Top channels" }).getByRole("table", { name: "Conversions by channel" });
    await expect.poll(() => rowValue(channels, "Work chat"), POLL).toMatch(/^1\b/);
    const evidence = page.getByRole("region", { name: "Why conversions count as dark" }).getByRole("table", { name: "Dark conversions by evidence" });
    for (const reason of ["The buyer named a private channel", "Clicked a link made for a private channel", "A chat app drew the preview just before the click"]) {
      await expect.poll(() => rowValue(evidence, reason), { ...POLL, message: reason }).toMatch(/^1\b/);
    }
  });

  test("the overview's CSV export holds the same figures", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV: overview figures" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^lantern-overview-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = parseCsv(readFileSync((await download.path())!, "utf8"));
    expect(csv.columns).toEqual(["metric", "value", "low", "high"]);
    const metric = Object.fromEntries(csv.rows.map((r) => [r.metric, r.value]));
    expect([metric.clicks, metric.unfurls, metric.reshares, metric.conversions, metric.value, metric.answers, metric.views, metric.darkConversions, metric.darkShareAll]).toEqual([
      "1", "1", "1", "1", "49.9", "1", "1", "1", "1",
    ]);
  });

  test("the link's page shows its click, its preview in Slack and its journey to the conversion", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Links" }).click();
    await page.getByRole("heading", { name: "Links", level: 1 }).waitFor();
    await page.getByRole("link", { name: slackShortUrl.replace(/^https?:\/\//, ""), exact: true }).click();
    await page.getByRole("heading", { name: /lamp-slack/, level: 1 }).waitFor();

    const figures = page.getByLabel("Figures of this link");
    await figures.waitFor();
    await expect.poll(() => figure(figures, "Clicks"), POLL).toBe("1");
    await expect.poll(() => figure(figures, "Unfurls"), POLL).toBe("1");
    await expect.poll(() => figure(figures, "Bot hits"), POLL).toBe("0");
    const where = page.getByRole("region", { name: "Where it was shared" }).getByRole("table", { name: "Unfurls by app" });
    await expect.poll(() => rowValue(where, "Slack"), POLL).toBe("1");

    const journey = page.getByRole("list", { name: "Journey of the link" });
    await journey.waitFor();
    const step = (label: string) => seen(journey.getByRole("listitem").filter({ hasText: label }));
    await expect.poll(() => step("Unfurls"), POLL).toMatch(/^1\b/);
    await expect.poll(() => step("Clicks"), POLL).toMatch(/^1\b/);
    await expect.poll(() => step("Landing visitors"), POLL).toMatch(/^1\b/);
    await expect.poll(() => step("Re-shares"), POLL).toMatch(/^1\b/);
    await expect.poll(() => step("Conversions"), POLL).toMatch(/^1\b/);
  });

  test("the conversions explorer exports the conversion with its channels, dark reasons and link", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Attribution" }).click();
    await page.getByRole("heading", { name: "Attribution", level: 1 }).waitFor();
    await page.getByRole("navigation", { name: "Attribution views" }).getByRole("link", { name: "Conversions explorer" }).click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV: conversions" }).click()]);
    const csv = parseCsv(readFileSync((await download.path())!, "utf8"));
    expect(csv.rows).toHaveLength(1);
    const row = csv.rows[0]!;
    expect([row.value, row.softwareChannel, row.softwareSource, row.selfChannel, row.blendedChannel, row.blendedSource, row.dark, row.darkReasons, row.linkId, row.campaign]).toEqual([
      "49.9",
      "workchat",
      "slack",
      "word_of_mouth",
      "workchat",
      "slack",
      "true",
      "dark_self_report;dark_tagged_link;messaging_unfurl_before_click",
      csvText(slackLinkId),
      "night-lamp",
    ]);
  });

  test("a buyer who searched and came without a Lantern link: lantern.js reports the visit, and the conversion's path shows it", async () => {
    const buyer = await newContext({ person: true });
    const shop = await buyer.newPage();
    shop.on("pageerror", (err) => pageErrors.push(`searcher ${shop.url()}: ${err.message}`));
    // The product page itself, untagged, opened from a search result (a second order id: another purchase).
    await shop.goto(`${site.shop}?order=search-${Date.now()}`, { referer: "https://www.google.com/" });
    await shop.getByRole("heading", { name: "Night lamp" }).waitFor();
    await waitFor(async () => (await count(lantern.db, "SELECT count(*) FROM visits WHERE channel = 'organic_search' AND referrer_host = 'google.com'")) === 1, {
      what: "the untagged visit from Google to be stored",
    });
    await shop.waitForFunction(() => typeof (window as unknown as { lantern?: { context?: unknown } }).lantern?.context === "function");
    await shop.getByRole("button", { name: /^Buy for/ }).click();
    await waitFor(async () => (await count(lantern.db, "SELECT count(*) FROM conversions")) === 2, { what: "the searcher's conversion to be stored" });
    await buyer.close();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "System" }).click();
    const card = page.getByRole("region", { name: "Reconcile" });
    await card.getByRole("button", { name: "Reconcile now" }).click();
    await expect.poll(() => seen(card.getByRole("status")), { timeout: 120_000 }).toMatch(/Reconcile finished at/);
    await waitFor(async () => (await count(lantern.db, "SELECT count(*) FROM conversion_attribution WHERE software_channel = 'organic_search'")) === 1, {
      what: "the searcher's conversion to be attributed to organic search",
    });

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Attribution" }).click();
    await page.getByRole("navigation", { name: "Attribution views" }).getByRole("link", { name: "Conversions explorer" }).click();
    const row = page.getByRole("row").filter({ hasText: "Organic search" });
    await row.getByRole("button", { name: /^Path/ }).click();
    const steps = page.getByRole("list", { name: /^Path of conversion / }).getByRole("listitem");
    await expect.poll(() => steps.count(), { timeout: PAGE_TIMEOUT }).toBe(1);
    expect(await seen(steps.first().locator("strong").first())).toBe("Visit from google.com");
    expect(await seen(steps.first())).toMatch(/organic search/i);
  });

  test("an admin invites a viewer, then signs out", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    await page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Users" }).click();
    const invite = page.getByRole("form", { name: "Invite a user" });
    await invite.getByLabel("Email").fill(viewer.email);
    await invite.getByLabel("Role").selectOption("viewer");
    await invite.getByLabel("First password").fill(viewer.password);
    await invite.getByRole("button", { name: "Invite" }).click();
    await page.getByText(`${viewer.email} can sign in now.`).waitFor();
    await page.getByRole("table", { name: "Users, oldest first" }).getByRole("rowheader", { name: viewer.email }).waitFor();

    await page.getByRole("button", { name: lantern.adminEmail }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    // The session is gone on the server too: the gateway refuses the same browser now.
    expect((await page.request.get(`${lantern.admin}/api/links`)).status()).toBe(401);
  });

  test("a viewer can read but not create links: the UI hides it and the gateway answers 403", async () => {
    await page.getByLabel("Email").fill(viewer.email);
    await page.getByLabel("Password").fill(viewer.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Signed in: the user menu names the viewer (the page is the one the sign-in page was sent from).
    await page.getByRole("button", { name: viewer.email }).waitFor();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Links" }).click();
    await page.getByRole("heading", { name: "Links", level: 1 }).waitFor();
    await page.getByRole("link", { name: slackShortUrl.replace(/^https?:\/\//, ""), exact: true }).waitFor(); // the list loaded
    expect(await page.getByRole("link", { name: "New link or share kit" }).count()).toBe(0);
    // Typing the address of the form leads back to the list.
    await page.goto(`${lantern.admin}/links/new`);
    await page.getByRole("heading", { name: "Links", level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/links");
    expect(await page.getByRole("form", { name: "New link" }).count()).toBe(0);

    // The server does not rely on the UI: a viewer's write through the gateway, with a valid CSRF token, is refused.
    const session = await page.request.get(`${lantern.admin}/api/session`);
    const { user, csrfToken } = (await session.json()) as { user: { role: string }; csrfToken: string };
    expect(user.role).toBe("viewer");
    const create = await page.request.post(`${lantern.admin}/api/links`, {
      headers: { "x-csrf-token": csrfToken, "content-type": "application/json" },
      data: { url: "https://example.com/viewer", source: "whatsapp" },
    });
    expect(create.status()).toBe(403);
    expect(((await create.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    expect(await count(lantern.db, "SELECT count(*) FROM links WHERE url LIKE 'https://example.com/viewer%'")).toBe(0);
    // Reading through the gateway is allowed.
    expect((await page.request.get(`${lantern.admin}/api/links`)).status()).toBe(200);

    await page.getByRole("button", { name: viewer.email }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
  });

  test("a signed-out request to the gateway is refused with 401", async () => {
    for (const path of ["/api/links", "/api/surveys", `/api/links/${slackLinkId}/stats`]) {
      const res = await requestJson<{ error: { code: string } }>(`${lantern.admin}${path}`);
      expect(res.status, path).toBe(401);
      expect(res.body.error.code, path).toBe("unauthorized");
    }
    const write = await requestJson(`${lantern.admin}/api/links`, { body: { url: "https://example.com/anonymous" } });
    expect(write.status).toBe(401);
  });

  test("no uncaught error in any page along the way", () => {
    expect(pageErrors).toEqual([]);
  });
});
