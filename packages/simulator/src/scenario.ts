import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { CHANNEL_KEYS, type ChannelKey, DEFAULT_SURVEY_OPTIONS, SURVEY_LOCALES } from "@lantern/core";
import { z } from "zod";
import { IN_APP_AGENTS, UNFURL_AGENTS } from "./agents.ts";

/**
 * A scenario describes a world whose truth we know: who comes through which app, how they share, what
 * the apps do to links (previews, stripped referrers, in-app browsers), who buys and when, who answers
 * the survey and how well they remember. It is JSON, validated here; `generateWorld` turns it into
 * timed actions plus the ground truth.
 *
 * Probabilities are numbers in [0, 1]. Relative weights must be positive. `traffic.mix` is the TRUE
 * channel mix of the visitors who arrive on their own (not through a re-share): its shares add up to 1.
 */

const probability = z.number().min(0, "must be a probability (0 to 1)").max(1, "must be a probability (0 to 1)");
const positive = z.number().positive("must be greater than 0");
const channel = z.enum(CHANNEL_KEYS);
const appKey = z.string().regex(/^[a-z0-9_]{1,40}$/, "must be lower-case letters, digits or _");
const userAgents = z.array(z.string().min(1).max(1024)).min(1);

/** A probability that may differ by TRUE channel: { "default": 0.4, "byChannel": { "word_of_mouth": 0.6 } }. */
const byChannel = <T extends z.ZodType>(value: T) =>
  z
    .object({
      default: value,
      byChannel: z.partialRecord(channel, value).default({}),
    })
    .strict();

/** A log-normal duration: half are shorter than the median; sigma is the spread of its logarithm. */
const duration = z.object({ median: positive, sigma: z.number().min(0).max(4).default(0.8) }).strict();

/** A set of relative weights: every one positive. */
const weights = z.record(z.string().min(1), positive).refine((w) => Object.keys(w).length > 0, "needs at least one entry");

const appSchema = z
  .object({
    /** The channel of a visitor who came through this app (the truth), e.g. whatsapp -> messaging. */
    channel,
    /** The source reported for the truth; defaults to the app's key. */
    source: z.string().min(1).max(64).optional(),
    /** Which app's known user agents (previews, in-app browser) this one uses; default its own key (e.g. instagram_dm -> instagram). */
    agents: appKey.optional(),
    /** Chance that pasting a short link here makes the app fetch it to draw a preview (an unfurl). */
    unfurl: probability.default(0),
    unfurlAgents: userAgents.optional(),
    /** Chance that a click from this app arrives without a Referer (WhatsApp, iMessage: always). */
    stripReferrer: probability.default(1),
    /** Referers sent when not stripped (e.g. https://app.slack.com/client/T1/C1). */
    referrers: z.array(z.string().min(1).max(2048)).default([]),
    /** Chance that the link opens in the app's own browser (its user agent then names the app). */
    inAppBrowser: probability.default(0),
    inAppAgents: userAgents.optional(),
    /** Chance that the visitor is on a phone (otherwise a desktop browser). */
    mobile: probability.default(0.7),
    /** People who see one paste of a link (a group chat, a channel, a feed post). */
    audience: z.number().min(1).max(100_000).default(1),
    /** Chance that a person who sees a paste here opens it (default: sharing.openRate). Feeds: low; chats: high. */
    openRate: probability.optional(),
    /** Median time from the paste to a click (minutes). */
    clickDelayMinutes: positive.default(30),
    /** Chance that the app appends fbclid to the link it opens (Meta's apps do). */
    fbclid: probability.default(0),
  })
  .strict();

const mixEntry = z
  .object({
    app: appKey,
    /** Share of the visitors who arrive on their own that come through this app (all shares add up to 1). */
    share: probability,
    /** Of them, the share who follow a Lantern short link; the others reach the site's plain URL. */
    viaLink: probability.default(0),
  })
  .strict();

const campaignSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9-]{1,40}$/, "must be lower-case letters, digits or -"),
    /** Path on the site the campaign's links point to. */
    path: z.string().regex(/^\/[^\s]*$/, "must start with /").max(500),
    /** The share kit: one tagged short link per source (whatsapp, slack, linkedin, email, sms, ...). */
    shareKit: z.array(appKey).max(20).default([]),
    weight: positive.default(1),
    /** Days (from the start) the campaign runs; visitors outside them go to other campaigns. */
    fromDay: z.number().int().min(0).default(0),
    toDay: z.number().int().min(1).optional(),
  })
  .strict();

export const scenarioSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9-]{1,60}$/, "must be lower-case letters, digits or -"),
    description: z.string().max(2000).default(""),
    /** First day (UTC, YYYY-MM-DD). Left out: the caller picks one (the CLI and the demo end the world today). */
    start: z.iso.date().optional(),
    days: z.number().int().min(1).max(730),
    site: z.object({ url: z.url({ protocol: /^https?$/ }) }).strict(),
    /** Visitors who arrive on their own over the whole span (re-shares come on top). */
    visitors: z.number().int().min(1).max(5_000_000),
    apps: z.record(appKey, appSchema),
    traffic: z
      .object({
        mix: z.array(mixEntry).min(1),
        /** Relative traffic per weekday, Monday first. */
        weekdays: z.array(z.number().min(0)).length(7).default([1, 1, 1, 1, 1, 0.8, 0.7]),
        /** Share of link hits that are crawlers and link checkers (bot hits, never clicks). */
        bots: probability.default(0.02),
        /** Countries of visitors (relative weights), as a trusted proxy header would report them. */
        countries: weights.optional(),
      })
      .strict(),
    campaigns: z.array(campaignSchema).min(1),
    tracker: z
      .object({
        /** Chance that lantern.js does not run for a visitor (blocker, no consent): no landing, arrival or share token. */
        blocked: probability.default(0.1),
      })
      .strict()
      .default({ blocked: 0.1 }),
    sharing: z
      .object({
        /** Mean number of times a visitor passes the page on (Poisson), before channel multipliers. */
        rate: z.number().min(0).max(20),
        /** Multiplier of `rate` by the visitor's TRUE channel. */
        rateByChannel: z.partialRecord(channel, z.number().min(0).max(20)).default({}),
        /** Where shares go (relative weights over apps). */
        apps: weights,
        /** Chance that a person who sees a share opens it (apps may set their own). */
        openRate: probability,
        /** Chance that a visitor who came through a short link passes on the short link itself rather than the address-bar URL. */
        forwardShortLink: probability.default(0.2),
        /** A person's share reaches at most this many people, however large the app's audience (their followers, not the marketer's). */
        personalReach: z.number().min(1).max(100_000).default(50),
        /** Re-share generations followed (0: nobody shares). */
        generations: z.number().int().min(0).max(20),
        /** Time from a visit to the share (hours). */
        delayHours: duration.default({ median: 4, sigma: 1.2 }),
      })
      .strict(),
    conversion: z
      .object({
        rate: byChannel(probability),
        delayDays: byChannel(duration),
        value: z.object({ median: positive, sigma: z.number().min(0).max(3).default(0.6), currency: z.string().regex(/^[A-Z]{3}$/) }).strict(),
        /** Chance that the purchase happens on another device (the tracker's identity is lost). */
        crossDevice: probability.default(0.1),
        type: z.string().min(1).max(64).default("purchase"),
      })
      .strict(),
    survey: z
      .object({
        /** Chance that a buyer is shown the post-purchase survey, by TRUE channel. */
        view: byChannel(probability),
        /** Chance that a buyer who sees it answers, by TRUE channel (non-response bias lives here). */
        response: byChannel(probability),
        /** Chance that a buyer who sees it and does not answer dismisses it (a recorded skip). */
        skip: probability.default(0.5),
        /** Channels the survey offers as options; default: those of Lantern's default survey. */
        optionChannels: z.array(channel).optional(),
      })
      .strict(),
    answers: z
      .object({
        /** Chance of "I don't remember", by TRUE channel. */
        dontRemember: byChannel(probability),
        /** Chance of answering "Google"/search whatever the truth (people search the name they heard), by TRUE channel. */
        saysSearch: byChannel(probability),
        /** Chance of naming another app from the traffic mix (recall error). */
        recallError: probability.default(0.05),
        /**
         * Chance that a buyer whose option asks an optional follow-up question ("What made you search for
         * us?" under "Search engine", "Which one?" under "Social media") answers it. Under "Search engine"
         * they write what led them to search (their real origin); elsewhere, the app they meant.
         */
        followUp: probability.default(0.3),
        /** Chance of typing the app into "Other" instead of picking its option. */
        freeText: probability.default(0.2),
        /** Chance that a typed answer has a typo. */
        typo: probability.default(0.25),
        /** Languages of the answers (relative weights over en, es, de, fr, pt). */
        locales: z.partialRecord(z.enum(SURVEY_LOCALES), positive).default({ en: 1 }),
      })
      .strict(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const total = s.traffic.mix.reduce((sum, m) => sum + m.share, 0);
    if (Math.abs(total - 1) > 1e-6) issue(["traffic", "mix"], `shares add up to ${round(total)}; they must add up to 1`);
    const seen = new Set<string>();
    s.traffic.mix.forEach((m, i) => {
      if (!s.apps[m.app]) issue(["traffic", "mix", i, "app"], `unknown app "${m.app}": add it under "apps"`);
      if (seen.has(m.app)) issue(["traffic", "mix", i, "app"], `"${m.app}" is listed twice`);
      seen.add(m.app);
    });
    for (const app of Object.keys(s.sharing.apps)) {
      if (!s.apps[app]) issue(["sharing", "apps", app], `unknown app "${app}": add it under "apps"`);
    }
    for (const [key, app] of Object.entries(s.apps)) {
      const known = app.agents ?? key;
      if (app.unfurl > 0 && !app.unfurlAgents && !UNFURL_AGENTS[known]) {
        issue(["apps", key, "unfurlAgents"], `no preview user agents are known for "${known}": list some, name another app in "agents", or set unfurl to 0`);
      }
      if (app.inAppBrowser > 0 && !app.inAppAgents && !IN_APP_AGENTS[known]) {
        issue(["apps", key, "inAppAgents"], `no in-app browser user agents are known for "${known}": list some, name another app in "agents", or set inAppBrowser to 0`);
      }
      if (app.stripReferrer < 1 && app.referrers.length === 0) {
        issue(["apps", key, "referrers"], "list the referers sent when the referrer is not stripped (or set stripReferrer to 1)");
      }
    }
    s.campaigns.forEach((c, i) => {
      c.shareKit.forEach((source, j) => {
        if (!s.apps[source]) issue(["campaigns", i, "shareKit", j], `unknown app "${source}": add it under "apps"`);
      });
      if (c.fromDay >= s.days) issue(["campaigns", i, "fromDay"], `must be before the last day (${s.days - 1})`);
      if (c.toDay !== undefined && c.toDay <= c.fromDay) issue(["campaigns", i, "toDay"], "must be after fromDay");
    });
    const names = s.campaigns.map((c) => c.name);
    if (new Set(names).size !== names.length) issue(["campaigns"], "campaign names must be unique");
  });

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type AppSettings = Scenario["apps"][string];

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Channels of Lantern's default survey options: a buyer whose channel has an option may pick it. */
export const DEFAULT_OPTION_CHANNELS: readonly ChannelKey[] = DEFAULT_SURVEY_OPTIONS.flatMap((o) => (o.classification ? [o.classification.channel] : []));

/** Channels whose default option asks an optional follow-up question. */
export const DEFAULT_FOLLOW_UP_CHANNELS: readonly ChannelKey[] = DEFAULT_SURVEY_OPTIONS.flatMap((o) => (o.classification && o.followUp ? [o.classification.channel] : []));

/** `a.b[2].c` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out || "(top level)";
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path);
  if (issue.code === "invalid_type" && (issue as { input?: unknown }).input === undefined) return `${where}: missing (expected ${issue.expected})`;
  return `${where}: ${issue.message}`;
}

/** Validates a parsed scenario; throws an Error listing every problem with its JSON path. */
export function parseScenario(data: unknown, origin = "scenario"): Scenario {
  const parsed = scenarioSchema.safeParse(data, { reportInput: true });
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  - ${describeIssue(i)}`);
  throw new Error(`Invalid scenario ${origin}:\n${lines.join("\n")}`);
}

/** Reads and validates a scenario file. Errors name the file and each problem's JSON path. */
export function loadScenario(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`Cannot read scenario ${path}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`Scenario ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseScenario(data, path);
}

/** The file name without .json: how runs and results are named. */
export function scenarioLabel(path: string): string {
  return basename(path).replace(/\.json$/i, "");
}

/** Looks up a per-channel value. */
export function forChannel<T>(setting: { default: T; byChannel: Partial<Record<ChannelKey, T>> }, key: ChannelKey): T {
  return setting.byChannel[key] ?? setting.default;
}
