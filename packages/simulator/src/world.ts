import { type ChannelKey, isDarkChannel, type SurveyLocale } from "@lantern/core";
import { BROWSER_AGENTS, BOT_AGENTS, IN_APP_AGENTS, UNFURL_AGENTS } from "./agents.ts";
import { answerText, followUpText, optionFor } from "./answers.ts";
import { Random } from "./random.ts";
import { type AppSettings, DEFAULT_FOLLOW_UP_CHANNELS, DEFAULT_OPTION_CHANNELS, forChannel, type Scenario } from "./scenario.ts";

/**
 * A world: the short links a marketer creates, and every timed thing that happens to them: preview
 * fetches, clicks (with the user agent, referrer and query a real one would carry), tracker landings
 * and arrivals (with share tokens), untagged visits, conversions, survey views, skips and answers.
 * Beside it, the ground truth: how each buyer really came, and whether private sharing carried the
 * page to them.
 *
 * Ids here are the world's own ("v12", "k7", "o3"); drivers map them to the ids the services use.
 */

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export interface LinkSpec {
  /** `campaign` for the campaign's main link, `campaign~source` for a share-kit variant. */
  key: string;
  campaign: string;
  /** The source a variant is made for; null for the main link. */
  source: string | null;
  url: string;
}

export interface CampaignSpec {
  name: string;
  url: string;
  shareKit: string[];
}

/**
 * What a buyer answered. `said` is the channel and source they meant to name; `followUp`, what they
 * wrote into the option's optional follow-up question (null: none asked, or left empty).
 */
export type Answer =
  | { kind: "option"; channel: ChannelKey; text: string; followUp: string | null; said: { channel: ChannelKey; source: string } }
  | { kind: "other"; text: string; said: { channel: ChannelKey; source: string } }
  | { kind: "dont_remember" };

interface Base {
  ts: number;
  /** Whose action it is: drivers keep one person's actions in order ("v12", or "paste:3" for a preview fetch). */
  actor: string;
}

export type Action =
  | (Base & { type: "unfurl"; link: string; userAgent: string })
  | (Base & { type: "bot"; link: string; userAgent: string })
  | (Base & {
      type: "click";
      click: string;
      visitor: string;
      link: string;
      userAgent: string;
      referer: string | null;
      query: Record<string, string>;
      /** The preview fetch of the same paste, which happened before (drivers wait for it). */
      paste: string | null;
      ip: string;
      country: string | null;
    })
  | (Base & { type: "landing"; visitor: string; click: string; shareToken: string; page: string; userAgent: string })
  | (Base & {
      type: "arrival";
      visitor: string;
      /** The sharer's token, carried by the pasted URL. */
      shareToken: string;
      ownShareToken: string;
      referrer: string | null;
      page: string;
      userAgent: string;
    })
  /** lantern.js on a page opened without a Lantern tag (no lcid, no one else's share token). */
  | (Base & { type: "visit"; visitor: string; referrer: string | null; page: string; userAgent: string })
  | (Base & {
      type: "conversion";
      order: string;
      origin: "tracker" | "api";
      visitor: string | null;
      click: string | null;
      shareToken: string | null;
      kind: string;
      value: number;
      currency: string;
      userAgent: string;
    })
  | (Base & { type: "survey.view"; id: string; order: string; visitor: string | null; click: string | null; userAgent: string })
  | (Base & { type: "survey.skip"; id: string; order: string; visitor: string | null; click: string | null; userAgent: string })
  | (Base & {
      type: "survey.answer";
      id: string;
      order: string;
      visitor: string | null;
      click: string | null;
      shareToken: string | null;
      answer: Answer;
      locale: SurveyLocale;
      kind: string;
      value: number;
      currency: string;
      conversionTs: number;
      userAgent: string;
    });

export type ActionType = Action["type"];

/** How a visitor reached the site. */
export type Via = "link" | "url" | "reshare" | "forward";

export interface TruthConversion {
  order: string;
  ts: number;
  value: number;
  /** The app or place the buyer came through, its channel and source: the truth. */
  app: string;
  channel: ChannelKey;
  source: string;
  /** Private sharing carried the page to this buyer at some hop (Lantern's definition of dark social). */
  dark: boolean;
  via: Via;
  generation: number;
  visitor: string;
  responded: boolean;
}

export interface Truth {
  scenario: string;
  seed: number;
  start: number;
  end: number;
  conversions: TruthConversion[];
  /** Share of conversions that are dark: the number Lantern estimates. */
  darkShare: number;
  /** True channel mix of conversions (shares). */
  mix: Partial<Record<ChannelKey, number>>;
  /** Among buyers who answered, the dark share (what a perfect survey of respondents would say). */
  respondentDarkShare: number | null;
  counts: WorldCounts;
}

export interface WorldCounts {
  visitors: number;
  clicks: number;
  unfurls: number;
  bots: number;
  landings: number;
  arrivals: number;
  visits: number;
  conversions: number;
  views: number;
  skips: number;
  answers: number;
}

export interface World {
  scenario: string;
  seed: number;
  start: number;
  end: number;
  site: string;
  campaigns: CampaignSpec[];
  links: LinkSpec[];
  /** Channels the survey offers as options (answers of kind "option" name one of them). */
  optionChannels: ChannelKey[];
  actions: Action[];
  /** Who passed the page on to whom: visitor -> the visitor who shared it. */
  parents: Record<string, string>;
  truth: Truth;
}

export interface GenerateOptions {
  /** First day (epoch ms); required when the scenario has no `start`. */
  start?: number;
}

interface Visitor {
  id: string;
  /** The visitor who passed the page on to this one (null for visitors who came on their own). */
  parent: string | null;
  ts: number;
  app: string;
  channel: ChannelKey;
  source: string;
  dark: boolean;
  generation: number;
  campaign: Scenario["campaigns"][number];
  via: Via;
  tracked: boolean;
  token: string | null;
  click: string | null;
  link: string | null;
  browser: string;
  ip: string;
  country: string | null;
}

interface Paste {
  id: string;
  ts: number;
  link: string;
  app: string;
}

/** Relative traffic by hour of day (UTC): quiet nights, a lunch peak and an evening peak. */
const HOURS = [0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.5, 0.9, 1.2, 1.3, 1.3, 1.4, 1.6, 1.5, 1.3, 1.2, 1.2, 1.3, 1.5, 1.7, 1.8, 1.6, 1.1, 0.6];

export function linkKeyFor(campaign: string, source: string | null): string {
  return source ? `${campaign}~${source}` : campaign;
}

export function generateWorld(scenario: Scenario, seed: number, options: GenerateOptions = {}): World {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer from 0 to ${0xffffffff}, got ${seed}`);
  const start = options.start ?? (scenario.start ? Date.parse(`${scenario.start}T00:00:00Z`) : Number.NaN);
  if (!Number.isFinite(start)) throw new Error(`scenario ${scenario.name} has no "start": pass one (options.start)`);
  const end = start + scenario.days * DAY_MS;
  const root = new Random(seed);
  const rArrive = root.fork("arrivals");
  const rPath = root.fork("paths");
  const rShare = root.fork("sharing");
  const rBuy = root.fork("conversions");
  const rSurvey = root.fork("survey");
  const rAnswer = root.fork("answers");
  // Its own stream, so that the rest of a world stays the same whatever the follow-up rate.
  const rFollowUp = root.fork("follow-ups");
  const rBots = root.fork("bots");
  // Untagged visits came later: their own stream keeps every other stream, and so older worlds, as they were.
  const rVisit = root.fork("visits");

  const site = scenario.site.url.replace(/\/+$/, "");
  const campaigns: CampaignSpec[] = scenario.campaigns.map((c) => ({ name: c.name, url: `${site}${c.path}`, shareKit: [...c.shareKit] }));
  const links: LinkSpec[] = [];
  for (const c of campaigns) {
    links.push({ key: linkKeyFor(c.name, null), campaign: c.name, source: null, url: c.url });
    for (const s of c.shareKit) links.push({ key: linkKeyFor(c.name, s), campaign: c.name, source: s, url: c.url });
  }
  const optionChannels = [...(scenario.survey.optionChannels ?? DEFAULT_OPTION_CHANNELS)];
  const optionSet = new Set(optionChannels);
  const followUpChannels = new Set(DEFAULT_FOLLOW_UP_CHANNELS);

  const actions: Action[] = [];
  const emit = (a: Action) => {
    if (a.ts < start || a.ts >= end) return false;
    actions.push(a);
    return true;
  };

  const counters = { visitor: 0, click: 0, token: 0, paste: 0, order: 0, survey: 0 };
  const next = (kind: keyof typeof counters, prefix: string) => `${prefix}${++counters[kind]}`;

  const app = (key: string): AppSettings => scenario.apps[key]!;
  const openRateOf = (key: string) => app(key).openRate ?? scenario.sharing.openRate;
  const sourceOf = (key: string) => app(key).source ?? key;
  const countries = scenario.traffic.countries ? Object.entries(scenario.traffic.countries).map(([value, weight]) => ({ value, weight })) : null;

  // ---- when people arrive on their own ------------------------------------------------------
  const dayWeights: number[] = [];
  for (let d = 0; d < scenario.days; d++) {
    const weekday = (new Date(start + d * DAY_MS).getUTCDay() + 6) % 7;
    const active = scenario.campaigns.filter((c) => c.fromDay <= d && (c.toDay === undefined || d < c.toDay));
    dayWeights.push(scenario.traffic.weekdays[weekday]! * active.reduce((s, c) => s + c.weight, 0));
  }
  if (!dayWeights.some((w) => w > 0)) throw new Error(`scenario ${scenario.name}: no campaign runs on any day with traffic`);
  const dayPick = dayWeights.map((weight, value) => ({ value, weight }));
  const hourPick = HOURS.map((weight, value) => ({ value, weight }));
  const mixPick = scenario.traffic.mix.map((m) => ({ value: m, weight: m.share }));

  const parents: Record<string, string> = {};
  const visitors: Visitor[] = [];
  for (let i = 0; i < scenario.visitors; i++) {
    const day = rArrive.weighted(dayPick);
    const ts = start + day * DAY_MS + rArrive.weighted(hourPick) * HOUR_MS + Math.floor(rArrive.float() * HOUR_MS);
    const active = scenario.campaigns.filter((c) => c.fromDay <= day && (c.toDay === undefined || day < c.toDay));
    const campaign = rArrive.weighted(active.map((c) => ({ value: c, weight: c.weight })));
    const entry = rArrive.weighted(mixPick);
    const a = app(entry.app);
    visitors.push(
      newVisitor(rArrive, {
        ts,
        app: entry.app,
        channel: a.channel,
        source: sourceOf(entry.app),
        dark: isDarkChannel(a.channel),
        generation: 0,
        campaign,
        via: rArrive.chance(entry.viaLink) ? "link" : "url",
      }),
    );
  }
  // Process in time order so that pastes are joined by later visitors, never earlier ones.
  visitors.sort((x, y) => x.ts - y.ts);

  function newVisitor(rng: Random, v: Pick<Visitor, "ts" | "app" | "channel" | "source" | "dark" | "generation" | "campaign" | "via">, parent: string | null = null): Visitor {
    const n = ++counters.visitor;
    const mobile = rng.chance(app(v.app).mobile);
    // Built field by field: object spread is needlessly slow for tens of thousands of visitors.
    if (parent) parents[`v${n}`] = parent;
    return {
      id: `v${n}`,
      parent,
      ts: v.ts,
      app: v.app,
      channel: v.channel,
      source: v.source,
      dark: v.dark,
      generation: v.generation,
      campaign: v.campaign,
      via: v.via,
      tracked: !rng.chance(scenario.tracker.blocked),
      token: null,
      click: null,
      link: null,
      browser: rng.pick(BROWSER_AGENTS[mobile ? "mobile" : "desktop"]),
      ip: `198.${18 + ((n >>> 16) & 1)}.${(n >>> 8) & 255}.${n & 255}`,
      country: countries ? rng.weighted(countries) : null,
    };
  }

  // ---- how one visitor's visit looks to the services ----------------------------------------
  const openPastes = new Map<string, Paste>();

  /** The user agent a link opened from `appKey` is requested with: the app's in-app browser, or the visitor's own. */
  function clickAgent(rng: Random, v: Visitor, appKey: string): string {
    const a = app(appKey);
    return rng.chance(a.inAppBrowser) ? rng.pick(a.inAppAgents ?? IN_APP_AGENTS[a.agents ?? appKey]!) : v.browser;
  }

  function referrerFor(rng: Random, appKey: string): string | null {
    const a = app(appKey);
    return rng.chance(a.stripReferrer) ? null : rng.pick(a.referrers);
  }

  function paste(appKey: string, link: string, ts: number): Paste {
    const p: Paste = { id: `paste:${++counters.paste}`, ts, link, app: appKey };
    const a = app(appKey);
    if (rPath.chance(a.unfurl)) {
      const agents = a.unfurlAgents ?? UNFURL_AGENTS[a.agents ?? appKey]!;
      emit({ type: "unfurl", ts: ts + 500 + rPath.int(2500), actor: p.id, link, userAgent: rPath.pick(agents) });
    }
    return p;
  }

  /** A click on a short link (from a paste in `appKey`), then the tracker's landing. */
  function visitThroughLink(v: Visitor, appKey: string, link: string, pasted: Paste) {
    const a = app(appKey);
    const userAgent = clickAgent(rPath, v, appKey);
    const query: Record<string, string> = {};
    if (rPath.chance(a.fbclid)) query.fbclid = `IwAR${rPath.token(24)}`;
    const click = next("click", "k");
    const ok = emit({
      type: "click",
      ts: v.ts,
      actor: v.id,
      click,
      visitor: v.id,
      link,
      userAgent,
      referer: referrerFor(rPath, appKey),
      query,
      paste: pasted.id,
      ip: v.ip,
      country: v.country,
    });
    if (!ok) return;
    v.click = click;
    v.link = link;
    v.browser = userAgent;
    if (v.tracked) {
      v.token = next("token", "t");
      emit({ type: "landing", ts: v.ts + 800 + rPath.int(2500), actor: v.id, visitor: v.id, click, shareToken: v.token, page: pageOf(v), userAgent });
    }
  }

  const pageOf = (v: Visitor) => `${site}${v.campaign.path}`;

  /**
   * A visitor who came by the plain URL (typed, told, or someone's address without a share token):
   * lantern.js finds no tag and reports the visit with what the browser says of it. The visitor keeps
   * its own browser for what follows.
   */
  function visitUntagged(v: Visitor) {
    if (v.via !== "url" || !v.tracked) return;
    const userAgent = clickAgent(rVisit, v, v.app);
    emit({ type: "visit", ts: v.ts, actor: v.id, visitor: v.id, referrer: referrerFor(rVisit, v.app), page: `${pageOf(v)}${campaignQuery(v.app)}`, userAgent });
  }

  /** A newsletter's plain links carry the campaign parameters its email tool adds (utm_medium=email); other apps add none. */
  const campaignQuery = (appKey: string) => (app(appKey).channel === "email" ? `?utm_source=${encodeURIComponent(sourceOf(appKey))}&utm_medium=email` : "");

  function arriveOnOwn(v: Visitor) {
    if (v.via !== "link") return; // the plain URL: an untagged visit (visitUntagged)
    const link = v.campaign.shareKit.includes(v.app) ? linkKeyFor(v.campaign.name, v.app) : linkKeyFor(v.campaign.name, null);
    const a = app(v.app);
    const key = `${v.app}|${link}`;
    let p = openPastes.get(key);
    // One paste is opened by audience x openRate people on average: start a new one with the inverse of that.
    const openers = Math.max(1, a.audience * openRateOf(v.app));
    if (!p || p.ts >= v.ts || v.ts - p.ts > 3 * DAY_MS || rPath.chance(1 / openers)) {
      p = paste(v.app, link, v.ts - Math.max(5_000, Math.round(rPath.exponential(a.clickDelayMinutes * MINUTE_MS))));
      openPastes.set(key, p);
    }
    visitThroughLink(v, v.app, link, p);
  }

  // ---- sharing -------------------------------------------------------------------------------
  const sharePick = Object.entries(scenario.sharing.apps).map(([value, weight]) => ({ value, weight }));
  const maxVisitors = 50 * scenario.visitors + 10_000;

  function shareOnward(v: Visitor, queue: Visitor[]) {
    if (v.generation >= scenario.sharing.generations) return;
    const rate = scenario.sharing.rate * (scenario.sharing.rateByChannel[v.channel] ?? 1);
    const shares = rShare.poisson(rate);
    for (let s = 0; s < shares; s++) {
      const appKey = rShare.weighted(sharePick);
      const a = app(appKey);
      const ts = v.ts + Math.round(rShare.logNormal(scenario.sharing.delayHours.median * HOUR_MS, scenario.sharing.delayHours.sigma));
      if (ts >= end) continue;
      const spoken = a.channel === "word_of_mouth";
      const forward = !spoken && v.link !== null && rShare.chance(scenario.sharing.forwardShortLink);
      const pasted = forward ? paste(appKey, v.link!, ts) : null;
      const audience = 1 + rShare.poisson(Math.min(a.audience, scenario.sharing.personalReach) - 1);
      const openRate = openRateOf(appKey);
      for (let r = 0; r < audience; r++) {
        if (!rShare.chance(openRate)) continue;
        if (counters.visitor >= maxVisitors) {
          throw new Error(`scenario ${scenario.name}: re-shares passed ${maxVisitors} visitors; each visitor brings more than one more (lower sharing.rate, openRate or the apps' audience)`);
        }
        const at = ts + Math.max(5_000, Math.round(rShare.exponential(a.clickDelayMinutes * MINUTE_MS)));
        if (at >= end) continue;
        const via: Via = spoken ? "url" : forward ? "forward" : v.token ? "reshare" : "url";
        const child = newVisitor(rShare, {
          ts: at,
          app: appKey,
          channel: a.channel,
          source: sourceOf(appKey),
          dark: v.dark || isDarkChannel(a.channel),
          generation: v.generation + 1,
          campaign: v.campaign,
          via,
        }, v.id);
        if (via === "forward") visitThroughLink(child, appKey, v.link!, pasted!);
        else if (via === "reshare" && child.tracked) {
          const userAgent = clickAgent(rPath, child, appKey);
          child.browser = userAgent;
          child.token = next("token", "t");
          emit({
            type: "arrival",
            ts: at,
            actor: child.id,
            visitor: child.id,
            shareToken: v.token!,
            ownShareToken: child.token,
            referrer: referrerFor(rPath, appKey),
            page: pageOf(child),
            userAgent,
          });
        }
        queue.push(child);
      }
    }
  }

  // ---- buying and answering ----------------------------------------------------------------------
  const truth: TruthConversion[] = [];
  const mixApps = scenario.traffic.mix.map((m) => ({ value: m.app, weight: m.share }));
  const localePick = Object.entries(scenario.answers.locales).map(([value, weight]) => ({ value: value as SurveyLocale, weight: weight! }));

  function answerOf(v: Visitor): { answer: Answer; locale: SurveyLocale } {
    const ans = scenario.answers;
    const locale = rAnswer.weighted(localePick);
    if (rAnswer.chance(forChannel(ans.dontRemember, v.channel))) return { answer: { kind: "dont_remember" }, locale };
    let said: { channel: ChannelKey; source: string } = { channel: v.channel, source: v.source };
    if (v.channel !== "organic_search" && v.channel !== "paid_search" && rAnswer.chance(forChannel(ans.saysSearch, v.channel))) {
      said = { channel: "organic_search", source: "google" };
    } else if (rAnswer.chance(ans.recallError)) {
      const other = rAnswer.weighted(mixApps.filter((m) => m.value !== v.app).length > 0 ? mixApps.filter((m) => m.value !== v.app) : mixApps);
      said = { channel: app(other).channel, source: sourceOf(other) };
    }
    const text = answerText(rAnswer, said.source, said.channel, locale, ans.typo);
    const option = optionFor(rAnswer, said.channel, said.source, optionSet);
    if (option && !rAnswer.chance(ans.freeText)) {
      const followUp = followUpChannels.has(option) && rFollowUp.chance(ans.followUp) ? followUpText(rFollowUp, option, said, v, locale, ans.typo) : null;
      return { answer: { kind: "option", channel: option, text, followUp, said }, locale };
    }
    return { answer: { kind: "other", text, said }, locale };
  }

  function buy(v: Visitor) {
    if (!rBuy.chance(forChannel(scenario.conversion.rate, v.channel))) return;
    const delay = forChannel(scenario.conversion.delayDays, v.channel);
    const ts = v.ts + Math.max(MINUTE_MS, Math.round(rBuy.logNormal(delay.median * DAY_MS, delay.sigma)));
    if (ts >= end) return;
    const order = next("order", "o");
    const value = Math.round(rBuy.logNormal(scenario.conversion.value.median, scenario.conversion.value.sigma) * 100) / 100;
    const currency = scenario.conversion.value.currency;
    const kind = scenario.conversion.type;
    // What the site knows when the order is placed: lantern.js's context, unless it does not run or
    // the purchase happens on another device (a new visitor id, nothing else).
    const crossDevice = v.tracked && rBuy.chance(scenario.conversion.crossDevice);
    const origin = v.tracked ? "tracker" : "api";
    const visitor = !v.tracked ? null : crossDevice ? `${v.id}x` : v.id;
    const click = v.tracked && !crossDevice ? v.click : null;
    const shareToken = v.tracked && !crossDevice ? v.token : null;
    const userAgent = crossDevice ? rBuy.pick(BROWSER_AGENTS.desktop) : v.browser;
    emit({ type: "conversion", ts, actor: v.id, order, origin, visitor, click, shareToken, kind, value, currency, userAgent });

    let responded = false;
    if (rSurvey.chance(forChannel(scenario.survey.view, v.channel))) {
      const viewTs = ts + 3_000 + rSurvey.int(30_000);
      const viewed = emit({ type: "survey.view", ts: viewTs, actor: v.id, id: next("survey", "w"), order, visitor, click, userAgent });
      if (viewed && rSurvey.chance(forChannel(scenario.survey.response, v.channel))) {
        const { answer, locale } = answerOf(v);
        responded = emit({
          type: "survey.answer",
          ts: viewTs + 8_000 + rSurvey.int(60_000),
          actor: v.id,
          id: next("survey", "a"),
          order,
          visitor,
          click,
          shareToken,
          answer,
          locale,
          kind,
          value,
          currency,
          conversionTs: ts,
          userAgent,
        });
      } else if (viewed && rSurvey.chance(scenario.survey.skip)) {
        emit({ type: "survey.skip", ts: viewTs + 2_000 + rSurvey.int(15_000), actor: v.id, id: next("survey", "s"), order, visitor, click, userAgent });
      }
    }
    truth.push({ order, ts, value, app: v.app, channel: v.channel, source: v.source, dark: v.dark, via: v.via, generation: v.generation, visitor: v.id, responded });
  }

  // ---- run it --------------------------------------------------------------------------------
  // Entry visitors in time order, each followed by the re-shares it sets off (breadth first).
  for (const v of visitors) {
    const queue: Visitor[] = [v];
    arriveOnOwn(v);
    while (queue.length > 0) {
      const current = queue.shift()!;
      visitUntagged(current);
      buy(current);
      shareOnward(current, queue);
    }
  }

  // Crawlers and link checkers request short links too.
  const clickLinks = actions.filter((a) => a.type === "click").map((a) => (a as { link: string }).link);
  if (clickLinks.length > 0 && scenario.traffic.bots > 0) {
    const bots = rBots.poisson((clickLinks.length * scenario.traffic.bots) / (1 - Math.min(0.99, scenario.traffic.bots)));
    for (let i = 0; i < bots; i++) {
      const ts = start + Math.floor(rBots.float() * (end - start));
      emit({ type: "bot", ts, actor: `bot:${i}`, link: rBots.pick(clickLinks), userAgent: rBots.pick(BOT_AGENTS) });
    }
  }

  // Time order; ties keep the order in which the world made them (Array.prototype.sort is stable).
  const plain = actions.sort((a, b) => a.ts - b.ts);
  truth.sort((a, b) => a.ts - b.ts || (a.order < b.order ? -1 : 1));
  return {
    scenario: scenario.name,
    seed,
    start,
    end,
    site,
    campaigns,
    links,
    optionChannels,
    actions: plain,
    parents,
    truth: summarise(scenario.name, seed, start, end, truth, plain, counters.visitor),
  };
}

function summarise(scenario: string, seed: number, start: number, end: number, conversions: TruthConversion[], actions: readonly Action[], visitors: number): Truth {
  const counts: WorldCounts = { visitors, clicks: 0, unfurls: 0, bots: 0, landings: 0, arrivals: 0, visits: 0, conversions: 0, views: 0, skips: 0, answers: 0 };
  for (const a of actions) {
    if (a.type === "click") counts.clicks++;
    else if (a.type === "unfurl") counts.unfurls++;
    else if (a.type === "bot") counts.bots++;
    else if (a.type === "landing") counts.landings++;
    else if (a.type === "arrival") counts.arrivals++;
    else if (a.type === "visit") counts.visits++;
    else if (a.type === "conversion") counts.conversions++;
    else if (a.type === "survey.view") counts.views++;
    else if (a.type === "survey.skip") counts.skips++;
    else if (a.type === "survey.answer") counts.answers++;
  }
  const n = conversions.length;
  const counted: Partial<Record<ChannelKey, number>> = {};
  for (const c of conversions) counted[c.channel] = (counted[c.channel] ?? 0) + 1;
  const mix: Partial<Record<ChannelKey, number>> = {};
  for (const [k, c] of Object.entries(counted) as [ChannelKey, number][]) mix[k] = c / n;
  const dark = conversions.filter((c) => c.dark).length;
  const respondents = conversions.filter((c) => c.responded);
  return {
    scenario,
    seed,
    start,
    end,
    conversions,
    darkShare: n > 0 ? dark / n : 0,
    mix,
    respondentDarkShare: respondents.length > 0 ? respondents.filter((c) => c.dark).length / respondents.length : null,
    counts,
  };
}

/**
 * The actions that can matter to attribution: every buyer's own clicks, landings, arrivals and
 * visits and those of the people who passed the page on to them (up the chain), every preview fetch
 * (a preview before someone else's click is evidence for that click too), every conversion and survey
 * action. Clicks, landings, arrivals and visits of visitors who neither buy nor lead to a buyer, and
 * crawler hits, are left out: no attribution row depends on them. The accuracy benchmark uses this to
 * spend its time on what it measures; link statistics of a pruned world are of course smaller.
 */
export function attributionActions(world: World): Action[] {
  const keep = new Set<string>();
  for (const c of world.truth.conversions) {
    let v: string | undefined = c.visitor;
    while (v !== undefined && !keep.has(v)) {
      keep.add(v);
      v = world.parents[v];
    }
  }
  return world.actions.filter((a) => {
    if (a.type === "bot") return false;
    if (a.type === "click" || a.type === "landing" || a.type === "arrival" || a.type === "visit") return keep.has(a.actor);
    return true;
  });
}
