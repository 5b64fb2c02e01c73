/** Real user-agent strings (from vendor docs and public logs) for the mixed streams of the integration tests. */
export const UNFURLERS: Record<string, string> = {
  slack: "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
  whatsapp: "WhatsApp/2.23.20.0 A",
  telegram: "TelegramBot (like TwitterBot)",
  discord: "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
  linkedin: "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
  facebook: "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
  imessage: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0",
  x: "Twitterbot/1.0",
  teams: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Safari/537.36 MicrosoftPreview/2.0 +https://aka.ms/MicrosoftPreview",
  mastodon: "http.rb/5.1.1 (Mastodon/4.2.1; +https://mastodon.social/)",
  bluesky: "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)",
  line: "facebookexternalhit/1.1;line-poker/1.0",
};

export const BOTS: Record<string, string> = {
  googlebot: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  bingbot: "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
  curl: "curl/8.5.0",
  "python-requests": "python-requests/2.31.0",
  ahrefsbot: "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
};

export const BROWSERS = {
  iphone: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  chrome: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
};

/** In-app browsers: a click, with the app as evidence of where the link was seen. */
export const IN_APP: Record<string, string> = {
  instagram: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 307.0.0.34.111 (iPhone14,5; iOS 17_0; en_US; en; scale=3.00; 1170x2532; 532277035)",
  facebook: "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBDV/iPhone13,2;FBMD/iPhone;FBSN/iOS;FBSV/16.6;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]",
  whatsapp: "Mozilla/5.0 (Linux; Android 13; SM-S911B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.144 Mobile Safari/537.36 WhatsApp/2.23.25.83",
  linkedin: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.6590",
  wechat: "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40(0x18002831) NetType/WIFI Language/zh_CN",
};

export interface Hit {
  path: string;
  method: "GET" | "HEAD";
  headers: Record<string, string>;
}

/** Runs requests with a little concurrency; returns the responses' status and Location, in order. */
export async function send(base: string, hits: Hit[], concurrency = 8): Promise<Array<{ status: number; location: string | null }>> {
  const results: Array<{ status: number; location: string | null }> = new Array(hits.length);
  let next = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    while (next < hits.length) {
      const i = next++;
      const hit = hits[i]!;
      try {
        const res = await fetch(`${base}${hit.path}`, { method: hit.method, headers: hit.headers, redirect: "manual" });
        await res.arrayBuffer();
        results[i] = { status: res.status, location: res.headers.get("location") };
      } catch {
        results[i] = { status: 0, location: null };
      }
    }
  });
  await Promise.all(workers);
  return results;
}

export const lcidOf = (location: string | null) => (location ? new URL(location).searchParams.get("lcid") : null);
