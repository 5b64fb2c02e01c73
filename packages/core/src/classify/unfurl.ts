/**
 * Link-preview ("unfurl") fetchers: the request a messaging or social app makes when a link is
 * pasted into it, to draw the preview card. It tells us WHERE the link was shared; it is never a
 * click. Other shorteners throw these away as bot noise; Lantern records them.
 *
 * Sources for the strings below (checked against public code, logs and vendor docs):
 * - Slack: "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "Slack-ImgProxy (+https://api.slack.com/robots)",
 *   "Slackbot 1.0 (+https://api.slack.com/robots)" (api.slack.com/robots; seen in many server logs).
 * - WhatsApp: "WhatsApp/2.23.20.0 A" (A = Android, i = iOS, W = desktop). The sender's phone fetches the preview.
 * - Signal: its apps send exactly "WhatsApp/2" (Signal-Desktop ts/linkPreviews/linkPreviewFetch.ts and
 *   Signal-Android LinkPreviewRepository both set USER_AGENT = "WhatsApp/2"), so the bare token is Signal, not WhatsApp.
 * - iMessage: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) ... Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0"
 *   (Apple spoofs the Facebook and Twitter crawlers; see danbooru's user_agent.rb and StackOverflow 41499402).
 *   It must be tested BEFORE facebook and x, or it would be counted as one of them.
 * - LINE: "facebookexternalhit/1.1;line-poker/1.0"; KakaoTalk: "facebookexternalhit/1.1; kakaotalk-scrap/1.0; +https://devtalk.kakao.com/...".
 *   Both also carry the Facebook token, so they are tested before facebook too.
 * - Telegram "TelegramBot (like TwitterBot)", Discord "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
 *   LinkedIn "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)", X "Twitterbot/1.0".
 * - Teams / Skype: "MicrosoftPreview/2.0 +https://aka.ms/MicrosoftPreview" (Bing crawler docs: "generates page snapshots
 *   for Microsoft products", Teams among them) and "SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com".
 * - Viber: "Viber/20.9.0.8 CFNetwork/1410.0.3 Darwin/22.6.0" (the app's own network stack, not a browser).
 * - Snapchat: "Snap URL Preview Service; bot; snapchat; https://developers.snap.com/robots".
 * - Bluesky: "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)" (cardyb.bsky.app).
 * - Mastodon: "http.rb/5.1.1 (Mastodon/4.2.1; +https://mastodon.social/)" (each instance fetches for itself).
 * - VK "Mozilla/5.0 (compatible; vkShare; +http://vk.com/dev/Share)", Pinterest "Pinterest/0.2 (+http://www.pinterest.com/bot.html)"
 *   and "Pinterestbot/1.0", Reddit "Mozilla/5.0 (compatible; redditbot/1.0; +http://www.reddit.com/feedback)".
 * - Mattermost: servers send "Mattermost-Bot/1.1" for every outgoing request, OpenGraph fetches included
 *   (mattermost-server services/httpservice defaultUserAgent).
 * - Google Messages: "GoogleMessages" (Google's user-triggered fetcher list, 2026) and, earlier,
 *   "Mozilla/5.0 Google-PageRenderer Google (+https://developers.google.com/+/web/snippet/)" (Odoo's link tracker
 *   tests name it the Google Messages preview agent).
 * - Google Chat: Google documents no dedicated token; third-party guides report "Google-Chat". We match
 *   "Google-Chat"/"GoogleChat" and otherwise rely on the generic rule below. Unverified: say so in reports.
 * - Embedly, Iframely, Quora Link Preview, Misskey's SummalyBot and other fediverse servers: preview services.
 * - Not detectable here: Zoom chat (no documented token) and apps that build previews on the recipient's device
 *   with a plain browser UA. Signal is detectable only through its "WhatsApp/2" token.
 *
 * Anything else that says it fetches previews ("preview", "unfurl", "link expander", "embed", "snippet",
 * OpenGraph readers) is an unfurl from app "unknown", except search-engine page-preview crawlers.
 */
import type { ChannelKey } from "../channels.ts";
import { lookupTable } from "../lookup.ts";

export interface UnfurlRule {
  app: string;
  pattern: RegExp;
}

/** Ordered: the first match wins, so composite UAs (iMessage, LINE, KakaoTalk) come before the tokens they contain. */
export const UNFURL_RULES: readonly UnfurlRule[] = [
  { app: "imessage", pattern: /facebookexternalhit\/1\.1 Facebot Twitterbot\/1\.0/i },
  { app: "line", pattern: /line-poker/i },
  { app: "kakaotalk", pattern: /kakaotalk-scrap|kakaostory-og-reader/i },
  { app: "signal", pattern: /^WhatsApp\/2$/ },
  { app: "whatsapp", pattern: /^WhatsApp\/\d/i },
  { app: "slack", pattern: /Slackbot-LinkExpanding|Slack-ImgProxy|\bSlackbot\b/i },
  { app: "telegram", pattern: /TelegramBot/i },
  { app: "discord", pattern: /Discordbot/i },
  { app: "linkedin", pattern: /LinkedInBot/i },
  { app: "facebook", pattern: /facebookexternalhit|\bFacebot\b/i },
  { app: "x", pattern: /Twitterbot/i },
  { app: "teams", pattern: /MicrosoftPreview|SkypeUriPreview/i },
  { app: "viber", pattern: /^Viber\//i },
  { app: "snapchat", pattern: /Snap URL Preview/i },
  { app: "bluesky", pattern: /Cardyb/i },
  { app: "mastodon", pattern: /\bMastodon\/\d/i },
  { app: "fediverse", pattern: /\b(?:Pleroma|Akkoma|Misskey|SummalyBot|GoToSocial|Friendica)\b/i },
  { app: "vk", pattern: /vkShare/i },
  { app: "pinterest", pattern: /Pinterestbot|^Pinterest\/0\./i },
  { app: "reddit", pattern: /redditbot/i },
  { app: "mattermost", pattern: /Mattermost-Bot|^mattermost-\d/i },
  { app: "google_messages", pattern: /GoogleMessages|Google-PageRenderer/i },
  { app: "google_chat", pattern: /Google-?Chat\b/i },
  { app: "quora", pattern: /Quora Link Preview/i },
  { app: "embedly", pattern: /Embedly/i },
  { app: "iframely", pattern: /Iframely/i },
];

/** Crawlers whose name contains "preview" but which draw search-result snapshots, not shared-link cards. */
const NOT_SHARE_PREVIEWS = /BingPreview|Google Web Preview|Google-InspectionTool|Chrome-Lighthouse|PageSpeed|Google-Structured-Data/i;

/** Words with which a fetcher says it draws link previews. Word-bounded so "Embedded" or "Preview" in a browser build do not count. */
const GENERIC_PREVIEWER =
  /preview(?:bot|er)?\b|\b(?:unfurl|link[ _-]?expand|embed(?:bot|ly)?\b|snippet[ _-]?(?:bot|fetcher)|open[ _-]?graph|og[:_-]?(?:reader|scraper|fetcher|image)|metainspector)/i;

/**
 * A complete browser or Electron UA with no bot marker: the generic word rule must not fire on it
 * ("MicrosoftTeams-Preview/1.5 ... Electron/10.4.7" is the Teams desktop client, not a previewer).
 */
const BROWSER_ENGINE = /AppleWebKit\/[\d.]+ \(KHTML, like Gecko\)|Gecko\/\d+ Firefox\//;
const BOT_MARKER = /\b(?:bot|compatible|crawler|spider|fetcher)\b|\+https?:\/\//i;
function isPlainBrowser(ua: string): boolean {
  return BROWSER_ENGINE.test(ua) && !BOT_MARKER.test(ua);
}

export const UNFURL_APPS: readonly string[] = [...new Set(UNFURL_RULES.map((r) => r.app)), "unknown"];

/**
 * The channel a preview points to: a WhatsApp preview means the link was pasted into WhatsApp.
 * null where the fetcher is a service used by many sites (Embedly, Iframely) or unknown.
 */
export const UNFURL_APP_CHANNEL = lookupTable<ChannelKey | null>({
  imessage: "messaging", whatsapp: "messaging", signal: "messaging", telegram: "messaging", line: "messaging",
  kakaotalk: "messaging", viber: "messaging", snapchat: "messaging", google_messages: "messaging",
  slack: "workchat", teams: "workchat", discord: "workchat", mattermost: "workchat", google_chat: "workchat",
  facebook: "social", linkedin: "social", x: "social", bluesky: "social", mastodon: "social", fediverse: "social",
  vk: "social", pinterest: "social", reddit: "social", quora: "social",
  embedly: null, iframely: null, unknown: null,
});

/** The app whose preview fetcher sent this user agent, "unknown" for an unnamed previewer, else null. */
export function detectUnfurlApp(ua: string | null | undefined): string | null {
  if (typeof ua !== "string") return null;
  const text = ua.trim();
  if (text === "") return null;
  for (const rule of UNFURL_RULES) {
    if (rule.pattern.test(text)) return rule.app;
  }
  if (GENERIC_PREVIEWER.test(text) && !NOT_SHARE_PREVIEWS.test(text) && !isPlainBrowser(text)) return "unknown";
  return null;
}
