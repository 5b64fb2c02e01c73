import { createRoute, type z } from "@hono/zod-openapi";
import { channelForSource, normaliseSource } from "@lantern/core";
import type { LinkUtm } from "@lantern/db/schema";
import { ApiError, newId, requireScope } from "@lantern/http";
import type { LinksDeps } from "../deps.ts";
import { destinationProblem } from "../links/destination.ts";
import { findKit, findLinkById, insertLinks, type LinkRow, listLinks, SlugTakenError, updateLink } from "../links/repo.ts";
import { linkToApi, variantToApi } from "../links/serialize.ts";
import { generateSlug, normaliseSlug, SLUG_PATTERN, slugProblem } from "../links/slug.ts";
import { defaultUtm, rederiveUtm, resolveUtm } from "../links/utm.ts";
import { router } from "./router.ts";
import { CreateLinkSchema, errors, IdParam, LinkListSchema, LinkSchema, ListQuery, UpdateLinkSchema } from "./schemas.ts";

const security = [{ bearer: [] }];
const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });

const createLink = createRoute({
  method: "post",
  path: "/api/links",
  tags: ["links"],
  summary: "Create a short link (and, with shareKit, one tagged variant per source)",
  security,
  middleware: [requireScope("links:write")] as const,
  request: { body: { content: { "application/json": { schema: CreateLinkSchema } }, required: true } },
  responses: { 201: json(LinkSchema, "The link, with its variants when a share kit was asked for"), 400: errors[400], 401: errors[401], 403: errors[403], 409: errors[409], 413: errors[413], 415: errors[415], 429: errors[429] },
});

const listRoute = createRoute({
  method: "get",
  path: "/api/links",
  tags: ["links"],
  summary: "List links, newest first (search, filters, cursor pagination)",
  security,
  middleware: [requireScope("links:read")] as const,
  request: { query: ListQuery },
  responses: { 200: json(LinkListSchema, "A page of links; pass nextCursor as cursor for the next one"), 400: errors[400], 401: errors[401], 403: errors[403] },
});

const getRoute = createRoute({
  method: "get",
  path: "/api/links/{id}",
  tags: ["links"],
  summary: "One link (with the other links of its share kit)",
  security,
  middleware: [requireScope("links:read")] as const,
  request: { params: IdParam },
  responses: { 200: json(LinkSchema, "The link"), 401: errors[401], 403: errors[403], 404: errors[404] },
});

const patchRoute = createRoute({
  method: "patch",
  path: "/api/links/{id}",
  tags: ["links"],
  summary: "Change a link; every instance sees the change at once",
  security,
  middleware: [requireScope("links:write")] as const,
  request: { params: IdParam, body: { content: { "application/json": { schema: UpdateLinkSchema } }, required: true } },
  responses: { 200: json(LinkSchema, "The changed link"), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409], 415: errors[415] },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/api/links/{id}",
  tags: ["links"],
  summary: "Archive a link: it answers 410 from then on; its data is kept",
  security,
  middleware: [requireScope("links:write")] as const,
  request: { params: IdParam },
  responses: { 200: json(LinkSchema, "The archived link"), 401: errors[401], 403: errors[403], 404: errors[404] },
});

function withoutSourceAndMedium(utm: LinkUtm): LinkUtm {
  const { source: _source, medium: _medium, ...rest } = utm;
  return rest;
}

const encodeCursor = (row: LinkRow) => Buffer.from(JSON.stringify([row.createdAt, row.id])).toString("base64url");
function decodeCursor(cursor: string): { createdAt: number; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [unknown, unknown];
    if (typeof createdAt === "number" && typeof id === "string") return { createdAt, id };
  } catch {
    // fall through
  }
  throw new ApiError(400, "validation_failed", "cursor: not a cursor this API returned");
}

export function linksRoutes(deps: LinksDeps) {
  const { db, cache, config } = deps;
  const clock = deps.clock ?? Date.now;
  const app = router();

  const checkUrl = (url: string) => {
    const problem = destinationProblem(url, config.shortHosts);
    if (problem) throw new ApiError(400, "validation_failed", `url: ${problem}`);
    return new URL(url).href;
  };
  const checkSlug = (slug: string) => {
    const problem = slugProblem(slug);
    if (problem) throw new ApiError(400, "validation_failed", `slug: ${problem}`);
    return normaliseSlug(slug);
  };
  const checkExpiry = (expiresAt: number | null | undefined, now: number) => {
    if (expiresAt != null && expiresAt <= now) throw new ApiError(400, "validation_failed", "expiresAt: must be in the future");
    return expiresAt ?? null;
  };
  const channelFor = (source: string | null, explicit?: string | null) => explicit ?? channelForSource(source) ?? (source ? "referral" : null);

  app.openapi(createLink, async (c) => {
    const body = c.req.valid("json");
    const now = clock();
    const url = checkUrl(body.url);
    const slug = body.slug === undefined ? null : checkSlug(body.slug);
    const source = body.source ? normaliseSource(body.source) : null;
    const channel = channelFor(source, body.channel);
    const campaign = body.campaign ?? null;
    const expiresAt = checkExpiry(body.expiresAt, now);
    const kitSources = [...new Set((body.shareKit ?? []).map(normaliseSource).filter(Boolean))];
    const kitId = kitSources.length > 0 ? newId() : null;
    const explicitUtm = body.utm;
    // In a kit, each variant's own source decides utm_source and utm_medium; other overrides apply to all.
    const variantOverrides: LinkUtm | false | undefined = explicitUtm ? withoutSourceAndMedium(explicitUtm) : explicitUtm;
    const variantSlug = (s: string) => {
      const candidate = `${slug}-${s.replace(/[^a-z0-9_-]/g, "-")}`;
      if (!SLUG_PATTERN.test(candidate)) throw new ApiError(400, "validation_failed", `slug: "${candidate}" (for the ${s} variant) is too long; use a shorter slug`);
      return candidate;
    };
    const base = { url, campaign, tags: body.tags ?? [], preview: body.preview ?? null, kitId, createdAt: now, updatedAt: now, expiresAt, archivedAt: null };

    for (let attempt = 0; ; attempt++) {
      const main: LinkRow = { ...base, id: newId(), slug: slug ?? generateSlug(), source, channel, utm: resolveUtm(defaultUtm(source, channel, campaign), explicitUtm) };
      const variants: LinkRow[] = kitSources.map((s) => {
        const vChannel = channelFor(s);
        const utm = resolveUtm(defaultUtm(s, vChannel, campaign), variantOverrides);
        return { ...base, id: newId(), slug: slug ? variantSlug(s) : generateSlug(), source: s, channel: vChannel, utm, createdAt: now };
      });
      try {
        await insertLinks(db, [main, ...variants]);
      } catch (err) {
        if (!(err instanceof SlugTakenError)) throw err;
        if (slug) throw new ApiError(409, "conflict", kitSources.length ? `The slug "${slug}" or one of its variants' slugs is taken.` : `The slug "${slug}" is taken.`);
        if (attempt < 5) continue; // a generated slug collided: draw again
        throw new ApiError(409, "conflict", "Could not find a free slug; try again.");
      }
      for (const row of [main, ...variants]) cache.changed(row);
      const body201 = { ...linkToApi(main, config.publicUrl, now), ...(kitId ? { variants: variants.map((v) => variantToApi(v, config.publicUrl)) } : {}) };
      c.header("Location", `/api/links/${main.id}`);
      return c.json(body201, 201);
    }
  });

  app.openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    const rows = await listLinks(db, {
      q: query.q,
      campaign: query.campaign,
      tag: query.tag,
      source: query.source ? normaliseSource(query.source) : undefined,
      channel: query.channel,
      kitId: query.kitId,
      archived: query.archived,
      limit: query.limit + 1,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
    const page = rows.slice(0, query.limit);
    const now = clock();
    return c.json({ data: page.map((r) => linkToApi(r, config.publicUrl, now)), nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]!) : null }, 200);
  });

  const mustFind = async (id: string) => {
    const row = await findLinkById(db, id);
    if (!row) throw new ApiError(404, "not_found", `No link with id "${id}".`);
    return row;
  };

  app.openapi(getRoute, async (c) => {
    const row = await mustFind(c.req.valid("param").id);
    const kit = row.kitId ? (await findKit(db, row.kitId)).filter((r) => r.id !== row.id) : [];
    return c.json({ ...linkToApi(row, config.publicUrl, clock()), ...(row.kitId ? { variants: kit.map((v) => variantToApi(v, config.publicUrl)) } : {}) }, 200);
  });

  app.openapi(patchRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const row = await mustFind(id);
    const now = clock();
    const changes: Partial<LinkRow> = { updatedAt: now };
    if (body.url !== undefined) changes.url = checkUrl(body.url);
    if (body.slug !== undefined) changes.slug = checkSlug(body.slug);
    if (body.tags !== undefined) changes.tags = body.tags;
    if (body.preview !== undefined) changes.preview = body.preview;
    if (body.expiresAt !== undefined) changes.expiresAt = checkExpiry(body.expiresAt, now);
    if (body.archived !== undefined) changes.archivedAt = body.archived ? (row.archivedAt ?? now) : null;
    const source = body.source === undefined ? (row.source ?? null) : body.source === null ? null : normaliseSource(body.source);
    const channel = body.channel !== undefined ? body.channel : body.source !== undefined ? channelFor(source) : (row.channel ?? null);
    const campaign = body.campaign === undefined ? (row.campaign ?? null) : body.campaign;
    if (body.source !== undefined || body.channel !== undefined || body.campaign !== undefined || body.utm !== undefined) {
      changes.source = source;
      changes.channel = channel;
      changes.campaign = campaign;
      const newDefaults = defaultUtm(source, channel, campaign);
      const rederived = rederiveUtm(row.utm, defaultUtm(row.source ?? null, row.channel ?? null, row.campaign ?? null), newDefaults);
      changes.utm = body.utm === undefined ? rederived : resolveUtm(newDefaults, body.utm);
    }
    let updated: LinkRow | null;
    try {
      updated = await updateLink(db, id, changes);
    } catch (err) {
      if (err instanceof SlugTakenError) throw new ApiError(409, "conflict", `The slug "${changes.slug}" is taken.`);
      throw err;
    }
    if (!updated) throw new ApiError(404, "not_found", `No link with id "${id}".`);
    cache.changed(updated, row.slug);
    return c.json(linkToApi(updated, config.publicUrl, now), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid("param");
    const row = await mustFind(id);
    const now = clock();
    const updated = row.archivedAt != null ? row : await updateLink(db, id, { archivedAt: now, updatedAt: now });
    if (!updated) throw new ApiError(404, "not_found", `No link with id "${id}".`);
    cache.changed(updated);
    return c.json(linkToApi(updated, config.publicUrl, now), 200);
  });

  return app;
}
