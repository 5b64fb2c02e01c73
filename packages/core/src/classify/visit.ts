/**
 * The channel of an untagged visit: a page view of the site that carries no Lantern tag (no `lcid`, no one
 * else's share token), reported by the tracker once per session and whenever the visitor comes back from
 * another site. It is classified like a click on an untagged link, with one difference:
 *
 * 1. "visit:in_app": the in-app browser of a messaging or work-chat app (WhatsApp, Messenger, Slack's desktop
 *    client, ...) wins over everything: the page was opened inside a private chat. Dark.
 * 2. Otherwise as a click (click.ts) without a link tag: "visit:referrer" (the referrer, with its refinements:
 *    a webmail referrer is a forwarded email unless the page carries campaign parameters, a paid click id
 *    beats a search referrer), "visit:campaign" (UTMs and click ids on the page's URL, no referrer),
 *    "visit:in_app" (a social app's or the Google app's browser, no referrer), "visit:direct".
 *
 * A referrer under `ownHosts` is internal navigation and says nothing. A visit that says nothing (rule
 * "visit:direct") is not worth storing: it is what every session without a referrer looks like.
 */
import { type ChannelKey, isDarkChannel } from "../channels.ts";
import { classifyClick } from "./click.ts";
import { IN_APP_CHANNEL, inAppSource } from "./in-app.ts";

export interface VisitInput {
  referrer: string | null;
  /** The visited URL; its campaign parameters count like a click's. */
  page: string | null;
  userAgent: string | null;
}

export interface VisitClassification {
  channel: ChannelKey;
  source: string | null;
  rule: string;
  referrerHost: string | null;
  inApp: string | null;
  dark: boolean;
}

/** The query parameters of a page URL (absolute or site-relative); none when it does not parse. */
function pageQuery(page: string | null): Record<string, string> {
  if (!page) return {};
  try {
    return Object.fromEntries(new URL(page, "https://site.invalid").searchParams);
  } catch {
    return {};
  }
}

export function classifyVisit(input: VisitInput, ownHosts: readonly string[] = []): VisitClassification {
  const c = classifyClick({ userAgent: input.userAgent, referer: input.referrer, query: pageQuery(input.page), linkChannel: null, linkSource: null, ownHosts: [...ownHosts] });
  const appChannel = c.inApp ? IN_APP_CHANNEL[c.inApp] : undefined;
  if (c.inApp && appChannel && isDarkChannel(appChannel)) {
    return { channel: appChannel, source: inAppSource(c.inApp), rule: "visit:in_app", referrerHost: c.referrerHost, inApp: c.inApp, dark: true };
  }
  return { channel: c.channel, source: c.source, rule: `visit:${c.rule}`, referrerHost: c.referrerHost, inApp: c.inApp, dark: isDarkChannel(c.channel) };
}

/** Whether a visit says where the visitor came from (only those are stored). */
export const visitSaysSomething = (c: Pick<VisitClassification, "channel">): boolean => c.channel !== "direct";
