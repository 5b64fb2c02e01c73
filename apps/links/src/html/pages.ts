import type { LinkPreview } from "@lantern/db/schema";

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * Headers of every HTML page we serve: nothing may run, be framed or be sniffed. The preview page
 * needs no script at all (its redirect is a meta refresh), so the policy allows none.
 */
export const HTML_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
  "cache-control": "no-store",
};

const STYLE =
  "body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#1f2933}h1{font-size:1.4rem}p{color:#52606d}a{color:#2563eb}";

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export function notFoundPage(): string {
  return page("Link not found", "<h1>This link does not exist</h1><p>Check the address for typos: short links are made of letters, digits, '-' and '_'.</p>");
}

export function unavailablePage(): string {
  return page("Link unavailable", "<h1>This link is unavailable for a moment</h1><p>Please try again in a few seconds.</p>");
}

export function gonePage(reason: "archived" | "expired"): string {
  const why = reason === "expired" ? "This link has expired." : "This link has been retired by its owner.";
  return page("Link no longer available", `<h1>Link no longer available</h1><p>${why}</p>`);
}

export interface PreviewPageInput {
  preview: LinkPreview | null;
  /** Where the page refreshes to (the destination with its UTMs). */
  destination: string;
  /** The short URL: the canonical URL of the card, so apps keep showing our preview. */
  shortUrl: string;
}

/**
 * The page served to link-preview fetchers: OpenGraph and Twitter card tags from the link's preview,
 * and a refresh to the destination for anything that renders it. Without a title, the destination's
 * host names the card. Every value is escaped: previews are user input.
 */
export function previewPage({ preview, destination, shortUrl }: PreviewPageInput): string {
  const host = new URL(destination).hostname;
  const title = preview?.title?.trim() || host;
  const description = preview?.description?.trim() || "";
  const image = preview?.image || "";
  const tags: Array<[string, string, string]> = [
    ["property", "og:type", "website"],
    ["property", "og:title", title],
    ["property", "og:url", shortUrl],
    ["property", "og:site_name", host],
    ["name", "twitter:card", image ? "summary_large_image" : "summary"],
    ["name", "twitter:title", title],
  ];
  if (description) tags.push(["name", "description", description], ["property", "og:description", description], ["name", "twitter:description", description]);
  if (image) tags.push(["property", "og:image", image], ["name", "twitter:image", image]);
  const meta = tags.map(([attr, key, value]) => `<meta ${attr}="${key}" content="${escapeHtml(value)}">`).join("");
  const href = escapeHtml(destination);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>${meta}<meta http-equiv="refresh" content="0; url=${href}"><meta name="robots" content="noindex"></head><body><p><a href="${href}">${escapeHtml(title)}</a></p></body></html>`;
}
