/**
 * Small HTTP helpers for the scripted flows: JSON calls with a bearer key, and requests to short links
 * the way a browser, an in-app browser or a link-preview fetcher makes them.
 */

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export async function requestJson<T = unknown>(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { accept: "application/json", ...init.headers };
  if (init.body !== undefined) headers["content-type"] ??= "application/json";
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text (an HTML page, a CSV)
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

/** Calls that must succeed: anything but the expected status throws with the body, to explain the failure. */
export async function expectJson<T = unknown>(
  expected: number,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<T> {
  const res = await requestJson<T>(url, init);
  if (res.status !== expected) throw new Error(`${init.method ?? (init.body === undefined ? "GET" : "POST")} ${url} answered ${res.status}, expected ${expected}: ${JSON.stringify(res.body).slice(0, 600)}`);
  return res.body;
}

export interface Visit {
  userAgent: string;
  referer?: string;
  /** The visitor's address, sent as X-Forwarded-For (the services trust it in these tests). */
  ip?: string;
  method?: "GET" | "HEAD";
}

export interface Hit {
  status: number;
  location: string | null;
  body: string;
}

/** One request to a short link, not following the redirect (we want to see it). */
export async function hit(url: string, visit: Visit): Promise<Hit> {
  const headers: Record<string, string> = { "user-agent": visit.userAgent, accept: "text/html,application/xhtml+xml,*/*;q=0.8" };
  if (visit.referer) headers.referer = visit.referer;
  if (visit.ip) headers["x-forwarded-for"] = visit.ip;
  const res = await fetch(url, { method: visit.method ?? "GET", headers, redirect: "manual", signal: AbortSignal.timeout(30_000) });
  return { status: res.status, location: res.headers.get("location"), body: await res.text() };
}

/** The click id the redirect appended to the destination. */
export function lcidOf(location: string | null): string {
  const lcid = location ? new URL(location).searchParams.get("lcid") : null;
  if (!lcid) throw new Error(`no lcid in the redirect's Location (${location})`);
  return lcid;
}

/** Real user agents, from the fixtures of packages/core (public sources). */
export const UA = {
  slackbot: "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
  whatsapp: "WhatsApp/2.23.20.0 A",
  whatsappOld: "WhatsApp/2.19.81 A",
  imessage:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0",
  linkedinbot: "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
  googlebot: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  iphoneSafari:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  windowsChrome: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  androidChrome: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
  /** WhatsApp's in-app browser on Android. */
  whatsappAndroidInApp:
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.7390.124 Mobile Safari/537.36 [WA4A/2.25.32.75;]",
  /** WhatsApp's in-app browser on iOS. */
  whatsappIosInApp:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 26_0_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0.1 Mobile/15E148 Safari/604.1 [WAiOS/2.25.31]",
  linuxFirefox: "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
  macSafari: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
} as const;
