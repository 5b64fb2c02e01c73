/**
 * Lantern's own referrer rules, checked before @tryghost/referrer-parser. They exist for three reasons:
 * 1. Dark channels the library files under "social" or does not know: web messaging and work-chat apps
 *    (web.whatsapp.com, web.telegram.org, app.slack.com, teams.microsoft.com, discord.com, messenger.com)
 *    and direct-message paths of social sites (linkedin.com/messaging, x.com/messages, instagram.com/direct).
 * 2. AI assistants (chatgpt.com, perplexity.ai, gemini.google.com, claude.ai, copilot), which the library lacks.
 * 3. Source keys that match Lantern's taxonomy (x, not "Twitter"; gmail, not "Gmail").
 *
 * Webmail is `personal_email` here. A webmail referrer on a link carrying UTMs (or tagged as an email
 * campaign) is re-read as `email` by click.ts: the UTM says a campaign sent it; without one, a person
 * forwarded or wrote it, which is dark social.
 *
 * A host rule covers the host's subdomains ("teams.microsoft.com" covers "foo.teams.microsoft.com").
 * A rule with `path` applies when the referrer's path starts with it; browsers usually send only the
 * origin across sites, so path rules fire only when a site sends its full URL.
 * `channel: null` marks a redirector/shortener: its host says nothing about where the click happened.
 */
import type { ChannelKey } from "../channels.ts";
import { lookupTable } from "../lookup.ts";

export interface HostRule {
  host: string;
  path?: string;
  channel: ChannelKey | null;
  source: string;
}

const rules = (channel: ChannelKey | null, source: string, ...hosts: string[]): HostRule[] =>
  hosts.map((host) => ({ host, channel, source }));

const pathRule = (host: string, path: string, channel: ChannelKey, source: string): HostRule => ({ host, path, channel, source });

export const HOST_RULES: readonly HostRule[] = [
  // AI assistants.
  ...rules("ai_assistant", "chatgpt", "chatgpt.com", "chat.openai.com"),
  ...rules("ai_assistant", "perplexity", "perplexity.ai"),
  ...rules("ai_assistant", "gemini", "gemini.google.com", "bard.google.com", "aistudio.google.com"),
  ...rules("ai_assistant", "notebooklm", "notebooklm.google.com"),
  ...rules("ai_assistant", "claude", "claude.ai"),
  ...rules("ai_assistant", "copilot", "copilot.microsoft.com", "copilot.cloud.microsoft", "edgeservices.bing.com", "m365.cloud.microsoft"),
  pathRule("bing.com", "/chat", "ai_assistant", "copilot"),
  ...rules("ai_assistant", "mistral", "chat.mistral.ai"),
  ...rules("ai_assistant", "deepseek", "chat.deepseek.com"),
  ...rules("ai_assistant", "grok", "grok.com"),
  pathRule("x.com", "/i/grok", "ai_assistant", "grok"),
  ...rules("ai_assistant", "meta_ai", "meta.ai"),
  ...rules("ai_assistant", "you", "you.com"),
  ...rules("ai_assistant", "phind", "phind.com"),
  ...rules("ai_assistant", "poe", "poe.com"),
  ...rules("ai_assistant", "duck_ai", "duck.ai"),
  ...rules("ai_assistant", "kimi", "kimi.com", "kimi.moonshot.cn"),
  ...rules("ai_assistant", "qwen", "chat.qwen.ai"),
  pathRule("huggingface.co", "/chat", "ai_assistant", "huggingchat"),

  // Work chat (dark). Google Chat lives at mail.google.com/chat too, so that path rule precedes Gmail.
  ...rules("workchat", "slack", "slack.com", "slack-redir.net"),
  ...rules("workchat", "teams", "teams.microsoft.com", "teams.live.com", "teams.cloud.microsoft"),
  ...rules("workchat", "discord", "discord.com", "discordapp.com", "discord.gg"),
  ...rules("workchat", "google_chat", "chat.google.com"),
  pathRule("mail.google.com", "/chat", "workchat", "google_chat"),
  ...rules("workchat", "zulip", "zulipchat.com"),
  ...rules("workchat", "webex", "teams.webex.com", "web.webex.com"),
  ...rules("workchat", "zoom", "app.zoom.us"),
  ...rules("workchat", "rocketchat", "open.rocket.chat"),

  // Messaging (dark), including the direct-message parts of social sites.
  ...rules("messaging", "whatsapp", "web.whatsapp.com", "wa.me", "api.whatsapp.com", "chat.whatsapp.com"),
  ...rules("messaging", "telegram", "web.telegram.org", "t.me", "telegram.me"),
  ...rules("messaging", "messenger", "messenger.com", "m.me"),
  pathRule("facebook.com", "/messages", "messaging", "messenger"),
  ...rules("messaging", "signal", "signal.me"),
  ...rules("messaging", "skype", "web.skype.com"),
  ...rules("messaging", "wechat", "web.wechat.com", "wx.qq.com"),
  ...rules("messaging", "line", "line.me"),
  ...rules("messaging", "snapchat", "web.snapchat.com"),
  ...rules("messaging", "element", "app.element.io", "matrix.to"),
  pathRule("linkedin.com", "/messaging", "messaging", "linkedin"),
  pathRule("x.com", "/messages", "messaging", "x"),
  pathRule("twitter.com", "/messages", "messaging", "x"),
  pathRule("instagram.com", "/direct", "messaging", "instagram"),
  pathRule("vk.com", "/im", "messaging", "vk"),

  // Private communities (dark).
  ...rules("community", "google_groups", "groups.google.com"),
  pathRule("facebook.com", "/groups", "community", "facebook"),

  // Webmail: personal_email unless the click carries campaign evidence (see click.ts).
  ...rules("personal_email", "gmail", "mail.google.com", "inbox.google.com"),
  ...rules("personal_email", "outlook", "outlook.live.com", "outlook.office.com", "outlook.office365.com", "outlook.cloud.microsoft", "mail.live.com"),
  ...rules("personal_email", "yahoo_mail", "mail.yahoo.com", "mail.yahoo.co.jp", "mail.yahoo.co.uk", "mail.yahoo.net"),
  ...rules("personal_email", "aol_mail", "mail.aol.com"),
  ...rules("personal_email", "proton_mail", "mail.proton.me", "mail.protonmail.com"),
  ...rules("personal_email", "fastmail", "app.fastmail.com", "fastmail.com"),
  ...rules("personal_email", "zoho_mail", "mail.zoho.com", "mail.zoho.eu", "mail.zoho.in"),
  pathRule("icloud.com", "/mail", "personal_email", "icloud_mail"),
  ...rules("personal_email", "yandex_mail", "mail.yandex.ru", "mail.yandex.com"),
  ...rules("personal_email", "mail_ru", "e.mail.ru", "touch.mail.ru"),
  ...rules("personal_email", "gmx", "gmx.net", "gmx.com", "gmx.de"),
  ...rules("personal_email", "web_de", "web.de"),
  ...rules("personal_email", "tuta", "app.tuta.com", "mail.tutanota.com"),
  ...rules("personal_email", "hey", "app.hey.com"),
  ...rules("personal_email", "qq_mail", "mail.qq.com"),
  ...rules("personal_email", "naver_mail", "mail.naver.com"),

  // Social feeds.
  ...rules("social", "x", "x.com", "twitter.com", "t.co"),
  ...rules("social", "linkedin", "linkedin.com", "lnkd.in"),
  ...rules("social", "facebook", "facebook.com", "fb.com", "fb.me"),
  ...rules("social", "instagram", "instagram.com"),
  ...rules("social", "threads", "threads.net", "threads.com"),
  ...rules("social", "reddit", "reddit.com", "redd.it"),
  ...rules("social", "youtube", "youtube.com", "youtu.be"),
  ...rules("social", "tiktok", "tiktok.com"),
  ...rules("social", "pinterest", "pinterest.com", "pin.it", "pinterest.co.uk", "pinterest.de", "pinterest.fr", "pinterest.ca", "pinterest.com.au"),
  ...rules("social", "bluesky", "bsky.app"),
  ...rules("social", "mastodon", "mastodon.social", "mastodon.online", "mstdn.social", "mas.to", "fosstodon.org"),
  ...rules("social", "hacker_news", "news.ycombinator.com"),
  ...rules("social", "vk", "vk.com", "vk.ru"),
  ...rules("social", "quora", "quora.com"),
  ...rules("social", "tumblr", "tumblr.com", "t.umblr.com"),
  // Social scheduling tools' short links: posted on some social feed.
  ...rules("social", "hootsuite", "ow.ly"),
  ...rules("social", "buffer", "buff.ly"),
  ...rules("social", "dlvr.it", "dlvr.it"),

  // Search engines the library misses.
  ...rules("organic_search", "ecosia", "ecosia.org"),
  ...rules("organic_search", "startpage", "startpage.com"),
  ...rules("organic_search", "kagi", "kagi.com"),
  ...rules("organic_search", "brave", "search.brave.com"),

  // Google properties that are not search.
  ...rules("referral", "google_docs", "docs.google.com"),
  ...rules("referral", "google_drive", "drive.google.com"),

  // Generic shorteners and redirectors: no information about the click's origin.
  ...rules(null, "shortener", "bit.ly", "bitly.com", "tinyurl.com", "goo.gl", "is.gd", "v.gd", "t.ly", "cutt.ly", "rebrand.ly",
    "short.io", "dub.sh", "dub.co", "shorturl.at", "rb.gy", "tiny.cc", "s.id", "bl.ink", "trib.al", "spoo.me", "kutt.it"),
];

/**
 * Android apps open links in Chrome Custom Tabs, which send "android-app://<package>/" as the referrer.
 * That is the clearest dark-social evidence there is: the person tapped the link inside that app.
 * Package names lower-cased (Slack's is "com.Slack").
 */
export const ANDROID_APP_RULES = lookupTable<{ channel: ChannelKey; source: string }>({
  "com.whatsapp": { channel: "messaging", source: "whatsapp" },
  "com.whatsapp.w4b": { channel: "messaging", source: "whatsapp" },
  "org.telegram.messenger": { channel: "messaging", source: "telegram" },
  "org.thunderdog.challegram": { channel: "messaging", source: "telegram" },
  "org.thoughtcrime.securesms": { channel: "messaging", source: "signal" },
  "com.facebook.orca": { channel: "messaging", source: "messenger" },
  "com.facebook.mlite": { channel: "messaging", source: "messenger" },
  "jp.naver.line.android": { channel: "messaging", source: "line" },
  "com.viber.voip": { channel: "messaging", source: "viber" },
  "com.tencent.mm": { channel: "messaging", source: "wechat" },
  "com.kakao.talk": { channel: "messaging", source: "kakaotalk" },
  "com.snapchat.android": { channel: "messaging", source: "snapchat" },
  "com.google.android.apps.messaging": { channel: "messaging", source: "sms" },
  "com.samsung.android.messaging": { channel: "messaging", source: "sms" },
  "com.slack": { channel: "workchat", source: "slack" },
  "com.microsoft.teams": { channel: "workchat", source: "teams" },
  "com.discord": { channel: "workchat", source: "discord" },
  "com.google.android.apps.dynamite": { channel: "workchat", source: "google_chat" },
  "com.mattermost.rn": { channel: "workchat", source: "mattermost" },
  "com.google.android.gm": { channel: "personal_email", source: "gmail" },
  "com.microsoft.office.outlook": { channel: "personal_email", source: "outlook" },
  "com.yahoo.mobile.client.android.mail": { channel: "personal_email", source: "yahoo_mail" },
  "ch.protonmail.android": { channel: "personal_email", source: "proton_mail" },
  "com.fsck.k9": { channel: "personal_email", source: "k9_mail" },
  "net.thunderbird.android": { channel: "personal_email", source: "thunderbird" },
  "com.samsung.android.email.provider": { channel: "personal_email", source: "samsung_email" },
  "com.facebook.katana": { channel: "social", source: "facebook" },
  "com.facebook.lite": { channel: "social", source: "facebook" },
  "com.instagram.android": { channel: "social", source: "instagram" },
  "com.instagram.barcelona": { channel: "social", source: "threads" },
  "com.linkedin.android": { channel: "social", source: "linkedin" },
  "com.twitter.android": { channel: "social", source: "x" },
  "com.reddit.frontpage": { channel: "social", source: "reddit" },
  "com.zhiliaoapp.musically": { channel: "social", source: "tiktok" },
  "com.ss.android.ugc.trill": { channel: "social", source: "tiktok" },
  "com.pinterest": { channel: "social", source: "pinterest" },
  "com.google.android.youtube": { channel: "social", source: "youtube" },
  "xyz.blueskyweb.app": { channel: "social", source: "bluesky" },
  "org.joinmastodon.android": { channel: "social", source: "mastodon" },
  "com.google.android.googlequicksearchbox": { channel: "organic_search", source: "google" },
  "com.openai.chatgpt": { channel: "ai_assistant", source: "chatgpt" },
  "ai.perplexity.app.android": { channel: "ai_assistant", source: "perplexity" },
  "com.google.android.apps.bard": { channel: "ai_assistant", source: "gemini" },
  "com.anthropic.claude": { channel: "ai_assistant", source: "claude" },
  "com.microsoft.copilot": { channel: "ai_assistant", source: "copilot" },
});
