/**
 * Host helpers for referrer classification: normalising a host, matching it against a list of hosts
 * (a host covers its subdomains), and the registrable domain ("blog.example.co.uk" -> "example.co.uk").
 *
 * The registrable domain uses a short list of common multi-label public suffixes instead of the full
 * Public Suffix List: it only names the source of a generic referral, so a rare suffix costs a slightly
 * odd label ("example.gov.xx" -> "gov.xx"), never a wrong channel.
 */

const MULTI_LABEL_SUFFIXES = new Set([
  "co.uk", "org.uk", "ac.uk", "gov.uk", "ltd.uk", "plc.uk", "me.uk", "net.uk",
  "com.au", "net.au", "org.au", "edu.au", "gov.au",
  "co.nz", "org.nz", "net.nz", "govt.nz",
  "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp",
  "co.kr", "or.kr", "go.kr",
  "com.br", "net.br", "org.br", "gov.br",
  "com.mx", "org.mx", "gob.mx",
  "com.ar", "com.co", "com.pe", "com.ve", "com.uy", "com.ec", "com.bo", "com.py",
  "co.in", "net.in", "org.in", "gov.in", "ac.in",
  "co.za", "org.za", "gov.za",
  "com.cn", "net.cn", "org.cn", "gov.cn",
  "com.hk", "com.tw", "com.sg", "com.my", "com.ph", "com.vn", "co.id", "co.th", "in.th",
  "com.tr", "gov.tr", "com.eg", "com.sa", "com.pk", "com.ng", "co.ke", "co.il", "org.il", "ac.il",
  "com.ua", "co.ua", "com.pl", "com.ru", "com.es", "com.pt", "com.gr", "co.at", "or.at",
  "github.io", "gitlab.io", "vercel.app", "netlify.app", "pages.dev", "herokuapp.com", "blogspot.com",
  "substack.com", "medium.com", "wordpress.com", "tumblr.com", "azurewebsites.net", "web.app", "firebaseapp.com",
]);

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** Lower-case, without a trailing dot, port or leading "www." ("WWW.Example.com." -> "example.com"). */
export function normaliseHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h; // IPv6 literal: leave as is
  h = h.replace(/:\d+$/, "").replace(/\.$/, "");
  return h.startsWith("www.") ? h.slice(4) : h;
}

/** The host part of an entry that may be a bare host, a host:port or a whole URL. */
export function hostOfEntry(entry: string): string | null {
  const text = entry.trim();
  if (text === "") return null;
  try {
    return normaliseHost(new URL(text.includes("://") ? text : `https://${text}`).hostname);
  } catch {
    return null;
  }
}

/** True when `host` is `base` or one of its subdomains ("a.b.example.com" is under "example.com"). */
export function isHostUnder(host: string, base: string): boolean {
  return host === base || host.endsWith(`.${base}`);
}

/** The registrable domain of a host: the public suffix plus one label. */
export function registrableHost(host: string): string {
  const h = normaliseHost(host);
  if (IPV4.test(h) || h.startsWith("[") || !h.includes(".")) return h;
  const labels = h.split(".");
  if (labels.length <= 2) return h;
  const lastTwo = labels.slice(-2).join(".");
  const take = MULTI_LABEL_SUFFIXES.has(lastTwo) ? 3 : 2;
  return labels.slice(-take).join(".");
}

/** The host itself, then each parent domain down to two labels: "a.b.example.com" -> [..., "example.com"]. */
export function hostAndParents(host: string): string[] {
  const labels = host.split(".");
  const out: string[] = [];
  for (let i = 0; i <= labels.length - 2; i++) out.push(labels.slice(i).join("."));
  return out.length > 0 ? out : [host];
}
