import type { LinkUtm } from "@lantern/db/schema";
import { redirectTarget } from "./destination.ts";
import type { LinkRow } from "./repo.ts";

const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());

export type LinkStatus = "active" | "expired" | "archived";

export function linkStatus(row: Pick<LinkRow, "archivedAt" | "expiresAt">, now: number): LinkStatus {
  if (row.archivedAt != null) return "archived";
  if (row.expiresAt != null && row.expiresAt <= now) return "expired";
  return "active";
}

export const shortUrlOf = (publicUrl: string, slug: string) => `${publicUrl.replace(/\/+$/, "")}/${slug}`;

/** A link as the API shows it: times in ISO 8601, the short URL and the destination a click goes to. */
export function linkToApi(row: LinkRow, publicUrl: string, now: number) {
  return {
    id: row.id,
    slug: row.slug,
    url: row.url,
    shortUrl: shortUrlOf(publicUrl, row.slug),
    destination: redirectTarget(row.url, row.utm).plain,
    channel: row.channel ?? null,
    source: row.source ?? null,
    campaign: row.campaign ?? null,
    utm: row.utm as LinkUtm,
    tags: row.tags,
    preview: row.preview ?? null,
    kitId: row.kitId ?? null,
    status: linkStatus(row, now),
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
    expiresAt: iso(row.expiresAt),
    archivedAt: iso(row.archivedAt),
  };
}

export function variantToApi(row: LinkRow, publicUrl: string) {
  return { id: row.id, slug: row.slug, shortUrl: shortUrlOf(publicUrl, row.slug), source: row.source ?? null, channel: row.channel ?? null, utm: row.utm as LinkUtm };
}
