import { channelForSource, isChannelKey, isDarkChannel } from "../channels.ts";
import type { ArrivalRecord, ClickRecord, DarkReason, IdentityLink, LinkRecord, ResponseRecord, TouchEvidence, Touchpoint, TouchpointKind, VisitRecord } from "./types.ts";

/** Evidence without the fields nothing was known about: the stored paths stay small. */
function compact(evidence: TouchEvidence): TouchEvidence {
  const out = { rule: evidence.rule, darkReasons: evidence.darkReasons } as TouchEvidence;
  const into = out as unknown as Record<string, unknown>;
  const from = evidence as unknown as Record<string, unknown>;
  for (const k in from) {
    const v = from[k];
    if (v !== null && v !== undefined && k !== "rule" && k !== "darkReasons") into[k] = v;
  }
  return out;
}

/** Whether a channel key is dark. Channels are data, so the worker may pass the instance's own table. */
export type DarkTest = (channel: string) => boolean;

export const defaultIsDark: DarkTest = (channel) => isChannelKey(channel) && isDarkChannel(channel);

function appIsDark(app: string | null | undefined, isDark: DarkTest): boolean {
  const channel = channelForSource(app);
  return channel !== null && isDark(channel);
}

/** An in-app browser shows a private share when its app is a dark one, or when it decided the channel. */
function inAppIsEvidence(inApp: string | null, decidedChannel: boolean, isDark: DarkTest): boolean {
  return Boolean(inApp) && (decidedChannel || appIsDark(inApp, isDark));
}

/** What every software touchpoint (click, arrival, visit) carries: how it was tied, and its evidence without empty fields. */
function softwareTouchpoint(
  kind: Exclude<TouchpointKind, "self_report">,
  seen: { id: string; ts: number; channel: string; source: string | null; dark: boolean },
  via: IdentityLink,
  evidence: Omit<TouchEvidence, "link">,
): Touchpoint {
  const { id, ts, channel, source, dark } = seen;
  return { id, ts, channel, source, kind, dark, rule: `software:${via}`, evidence: compact({ link: via, ...evidence }) };
}

/**
 * A click as a touchpoint. Its channel is the one ingestion classified (observed evidence, else the
 * link's tag, else direct), with one addition: a click that would be "direct" but was preceded by a
 * messaging app drawing the link's preview gets that app's channel, because the preview fetch is
 * evidence of where the link was pasted.
 */
export function clickTouchpoint(click: ClickRecord, link: LinkRecord | undefined, via: IdentityLink, isDark: DarkTest = defaultIsDark): Touchpoint {
  let channel = click.channel;
  let source = click.source;
  let rule = click.rule;
  const unfurlChannel = channelForSource(click.unfurlApp);
  const unfurlDark = unfurlChannel !== null && isDark(unfurlChannel);
  if (channel === "direct" && unfurlDark) {
    channel = unfurlChannel;
    source = click.unfurlApp;
    rule = "unfurl_before_click";
  }
  const dark = isDark(channel);
  const reasons: DarkReason[] = [];
  if (dark) {
    const tagged = link?.channel ?? channelForSource(link?.source);
    if (tagged && isDark(tagged)) reasons.push("dark_tagged_link");
    if (inAppIsEvidence(click.inApp, click.rule === "in_app", isDark)) reasons.push("messaging_in_app_browser");
    if (unfurlDark) reasons.push("messaging_unfurl_before_click");
    // The referrer or the campaign parameters of the click itself named a private channel.
    if (click.rule === "referrer" || click.rule === "campaign" || reasons.length === 0) reasons.push("dark_referrer");
  }
  return softwareTouchpoint("click", { id: click.id, ts: click.ts, channel, source, dark }, via, {
    rule,
    linkId: click.linkId,
    linkChannel: link?.channel ?? null,
    linkSource: link?.source ?? null,
    campaign: link?.campaign ?? null,
    referrerHost: click.referrerHost,
    inApp: click.inApp,
    unfurlApp: click.unfurlApp,
    darkReasons: sortReasons(reasons),
  });
}

/**
 * An arrival (a visitor opening a URL that carried someone's share token) as a touchpoint. Ingestion
 * already decided its channel and whether it is a copy-paste share (token, no referrer): dark.
 */
export function arrivalTouchpoint(arrival: ArrivalRecord, link: LinkRecord | undefined, via: IdentityLink, isDark: DarkTest = defaultIsDark): Touchpoint {
  const dark = arrival.dark || isDark(arrival.channel);
  const reasons: DarkReason[] = [];
  if (dark) {
    const noReferrer = arrival.rule.includes("no_referrer") || arrival.rule.includes("copy_paste") || !arrival.referrerHost;
    if (inAppIsEvidence(arrival.inApp, arrival.rule.startsWith("in_app"), isDark)) reasons.push("messaging_in_app_browser");
    if (arrival.dark && noReferrer) reasons.push("copy_paste_arrival");
    if (reasons.length === 0) reasons.push("dark_referrer");
  }
  return softwareTouchpoint("arrival", { id: arrival.id, ts: arrival.ts, channel: arrival.channel, source: arrival.source, dark }, via, {
    rule: arrival.rule,
    linkId: arrival.linkId,
    linkChannel: link?.channel ?? null,
    linkSource: link?.source ?? null,
    campaign: link?.campaign ?? null,
    referrerHost: arrival.referrerHost,
    inApp: arrival.inApp,
    visitorId: arrival.visitorId,
    shareToken: arrival.shareToken,
    generation: arrival.generation,
    darkReasons: sortReasons(reasons),
  });
}

/**
 * An untagged visit (ingestion stored only those that named where they came from) as a touchpoint. Dark
 * when its channel is: inside a messaging app's browser (which then decided its channel), or a referrer or
 * campaign parameters naming a private channel (app.slack.com, a webmail without UTMs, utm_source=whatsapp).
 */
export function visitTouchpoint(visit: VisitRecord, via: IdentityLink, isDark: DarkTest = defaultIsDark): Touchpoint {
  const dark = isDark(visit.channel);
  const byInApp = visit.rule === "visit:in_app";
  const reasons: DarkReason[] = [];
  if (dark) {
    if (inAppIsEvidence(visit.inApp, byInApp, isDark)) reasons.push("messaging_in_app_browser");
    if (!byInApp || reasons.length === 0) reasons.push("dark_referrer");
  }
  return softwareTouchpoint("visit", { id: visit.id, ts: visit.ts, channel: visit.channel, source: visit.source, dark }, via, {
    rule: visit.rule,
    referrerHost: visit.referrerHost,
    inApp: visit.inApp,
    visitorId: visit.visitorId,
    darkReasons: sortReasons(reasons),
  });
}

/** An answer that names no channel ("I don't remember", text no rule could place) is no self-report. */
export function answerChannel(response: ResponseRecord): string | null {
  const c = response.channel;
  return c && c !== "unclassified" ? c : null;
}

/** The self-report as one more touchpoint, placed at conversion time (null when the answer names no channel). */
export function selfReportTouchpoint(response: ResponseRecord, conversionTs: number, isDark: DarkTest = defaultIsDark): Touchpoint | null {
  const channel = answerChannel(response);
  if (channel === null) return null;
  const dark = isDark(channel);
  return {
    id: response.id,
    ts: conversionTs,
    channel,
    source: response.source,
    kind: "self_report",
    dark,
    rule: selfReportRule(response),
    evidence: compact({
      rule: response.rule,
      optionId: response.optionId,
      confidence: response.confidence,
      darkReasons: dark ? ["dark_self_report"] : [],
    }),
  };
}

export function selfReportRule(response: ResponseRecord): string {
  return answerChannel(response) === null ? "self_report:unclassified" : `self_report:${response.rule}`;
}

const REASON_ORDER: Record<DarkReason, number> = {
  dark_self_report: 0,
  dark_tagged_link: 1,
  messaging_in_app_browser: 2,
  copy_paste_arrival: 3,
  messaging_unfurl_before_click: 4,
  dark_referrer: 5,
};

/** Distinct reasons in canonical order. */
export function sortReasons(reasons: Iterable<DarkReason>): DarkReason[] {
  return [...new Set(reasons)].sort((a, b) => REASON_ORDER[a] - REASON_ORDER[b]);
}
