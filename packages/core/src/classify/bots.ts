/**
 * Bots: crawlers, uptime monitors, link scanners and scripts. A bot hit is still redirected and
 * recorded, but it is never a click. Link-preview fetchers are NOT decided here: `request.ts`
 * checks `detectUnfurlApp` first, because isbot flags most previewers as bots too.
 *
 * Two layers:
 * 1. Our own list, for the agents that matter most to a link shortener and to give each a short,
 *    stable name (uptime monitors, HTTP libraries, headless browsers, mail link scanners, AI fetchers).
 *    Strings from the vendors' docs and from crawler lists (isbot's sources: monperrus/crawler-user-agents,
 *    matomo device-detector bots.yml, user-agents.net).
 * 2. The `isbot` package (maintained pattern of thousands of crawlers). Its match is a fragment
 *    ("bot", "Google"); we widen it to the surrounding product token for a readable name.
 * 3. Anything that is not a browser at all: every browser a person uses sends "Mozilla/5.0 ..."
 *    (old Opera Mini still sends "Opera/9.80 ..."). A UA without either is a program: an app's HTTP
 *    stack (Dalvik, CFNetwork), a CLI or a library. Empty or missing UA counts as a bot ("empty").
 */
import { isbot, isbotMatch } from "isbot";

interface BotRule {
  name: string;
  pattern: RegExp;
}

const OUR_BOTS: readonly BotRule[] = [
  // Command-line tools and HTTP libraries.
  { name: "curl", pattern: /^curl\//i },
  { name: "wget", pattern: /^Wget\//i },
  { name: "httpie", pattern: /^HTTPie\//i },
  { name: "python-requests", pattern: /python-requests/i },
  { name: "python-urllib", pattern: /Python-urllib/i },
  { name: "aiohttp", pattern: /aiohttp/i },
  { name: "httpx", pattern: /python-httpx|^httpx\//i },
  { name: "scrapy", pattern: /Scrapy/i },
  { name: "go-http-client", pattern: /Go-http-client/i },
  { name: "okhttp", pattern: /^okhttp\//i },
  { name: "java", pattern: /^Java\/|Apache-HttpClient/i },
  { name: "node", pattern: /^node-fetch|^undici|^node\/|^axios\/|^got\b|^ky\//i },
  { name: "ruby", pattern: /^Ruby|^Faraday|^http\.rb\//i },
  { name: "php", pattern: /GuzzleHttp|^PHP\//i },
  { name: "libwww-perl", pattern: /libwww-perl/i },
  { name: "postman", pattern: /PostmanRuntime/i },
  { name: "insomnia", pattern: /^insomnia\//i },
  { name: "dalvik", pattern: /^Dalvik\//i },
  { name: "cfnetwork", pattern: /^[^ ]+ CFNetwork\/[\d.]+ Darwin\//i },
  // Headless and automated browsers.
  { name: "headless-chrome", pattern: /HeadlessChrome/i },
  { name: "phantomjs", pattern: /PhantomJS/i },
  { name: "lighthouse", pattern: /Chrome-Lighthouse|PageSpeed/i },
  { name: "playwright", pattern: /Playwright/i },
  { name: "puppeteer", pattern: /Puppeteer/i },
  { name: "selenium", pattern: /Selenium|WebDriver/i },
  // Uptime and synthetic monitoring.
  { name: "uptimerobot", pattern: /UptimeRobot/i },
  { name: "pingdom", pattern: /Pingdom/i },
  { name: "statuscake", pattern: /StatusCake/i },
  { name: "site24x7", pattern: /Site24x7/i },
  { name: "betteruptime", pattern: /Better ?Uptime|Better Stack/i },
  { name: "uptime-kuma", pattern: /Uptime-Kuma/i },
  { name: "freshping", pattern: /Freshping/i },
  { name: "hetrixtools", pattern: /HetrixTools/i },
  { name: "checkly", pattern: /Checkly/i },
  { name: "datadog", pattern: /Datadog/i },
  { name: "newrelic", pattern: /NewRelicPinger|New Relic Synthetics/i },
  { name: "uptime.com", pattern: /UptimeBot|Uptime\.com/i },
  { name: "gcp-uptime", pattern: /GoogleStackdriverMonitoring/i },
  { name: "route53-health", pattern: /Amazon-Route53-Health-Check/i },
  { name: "elb-healthchecker", pattern: /ELB-HealthChecker/i },
  { name: "kube-probe", pattern: /kube-probe/i },
  // E-mail security scanners that open every link in a message before a person does.
  { name: "safelinks", pattern: /Microsoft-CryptoAPI|SafeLinks|Microsoft Office Existence Discovery/i },
  { name: "mimecast", pattern: /Mimecast/i },
  { name: "proofpoint", pattern: /Proofpoint/i },
  { name: "barracuda", pattern: /Barracuda/i },
  // Search and AI crawlers and fetchers (isbot knows them too; named here for stable names).
  { name: "googlebot", pattern: /Googlebot|Google-InspectionTool|GoogleOther/i },
  { name: "bingbot", pattern: /bingbot|BingPreview|adidxbot/i },
  { name: "applebot", pattern: /Applebot/i },
  { name: "yandexbot", pattern: /YandexBot|YandexImages/i },
  { name: "baiduspider", pattern: /Baiduspider/i },
  { name: "duckduckbot", pattern: /DuckDuckBot/i },
  { name: "gptbot", pattern: /GPTBot|OAI-SearchBot/i },
  { name: "chatgpt-user", pattern: /ChatGPT-User/i },
  { name: "claudebot", pattern: /ClaudeBot|Claude-User|Claude-SearchBot|anthropic-ai/i },
  { name: "perplexitybot", pattern: /PerplexityBot|Perplexity-User/i },
  { name: "bytespider", pattern: /Bytespider/i },
  { name: "meta-externalagent", pattern: /meta-external(?:agent|fetcher)|facebookcatalog/i },
  { name: "ahrefsbot", pattern: /AhrefsBot|AhrefsSiteAudit/i },
  { name: "semrushbot", pattern: /SemrushBot|SiteAuditBot/i },
];

/** isbot false positives: people's clients whose name contains a bot word ("Teams-Preview" is the Teams for Linux client). */
const NOT_BOTS = /MicrosoftTeams-Preview\/[\d.]+ Chrome\//;

/** Browsers send "Mozilla/5.0 ..." (legacy Opera "Opera/9.80 ..."); anything else is a program. */
const BROWSER_PREFIX = /^(?:Mozilla\/\d|Opera\/\d)/i;

/** The product token around isbot's matched fragment, e.g. "bot" in "UptimeRobot/2.0" -> "uptimerobot". */
function tokenAround(ua: string, fragment: string): string | null {
  const at = ua.indexOf(fragment);
  if (at < 0) return null;
  const isTokenChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_.-]/.test(c);
  let start = at;
  let end = at + fragment.length;
  while (start > 0 && isTokenChar(ua[start - 1])) start--;
  while (end < ua.length && isTokenChar(ua[end])) end++;
  return cleanName(ua.slice(start, end));
}

function cleanName(raw: string): string | null {
  const name = raw
    .toLowerCase()
    .replace(/[/_ ]?v?\d[\d.]*$/, "")
    .replace(/[^a-z0-9.-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return name === "" ? null : name;
}

/** The first product token of a non-browser UA: "Viber/20.9 CFNetwork/..." -> "viber". */
function firstToken(ua: string): string {
  const token = ua.split(/[\s/;(]/, 1)[0] ?? "";
  return cleanName(token) ?? "unknown";
}

/**
 * A short name for the bot that sent this user agent, or null when it looks like a person's browser.
 * Does not know about link previewers: call `detectUnfurlApp` first (see `classifyRequest`).
 */
export function detectBot(ua: string | null | undefined): string | null {
  if (typeof ua !== "string") return "empty";
  const text = ua.trim();
  if (text === "") return "empty";
  for (const rule of OUR_BOTS) {
    if (rule.pattern.test(text)) return rule.name;
  }
  if (NOT_BOTS.test(text)) return null;
  if (isbot(text)) {
    const fragment = isbotMatch(text);
    return (fragment && tokenAround(text, fragment)) || firstToken(text);
  }
  if (!BROWSER_PREFIX.test(text)) return firstToken(text);
  return null;
}
