/**
 * In-app browsers: the web view an app opens when a person taps a link inside it. The app adds its
 * own token to the browser's user agent, which tells us where the click happened even when there is
 * no referrer (the usual case for messaging apps: dark social).
 *
 * Sources (real strings in the test fixtures, test/fixtures/browsers.ts):
 * - WhatsApp: iOS "... Safari/604.1 [WAiOS/2.25.31]", Android "... Mobile Safari/537.36 [WA4A/2.25.32.75;]"
 *   (inapp-spy's fixtures; WhatsApp for Android builds " [WA4A/<version>;]" onto the WebView UA).
 * - Facebook: iOS "[FBAN/FBIOS;FBAV/...]", Android "[FB_IAB/FB4A;FBAV/...]", newer iOS "... MetaIAB Facebook".
 * - Messenger: iOS "FBAN/MessengerForiOS" (also MessengerLiteForiOS), Android "[FB_IAB/Orca-Android;...]" or
 *   the older "FB_IAB/MESSENGER". Checked before Facebook, whose tokens Messenger's UA also carries.
 * - Instagram "Instagram 354.0.0.29.90 (iPhone12,8; ...)", Threads "Barcelona 355.0.0.39.109 Android (...)".
 * - LinkedIn "[LinkedInApp]/9.30.1753", LINE "Line/7.4.0/IAB", WeChat "MicroMessenger/6.5.8",
 *   TikTok "musical_ly_33.2.1 ... BytedanceWebview/d8a21c6", Snapchat "Snapchat/12.72.0.39 (like Safari/...)",
 *   X "Twitter for iPhone" / "TwitterAndroid", Reddit "Reddit/Version 2024.41.0/Build 2102450/Android 14",
 *   Pinterest "[Pinterest/iOS]" / "[Pinterest/Android]", Google app "GSA/334.0.674067880", KakaoTalk "KAKAOTALK 10.4.5",
 *   Telegram for Android "Telegram-Android/11.4.2 (Xiaomi M2004J19C; Android 11; SDK 30; AVERAGE)".
 * - Desktop chat clients (Electron): "Slack/4.41.105 Electron/... Slack_SSB/4.41.105", "Teams/1.5.00... Electron/...",
 *   "discord/1.0.9 ... Electron/...". A page load with these came from inside the app.
 * - Not identifiable: Telegram on iOS, Slack/Teams/Discord on phones and Gmail open links in
 *   SFSafariViewController or Chrome Custom Tabs, which send the plain browser UA. (On Android, Custom Tabs
 *   send an android-app:// referrer instead: see referrer.ts.)
 *
 * We evaluated the `inapp-spy` package (MIT): its UA rules are a dozen regexes like these, it has no
 * WhatsApp/Telegram-Android/KakaoTalk/desktop-client tokens in its app names, and its extra value is
 * client-side window probing (Telegram iOS, SFSafariViewController) that a server cannot do. We do not use it.
 */
import type { ChannelKey } from "../channels.ts";
import { lookupTable } from "../lookup.ts";

interface InAppRule {
  app: string;
  pattern: RegExp;
}

/** Ordered: Messenger, Instagram and Threads carry Facebook tokens, so they come before Facebook. */
const IN_APP_RULES: readonly InAppRule[] = [
  { app: "whatsapp", pattern: /\b(?:WAiOS|WA4A)\/|\bWhatsApp\/\d/ },
  { app: "messenger", pattern: /FBAN\/Messenger|FB_IAB\/(?:MESSENGER|Orca-Android)|MetaIAB Messenger/i },
  { app: "instagram", pattern: /\bInstagram[ /]\d|MetaIAB Instagram/i },
  { app: "threads", pattern: /\bBarcelona \d|MetaIAB Threads/i },
  { app: "facebook", pattern: /FBAN\/|FBAV\/|FB_IAB\/|FBIOS|MetaIAB Facebook/i },
  { app: "linkedin", pattern: /LinkedInApp/i },
  { app: "line", pattern: /\bLine\/\d/i },
  { app: "wechat", pattern: /MicroMessenger\//i },
  { app: "tiktok", pattern: /musical_ly|BytedanceWebview|\bTikTok[ /]\d/i },
  { app: "snapchat", pattern: /\bSnapchat\/\d/i },
  { app: "x", pattern: /Twitter for iP(?:hone|ad)|TwitterAndroid/i },
  { app: "reddit", pattern: /\bReddit\//i },
  { app: "pinterest", pattern: /\[Pinterest\/(?:iOS|Android)\]/i },
  { app: "kakaotalk", pattern: /KAKAOTALK[ /]?\d/i },
  { app: "telegram", pattern: /Telegram-(?:Android|iOS)\/\d/i },
  { app: "viber", pattern: /\bViber\/\d/i },
  { app: "slack", pattern: /Slack_SSB\/|\bSlack\/\d[^ ]* .*Electron\//i },
  { app: "teams", pattern: /\b(?:Microsoft)?Teams(?:-Preview)?\/\d[^ ]* .*Electron\//i },
  { app: "discord", pattern: /\bdiscord\/\d[^ ]* .*Electron\//i },
  { app: "google_app", pattern: /\bGSA\/\d/ },
];

/**
 * The channel a click from each in-app browser belongs to. Messaging and work-chat apps are dark
 * social: the link reached the person privately. Social apps are public feeds (their private DMs open
 * the same web view, which the UA cannot tell apart). The Google app is search and Discover.
 */
export const IN_APP_CHANNEL = lookupTable<ChannelKey>({
  whatsapp: "messaging", messenger: "messaging", wechat: "messaging", line: "messaging", kakaotalk: "messaging",
  telegram: "messaging", viber: "messaging", snapchat: "messaging",
  slack: "workchat", teams: "workchat", discord: "workchat",
  facebook: "social", instagram: "social", threads: "social", linkedin: "social", tiktok: "social", x: "social",
  reddit: "social", pinterest: "social",
  google_app: "organic_search",
});

/** The classification source for an in-app app key ("google_app" is Google). */
export function inAppSource(app: string): string {
  return app === "google_app" ? "google" : app;
}

/** Browsers (and web views) announce themselves as "Mozilla/5.0 ..."; previewers and app HTTP stacks do not. */
const WEB_VIEW = /^Mozilla\/5\.0/i;

/** The app whose in-app browser sent this user agent, or null. */
export function detectInAppBrowser(ua: string | null | undefined): string | null {
  if (typeof ua !== "string") return null;
  const text = ua.trim();
  if (!WEB_VIEW.test(text)) return null;
  for (const rule of IN_APP_RULES) {
    if (rule.pattern.test(text)) return rule.app;
  }
  return null;
}
