// @vitest-environment node
/**
 * Every page that reads a report or a list, rendered against the real admin server (createApp, in
 * this process) on a small reconciled data set, instead of canned answers: figures on the page that
 * can only be right when the UI reads the server's real shapes. The links and surveys services run
 * behind the admin gateway on free ports; the data is written as the services and the worker write
 * it, then reconciled by the real reconciler (as server-reconciled.test.ts does). Dark social has no
 * page of its own: its report feeds the Overview. The file runs in Node with a DOM of its own (see
 * jsdom-in-node.ts for why).
 *
 * The story, all in June 2024: a share kit for the "launch" campaign. WhatsApp draws a preview of its
 * WhatsApp link, Bea clicks it in WhatsApp's browser, buys (40) and says a friend told her. She pastes
 * her URL into a chat: Cai opens it (a copy-paste re-share) and buys (25) without answering. Dan finds
 * the shop on Google, buys (10) and says so. Eve orders through the API (5) and does not remember.
 * The LinkedIn link is previewed in Slack and clicked once. Five survey views, one dismissed.
 */
import "./jsdom-in-node.ts";
import { createAdaptorServer } from "@hono/node-server";
import type { Db } from "@lantern/db";
import { arrivals, channels, clicks, conversions, links, settings, surveyOptions, surveyResponses, surveySkips, surveyViews, surveys, unfurls, visitors, visits } from "@lantern/db/schema";
import { createApiKey } from "@lantern/http";
import { cleanup, configure, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runReconcile } from "../../worker/src/reconcile/run.ts";
import { Cleanup, ADMIN_KEY as SERVICE_KEY, startService } from "../../links/test/helpers.ts";
import { createApp as createSurveysApp } from "../../surveys/src/app.ts";
import { createApp } from "../server/app.ts";
import { insertUser } from "../server/users.ts";
import { routes } from "../src/routes.tsx";
import { as, harness, userAndSession, type Harness, type Signed } from "./server-helpers.ts";
import { inProcessServer, renderApp, type Server } from "./ui-harness.tsx";

const at = (time: string) => Date.parse(`2024-06-${time}:00Z`);
const NOW = at("20T12:00");
const JUNE = "from=2024-06-01&to=2024-06-30";

let h: Harness;
let ada: Signed;
let server: Server;
const services = new Cleanup();

type FetchApp = { fetch(req: Request): Response | Promise<Response> };

/** A server on a free port that answers with `app` once it is given (the admin app needs the URL first). */
async function listen(): Promise<{ url: string; serve(app: FetchApp): void }> {
  let served: FetchApp | null = null;
  const http = createAdaptorServer({ fetch: (req) => served!.fetch(req) });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  services.add(async () => {
    const closed = new Promise<void>((resolve) => http.close(() => resolve()));
    if ("closeAllConnections" in http) http.closeAllConnections();
    await closed;
  });
  const { port } = http.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    serve(app) {
      served = app;
    },
  };
}

async function seed(db: Db) {
  const kit = { url: "https://shop.example/launch", campaign: "launch", tags: ["spring"], preview: { title: "Spring launch" }, kitId: "kit-launch", updatedAt: at("01T00:00") };
  await db.insert(links).values([
    { ...kit, id: "L-main", slug: "launch", channel: null, source: null, utm: { campaign: "launch" }, createdAt: at("01T00:00") },
    { ...kit, id: "L-wa", slug: "launch-wa", channel: "messaging", source: "whatsapp", utm: { source: "whatsapp", medium: "messaging", campaign: "launch" }, createdAt: at("01T00:01") },
    { ...kit, id: "L-li", slug: "launch-li", channel: "social", source: "linkedin", utm: { source: "linkedin", medium: "social", campaign: "launch" }, createdAt: at("01T00:02") },
  ]);
  await db.insert(unfurls).values([
    { id: "U1", linkId: "L-wa", ts: at("10T09:00"), app: "whatsapp" },
    { id: "U2", linkId: "L-li", ts: at("14T10:00"), app: "slack" },
  ]);
  const click = { rule: "link_tag", dnt: false };
  await db.insert(clicks).values([
    { ...click, id: "K1", linkId: "L-wa", ts: at("10T09:05"), channel: "messaging", source: "whatsapp", inApp: "whatsapp", device: "mobile", browser: "WhatsApp", os: "iOS", country: "DE" },
    { ...click, id: "K2", linkId: "L-li", ts: at("14T10:05"), channel: "social", source: "linkedin", device: "desktop", browser: "Chrome", os: "Windows", country: "FR" },
  ]);
  await db.insert(visitors).values([
    { visitorId: "VB", shareToken: "tok-bea", lcid: "K1", linkId: "L-wa", generation: 0, firstSeen: at("10T09:06"), lastSeen: at("10T10:00") },
    { visitorId: "VC", shareToken: "tok-cai", linkId: "L-wa", parentVisitorId: "VB", generation: 1, firstSeen: at("11T08:00"), lastSeen: at("11T09:00") },
  ]);
  await db.insert(arrivals).values({ id: "A1", ts: at("11T08:00"), shareToken: "tok-bea", visitorId: "VC", parentVisitorId: "VB", generation: 1, linkId: "L-wa", page: "https://shop.example/launch?lsh=tok-bea", channel: "messaging", rule: "copy_paste_no_referrer", dark: true });
  await db.insert(visits).values({ id: "VI1", ts: at("12T07:00"), receivedAt: at("12T07:00"), visitorId: "VD", referrerHost: "www.google.com", page: "https://shop.example/", channel: "organic_search", source: "google", rule: "visit:referrer", dark: false });
  const purchase = { type: "purchase", currency: "EUR", origin: "tracker" };
  await db.insert(conversions).values([
    { ...purchase, id: "C1", ts: at("10T10:00"), receivedAt: at("10T10:00"), value: 40, lcid: "K1", visitorId: "VB" },
    { ...purchase, id: "C2", externalId: "order-2", ts: at("11T09:00"), receivedAt: at("11T09:00"), value: 25, visitorId: "VC" },
    { ...purchase, id: "C3", ts: at("12T07:30"), receivedAt: at("12T07:30"), value: 10, visitorId: "VD" },
    { ...purchase, id: "C4", ts: at("13T12:00"), receivedAt: at("13T12:00"), value: 5, origin: "api" },
  ]);
  await db.insert(surveys).values({ id: "S1", name: "Checkout survey", question: { en: "How did you hear about us?" }, defaultLocale: "en", randomize: false, active: true, createdAt: at("01T00:00"), updatedAt: at("02T00:00") });
  await db.insert(surveyOptions).values([
    { id: "opt-friend", surveyId: "S1", position: 0, kind: "option", label: { en: "A friend or colleague" }, channel: "word_of_mouth", source: "friend" },
    { id: "opt-search", surveyId: "S1", position: 1, kind: "option", label: { en: "Search engine" }, channel: "organic_search", source: "google" },
    { id: "opt-chat", surveyId: "S1", position: 2, kind: "option", label: { en: "A WhatsApp group" }, channel: "messaging", source: "whatsapp" },
    { id: "opt-dunno", surveyId: "S1", position: 3, kind: "dont_remember", label: { en: "I don't remember" }, channel: null, source: null },
  ]);
  const answer = { surveyId: "S1", confidence: 1, rule: "option", locale: "en" };
  await db.insert(surveyResponses).values([
    { ...answer, id: "R1", ts: at("10T10:01"), receivedAt: at("10T10:01"), optionId: "opt-friend", channel: "word_of_mouth", source: "friend", conversionId: "C1", visitorId: "VB", lcid: "K1" },
    { ...answer, id: "R3", ts: at("12T07:31"), receivedAt: at("12T07:31"), optionId: "opt-search", channel: "organic_search", source: "google", conversionId: "C3", visitorId: "VD" },
    { ...answer, id: "R4", ts: at("13T12:01"), receivedAt: at("13T12:01"), optionId: "opt-dunno", channel: null, source: null, confidence: null, rule: "dont_remember", conversionId: "C4" },
  ]);
  const views = [["VB", "10T10:00"], ["VC", "11T09:00"], ["VD", "12T07:30"], [null, "13T12:00"], ["VX", "15T08:00"]] as const;
  await db.insert(surveyViews).values(views.map(([visitorId, ts], i) => ({ id: `SV${i + 1}`, surveyId: "S1", ts: at(ts), visitorId })));
  await db.insert(surveySkips).values({ id: "SK1", surveyId: "S1", ts: at("11T09:01"), visitorId: "VC" });
  // The instance's own privacy settings, a key and a second user: the pages must show these, not defaults.
  await db.insert(settings).values({ key: "privacy", value: { honorDnt: true, honorGpc: false, retentionDays: 90 }, updatedAt: at("02T00:00") });
  await createApiKey(db, "Shop backend", ["reports:read", "links:read"], at("03T00:00"));
  await insertUser(db, { email: "vic@example.com", password: "correct horse battery", role: "viewer" }, at("04T00:00"));
}

beforeAll(async () => {
  const linksService = await listen();
  const surveysService = await listen();
  h = await harness({ apiKey: SERVICE_KEY, linksUrl: linksService.url, surveysUrl: surveysService.url }, NOW);
  linksService.serve((await startService(services, { db: h.t, prefix: h.prefix })).app);
  const surveysApp = createSurveysApp({ db: h.t.db, buffer: { push: () => {} }, config: { publicUrl: "https://surveys.test", bootstrapKey: SERVICE_KEY } });
  services.add(() => surveysApp.dispose());
  surveysService.serve(surveysApp);
  await seed(h.t.db);
  await runReconcile(h.t.db, { mode: "full", now: NOW });
  // This instance's name for a channel (Settings → Channels): every page must show it. Written after the
  // run: the reconciler takes a channels table with rows as the whole taxonomy (apps/worker
  // loadDarkChannels), so this one row would have made messaging not dark.
  await h.t.db.insert(channels).values({ key: "word_of_mouth", label: "Friends and colleagues", group: "dark", dark: true });
  ada = await userAndSession(h, "admin", "ada@example.com");
  server = inProcessServer(h.app, { cookie: ada.cookie });
}, 60_000);

afterAll(async () => {
  await services.run();
  await h?.close();
});

afterEach(cleanup);
// The first visit of a page loads its chunk (transformed on the fly): more than the default second.
configure({ asyncUtilTimeout: 10_000 });

/** The app's own route table at `path`, June 2024 as the range, against the real server. */
function visit(path: string, on: Server = server) {
  return renderApp(routes, { server: on, path: `${path}?${JUNE}` });
}

/** An element's text as a person reads it (badges join their parts with no-break spaces). */
const text = (el: Element | null | undefined) => (el?.textContent ?? "").replace(/\s+/g, " ").trim();
const cells = (tr: Element | null) => [...(tr as HTMLTableRowElement).cells].map(text);

/** A headline figure: [value, what it rests on]. */
function kpi(figures: HTMLElement, label: string | RegExp): [string, string] {
  const card = within(figures).getByText(label, { selector: "dt" }).parentElement!;
  return [text(card.querySelector(".kpi-value")), text(card.querySelector(".kpi-basis"))];
}

/** The cells of the row headed `name` in `table` (the header cell first). */
function row(table: HTMLElement, name: string | RegExp): string[] {
  return cells(within(table).getByRole("rowheader", { name, hidden: true }).closest("tr"));
}

/** The cells of the row that holds `content` (a link's name, a time). */
async function rowWith(content: string): Promise<string[]> {
  return cells((await screen.findByText(content)).closest("tr"));
}

/** Every row of a table by caption (bar lists and chart tables included). */
async function rows(caption: string): Promise<string[][]> {
  const table = await screen.findByRole("table", { name: caption, hidden: true });
  return [...table.querySelectorAll("tbody tr")].map(cells);
}

describe("the overview, on the real reports", () => {
  it("headline figures and the dark share's interval", async () => {
    visit("/");
    const figures = await screen.findByLabelText("Key figures");
    expect(kpi(figures, "Clicks")).toEqual(["2", "2 human clicks on short links"]);
    expect(kpi(figures, "Unfurls")).toEqual(["2", "2 link previews; 1 re-shares"]);
    expect(kpi(figures, "Conversions")).toEqual(["4", "value 80; 2 seen as dark"]);
    expect(kpi(figures, "Answers")).toEqual(["3", "answer rate 60% (3 of 5 survey views)"]);
    expect(kpi(figures, "Response rate")).toEqual(["75%", "3 of 4 conversions answered the survey"]);
    expect(kpi(figures, "Dark share")).toEqual(["67%", "67% (95% CI 26–96%, n=2 answers)"]);
    const callout = screen.getByRole("region", { name: "How the dark share is estimated" });
    expect(callout).toHaveTextContent("Estimate for all conversions: 67% (95% CI 26–96%, n=2 answers) · covers 75% of conversions");
    expect(callout).toHaveTextContent("Share among respondents (naive): 50% (95% CI 9.5–91%, n=2 answers) (1 of 2 respondents who named a channel were dark, by their answer or by the private channel software saw them arrive through; 1 more named none");
    expect(callout).toHaveTextContent("A survey tool's chart, which counts those as answers too, shows 33%.");
    expect(callout).toHaveTextContent("Answer check: 100% of 1 buyers seen arriving through a private channel named one (corrected for the rest: 67%;");
    expect(callout).toHaveTextContent("Left out of the estimate (no respondents yet): Direct / unknown (1).");
  });

  it("dark share over time, the attribution gap, where links were shared, top channels and the evidence", async () => {
    visit("/");
    expect(await screen.findByRole("img", { name: /^Dark share of conversions over time\. 2 points from Jun 1 to Jun 30, latest 0%$/ })).toBeInTheDocument();
    expect(await rows("Attribution gap per channel")).toEqual([
      ["Messaging apps", "2", "0", "−2"],
      ["Friends and colleagues", "0", "2", "+2"],
      ["Direct / unknown", "1", "0", "−1"],
      ["Organic search", "1", "1", "0"],
    ]);
    expect(await screen.findByText(/^Based on 4 conversions, 3 of which answered the survey; 1 in channels nobody answered for cannot be extrapolated\.$/)).toBeInTheDocument();
    expect(await screen.findByRole("img", { name: /Largest gap: Messaging apps, −2 conversions/ })).toBeInTheDocument();
    expect(await rows("Unfurls by app")).toEqual([["Slack", "1", "50%"], ["WhatsApp", "1", "50%"]]);
    expect(await rows("Conversions by channel")).toEqual([["Messaging apps", "2 67% (37–96%)"], ["Organic search", "1 33% (3.8–63%)"]]);
    expect(await rows("Dark conversions by evidence")).toEqual([
      ["Clicked a link made for a private channel", "2 100%"],
      ["Opened inside a messaging app", "2 100%"],
      ["Opened a copied link with no referrer", "1 50%"],
      ["The buyer named a private channel", "1 50%"],
    ]);
  });
});

describe("attribution, on the real reports", () => {
  it("channels and sources, blended and then as software saw them", async () => {
    visit("/attribution");
    // Blended credits can differ from the explorer's Blended column: the page says why.
    expect(await screen.findByText(/^4 conversions credited \(Blended, last touch\), value 80\. The model shares each conversion among the steps of its path, the customer's answer counting as its last step; the explorer's Blended column is the one channel the rules chose/)).toBeInTheDocument();
    expect(row(screen.getByRole("table", { name: "Credits and value per channel" }), /Friends and colleagues/)).toEqual(["Friends and colleagues (dark social)", "1", "25%", "40"]);
    expect(row(screen.getByRole("table", { name: "Credits and value per source" }), "Friend")).toEqual(["Friend", "Friends and colleagues", "1", "25%"]);
    await userEvent.selectOptions(screen.getByLabelText("View"), "software");
    expect(await screen.findByText("4 conversions credited (Software only, last touch), value 80.")).toBeInTheDocument();
    expect(row(screen.getByRole("table", { name: "Credits and value per channel" }), /Messaging apps/)).toEqual(["Messaging apps (dark social)", "2", "50%", "65"]);
    expect(row(screen.getByRole("table", { name: "Credits and value per source" }), "WhatsApp")).toEqual(["WhatsApp", "Messaging apps", "1", "25%"]);
  });

  it("campaigns and links", async () => {
    visit("/attribution/campaigns");
    expect(row(await screen.findByRole("table", { name: "Campaigns ranked by conversions" }), "launch")).toEqual(["launch", "2", "2", "2", "1", "2", "100%", "65"]);
    const links = screen.getByRole("table", { name: "Links ranked by conversions" });
    expect(row(links, "launch-wa")).toEqual(["launch-wa", "Messaging apps · WhatsApp (dark social)", "launch", "1", "1", "2", "65"]);
    expect(row(links, "launch-li")).toEqual(["launch-li", "Social (public feeds) · LinkedIn", "launch", "1", "1", "0", "0"]);
    expect(within(links).getByRole("link", { name: "launch-wa" })).toHaveAttribute("href", `/links/L-wa?${JUNE}`);
  });

  /** Opens the path of the conversion made at `time` and gives its steps. */
  async function openPath(time: string, conversionId: string) {
    const tr = (await screen.findByText(time)).closest("tr")!;
    await userEvent.click(within(tr).getByRole("button", { name: /^Path \(\d+\)$/ }));
    return within(screen.getByRole("list", { name: `Path of conversion ${conversionId}` })).getAllByRole("listitem");
  }
  const titles = (steps: HTMLElement[]) => steps.map((s) => s.querySelector("strong")?.textContent);

  it("the conversions explorer: what software saw, what the customer said, and each path's steps", async () => {
    visit("/attribution/conversions");
    // The path's toggle sits under the time, so the row fits the window without scrolling sideways.
    expect(await rowWith("Jun 10, 2024, 10:00 UTC")).toEqual([
      "Jun 10, 2024, 10:00 UTCPath (2)",
      "Messaging apps · WhatsApp (dark social)",
      "Friends and colleagues · Friend (dark social)",
      "Messaging apps · WhatsApp (dark social)dark: the buyer named a private channel; clicked a link made for a private channel; opened inside a messaging app",
      "Tracking (both private)",
      "40 EUR",
    ]);
    // The site's order id under the time, where it sent one; values in their currency.
    expect(await rowWith("Jun 11, 2024, 09:00 UTC")).toEqual([
      "Jun 11, 2024, 09:00 UTCorder-2Path (2)",
      "Messaging apps (dark social)",
      "no answer",
      expect.stringMatching(/^Messaging apps \(dark social\)dark:/),
      "Tracking (no channel named)",
      "25 EUR",
    ]);
    expect(await rowWith("Jun 13, 2024, 12:00 UTC")).toEqual(["Jun 13, 2024, 12:00 UTCPath (0)", "Direct / unknown", "named none", "Direct / unknown", "Nothing seen or named", "5 EUR"]);

    const click = (await openPath("Jun 10, 2024, 10:00 UTC", "C1"))[0]!;
    expect(click).toHaveTextContent("Click · Messaging apps · WhatsApp Jun 10, 2024, 09:05 UTC");
    expect(click).toHaveTextContent("Rule: software:lcid (classified by link_tag)");
    expect(click).toHaveTextContent("tied by lcid · in-app browser WhatsApp · link made for WhatsApp · campaign launch · dark: clicked a link made for a private channel; opened inside a messaging app");

    const reshare = await openPath("Jun 11, 2024, 09:00 UTC", "C2");
    expect(titles(reshare)).toEqual(["Click", "Arrival"]);
    expect(reshare[0]).toHaveTextContent("Rule: software:share_chain");
    expect(reshare[1]).toHaveTextContent("tied by visitor · link made for WhatsApp · campaign launch · share generation 1 · dark: opened a copied link with no referrer");
    expect(screen.getByText(/conversion C2/)).toHaveTextContent("Purchase order-2 · conversion C2 · reported by lantern.js on the site · campaign launch · rules reconcile-2025.2");

    const search = await openPath("Jun 12, 2024, 07:30 UTC", "C3");
    expect(titles(search)).toEqual(["Visit from www.google.com", "Self report"]);
    expect(search[1]).toHaveTextContent("Self report · Organic search · Google");
    expect(search[1]).toHaveTextContent("confidence 100%");
  });
});

describe("links, on the real links service behind the gateway", () => {
  it("the list, with each link's figures from the links report", async () => {
    visit("/links");
    // The caption says so once the figures have come.
    await screen.findByRole("table", { name: "Links, newest first, with their figures in the chosen range" });
    expect(await rowWith("lnk.test/launch-wa")).toEqual(["lnk.test/launch-waCopy→ https://shop.example/launchspring", "Messaging apps · WhatsApp (dark social)", "launch", "1", "1", "2", "Jun 1, 2024"]);
    expect(await rowWith("lnk.test/launch-li")).toEqual(["lnk.test/launch-liCopy→ https://shop.example/launchspring", "Social (public feeds) · LinkedIn", "launch", "1", "1", "0", "Jun 1, 2024"]);
    // The kit's own link was made for no channel: its clicks are credited by what the browser says.
    expect(await rowWith("lnk.test/launch")).toEqual(["lnk.test/launchCopy→ https://shop.example/launchspring", "Untagged", "launch", "0", "0", "0", "Jun 1, 2024"]);
  });

  /** Each stage of the journey as a person reads it: [label, figure, what it rests on]. */
  async function journeySteps() {
    const journey = await screen.findByRole("list", { name: "Journey of the link" });
    return within(journey)
      .getAllByRole("listitem")
      .map((s) => [".journey-label", ".journey-value", ".journey-hint"].map((c) => text(s.querySelector(c))));
  }
  /** The figures under the journey, by their names. */
  function journeyDetails(): Record<string, string> {
    const details = screen.getByLabelText("Journey details");
    return Object.fromEntries([...details.querySelectorAll("div")].map((d) => [text(d.querySelector("dt")), text(d.querySelector("dd"))]));
  }
  /** The other links of the share kit: [short link, what it was made for, its copy button]. */
  function kitLinks(): string[][] {
    const kit = screen.getByRole("heading", { name: "Other links of this share kit" }).closest(".card") as HTMLElement;
    return within(kit)
      .getAllByRole("listitem")
      .map((li) => [text(within(li).getByRole("link")), text(li.querySelector(".badge")), within(li).getByRole("button").getAttribute("aria-label") ?? ""]);
  }

  it("one link: its figures, its journey and the rest of its share kit", async () => {
    visit("/links/L-wa");
    const figures = await screen.findByLabelText("Figures of this link");
    expect(kpi(figures, "Clicks")).toEqual(["1", "by people (bots left out), 2024-06-01 – 2024-06-30"]);
    expect(kpi(figures, "Unfurls")).toEqual(["1", "previews in 1 app"]);
    expect(kpi(figures, "Bot hits")).toEqual(["0", "not counted as clicks"]);
    expect(kpi(figures, "In-app browsers")).toEqual(["100%", "1 of 1 click opened inside an app"]);
    expect(await rows("Clicks by country")).toEqual([["Germany", "1", "100%"]]);
    expect(await rows("Clicks by in-app browser")).toEqual([["WhatsApp", "1", "100%"]]);
    // Bea landed through her click; Cai arrived through her pasted URL (dark: no referrer) and bought too.
    expect(await journeySteps()).toEqual([
      ["Unfurls", "1", "previews in WhatsApp"],
      ["Clicks", "1", "opened by people (bots left out)"],
      ["Landing visitors", "1", "came through a click, seen by the site tracker"],
      ["Re-shares", "1", "1 through private channels (dark)"],
      ["Conversions", "2", "value 65 EUR"],
    ]);
    expect(journeyDetails()).toEqual({
      "Visitors of the share tree": "2 (1 through a click, 1 through a re-share)",
      "Re-shares per visitor": "0.5 (1 re-share by 2 visitors)",
      "Re-shares by generation": "generation 1: 1",
      "Conversions by the buyer's generation": "generation 0 (came through a click): 1 · generation 1: 1",
      "Conversions by type": "purchase: 2",
    });
    // The kit's own link comes from the links service with source "": made for no channel, not "Unclassified".
    expect(kitLinks()).toEqual([
      ["lnk.test/launch", "Untagged", "Copy untagged link"],
      ["lnk.test/launch-li", "Social (public feeds) · LinkedIn", "Copy LinkedIn link"],
    ]);
    expect(screen.getByText("https://shop.example/launch?utm_source=whatsapp&utm_medium=messaging&utm_campaign=launch", { selector: "code" })).toBeInTheDocument();
  });

  it("a link clicked outside any in-app browser, with no visitor seen by the site tracker", async () => {
    visit("/links/L-li");
    const figures = await screen.findByLabelText("Figures of this link");
    // The service counts that click under byInApp "none": it is not an in-app click.
    expect(kpi(figures, "In-app browsers")).toEqual(["0%", "0 of 1 click opened inside an app"]);
    expect(screen.getByText("No clicks from in-app browsers.")).toBeInTheDocument();
    expect(await journeySteps()).toEqual([
      ["Unfurls", "1", "previews in Slack"],
      ["Clicks", "1", "opened by people (bots left out)"],
      ["Landing visitors", "0", "came through a click, seen by the site tracker"],
      ["Re-shares", "0", "copy-pasted onwards"],
      ["Conversions", "0", "tied to this link"],
    ]);
    expect(journeyDetails()).toEqual({
      "Visitors of the share tree": "0 (0 through a click, 0 through a re-share)",
      "Re-shares per visitor": "— (the site tracker saw no visitor)",
    });
    expect(screen.getByText("Untagged").closest("li")).toHaveTextContent("lnk.test/launch");
  });

  it("a kit whose own link was made for a channel and no app in particular shows that channel alone", async () => {
    // Made through the gateway by the real links service, as the API allows (the form sends no channel).
    const res = await as(h, ada, "/api/links", { method: "POST", body: { url: "https://shop.example/promo", slug: "promo", channel: "messaging", campaign: "promo", shareKit: ["slack"] } });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; variants: { id: string; source: string }[] };
    visit(`/links/${created.variants[0]!.id}`);
    await screen.findByRole("heading", { name: "Other links of this share kit" });
    expect(kitLinks()).toEqual([["lnk.test/promo", "Messaging apps (dark social)", "Copy Messaging apps link"]]);
    cleanup();

    visit(`/links/${created.id}`);
    await screen.findByRole("heading", { name: "Other links of this share kit" });
    expect(text(document.querySelector(".meta-row .badge"))).toBe("Messaging apps (dark social)");
    expect(kitLinks()).toEqual([["lnk.test/promo-slack", "Work chat · Slack (dark social)", "Copy Slack link"]]);
  });
});

describe("surveys, on the real surveys service behind the gateway", () => {
  it("the list", async () => {
    visit("/surveys");
    expect(await rowWith("Checkout survey")).toEqual(["Checkout surveyHow did you hear about us?", "4", "active", "Copy URL", "Jun 2, 2024"]);
  });

  it("a survey's figures, answers per option and per channel, and its responses", async () => {
    visit("/surveys/S1");
    const figures = await screen.findByLabelText("Survey figures");
    expect(kpi(figures, "Views")).toEqual(["5", "2024-06-01 – 2024-06-30"]);
    expect(kpi(figures, "Answers")).toEqual(["3", "1 dismissed"]);
    expect(kpi(figures, "Answer rate")).toEqual(["60%", "60% (3 of 5 views)"]);
    expect(kpi(figures, "Dark answers")).toEqual(["33%", "of 3 answers named a dark channel"]);
    expect(await rows("Answers per option")).toEqual([
      ["A friend or colleague", "1", "33%"],
      ["Search engine", "1", "33%"],
      ["A WhatsApp group", "0", "0%"],
      ["I don't remember", "1", "33%"],
    ]);
    expect(await rows("Answers per channel")).toEqual([
      ["Organic search", "1", "33%"],
      ["Unclassified", "1", "33%"],
      ["Friends and colleagues", "1", "33%"],
    ]);
    expect(await rows("Responses to Checkout survey")).toEqual([
      ["Jun 13, 2024, 12:01 UTC", "I don't remember", "Not placed", "Picked or typed “I don't remember”", ""],
      ["Jun 12, 2024, 07:31 UTC", "Search engine", "Organic search · Google", "The option picked", ""],
      ["Jun 10, 2024, 10:01 UTCcame through a tracked link", "A friend or colleague", "Friends and colleagues · Friend (dark social)", "The option picked", ""],
    ]);
  });
});

describe("settings, on the real server", () => {
  it("privacy: the stored settings", async () => {
    visit("/settings/privacy");
    expect(await screen.findByRole("checkbox", { name: /Honour Do Not Track/ })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: /Honour Global Privacy Control/ })).not.toBeChecked();
    expect(screen.getByLabelText("Keep raw events for (days)")).toHaveValue(90);
  });

  it("API keys", async () => {
    visit("/settings");
    const keys = await screen.findByRole("table", { name: "API keys, newest first" });
    expect(row(keys, "Shop backend")).toEqual(["Shop backend", expect.stringMatching(/^lt_.{7}…$/), "reports:readlinks:read", "Jun 3, 2024", "never", "active", "Revoke"]);
  });

  it("users", async () => {
    visit("/settings/users");
    const users = await screen.findByRole("table", { name: "Users, oldest first" });
    expect(row(users, /^vic@example\.com/).slice(2, 4)).toEqual(["Jun 4, 2024", "active"]);
    expect(within(users).getByRole("combobox", { name: "Role of vic@example.com" })).toHaveValue("viewer");
    expect(row(users, /^ada@example\.com/).slice(0, 1)).toEqual(["ada@example.com (you)"]);
    expect(within(users).getByRole("combobox", { name: "Role of ada@example.com" })).toHaveValue("admin");
  });

  it("the channel taxonomy", async () => {
    visit("/settings/channels");
    expect(await screen.findByRole("textbox", { name: "Label of word_of_mouth" })).toHaveValue("Friends and colleagues");
    expect(screen.getByRole("checkbox", { name: "messaging is dark social" })).toBeChecked();
  });
});

describe("the system page, on the real server", () => {
  it("“Reconcile now” queues a run; the queues, the last run and retention", async () => {
    visit("/system");
    await userEvent.click(await screen.findByRole("button", { name: "Reconcile now" }));
    // No worker runs here: the job waits in the real queue, and the page says so.
    const status = await screen.findByText(/^job manual-\d+-[0-9a-f]{8}$/);
    await waitFor(() => expect(status).toHaveTextContent(/^waiting job manual-/));
    cleanup();

    visit("/system");
    const figures = await screen.findByLabelText("System figures");
    expect(kpi(figures, "Redis")).toEqual(["OK", "queue reachable"]);
    expect(kpi(figures, "Last reconcile")[1]).toMatch(/^Jun 20, 2024, 12:00 UTC, \d+ ms$/);
    expect(kpi(figures, "Conversions in last run")).toEqual(["4", "rules reconcile-2025.2"]);
    expect(kpi(figures, "Failed jobs")).toEqual(["0", "most recent 50 of all queues"]);
    expect(kpi(figures, "Raw events kept (90 days)")).toEqual(["all", "the worker has not pruned yet"]);
    const queues = screen.getByRole("table", { name: "Jobs per queue and state" });
    expect(row(queues, /^reconcile/)).toEqual(["reconcile lantern-reconcile", "1", "0", "0", "0", "0"]);
    expect(row(queues, /^events/)).toEqual(["events lantern-events", "0", "0", "0", "0", "0"]);
  });

  it("without Redis: “Unavailable”, no queues, and the rest still shown", async () => {
    const noRedis = createApp({ db: h.t.db, redis: null, queuePrefix: h.prefix, clock: () => NOW, config: { publicUrl: "http://localhost:3000", linksUrl: "http://127.0.0.1:1", surveysUrl: "http://127.0.0.1:1" } });
    try {
      visit("/system", inProcessServer(noRedis, { cookie: ada.cookie }));
      const figures = await screen.findByLabelText("System figures");
      expect(kpi(figures, "Redis")).toEqual(["Unavailable", "events wait in the services' spool files"]);
      expect(kpi(figures, "Conversions in last run")).toEqual(["4", "rules reconcile-2025.2"]);
      expect(screen.getByText("No queue figures while Redis is unavailable.")).toBeInTheDocument();
      expect(screen.getByText("No failed jobs.")).toBeInTheDocument();
      expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    } finally {
      await noRedis.close();
    }
  });
});
