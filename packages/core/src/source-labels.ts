/**
 * How people write the apps and sites Lantern names by key. Sources are stored as normalised keys
 * ("imessage", "google_messages", "yahoo_mail": see normaliseSource) so they group and filter
 * reliably; reports show them the way their makers spell them ("iMessage", "Google Messages").
 *
 * Every source the classifiers can produce (referrer hosts, Android app referrers, in-app browsers,
 * preview fetchers, answer brands and people) has a label here; a test keeps it that way. A source a
 * user typed (a campaign's utm_source, a survey option's source) falls back to its own words: hosts
 * stay as they are, other keys get spaces for underscores and a capital letter.
 */
import { lookupTable } from "./lookup.ts";

const LABELS = lookupTable<string>({
  // Messaging.
  whatsapp: "WhatsApp", imessage: "iMessage", sms: "SMS", messenger: "Messenger", telegram: "Telegram",
  signal: "Signal", wechat: "WeChat", line: "LINE", viber: "Viber", kakaotalk: "KakaoTalk", snapchat: "Snapchat",
  google_messages: "Google Messages", skype: "Skype", element: "Element",
  // Work chat.
  slack: "Slack", teams: "Microsoft Teams", discord: "Discord", mattermost: "Mattermost", google_chat: "Google Chat",
  rocketchat: "Rocket.Chat", zulip: "Zulip", webex: "Webex", zoom: "Zoom",
  // Email apps and providers.
  gmail: "Gmail", outlook: "Outlook", yahoo_mail: "Yahoo Mail", proton_mail: "Proton Mail", icloud_mail: "iCloud Mail",
  aol_mail: "AOL Mail", fastmail: "Fastmail", gmx: "GMX", hey: "HEY", k9_mail: "K-9 Mail", mail_ru: "Mail.ru",
  naver_mail: "Naver Mail", qq_mail: "QQ Mail", samsung_email: "Samsung Email", thunderbird: "Thunderbird",
  tuta: "Tuta", web_de: "WEB.DE", yandex_mail: "Yandex Mail", zoho_mail: "Zoho Mail",
  personal_email: "Personal email", forward: "Forwarded email", email: "Email", newsletter: "Newsletter",
  mailchimp: "Mailchimp",
  // Social networks and communities.
  facebook: "Facebook", instagram: "Instagram", linkedin: "LinkedIn", x: "X (Twitter)", twitter: "X (Twitter)",
  reddit: "Reddit", youtube: "YouTube", tiktok: "TikTok", pinterest: "Pinterest", bluesky: "Bluesky",
  mastodon: "Mastodon", fediverse: "Fediverse", threads: "Threads", vk: "VK", tumblr: "Tumblr", quora: "Quora",
  xing: "XING", hacker_news: "Hacker News", hackernews: "Hacker News", producthunt: "Product Hunt",
  github: "GitHub", stackoverflow: "Stack Overflow", medium: "Medium", wikipedia: "Wikipedia",
  google_groups: "Google Groups", community: "Community", forum: "Forum",
  buffer: "Buffer", hootsuite: "Hootsuite", "dlvr.it": "dlvr.it",
  // Search.
  google: "Google", bing: "Bing", duckduckgo: "DuckDuckGo", yahoo: "Yahoo", yandex: "Yandex", baidu: "Baidu",
  naver: "Naver", ecosia: "Ecosia", brave: "Brave Search", startpage: "Startpage", kagi: "Kagi", qwant: "Qwant",
  // AI assistants.
  chatgpt: "ChatGPT", perplexity: "Perplexity", gemini: "Gemini", claude: "Claude", copilot: "Copilot",
  notebooklm: "NotebookLM", deepseek: "DeepSeek", grok: "Grok", mistral: "Mistral", meta_ai: "Meta AI",
  duck_ai: "Duck.ai", huggingchat: "HuggingChat", kimi: "Kimi", phind: "Phind", poe: "Poe", qwen: "Qwen", you: "You.com",
  // Documents shared by link.
  google_docs: "Google Docs", google_drive: "Google Drive",
  // Reviews, podcasts, events and offline.
  g2: "G2", capterra: "Capterra", trustpilot: "Trustpilot", app_store: "App Store",
  podcast: "Podcast", apple_podcasts: "Apple Podcasts", google_podcasts: "Google Podcasts", spotify: "Spotify",
  event: "Event", events: "Events", conference: "Conference", meetup: "Meetup", trade_show: "Trade show", webinar: "Webinar",
  qr: "QR code", print: "Print", tv: "TV", radio: "Radio", billboard: "Billboard",
  // People (word of mouth).
  friend: "Friend", colleague: "Colleague", family: "Family", in_person: "In person",
  // Placeholders the services use.
  shortener: "A link shortener", embedly: "Embedly", iframely: "Iframely", unknown: "Unknown app",
});

/** The keys that have a label of their own (for tests and pickers). */
export const LABELLED_SOURCES: readonly string[] = Object.keys(LABELS);

/** The display name of a source key: "imessage" -> "iMessage"; "example.com" stays; "spring_promo" -> "Spring promo". */
export function sourceLabel(source: string): string {
  const known = LABELS[source] ?? LABELS[source.toLowerCase()];
  if (known) return known;
  if (source.includes(".")) return source;
  const words = source.replace(/_+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : source;
}
