import { channelOf, CHANNEL_KEYS, isChannelKey } from "@lantern/core";
import { queryOr400, requireScope } from "@lantern/http";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Services } from "../context.ts";
import { csvRow } from "../csv.ts";
import { allResponses, listResponses, surveyCounts, type ResponseFilters, type ResponseRow } from "../response-queries.ts";
import { localize, type Survey } from "../survey-model.ts";
import { parseTime, surveyOr404 } from "./shared.ts";

export const filterQuery = z.object({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  channel: z.enum([...CHANNEL_KEYS, "unclassified"]).optional(),
  optionId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  hasText: z.enum(["true", "false"]).optional(),
});
export const listQuery = filterQuery.extend({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

function filtersOf(surveyId: string, q: z.infer<typeof filterQuery>): ResponseFilters {
  return {
    surveyId,
    from: parseTime(q.from, "from"),
    to: parseTime(q.to, "to"),
    channel: q.channel,
    optionId: q.optionId,
    hasText: q.hasText === undefined ? undefined : q.hasText === "true",
  };
}

function optionLabel(survey: Survey, optionId: string | null): string | null {
  const option = optionId ? survey.allOptions.find((o) => o.id === optionId) : undefined;
  return option ? localize(option.label, survey.defaultLocale, survey.defaultLocale) : null;
}

function presentResponse(survey: Survey, r: ResponseRow) {
  return {
    id: r.id,
    surveyId: r.surveyId,
    ts: r.ts,
    receivedAt: r.receivedAt,
    optionId: r.optionId,
    optionLabel: optionLabel(survey, r.optionId),
    otherText: r.otherText,
    followUpText: r.followUpText,
    channel: r.channel,
    source: r.source,
    confidence: r.confidence,
    rule: r.rule,
    locale: r.locale,
    lcid: r.lcid,
    visitorId: r.visitorId,
    shareToken: r.shareToken,
    conversionId: r.conversionId,
    externalId: r.externalId,
    respondentHash: r.respondentHash,
  };
}

const CSV_COLUMNS = [
  "id", "answered_at", "option_id", "option", "other_text", "follow_up_text", "channel", "source", "confidence", "rule",
  "locale", "lcid", "visitor_id", "share_token", "conversion_id", "external_id",
] as const;

/** Responses of a survey, their CSV export and its figures (API key with surveys:read). */
export function responseRoutes(s: Services) {
  const app = new Hono<AppEnv>();

  app.get("/:id/responses", requireScope("surveys:read"), async (c) => {
    const survey = await surveyOr404(s, c.req.param("id"));
    const q = queryOr400(c, listQuery);
    const page = await listResponses(s.db, filtersOf(survey.id, q), { cursor: q.cursor, limit: q.limit });
    return c.json({ data: page.data.map((r) => presentResponse(survey, r)), nextCursor: page.nextCursor });
  });

  app.get("/:id/responses.csv", requireScope("surveys:read"), async (c) => {
    const survey = await surveyOr404(s, c.req.param("id"));
    const filters = filtersOf(survey.id, queryOr400(c, filterQuery));
    const encoder = new TextEncoder();
    const rows = allResponses(s.db, filters);
    // Streamed page by page so that a large export does not sit in memory. The BOM lets Excel read UTF-8.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(`\uFEFF${csvRow(CSV_COLUMNS)}`));
      },
      async pull(controller) {
        const next = await rows.next();
        if (next.done) return controller.close();
        const chunk = next.value
          .map((r) =>
            csvRow([
              r.id, new Date(r.ts).toISOString(), r.optionId, optionLabel(survey, r.optionId), r.otherText, r.followUpText, r.channel, r.source,
              r.confidence, r.rule, r.locale, r.lcid, r.visitorId, r.shareToken, r.conversionId, r.externalId,
            ]),
          )
          .join("");
        controller.enqueue(encoder.encode(chunk));
      },
    });
    return c.body(body, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="survey-${survey.id}-responses.csv"`,
      "Cache-Control": "no-store",
    });
  });

  app.get("/:id/stats", requireScope("surveys:read"), async (c) => {
    const survey = await surveyOr404(s, c.req.param("id"));
    const q = queryOr400(c, filterQuery.pick({ from: true, to: true }));
    const from = parseTime(q.from, "from");
    const to = parseTime(q.to, "to");
    const counts = await surveyCounts(s.db, survey.id, from, to);
    const share = (n: number) => (counts.responses ? n / counts.responses : 0);
    const countOf = new Map(counts.byOption.map((r) => [r.optionId, r.n]));
    const followUpsOf = new Map(counts.byOption.map((r) => [r.optionId, r.followUps]));
    // Every live option, even with no answers yet; archived options only when they still hold answers.
    const options = survey.allOptions
      .filter((o) => o.archivedAt === null || countOf.has(o.id))
      .map((o) => ({
        optionId: o.id as string | null,
        kind: o.kind,
        label: localize(o.label, survey.defaultLocale, survey.defaultLocale),
        labels: o.label,
        channel: o.channel,
        source: o.source,
        archived: o.archivedAt !== null,
        responses: countOf.get(o.id) ?? 0,
        share: share(countOf.get(o.id) ?? 0),
        // Answers that filled the option's follow-up question; null when the option asks none.
        followUps: o.followUp ? (followUpsOf.get(o.id) ?? 0) : null,
      }));
    // How often buyers answer an offered follow-up: over the answers to options that ask one now.
    const asked = options.filter((o) => o.followUps !== null);
    const offered = asked.reduce((sum, o) => sum + o.responses, 0);
    const answered = asked.reduce((sum, o) => sum + (o.followUps ?? 0), 0);
    const loose = countOf.get(null);
    if (loose) options.push({ optionId: null, kind: "other", label: "Free text (no option)", labels: {}, channel: null, source: null, archived: false, responses: loose, share: share(loose), followUps: null });
    const channels = counts.byChannel
      .map((r) => ({
        channel: r.channel ?? "unclassified",
        label: r.channel && isChannelKey(r.channel) ? channelOf(r.channel).label : r.channel ? r.channel : "Unclassified",
        dark: r.channel && isChannelKey(r.channel) ? channelOf(r.channel).dark : false,
        responses: r.n,
        share: share(r.n),
      }))
      .sort((a, b) => b.responses - a.responses || a.channel.localeCompare(b.channel));
    return c.json({
      surveyId: survey.id,
      from: from ?? null,
      to: to ?? null,
      views: counts.views,
      responses: counts.responses,
      skips: counts.skips,
      // Answers per view. Server-side API answers have no view, so the rate can exceed 1 when they are mixed in.
      responseRate: counts.views ? counts.responses / counts.views : null,
      skipRate: counts.views ? counts.skips / counts.views : null,
      followUps: { offered, answered, rate: offered ? answered / offered : null },
      options,
      channels,
    });
  });

  return app;
}
