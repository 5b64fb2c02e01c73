import { createHash } from "node:crypto";
import { type Classification, classifyAnswer, isChannelKey, normalizeAnswer, refineWithFollowUp } from "@lantern/core";
import { normalizedAnswerTexts } from "@lantern/db";
import { answerLabels, conversions, surveyOptions, surveyResponses, surveySkips, surveyViews } from "@lantern/db/schema";
import type { SurveyResponseEvent, SurveySkipEvent, SurveyViewEvent } from "@lantern/queue";
import { inArray } from "drizzle-orm";
import type { IngestContext } from "./context.ts";
import { type ConversionReport, type ConversionRow, conversionReport, recordReports } from "./conversions.ts";
import { chunk, distinct, insertNew, selectIn, type Tx } from "./db.ts";

type ResponseRow = typeof surveyResponses.$inferInsert;
type OptionRow = Pick<typeof surveyOptions.$inferSelect, "id" | "surveyId" | "kind" | "channel" | "source">;

export interface SurveyEventsResult {
  views: number;
  skips: number;
  responses: number;
  /** Conversions that came with answers. */
  conversions: number;
}

export async function ingestSurveyEvents(
  tx: Tx,
  events: { views: readonly SurveyViewEvent[]; skips: readonly SurveySkipEvent[]; responses: readonly SurveyResponseEvent[] },
  ctx: IngestContext,
): Promise<SurveyEventsResult> {
  const views = await insertNew(
    tx,
    surveyViews,
    events.views.map((e) => ({ id: e.id, surveyId: e.surveyId, ts: e.ts, visitorId: e.visitorId, lcid: e.lcid, placement: e.placement })),
  );
  const skips = await insertNew(
    tx,
    surveySkips,
    events.skips.map((e) => ({ id: e.id, surveyId: e.surveyId, ts: e.ts, visitorId: e.visitorId, lcid: e.lcid })),
  );
  const answers = await ingestResponses(tx, events.responses, ctx);
  return { views, skips, ...answers };
}

/** The id of the conversion that came with a survey answer: derived from the event id, so re-delivery finds it again. */
export const surveyConversionId = (eventId: string) => `sc-${eventId}`;

/**
 * The same respondent answering the same survey twice within a UTC day counts once. The respondent is
 * the email hash, else the site's external id, else the tracker's visitor id; an anonymous answer has
 * no key (and is only deduplicated by its event id and idempotency key).
 */
export function dedupeKey(e: Pick<SurveyResponseEvent, "surveyId" | "respondentHash" | "externalId" | "visitorId" | "ts">): string | null {
  const who = e.respondentHash ? `email:${e.respondentHash}` : e.externalId ? `ext:${e.externalId}` : e.visitorId ? `visitor:${e.visitorId}` : null;
  if (!who) return null;
  return `${e.surveyId}|${who}|${new Date(e.ts).toISOString().slice(0, 10)}`;
}

/** The respondent key stored on a conversion: the email hash, else a sha256 of the site's external id. */
function respondentKey(e: SurveyResponseEvent): string | null {
  if (e.respondentHash) return e.respondentHash;
  if (e.externalId) return createHash("sha256").update(`ext:${e.externalId}`).digest("hex");
  return null;
}

interface AnswerClass {
  channel: string | null;
  source: string | null;
  confidence: number | null;
  rule: string;
}

/**
 * An option answer takes the option's channel (rule "option"), refined by what was typed into the
 * option's follow-up question when that reveals private sharing or names the app (refineWithFollowUp);
 * "Other" free text goes through the classifier with the admins' manual labels (a label wins); "I
 * don't remember" is unclassified. Unclassified is stored as channel null, with the rule saying why.
 */
function classifyResponse(e: SurveyResponseEvent, option: OptionRow | undefined, labels: ReadonlyMap<string, Classification>): AnswerClass {
  if (e.optionId !== null) {
    if (!option || option.surveyId !== e.surveyId) return { channel: null, source: null, confidence: null, rule: "unknown_option" };
    if (option.kind === "dont_remember") return { channel: null, source: null, confidence: null, rule: "dont_remember" };
    if (option.kind === "option") {
      if (!option.channel) return { channel: null, source: null, confidence: null, rule: "option_unmapped" };
      const answer = { channel: option.channel, source: option.source };
      return e.followUpText?.trim() ? refineWithFollowUp(answer, classifyAnswer(e.followUpText, { labels })) : { ...answer, confidence: 1, rule: "option" };
    }
  }
  // "Other" (or free text with no option, from the API).
  if (e.otherText === null || e.otherText.trim() === "") return { channel: null, source: null, confidence: null, rule: "empty" };
  const c = classifyAnswer(e.otherText, { labels });
  return { channel: c.channel === "unclassified" ? null : c.channel, source: c.source, confidence: c.confidence, rule: c.rule };
}

async function loadOptions(tx: Tx, responses: readonly SurveyResponseEvent[]): Promise<Map<string, OptionRow>> {
  const ids = distinct(responses.map((e) => e.optionId));
  const rows = await selectIn(ids, (part) =>
    tx
      .select({ id: surveyOptions.id, surveyId: surveyOptions.surveyId, kind: surveyOptions.kind, channel: surveyOptions.channel, source: surveyOptions.source })
      .from(surveyOptions)
      .where(inArray(surveyOptions.id, part)),
  );
  return new Map(rows.map((o) => [o.id, o]));
}

async function loadLabels(tx: Tx, responses: readonly SurveyResponseEvent[]): Promise<Map<string, Classification>> {
  const keys = distinct(responses.flatMap((e) => [e.otherText, e.followUpText].map((t) => (t ? normalizeAnswer(t) : null))));
  const rows = await selectIn(keys, (part) => tx.select().from(answerLabels).where(inArray(answerLabels.normalizedText, part)));
  const labels = new Map<string, Classification>();
  for (const l of rows) if (isChannelKey(l.channel)) labels.set(l.normalizedText, { channel: l.channel, source: l.source });
  return labels;
}

/**
 * Stores answers, deduplicated three ways: the event id (re-delivery), the idempotency key (a client
 * retrying its request) and the dedupe key (same respondent, same survey, same UTC day). The first one
 * received is kept: rows are inserted in the order they arrived and duplicates are skipped by the
 * unique constraints, inside this batch and against the database alike.
 *
 * An answer's conversion (origin "survey") gets an id derived from the event id. It is stored with the
 * answer; for a duplicate answer it is stored only when it carries its own order id (externalId), which
 * makes it a distinct, itself idempotent conversion: without one we cannot tell a second order from a
 * resubmitted form, so it is dropped with its answer. A conversion whose order id is already known
 * (from the tracker, the API or an earlier answer) is not stored again; the answer points to the first,
 * and its report of the order joins the others (recordReports).
 */
async function ingestResponses(tx: Tx, responses: readonly SurveyResponseEvent[], ctx: IngestContext): Promise<{ responses: number; conversions: number }> {
  if (responses.length === 0) return { responses: 0, conversions: 0 };
  const options = await loadOptions(tx, responses);
  const labels = await loadLabels(tx, responses);

  const externalIds = distinct(responses.map((e) => e.conversion?.externalId));
  const byOrderId = new Map(
    (
      await selectIn(externalIds, (part) =>
        tx.select({ id: conversions.id, externalId: conversions.externalId }).from(conversions).where(inArray(conversions.externalId, part)),
      )
    ).map((c) => [c.externalId!, c.id]),
  );

  const rows: ResponseRow[] = [];
  const candidates: { row: ConversionRow; responseId: string; ownOrderId: boolean }[] = [];
  const reports: (ConversionReport | null)[] = [];
  for (const e of responses) {
    let conversionId: string | null = null;
    if (e.conversion) {
      const orderId = e.conversion.externalId;
      reports.push(conversionReport(e.id, e.ts, "survey", e.conversion, { lcid: e.lcid, visitorId: e.visitorId, shareToken: e.shareToken, respondentHash: respondentKey(e) }));
      conversionId = (orderId && byOrderId.get(orderId)) || surveyConversionId(e.id);
      if (conversionId === surveyConversionId(e.id)) {
        if (orderId) byOrderId.set(orderId, conversionId);
        candidates.push({
          responseId: e.id,
          ownOrderId: orderId !== null,
          row: {
            id: conversionId,
            externalId: orderId,
            ts: e.conversion.occurredAt ?? e.ts,
            receivedAt: ctx.now,
            type: e.conversion.type,
            value: e.conversion.value,
            currency: e.conversion.currency,
            lcid: e.lcid,
            visitorId: e.visitorId,
            shareToken: e.shareToken,
            respondentHash: respondentKey(e),
            origin: "survey",
          },
        });
      }
    }
    const answer = classifyResponse(e, e.optionId ? options.get(e.optionId) : undefined, labels);
    rows.push({
      id: e.id,
      surveyId: e.surveyId,
      ts: e.ts,
      receivedAt: ctx.now,
      optionId: e.optionId,
      otherText: e.otherText,
      followUpText: e.followUpText,
      ...normalizedAnswerTexts(e),
      ...answer,
      respondentHash: e.respondentHash,
      externalId: e.externalId,
      lcid: e.lcid,
      visitorId: e.visitorId,
      shareToken: e.shareToken,
      conversionId,
      locale: e.locale,
      idempotencyKey: e.idempotencyKey,
      dedupeKey: dedupeKey(e),
    });
  }

  const stored = new Set<string>();
  for (const part of chunk(rows)) {
    const inserted = await tx.insert(surveyResponses).values(part).onConflictDoNothing().returning({ id: surveyResponses.id });
    for (const r of inserted) stored.add(r.id);
  }
  const keep = candidates.filter((c) => stored.has(c.responseId) || c.ownOrderId).map((c) => c.row);
  const storedConversions = await insertNew(tx, conversions, keep);
  // Every answer's report of its order counts, a duplicate answer's too: the order's row is derived from all of them.
  await recordReports(tx, reports, ctx.now);
  if (stored.size < rows.length) ctx.log.debug({ duplicates: rows.length - stored.size }, "duplicate survey answers skipped");
  return { responses: stored.size, conversions: storedConversions };
}
