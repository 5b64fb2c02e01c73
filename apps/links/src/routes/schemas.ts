import { z } from "@hono/zod-openapi";
import { CHANNEL_KEYS, normaliseSource } from "@lantern/core";
import { MAX_URL_LENGTH } from "../links/destination.ts";

/** Shapes shared by the API routes and the OpenAPI document. */

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), requestId: z.string().optional() }) })
  .openapi("Error");

const errorResponse = (description: string) => ({ content: { "application/json": { schema: ErrorSchema } }, description });
export const errors = {
  400: errorResponse("Invalid input"),
  401: errorResponse("No API key, or an unknown or revoked one"),
  403: errorResponse("The API key lacks the scope"),
  404: errorResponse("No such link"),
  409: errorResponse("The slug is taken"),
  413: errorResponse("Body larger than 64 KiB"),
  415: errorResponse("The body is not JSON"),
  429: errorResponse("Too many requests for this key"),
};

/** Epoch milliseconds or an ISO 8601 date-time; stored as epoch ms. */
const isoTime = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((s) => Date.parse(s));
export const Timestamp = z
  .union([z.number().int().nonnegative(), isoTime])
  .openapi({ description: "Epoch milliseconds or ISO 8601 date(-time)", example: "2025-12-31T23:59:59Z" });

/** The same in a query string, where everything is text. */
export const QueryTimestamp = z
  .union([z.string().regex(/^\d{1,15}$/).transform(Number), isoTime])
  .openapi({ description: "Epoch milliseconds or ISO 8601 date(-time)", example: "2025-01-01" });

const text = (max: number) => z.string().trim().min(1).max(max);
const httpUrl = z
  .string()
  .trim()
  .max(MAX_URL_LENGTH)
  .refine((s) => /^https?:\/\//i.test(s) && URL.canParse(s), "must be an http(s) URL");

/** What the per-link stats count clicks with no source, app or referrer under (stats.ts): no link is made for them. */
const RESERVED_SOURCES = new Set(["none", "unknown"]);

export const SourceName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9 _.-]+$/, "letters, digits, space, '.', '_' and '-' only")
  .refine((s) => !RESERVED_SOURCES.has(normaliseSource(s)), {
    message: "'none' and 'unknown' are reserved (the link stats count clicks with no source under them): leave source out for a link made for no app",
  })
  .openapi({ example: "whatsapp" });

export const ChannelKeySchema = z.enum(CHANNEL_KEYS).openapi("Channel");

export const UtmSchema = z
  .object({ source: text(200).optional(), medium: text(200).optional(), campaign: text(200).optional(), term: text(200).optional(), content: text(200).optional() })
  .strict()
  .openapi("Utm");

export const PreviewSchema = z
  .object({ title: text(300).optional(), description: text(1000).optional(), image: httpUrl.optional() })
  .strict()
  .openapi("Preview");

export const Tags = z.array(text(64)).max(20);

export const CreateLinkSchema = z
  .object({
    url: z.string().trim().min(1).max(MAX_URL_LENGTH).openapi({ example: "https://example.com/spring-sale" }),
    slug: z.string().min(1).max(64).optional().openapi({ description: "Letters, digits, '_' and '-'; matched case-insensitively", example: "spring" }),
    source: SourceName.optional(),
    channel: ChannelKeySchema.optional(),
    campaign: text(200).optional(),
    utm: z.union([UtmSchema, z.literal(false)]).optional().openapi({
      description: "Overrides of the UTMs added to the destination (default utm_source=<source>, utm_medium=<channel>, utm_campaign=<campaign>); false adds none",
    }),
    tags: Tags.optional(),
    expiresAt: Timestamp.nullable().optional(),
    preview: PreviewSchema.optional(),
    shareKit: z.array(SourceName).min(1).max(20).optional().openapi({
      description: "Also create one tagged variant per source, each with its own slug and UTMs",
      example: ["whatsapp", "slack", "linkedin", "email", "sms"],
    }),
  })
  .strict()
  .openapi("CreateLink");

export const UpdateLinkSchema = z
  .object({
    url: z.string().trim().min(1).max(MAX_URL_LENGTH).optional(),
    slug: z.string().min(1).max(64).optional(),
    source: SourceName.nullable().optional(),
    channel: ChannelKeySchema.nullable().optional(),
    campaign: text(200).nullable().optional(),
    utm: z.union([UtmSchema, z.literal(false)]).optional(),
    tags: Tags.optional(),
    expiresAt: Timestamp.nullable().optional(),
    preview: PreviewSchema.nullable().optional(),
    archived: z.boolean().optional().openapi({ description: "false restores an archived link" }),
  })
  .strict()
  .openapi("UpdateLink");

export const VariantSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    shortUrl: z.string(),
    source: z.string().nullable().openapi({ description: "The app this link was made for; null for the kit's own link (made for no app), as on a link" }),
    channel: z.string().nullable(),
    utm: UtmSchema,
  })
  .openapi("Variant");

export const LinkSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    url: z.string(),
    shortUrl: z.string(),
    destination: z.string().openapi({ description: "Where a click goes: url with the link's UTMs (plus lcid per click)" }),
    channel: z.string().nullable(),
    source: z.string().nullable(),
    campaign: z.string().nullable(),
    utm: UtmSchema,
    tags: z.array(z.string()),
    preview: PreviewSchema.nullable(),
    kitId: z.string().nullable(),
    status: z.enum(["active", "expired", "archived"]),
    createdAt: z.string(),
    updatedAt: z.string(),
    expiresAt: z.string().nullable(),
    archivedAt: z.string().nullable(),
    variants: z.array(VariantSchema).optional(),
  })
  .openapi("Link");

export const LinkListSchema = z.object({ data: z.array(LinkSchema), nextCursor: z.string().nullable() }).openapi("LinkList");

export const IdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });

export const ListQuery = z.object({
  q: z.string().trim().min(1).max(200).optional(),
  campaign: z.string().max(200).optional(),
  tag: z.string().max(64).optional(),
  source: z.string().max(64).optional(),
  channel: z.string().max(64).optional(),
  kitId: z.string().max(64).optional(),
  archived: z.enum(["false", "true", "all"]).default("false"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const Counts = z.record(z.string(), z.number().int());
export const StatsSchema = z
  .object({
    linkId: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    clicks: z.object({ human: z.number().int(), bot: z.number().int() }),
    unfurls: z.object({ total: z.number().int(), byApp: Counts }),
    byChannel: Counts,
    bySource: Counts,
    byDay: z.array(z.object({ day: z.string(), clicks: z.number().int(), unfurls: z.number().int(), bots: z.number().int() })),
    byDevice: Counts,
    byBrowser: Counts,
    byOs: Counts,
    byInApp: Counts,
    byCountry: Counts,
    byReferrer: Counts,
  })
  .openapi("LinkStats");

export const StatsQuery = z.object({ from: QueryTimestamp.optional(), to: QueryTimestamp.optional() });

export const QrQuery = z.object({
  format: z.enum(["svg", "png"]).default("svg"),
  size: z.coerce.number().int().min(64).max(2048).default(512),
});
