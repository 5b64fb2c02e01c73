import type { ChannelsReport as ChannelsResult } from "../../apps/admin/server/reports/channels.ts";
import type { ConversionRow, conversionsPage } from "../../apps/admin/server/reports/conversions.ts";
import type { DarkSocialReport as DarkSocialResult } from "../../apps/admin/server/reports/dark-social.ts";
import type { GapReport as GapResult } from "../../apps/admin/server/reports/gap.ts";
import type { LinksReport as LinksResult } from "../../apps/admin/server/reports/links.ts";
import type { OverviewReport } from "../../apps/admin/server/reports/overview.ts";
import type { describeRange } from "../../apps/admin/server/reports/range.ts";
import type { StoredPath } from "../../packages/core/src/attribution/types.ts";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { csvText, parseCsv } from "./csv.ts";
import { expectJson, hit, lcidOf, requestJson, UA } from "./http.ts";
import { waitFor } from "./poll.ts";
import { count, type Lantern, startLantern } from "./services.ts";
import { type Sqld, startSqld } from "./sqld.ts";

/**
 * Issue 5, acceptance 2: links, surveys, worker and admin server as separate processes against real
 * Redis and a libSQL file. A scripted flow goes over HTTP only (share kit, unfurls, clicks, tracker
 * landings and copy-paste arrivals, conversions from the tracker and from survey answers), a reconcile
 * run is asked for, and every report is checked against numbers worked out by hand below.
 *
 * The cast (one short link "launch" with a share kit: launch-whatsapp, -slack, -linkedin, -email):
 *
 *   previews   Slackbot -> slack variant; WhatsApp twice -> whatsapp variant; iMessage -> main link;
 *              LinkedInBot -> linkedin variant. Plus a Googlebot hit and a HEAD (neither is counted).
 *   C1 Alice   iPhone Safari, whatsapp variant, no referrer       -> messaging/whatsapp (link tag); lands (vA)
 *   C2 Bob     Chrome, slack variant, referrer app.slack.com      -> workchat/slack (referrer); lands (vB)
 *   C3 Dan     Android, linkedin variant, referrer linkedin.com   -> social/linkedin (referrer)
 *   C4 Erin    Chrome, email variant, referrer mail.google.com    -> email/email (webmail + email-tagged link)
 *   C5 Frank   WhatsApp's in-app browser, whatsapp variant        -> messaging/whatsapp (in-app)
 *   C6 Grace   Firefox, main link, referrer google.com            -> organic_search/google (referrer)
 *   C7 Heidi   Safari, main link, no referrer                     -> direct, but an iMessage preview came first; lands (vH)
 *   C8 Kim     Android, linkedin variant, no referrer             -> social/linkedin (link tag); lands (vK)
 *   C9 Mallory Chrome, main link, referrer chatgpt.com            -> ai_assistant/chatgpt (referrer); no conversion
 *   Carol      pastes Bob's URL (lsh=Bob's token), no referrer    -> copy-paste arrival, generation 1 of the slack variant
 *   Leo        opens Kim's URL in WhatsApp's iOS in-app browser   -> arrival, generation 1 of the linkedin variant
 *
 * Conversions and the attribution each must get (value in EUR; "SR" = self-report):
 *
 * | conv | how                                  | value | software (last non-direct)  | SR                  | blended (rule)                                  | dark reasons                                                                                              | link     |
 * |------|--------------------------------------|-------|-----------------------------|---------------------|-------------------------------------------------|-----------------------------------------------------------------------------------------------------------|----------|
 * | K1   | tracker, Alice (vA, lcid C1), sent 2x| 50    | messaging/whatsapp (C1)     | -                   | messaging/whatsapp (software_only)              | dark_tagged_link, messaging_unfurl_before_click                                                           | whatsapp |
 * | K2   | survey, Carol (vC), "friend" option  | 80    | messaging/- (arrival A1)    | word_of_mouth/-     | messaging/- (software_dark_confirmed)           | dark_self_report, dark_tagged_link, copy_paste_arrival, messaging_unfurl_before_click, dark_referrer       | slack    |
 * | K3   | survey, lcid C3, "saw it on linkdin" | 60    | social/linkedin (C3)        | social/linkedin     | social/linkedin (agree)                         | -                                                                                                         | linkedin |
 * | K4   | tracker, lcid C4                     | 30    | email/email (C4)            | -                   | email/email (software_only)                     | -                                                                                                         | email    |
 * | K5   | survey, lcid C5, "my freind told me" | 120   | messaging/whatsapp (C5)     | word_of_mouth/friend| messaging/whatsapp (software_dark_confirmed)    | dark_self_report, dark_tagged_link, messaging_in_app_browser, messaging_unfurl_before_click               | whatsapp |
 * | K6   | survey, lcid C6, "A podcast" option  | 200   | organic_search/google (C6)  | podcast/-           | podcast/- (self_report_untrackable)             | -                                                                                                         | main     |
 * | K7   | tracker, Heidi (vH, no lcid)         | 40    | messaging/imessage (C7)     | -                   | messaging/imessage (software_only)              | messaging_unfurl_before_click                                                                             | main     |
 * | K8   | survey, email only, "ChatGPT" option | 10    | direct (nothing seen)       | ai_assistant/chatgpt| ai_assistant/chatgpt (self_report_over_direct)  | -                                                                                                         | -        |
 * | K9   | tracker, nothing known               | 5     | direct (nothing seen)       | -                   | direct/- (no_evidence)                          | -                                                                                                         | -        |
 *
 * K2's software path is [C2 (Bob's click, through the share chain), A1 (Carol's arrival)]; the others have
 * one software touchpoint or none. Kim also answers "I don't remember" without a conversion: an answer,
 * not a respondent. Dan's answer is sent twice with one idempotency key, Alice's conversion twice with one
 * order id: each counts once. Eight survey views are recorded.
 */

// ---- the hand-worked expectations -------------------------------------------------------------

/**
 * z of the 95% intervals: 1.96, the value of the published tables (packages/core/src/stats/wilson.ts).
 * The interval formulas below are written out here, independently of the code under test, from the
 * methods the reports API documents (apps/admin/API.md, core's stats).
 */
const Z = 1.96;

/** Wilson score interval. */
function wilson(k: number, n: number): { low: number; high: number } {
  const p = k / n;
  const z2 = Z * Z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (Z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/** The variance the Wilson interval implies, ((high - low) / 2z)^2 before clipping. */
function wilsonVariance(k: number, n: number): number {
  const p = k / n;
  const z2 = Z * Z;
  const sd = Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n)) / (1 + z2 / n);
  return sd * sd;
}

/**
 * Post-stratified dark share: strata with respondents weighted by their conversions, estimate ± z·sqrt(Σ w² v),
 * and the bounds for ALL conversions (missing strata all non-dark / all dark).
 */
function postStratified(strata: { conversions: number; respondents: number; dark: number }[]) {
  const total = strata.reduce((s, x) => s + x.conversions, 0);
  const covered = strata.filter((s) => s.respondents > 0);
  const coveredConversions = covered.reduce((s, x) => s + x.conversions, 0);
  let estimate = 0;
  let variance = 0;
  for (const s of covered) {
    const w = s.conversions / coveredConversions;
    estimate += w * (s.dark / s.respondents);
    variance += w * w * wilsonVariance(s.dark, s.respondents);
  }
  const low = Math.max(0, estimate - Z * Math.sqrt(variance));
  const high = Math.min(1, estimate + Z * Math.sqrt(variance));
  const coverage = coveredConversions / total;
  return { estimate, low, high, coverage, bounds: { low: low * coverage, high: Math.min(1, high * coverage + (1 - coverage)) } };
}

/**
 * The strata by software channel (see the table): messaging 4 conversions, 2 respondents (K2, K5), both dark;
 * social 1 (K3 answered, not dark); email 1 (no answer: left out); organic_search 1 (K6 answered, not dark);
 * direct 2 (K8 answered, not dark; K9 did not).
 */
const STRATA = [
  { key: "messaging", conversions: 4, respondents: 2, dark: 2 },
  { key: "social", conversions: 1, respondents: 1, dark: 0 },
  { key: "email", conversions: 1, respondents: 0, dark: 0 },
  { key: "organic_search", conversions: 1, respondents: 1, dark: 0 },
  { key: "direct", conversions: 2, respondents: 1, dark: 0 },
];

interface ExpectedConversion {
  name: string;
  value: number;
  software: { channel: string; source: string | null };
  selfReport: { channel: string; source: string | null } | null;
  responded: boolean;
  blended: { channel: string; source: string | null };
  rule: string;
  darkReasons: string[];
  link: "main" | "whatsapp" | "slack" | "linkedin" | "email" | null;
}

const CONVERSIONS: ExpectedConversion[] = [
  { name: "K1 Alice", value: 50, software: { channel: "messaging", source: "whatsapp" }, selfReport: null, responded: false, blended: { channel: "messaging", source: "whatsapp" }, rule: "blended:software_only", darkReasons: ["dark_tagged_link", "messaging_unfurl_before_click"], link: "whatsapp" },
  { name: "K2 Carol", value: 80, software: { channel: "messaging", source: null }, selfReport: { channel: "word_of_mouth", source: null }, responded: true, blended: { channel: "messaging", source: null }, rule: "blended:software_dark_confirmed", darkReasons: ["dark_self_report", "dark_tagged_link", "copy_paste_arrival", "messaging_unfurl_before_click", "dark_referrer"], link: "slack" },
  { name: "K3 Dan", value: 60, software: { channel: "social", source: "linkedin" }, selfReport: { channel: "social", source: "linkedin" }, responded: true, blended: { channel: "social", source: "linkedin" }, rule: "blended:agree", darkReasons: [], link: "linkedin" },
  { name: "K4 Erin", value: 30, software: { channel: "email", source: "email" }, selfReport: null, responded: false, blended: { channel: "email", source: "email" }, rule: "blended:software_only", darkReasons: [], link: "email" },
  { name: "K5 Frank", value: 120, software: { channel: "messaging", source: "whatsapp" }, selfReport: { channel: "word_of_mouth", source: "friend" }, responded: true, blended: { channel: "messaging", source: "whatsapp" }, rule: "blended:software_dark_confirmed", darkReasons: ["dark_self_report", "dark_tagged_link", "messaging_in_app_browser", "messaging_unfurl_before_click"], link: "whatsapp" },
  { name: "K6 Grace", value: 200, software: { channel: "organic_search", source: "google" }, selfReport: { channel: "podcast", source: null }, responded: true, blended: { channel: "podcast", source: null }, rule: "blended:self_report_untrackable", darkReasons: [], link: "main" },
  { name: "K7 Heidi", value: 40, software: { channel: "messaging", source: "imessage" }, selfReport: null, responded: false, blended: { channel: "messaging", source: "imessage" }, rule: "blended:software_only", darkReasons: ["messaging_unfurl_before_click"], link: "main" },
  { name: "K8 Ivan", value: 10, software: { channel: "direct", source: null }, selfReport: { channel: "ai_assistant", source: "chatgpt" }, responded: true, blended: { channel: "ai_assistant", source: "chatgpt" }, rule: "blended:self_report_over_direct", darkReasons: [], link: null },
  { name: "K9 Judy", value: 5, software: { channel: "direct", source: null }, selfReport: null, responded: false, blended: { channel: "direct", source: null }, rule: "blended:no_evidence", darkReasons: [], link: null },
];

/**
 * A list the API ranks largest first without saying how ties are ordered: the ranks must not increase,
 * and the rows must be the expected ones (in any order among equals).
 */
function expectRanked(actual: unknown[][], expected: unknown[][], rankAt: number, what: string): void {
  const ranks = actual.map((row) => Math.abs(Number(row[rankAt])));
  expect(ranks, `${what}: ranked largest first`).toEqual([...ranks].sort((a, b) => b - a));
  const canon = (rows: unknown[][]) => rows.map((row) => JSON.stringify(row)).sort();
  expect(canon(actual), what).toEqual(canon(expected));
}

// ---- the run ------------------------------------------------------------------------------------

let lantern: Lantern;
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const visitor = (who: string) => `v-${who}-${run}`;
const token = (who: string) => `s-${who}-${run}`;

type Variant = "main" | "whatsapp" | "slack" | "linkedin" | "email";
const link: Record<Variant, { id: string; slug: string; shortUrl: string }> = {} as never;
const click: Record<string, string> = {}; // C1..C9 -> click id (lcid)
const option: Record<"friend" | "podcast" | "chatgpt" | "search" | "other" | "dontRemember", string> = {} as never;
let surveyId = "";

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** A range that holds today whatever the hour (and a UTC midnight passed during the run). */
const rangeQuery = () => `from=${day(Date.now() - 86_400_000)}&to=${day(Date.now() + 86_400_000)}`;

const gateway = (path: string) => `${lantern.admin}${path}`;
const report = <T>(name: string, extra = "") => expectJson<T>(200, `${lantern.admin}/api/reports/${name}?${rangeQuery()}${extra ? `&${extra}` : ""}`, { headers: lantern.auth });
const beacon = (kind: "landing" | "arrival" | "conversion", body: unknown, userAgent: string = UA.windowsChrome) =>
  expectJson(202, `${lantern.links}/t/${kind}`, { body, headers: { "user-agent": userAgent, origin: "https://shop.example.com" } });
const answer = (body: Record<string, unknown>) => expectJson<{ id: string }>(202, `${lantern.surveys}/v1/responses`, { body: { surveyId, ...body } });

/**
 * The whole flow against one kind of database: a libSQL file (the default) or a libSQL server (sqld,
 * `DATABASE_URL=http://...`), with the same hand-worked numbers. Called once per test file.
 */
export function attributionFlow(database: "file" | "libsql-server"): void {
  let sqld: Sqld | undefined;
  beforeAll(async () => {
    if (database === "libsql-server") sqld = await startSqld();
    lantern = await startLantern({ databaseUrl: sqld?.url });
  });

  afterEach(({ task }) => {
    if (task.result?.state === "fail" && lantern) console.error(`service output after "${task.name}":\n${lantern.logs(30)}`);
  });

  afterAll(async () => {
    await lantern?.stop();
    await sqld?.stop();
  });

  describe(`attribution end to end on a libSQL ${database === "file" ? "file" : "server"}: links, surveys, worker and admin server over HTTP`, () => {
    test("a share kit made through the admin gateway gets one tagged variant per source", async () => {
      const created = await expectJson<{
        id: string;
        slug: string;
        shortUrl: string;
        channel: string | null;
        variants: { id: string; slug: string; shortUrl: string; source: string; channel: string; utm: Record<string, string> }[];
      }>(201, gateway("/api/links"), {
        headers: lantern.auth,
        body: {
          url: "https://shop.example.com/spring?ref=launch",
          slug: "launch",
          campaign: "spring-launch",
          shareKit: ["whatsapp", "slack", "linkedin", "email"],
          preview: { title: "Spring launch", description: "Lamps for dark rooms" },
        },
      });
      link.main = { id: created.id, slug: created.slug, shortUrl: created.shortUrl };
      expect(created.shortUrl).toBe(`${lantern.links}/launch`);
      expect(created.channel).toBeNull();
      expect(created.variants.map((v) => [v.source, v.channel, v.slug, v.utm])).toEqual([
        ["whatsapp", "messaging", "launch-whatsapp", { source: "whatsapp", medium: "messaging", campaign: "spring-launch" }],
        ["slack", "workchat", "launch-slack", { source: "slack", medium: "workchat", campaign: "spring-launch" }],
        ["linkedin", "social", "launch-linkedin", { source: "linkedin", medium: "social", campaign: "spring-launch" }],
        ["email", "email", "launch-email", { source: "email", medium: "email", campaign: "spring-launch" }],
      ]);
      for (const v of created.variants) link[v.source as Variant] = { id: v.id, slug: v.slug, shortUrl: v.shortUrl };

      const survey = await expectJson<{ id: string; options: { id: string; kind: string; channel: string | null }[] }>(201, gateway("/api/surveys"), {
        headers: lantern.auth,
        body: {
          name: `How did you hear about us? (${run})`,
          question: "How did you hear about us?",
          randomize: false,
          options: [
            { label: "A friend or colleague", channel: "word_of_mouth", source: null },
            { label: "A podcast", channel: "podcast", source: null },
            { label: "ChatGPT or another AI assistant", channel: "ai_assistant", source: "chatgpt" },
            { label: "Search engine", channel: "organic_search", source: "google" },
            { kind: "other", label: "Other (please say)" },
            { kind: "dont_remember", label: "I don't remember" },
          ],
        },
      });
      surveyId = survey.id;
      const [friend, podcast, chatgpt, search, other, dontRemember] = survey.options.map((o) => o.id) as [string, string, string, string, string, string];
      Object.assign(option, { friend, podcast, chatgpt, search, other, dontRemember });
    });

    test("previews fetched by Slack, WhatsApp, iMessage and LinkedIn are stored as unfurls, never as clicks", async () => {
      const previews: [Variant, string][] = [
        ["slack", UA.slackbot],
        ["whatsapp", UA.whatsapp],
        ["whatsapp", UA.whatsappOld],
        ["main", UA.imessage],
        ["linkedin", UA.linkedinbot],
      ];
      for (const [variant, userAgent] of previews) {
        const res = await hit(link[variant].shortUrl, { userAgent });
        expect(res.status, `${userAgent} on ${variant}`).toBe(200);
        expect(res.body).toContain('property="og:title" content="Spring launch"');
      }
      // A crawler is redirected but is no click; a HEAD records nothing at all.
      const bot = await hit(link.main.shortUrl, { userAgent: UA.googlebot });
      expect(bot.status).toBe(302);
      expect(bot.location).not.toContain("lcid=");
      expect((await hit(link.main.shortUrl, { userAgent: UA.macSafari, method: "HEAD" })).status).toBe(302);

      await waitFor(async () => (await count(lantern.db, "SELECT count(*) FROM unfurls")) === 5 && (await count(lantern.db, "SELECT count(*) FROM bot_hits")) === 1, {
        what: "5 unfurls and 1 bot hit to be stored",
      });
      const byApp = await lantern.db.$client.execute("SELECT app, count(*) AS n FROM unfurls GROUP BY app ORDER BY app");
      expect(byApp.rows.map((r) => [r.app, Number(r.n)])).toEqual([
        ["imessage", 1],
        ["linkedin", 1],
        ["slack", 1],
        ["whatsapp", 2],
      ]);
      expect(await count(lantern.db, "SELECT count(*) FROM clicks")).toBe(0);
    });

    test("human clicks redirect with lcid and are classified by referrer, in-app browser, link tag and the preview before them", async () => {
      const clicks: [string, Variant, string, string | undefined][] = [
        ["C1", "whatsapp", UA.iphoneSafari, undefined],
        ["C2", "slack", UA.windowsChrome, "https://app.slack.com/"],
        ["C3", "linkedin", UA.androidChrome, "https://www.linkedin.com/"],
        ["C4", "email", UA.windowsChrome, "https://mail.google.com/"],
        ["C5", "whatsapp", UA.whatsappAndroidInApp, undefined],
        ["C6", "main", UA.linuxFirefox, "https://www.google.com/"],
        ["C7", "main", UA.macSafari, undefined],
        ["C8", "linkedin", UA.androidChrome, undefined],
        ["C9", "main", UA.windowsChrome, "https://chatgpt.com/"],
      ];
      for (const [name, variant, userAgent, referer] of clicks) {
        const res = await hit(link[variant].shortUrl, { userAgent, referer, ip: `198.51.100.${Number(name.slice(1))}` });
        expect(res.status, name).toBe(302);
        const to = new URL(res.location!);
        expect(`${to.origin}${to.pathname}`).toBe("https://shop.example.com/spring");
        expect(to.searchParams.get("ref")).toBe("launch");
        expect(to.searchParams.get("utm_campaign")).toBe("spring-launch");
        expect(to.searchParams.get("utm_source")).toBe(variant === "main" ? null : variant);
        click[name] = lcidOf(res.location);
      }

      await waitFor(async () => (await count(lantern.db, "SELECT count(*) FROM clicks")) === 9, { what: "9 clicks to be stored" });
      const rows = await lantern.db.$client.execute("SELECT id, channel, source, rule, in_app, unfurl_app FROM clicks");
      const stored = new Map(rows.rows.map((r) => [String(r.id), [r.channel, r.source, r.rule, r.in_app, r.unfurl_app]]));
      expect(stored.get(click.C1!)).toEqual(["messaging", "whatsapp", "link_tag", null, "whatsapp"]);
      expect(stored.get(click.C2!)).toEqual(["workchat", "slack", "referrer", null, "slack"]);
      expect(stored.get(click.C3!)).toEqual(["social", "linkedin", "referrer", null, null]);
      expect(stored.get(click.C4!)).toEqual(["email", "email", "link_tag", null, null]);
      expect(stored.get(click.C5!)).toEqual(["messaging", "whatsapp", "in_app", "whatsapp", "whatsapp"]);
      expect(stored.get(click.C6!)).toEqual(["organic_search", "google", "referrer", null, "imessage"]);
      expect(stored.get(click.C7!)).toEqual(["direct", null, "direct", null, "imessage"]);
      expect(stored.get(click.C8!)).toEqual(["social", "linkedin", "link_tag", null, null]);
      expect(stored.get(click.C9!)).toEqual(["ai_assistant", "chatgpt", "referrer", null, "imessage"]);
    });

    test("tracker landings and copy-paste arrivals build the share graph", async () => {
      const landing = (who: string, lcid: string) => ({ visitorId: visitor(who), lcid, shareToken: token(who), page: `https://shop.example.com/spring?lcid=${lcid}` });
      await beacon("landing", landing("alice", click.C1!), UA.iphoneSafari);
      await beacon("landing", landing("bob", click.C2!));
      await beacon("landing", landing("heidi", click.C7!), UA.macSafari);
      await beacon("landing", landing("kim", click.C8!), UA.androidChrome);
      await waitFor(async () => (await count(lantern.db, "SELECT count(*) FROM visitors")) === 4, { what: "4 landing visitors" });

      // Carol pastes the URL Bob copied from his address bar (lsh=Bob's token) into a new tab: no referrer.
      await beacon("arrival", { shareToken: token("bob"), visitorId: visitor("carol"), ownShareToken: token("carol"), referrer: "", page: `https://shop.example.com/spring?lsh=${token("bob")}` });
      // Leo opens Kim's URL inside WhatsApp (iOS in-app browser), also without a referrer.
      await beacon(
        "arrival",
        { shareToken: token("kim"), visitorId: visitor("leo"), ownShareToken: token("leo"), referrer: "", page: `https://shop.example.com/spring?lsh=${token("kim")}` },
        UA.whatsappIosInApp,
      );
      await waitFor(async () => (await count(lantern.db, "SELECT count(*) FROM arrivals")) === 2, { what: "2 arrivals" });

      const arrivals = await lantern.db.$client.execute("SELECT visitor_id, parent_visitor_id, generation, link_id, channel, source, rule, dark FROM arrivals ORDER BY ts");
      expect(arrivals.rows.map((r) => [r.visitor_id, r.parent_visitor_id, Number(r.generation), r.link_id, r.channel, r.source, r.rule, Number(r.dark)])).toEqual([
        [visitor("carol"), visitor("bob"), 1, link.slack.id, "messaging", null, "copy_paste_no_referrer", 1],
        [visitor("leo"), visitor("kim"), 1, link.linkedin.id, "messaging", "whatsapp", "in_app_no_referrer", 1],
      ]);
    });

    test("conversions from the tracker and from survey answers are stored once each", async () => {
      const purchase = (id: string, value: number) => ({ type: "purchase", value, currency: "EUR", id: `${id}-${run}` });
      // K1: Alice buys; the site reports the order twice (a reload of the thank-you page).
      const alice = { ...purchase("order-alice", 50), visitorId: visitor("alice"), lcid: click.C1, shareToken: token("alice") };
      await beacon("conversion", alice, UA.iphoneSafari);
      await beacon("conversion", alice, UA.iphoneSafari);
      // K2: Carol buys and answers the widget: "A friend or colleague".
      await answer({ optionId: option.friend, visitorId: visitor("carol"), shareToken: token("carol"), conversion: purchase("order-carol", 80) });
      // K3: Dan's checkout posts his free-text answer server-side, and retries it with the same key.
      const dan = { otherText: "saw it on linkdin", lcid: click.C3, conversion: purchase("order-dan", 60), idempotencyKey: `dan-${run}` };
      const first = await answer(dan);
      const again = await answer(dan);
      expect(again.id).toBe(first.id);
      // K4: Erin's order reaches the tracker with her click id only.
      await beacon("conversion", { ...purchase("order-erin", 30), lcid: click.C4 });
      // K5: Frank answers "Other: my freind told me" after buying in WhatsApp's browser.
      await answer({ optionId: option.other, otherText: "my freind told me", lcid: click.C5, conversion: purchase("order-frank", 120) });
      // K6: Grace came from Google but heard of the shop on a podcast.
      await answer({ optionId: option.podcast, lcid: click.C6, conversion: purchase("order-grace", 200) });
      // K7: Heidi's conversion carries her visitor id and share token (no click id).
      await beacon("conversion", { ...purchase("order-heidi", 40), visitorId: visitor("heidi"), shareToken: token("heidi") }, UA.macSafari);
      // K8: Ivan, known only by email, answers after an order placed by phone.
      await answer({ optionId: option.chatgpt, respondent: { email: `ivan.${run}@example.com` }, conversion: purchase("order-ivan", 10) });
      // K9: Judy's order: nothing known about her.
      await beacon("conversion", purchase("order-judy", 5));
      // Kim answers without buying: an answer, not a conversion.
      await answer({ optionId: option.dontRemember, visitorId: visitor("kim") });
      // The widget was shown eight times.
      for (const who of ["alice", "bob", "carol", "dan", "frank", "grace", "kim", "mallory"]) {
        await expectJson(202, `${lantern.surveys}/v1/views`, { body: { surveyId, visitorId: visitor(who), placement: "widget" } });
      }

      await waitFor(
        async () =>
          (await count(lantern.db, "SELECT count(*) FROM conversions")) === 9 &&
          (await count(lantern.db, "SELECT count(*) FROM survey_responses")) === 6 &&
          (await count(lantern.db, "SELECT count(*) FROM survey_views")) === 8,
        { what: "9 conversions, 6 answers and 8 views to be stored" },
      );
      const answers = await lantern.db.$client.execute("SELECT other_text, channel, source, rule FROM survey_responses WHERE other_text IS NOT NULL ORDER BY other_text");
      expect(answers.rows.map((r) => [r.other_text, r.channel, r.source, r.rule])).toEqual([
        ["my freind told me", "word_of_mouth", "friend", "person"],
        ["saw it on linkdin", "social", "linkedin", "brand:linkedin"],
      ]);
    });

    test("an on-demand reconcile run, asked for on the admin server, completes", async () => {
      await reconcile("incremental");
      expect(await count(lantern.db, "SELECT count(*) FROM conversion_attribution")).toBe(9);
    });

    test("the overview shows conversions, answers, clicks, unfurls and the dark share exactly", checkOverview);
    test("channels (last touch, blended) credit every conversion once, the self-report last", checkChannels);
    test("the attribution gap sets last-touch software credit against extrapolated self-reports", checkGap);
    test("dark social over time, by source and by evidence", checkDarkSocial);
    test("links and campaigns are ranked with their clicks, unfurls, re-shares and conversions", checkLinks);
    test("every conversion carries its software, self-reported and blended channel and the rule that decided", checkConversions);

    test("the slack variant's journey follows the preview, the click, the landing, the re-share and the conversion", async () => {
      const journey = await expectJson<Record<string, unknown>>(200, gateway(`/api/links/${link.slack.id}/journey`), { headers: lantern.auth });
      expect(journey).toMatchObject({
        unfurls: { total: 1, byApp: { slack: 1 } },
        clicks: { human: 1 },
        landingVisitors: 1,
        reshares: { total: 1, dark: 1, visitors: 1, byGeneration: { "1": 1 } },
        visitors: 2,
        resharesPerVisitor: 0.5,
        conversions: { total: 1, byGeneration: { "1": 1 }, byType: { purchase: 1 }, value: { EUR: 80 } },
      });
    });

    test("a full re-run gives the same attribution and the same reports", async () => {
      await reconcile("full");
      await checkOverview();
      await checkChannels();
      await checkGap();
      await checkDarkSocial();
      await checkLinks();
      await checkConversions();
    });

    test("reports are also CSV, by Accept header or .csv path", async () => {
      const headers = { ...lantern.auth, accept: "text/csv" };
      const channels = await fetch(`${lantern.admin}/api/reports/channels?${rangeQuery()}&model=last_touch&view=blended`, { headers });
      expect(channels.status).toBe(200);
      expect(channels.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(channels.headers.get("content-disposition")).toMatch(/^attachment; filename="lantern-channels-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/);
      const c = parseCsv(await channels.text());
      expect(c.columns).toEqual(["channel", "label", "dark", "credits", "value", "share"]);
      expectRanked(
        c.rows.map((r) => [r.channel, r.dark, Number(r.credits), Number(r.value)]),
        CHANNELS_LAST_TOUCH.map(([channel, dark, credits, value]) => [channel, String(dark), credits, value]),
        2,
        "channels CSV",
      );

      const conv = await fetch(`${lantern.admin}/api/reports/conversions.csv?${rangeQuery()}`, { headers: lantern.auth });
      expect(conv.status).toBe(200);
      const csv = parseCsv(await conv.text());
      expect(csv.columns).toEqual([
        "conversionId", "orderId", "type", "origin", "time", "value", "currency", "softwareChannel", "softwareSource", "selfChannel", "selfSource",
        "blendedChannel", "blendedSource", "responded", "dark", "darkReasons", "rule", "rulesetVersion", "linkId", "campaign", "path",
      ]);
      expect(csv.rows).toHaveLength(9);
      // Who reported each order first: the tracker's beacon, or the survey answer it came with.
      const byTracker = new Set(["alice", "erin", "heidi", "judy"]);
      for (const want of CONVERSIONS) {
        const row = csv.rows.find((r) => Number(r.value) === want.value);
        expect(row, want.name).toBeDefined();
        const buyer = want.name.split(" ")[1]!.toLowerCase();
        expect([row!.orderId, row!.type, row!.origin, row!.currency], want.name).toEqual([`order-${buyer}-${run}`, "purchase", byTracker.has(buyer) ? "tracker" : "survey", "EUR"]);
        expect(
          [row!.softwareChannel, row!.selfChannel, row!.blendedChannel, row!.blendedSource, row!.responded, row!.dark, row!.darkReasons, row!.rule, row!.linkId, row!.campaign],
          want.name,
        ).toEqual([
          want.software.channel,
          want.selfReport?.channel ?? "",
          want.blended.channel,
          want.blended.source ?? "",
          String(want.responded),
          String(want.darkReasons.length > 0),
          want.darkReasons.join(";"),
          want.rule,
          want.link ? csvText(link[want.link].id) : "",
          want.link ? "spring-launch" : "",
        ]);
        expect(JSON.parse(row!.path!).rules.blended, want.name).toBe(want.rule);
      }

      const overview = parseCsv(await (await fetch(`${lantern.admin}/api/reports/overview.csv?${rangeQuery()}`, { headers: lantern.auth })).text());
      const metric = (name: string) => overview.rows.find((r) => r.metric === name)?.value;
      expect([metric("conversions"), metric("clicks"), metric("unfurls"), metric("reshares"), metric("answers"), metric("darkConversions"), metric("darkShareAll")]).toEqual([
        "9", "9", "5", "2", "6", "4", "0.5",
      ]);
    });

    test("reports answer 4xx, never 5xx, to reversed dates, unknown models, views, intervals and channels; an empty range is zeros", async () => {
      const get = (path: string) => requestJson<{ error: { code: string; message: string } }>(`${lantern.admin}/api/reports/${path}`, { headers: lantern.auth });
      const reversed = await get("overview?from=2025-06-01&to=2025-05-01");
      expect(reversed.status).toBe(400);
      expect(reversed.body.error.code).toBe("bad_request");
      expect(reversed.body.error.message).toMatch(/after/);
      const model = await get(`channels?${rangeQuery()}&model=first_click`);
      expect(model.status).toBe(400);
      expect(model.body.error.message).toContain("last_touch");
      expect((await get(`channels?${rangeQuery()}&view=sideways`)).status).toBe(400);
      expect((await get(`dark-social?${rangeQuery()}&interval=month`)).status).toBe(400);
      expect((await get(`conversions?${rangeQuery()}&channel=carrier_pigeon`)).status).toBe(400);
      expect((await get("gap?from=not-a-date")).status).toBe(400);
      const signedOut = await requestJson(`${lantern.admin}/api/reports/overview`);
      expect(signedOut.status).toBe(401);

      const empty = await expectJson<Overview>(200, `${lantern.admin}/api/reports/overview?from=2001-01-01&to=2001-01-31`, {
        headers: lantern.auth,
      });
      expect([empty.conversions, empty.clicks, empty.darkShare.all.estimate]).toEqual([0, 0, null]);
    });
  });
}

// ---- report checks (run after the incremental run, and again after a full one) --------------------

async function reconcile(mode: "incremental" | "full"): Promise<void> {
  const { jobId } = await expectJson<{ jobId: string }>(202, `${lantern.admin}/api/reconcile`, { headers: lantern.auth, body: { mode } });
  const done = await waitFor(
    async () => {
      const job = await expectJson<{ state: string; failedReason: string | null; result: { mode: string } | null }>(200, `${lantern.admin}/api/reconcile/${jobId}`, { headers: lantern.auth });
      if (job.state === "failed") throw Object.assign(new Error(`reconcile ${jobId} failed: ${job.failedReason}`), { fatal: true });
      return job.state === "completed" ? job : undefined;
    },
    { what: `reconcile job ${jobId} to complete`, intervalMs: 500 },
  );
  if (mode === "full") expect(done.result?.mode).toBe("full");
}

// The JSON of each report, typed from the admin server's own report functions (type-only imports:
// nothing of the server is loaded at run time), so a change of a report's shape fails the typecheck.
// Each route answers `{ range: describeRange(range), ...report }` (apps/admin/server/routes/reports.ts).
// The reports hold only JSON values (numbers, strings, booleans, null, arrays, plain objects), so the
// JSON has the types of the functions' results.
type ReportJson<T> = { range: ReturnType<typeof describeRange> } & T;

type Overview = ReportJson<OverviewReport>;

async function checkOverview(): Promise<void> {
  const o = await report<Overview>("overview");
  // Nine conversions worth 595; five answered with a channel (K2, K3, K5, K6, K8); four are dark (K1, K2, K5, K7).
  expect([o.conversions, o.value, o.respondents, o.darkConversions]).toEqual([9, 595, 5, 4]);
  expect(o.responseRate).toBeCloseTo(5 / 9, 12);
  // Six answers (Kim's "I don't remember" included, Dan's retry not) out of eight views.
  expect([o.answers, o.views, o.answerRate]).toEqual([6, 8, 0.75]);
  // Nine human clicks, five previews, two copy-paste re-shares (Carol, Leo); the bot and the HEAD are not counted.
  expect([o.clicks, o.unfurls, o.reshares]).toEqual([9, 5, 2]);

  // Respondents: 2 of 5 dark (K2, K5). Wilson interval.
  const resp = o.darkShare.respondents;
  expect([resp.estimate, resp.dark, resp.n]).toEqual([0.4, 2, 5]);
  expect(resp.low).toBeCloseTo(wilson(2, 5).low, 9);
  expect(resp.high).toBeCloseTo(wilson(2, 5).high, 9);
  // All conversions, post-stratified by software channel (STRATA): 4/8 x 1 + 1/8 x 0 + 1/8 x 0 + 2/8 x 0 = 0.5,
  // covering 8 of 9 conversions; email's one conversion has no respondent and is left out.
  const all = o.darkShare.all;
  const want = postStratified(STRATA);
  expect(want.estimate).toBe(0.5);
  expect(all.estimate).toBeCloseTo(0.5, 12);
  expect(all.low).toBeCloseTo(want.low, 9);
  expect(all.high).toBeCloseTo(want.high, 9);
  expect(all.coverage).toBeCloseTo(8 / 9, 12);
  expect(all.bounds!.low).toBeCloseTo(want.bounds.low, 9);
  expect(all.bounds!.high).toBeCloseTo(want.bounds.high, 9);
  expect(all.missingStrata).toEqual([{ channel: "email", label: "Email campaigns", dark: false, conversions: 1 }]);
  // The naive survey figure: 2 of 5 respondents, times 9 conversions.
  expect(o.darkShare.naive.estimate).toBe(0.4);
  expect(o.darkShare.naive.darkConversions).toBeCloseTo(3.6, 12);
  // Why they differ: messaging conversions (all dark) are 50% of the covered conversions but only 40% of the
  // answers, so the naive figure is 10 points lower; email (1 of 9 conversions) has no respondent.
  expect(o.darkShare.explanation).toContain("messaging are under-represented among respondents (40.0% of answers, 50.0% of conversions)");
  expect(o.darkShare.explanation).toContain("lower by 10.0 points");
  expect(o.darkShare.explanation).toContain("11.1% of conversions have no respondents");

  // Channel mix by blended channel: messaging 4 (K1, K2, K5, K7), one each for the rest.
  expectRanked(
    o.topChannels.map((c) => [c.channel, c.dark, c.conversions]),
    [
      ["messaging", true, 4],
      ["ai_assistant", false, 1],
      ["direct", false, 1],
      ["email", false, 1],
      ["podcast", false, 1],
      ["social", false, 1],
    ],
    2,
    "top channels",
  );
  for (const c of o.topChannels) {
    expect(c.share).toBeCloseTo(c.conversions / 9, 12);
    expect(0 <= c.low && c.low < c.high && c.high <= 1, `${c.channel} interval`).toBe(true);
  }
}

/** Last touch on the blended path: the self-report when there is one, else the last software touchpoint, else direct. */
const CHANNELS_LAST_TOUCH: [string, boolean, number, number][] = [
  // channel, dark, credits, value
  ["messaging", true, 2, 90], // K1 whatsapp 50, K7 imessage 40
  ["word_of_mouth", true, 2, 200], // K2 80, K5 120
  ["ai_assistant", false, 1, 10], // K8
  ["direct", false, 1, 5], // K9
  ["email", false, 1, 30], // K4
  ["podcast", false, 1, 200], // K6
  ["social", false, 1, 60], // K3
];

type ChannelsReport = ReportJson<ChannelsResult>;

async function checkChannels(): Promise<void> {
  const r = await report<ChannelsReport>("channels", "model=last_touch&view=blended");
  expect([r.model, r.view, r.totals.credits, r.totals.value]).toEqual(["last_touch", "blended", 9, 595]);
  expectRanked(
    r.channels.map((c) => [c.channel, c.dark, c.credits, c.value]),
    CHANNELS_LAST_TOUCH,
    2,
    "channels",
  );
  for (const c of r.channels) expect(c.share).toBeCloseTo(c.credits / 9, 6);
  expectRanked(
    r.sources.map((s) => [s.channel, s.source, s.credits, s.value]),
    [
      ["ai_assistant", "chatgpt", 1, 10],
      ["direct", null, 1, 5],
      ["email", "email", 1, 30],
      ["messaging", "imessage", 1, 40],
      ["messaging", "whatsapp", 1, 50],
      ["podcast", null, 1, 200],
      ["social", "linkedin", 1, 60],
      ["word_of_mouth", null, 1, 80],
      ["word_of_mouth", "friend", 1, 120],
    ],
    2,
    "sources",
  );

  // Linear, blended: each touchpoint of the path gets an equal share. K2's path [C2 workchat, A1 messaging,
  // SR word_of_mouth] gives a third to each; K3's [C3 social, SR social] all to social; K5's [C5 messaging,
  // SR word_of_mouth] and K6's [C6 organic_search, SR podcast] half and half.
  const linear = await report<ChannelsReport>("channels", "model=linear&view=blended");
  const got = Object.fromEntries(linear.channels.map((c) => [c.channel, [c.credits, c.value]]));
  const want: Record<string, [number, number]> = {
    messaging: [1 + 1 / 3 + 0.5 + 1, 50 + 80 / 3 + 60 + 40],
    word_of_mouth: [1 / 3 + 0.5, 80 / 3 + 60],
    workchat: [1 / 3, 80 / 3],
    social: [1, 60],
    email: [1, 30],
    ai_assistant: [1, 10],
    direct: [1, 5],
    organic_search: [0.5, 100],
    podcast: [0.5, 100],
  };
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const [channel, [credits, value]] of Object.entries(want)) {
    expect(got[channel]![0], `${channel} credits`).toBeCloseTo(credits, 5);
    expect(got[channel]![1], `${channel} value`).toBeCloseTo(value, 5);
  }
  expect(linear.totals.credits).toBeCloseTo(9, 5);
}

type GapReport = ReportJson<GapResult>;

async function checkGap(): Promise<void> {
  const g = await report<GapReport>("gap");
  expect([g.conversions, g.respondents, g.uncoveredConversions]).toEqual([9, 5, 1]);
  expect(g.coveredShare).toBeCloseTo(8 / 9, 6);
  // Software, last touch of the software path: messaging 4 (K1, K2's arrival, K5, K7), direct 2 (K8, K9),
  // email, organic_search and social 1 each. Self-reports, each software channel's answers standing for that
  // channel's conversions: messaging's 2 answers (both word_of_mouth) for its 4 conversions -> word_of_mouth 4;
  // social's 1 (social) for 1; organic_search's 1 (podcast) for 1; direct's 1 (ai_assistant) for 2 -> 2;
  // email has no answer (uncovered). Sorted by |gap|.
  expectRanked(
    g.channels.map((c) => [c.channel, c.dark, c.software, c.selfReported, c.gap, c.relativeGap]),
    [
      ["messaging", true, 4, 0, -4, -1],
      ["word_of_mouth", true, 0, 4, 4, null],
      ["ai_assistant", false, 0, 2, 2, null],
      ["direct", false, 2, 0, -2, -1],
      ["email", false, 1, 0, -1, -1],
      ["organic_search", false, 1, 0, -1, -1],
      ["podcast", false, 0, 1, 1, null],
      ["social", false, 1, 1, 0, 0],
    ],
    4,
    "gap",
  );
}

type DarkSocialReport = ReportJson<DarkSocialResult>;

async function checkDarkSocial(): Promise<void> {
  const d = await report<DarkSocialReport>("dark-social", "interval=day");
  expect(d.interval).toBe("day");
  // Yesterday, today and tomorrow: every day of the range, empty ones included.
  expect(d.series).toHaveLength(3);
  const sum = (key: "conversions" | "darkConversions" | "respondents" | "darkRespondents") => d.series.reduce((s, b) => s + b[key], 0);
  expect([sum("conversions"), sum("darkConversions"), sum("respondents"), sum("darkRespondents")]).toEqual([9, 4, 5, 2]);
  const busy = d.series.filter((b) => b.conversions > 0);
  if (busy.length === 1) {
    // The usual case (the run did not straddle midnight UTC): the day holds it all.
    const b = busy[0]!;
    expect(b.share).toBe(0.4);
    expect(b.low).toBeCloseTo(wilson(2, 5).low, 9);
    expect(b.high).toBeCloseTo(wilson(2, 5).high, 9);
    const all = postStratified(STRATA);
    expect(b.allShare.estimate).toBeCloseTo(0.5, 12);
    expect(b.allShare.low).toBeCloseTo(all.low, 9);
    expect(b.allShare.high).toBeCloseTo(all.high, 9);
  }
  for (const b of d.series.filter((x) => x.conversions === 0)) expect([b.share, b.allShare.estimate]).toEqual([null, null]);

  expectRanked(
    d.bySource.unfurlApps.map((u) => [u.source, u.count]),
    [
      ["whatsapp", 2],
      ["imessage", 1],
      ["linkedin", 1],
      ["slack", 1],
    ],
    1,
    "unfurl apps",
  );
  expect(d.bySource.inAppBrowsers).toEqual([{ source: "whatsapp", count: 1 }]); // Frank's click (Leo's was an arrival)
  expectRanked(
    d.bySource.selfReported.map((x) => [x.source, x.channel, x.count]),
    [
      [null, "word_of_mouth", 1], // Carol's option
      ["friend", "word_of_mouth", 1], // Frank's free text
    ],
    2,
    "dark self-reports",
  );
  // Reasons over the 4 dark conversions (K1, K2, K5, K7): see the table at the top.
  expectRanked(
    d.byEvidence.map((e) => [e.reason, e.conversions, e.share]),
    [
      ["messaging_unfurl_before_click", 4, 1],
      ["dark_tagged_link", 3, 0.75],
      ["dark_self_report", 2, 0.5],
      ["copy_paste_arrival", 1, 0.25],
      ["dark_referrer", 1, 0.25],
      ["messaging_in_app_browser", 1, 0.25],
    ],
    1,
    "dark evidence",
  );
}

type LinksReport = ReportJson<LinksResult>;

async function checkLinks(): Promise<void> {
  const r = await report<LinksReport>("links");
  // K8 and K9 have no link: 7 of the 9 conversions are tied to a link of the kit.
  expect(r.totals).toEqual({ clicks: 9, unfurls: 5, reshares: 2, conversions: 7, darkConversions: 4, value: 580 });
  expect(r.campaigns).toEqual([{ campaign: "spring-launch", links: 5, clicks: 9, unfurls: 5, reshares: 2, conversions: 7, darkConversions: 4, value: 580 }]);
  //                      clicks          unfurls            reshares   conversions      dark  value
  const rows: [Variant, string | null, string | null, number, number, number, number, number, number][] = [
    ["main", null, null, 3, 1, 0, 2, 1, 240], //         C6 C7 C9, iMessage,         -, K6 K7
    ["whatsapp", "messaging", "whatsapp", 2, 2, 0, 2, 2, 170], // C1 C5, WhatsApp x2, -, K1 K5
    ["linkedin", "social", "linkedin", 2, 1, 1, 1, 0, 60], // C3 C8, LinkedInBot,   Leo, K3
    ["slack", "workchat", "slack", 1, 1, 1, 1, 1, 80], //    C2, Slackbot,          Carol, K2
    ["email", "email", "email", 1, 0, 0, 1, 0, 30], //       C4, -,                 -, K4
  ];
  const expected = rows.map(([v, channel, source, clicks, unfurls, reshares, conversions, darkConversions, value]) => ({
    linkId: link[v].id,
    slug: link[v].slug,
    url: "https://shop.example.com/spring?ref=launch",
    channel,
    source,
    campaign: "spring-launch",
    clicks,
    unfurls,
    reshares,
    conversions,
    darkConversions,
    value,
  }));
  // Ranked by conversions, then clicks: main (2, 3), whatsapp (2, 2), linkedin (1, 2), then slack and email
  // (1, 1 each, in an order the API leaves open).
  expect(r.links.slice(0, 3).map((l) => l.slug)).toEqual(["launch", "launch-whatsapp", "launch-linkedin"]);
  const byId = <T extends { linkId: string }>(list: T[]) => [...list].sort((a, b) => (a.linkId < b.linkId ? -1 : 1));
  expect(byId(r.links)).toEqual(byId(expected));
}

type ConversionsPage = Awaited<ReturnType<typeof conversionsPage>>;

/**
 * The conversions route answers `{ range, ...conversionsPage(...) }`. The one hand-written part: the
 * server reads `path` from a JSON column typed `unknown`; it holds what the reconciler stores, core's
 * StoredPath (the blended path and the rules of each view), so that type is put in its place here.
 */
type ConversionsReport = ReportJson<Omit<ConversionsPage, "conversions"> & { conversions: (Omit<ConversionRow, "path"> & { path: StoredPath })[] }>;

async function checkConversions(): Promise<void> {
  const page = await report<ConversionsReport>("conversions", "limit=50");
  expect(page.nextCursor).toBeNull();
  expect(page.conversions).toHaveLength(9);
  const times = page.conversions.map((c) => c.ts);
  expect(times).toEqual([...times].sort((a, b) => b - a)); // newest first
  for (const want of CONVERSIONS) {
    const got = page.conversions.find((c) => c.value === want.value);
    expect(got, want.name).toBeDefined();
    expect(
      {
        software: got!.software,
        selfReport: got!.selfReport,
        responded: got!.responded,
        blended: got!.blended,
        rule: got!.rule,
        dark: got!.dark,
        darkReasons: got!.darkReasons,
        linkId: got!.linkId,
        campaign: got!.campaign,
      },
      want.name,
    ).toEqual({
      software: want.software,
      selfReport: want.selfReport,
      responded: want.responded,
      blended: want.blended,
      rule: want.rule,
      dark: want.darkReasons.length > 0,
      darkReasons: want.darkReasons,
      linkId: want.link ? link[want.link].id : null,
      campaign: want.link ? "spring-launch" : null,
    });
    expect(got!.rulesetVersion, want.name).toBeTruthy();
  }
  // K2's path: Bob's click through the share chain, Carol's own copy-paste arrival, then her answer.
  const carol = page.conversions.find((c) => c.value === 80)!;
  expect(carol.path.touchpoints.map((t) => [t.kind, t.channel, t.source, t.rule])).toEqual([
    ["click", "workchat", "slack", "software:share_chain"],
    ["arrival", "messaging", null, "software:visitor"],
    ["self_report", "word_of_mouth", null, "self_report:option"],
  ]);
  expect(carol.path.rules).toEqual({ software: "software:visitor", selfReport: "self_report:option", blended: "blended:software_dark_confirmed" });

  // Filters: only the dark ones, and one blended channel.
  const dark = await report<ConversionsReport>("conversions", "dark=true");
  expect(dark.conversions.map((c) => c.value).sort((a, b) => a! - b!)).toEqual([40, 50, 80, 120]);
  const podcast = await report<ConversionsReport>("conversions", "channel=podcast");
  expect(podcast.conversions.map((c) => c.value)).toEqual([200]);
}
