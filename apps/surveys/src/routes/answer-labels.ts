import { normaliseSource, refineWithFollowUp } from "@lantern/core";
import { backfillNormalizedAnswerTexts, serialiseWrites } from "@lantern/db";
import { answerLabels, surveyOptions, surveyResponses } from "@lantern/db/schema";
import { ApiError, jsonBody, requireScope } from "@lantern/http";
import { and, asc, count, desc, eq, inArray, isNull, ne, or } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { normalizeAnswerText } from "../classification.ts";
import type { AppEnv, Services } from "../context.ts";
import { channelSchema } from "../survey-model.ts";

export const labelInput = z.object({
  text: z.string().trim().min(1).max(500),
  channel: channelSchema,
  source: z.string().trim().min(1).max(64).nullable().optional(),
});

/** The rule name stored on answers an admin labelled by hand. */
export const MANUAL_LABEL_RULE = "manual_label";

/**
 * Manual labels for free-text answers, keyed by the normalised text. The worker reads them before its
 * rules, so the next identical answer gets the label; this route also relabels the answers already stored.
 */
export function answerLabelRoutes(s: Services) {
  const app = new Hono<AppEnv>();

  app.put("/", requireScope("surveys:write"), async (c) => {
    const input = await jsonBody(c, labelInput);
    const normalizedText = normalizeAnswerText(input.text);
    if (!normalizedText) throw new ApiError(400, "validation_failed", "text: nothing is left of this text once normalised; label a real answer.");
    const source = input.source ? normaliseSource(input.source) || null : null;
    const row = { normalizedText, channel: input.channel, source, labeledBy: c.get("caller").keyId, createdAt: s.clock() };
    await s.db
      .insert(answerLabels)
      .values(row)
      .onConflictDoUpdate({ target: answerLabels.normalizedText, set: { channel: row.channel, source: row.source, labeledBy: row.labeledBy, createdAt: row.createdAt } });
    const relabeled = await relabelStoredAnswers(s, normalizedText, input.channel, source);
    return c.json({ label: row, relabeled });
  });

  app.get("/", requireScope("surveys:read"), async (c) => {
    const rows = await s.db.select().from(answerLabels).orderBy(desc(answerLabels.createdAt), asc(answerLabels.normalizedText)).limit(5000);
    return c.json({ data: rows });
  });

  return app;
}

/**
 * Stored answers whose free text normalises to the labelled text get the label, so reports reflect it at
 * once: "Other" text takes the label as it is; an option's follow-up text refines its option the way
 * the worker does (refineWithFollowUp). An answer whose "Other" text matches is relabelled by it, not by
 * its follow-up. The normalised texts are stored with each answer (and indexed), so only the matching
 * answers are read; the count includes follow-up answers whose option maps to no channel (left as they are).
 */
async function relabelStoredAnswers(s: Services, normalizedText: string, channel: string, source: string | null): Promise<number> {
  const r = surveyResponses;
  // Rows a writer older than migration 0005 stored without normalised texts: none once migrate() ran
  // after the last such writer stopped, and then this is one probe of an empty partial index.
  await backfillNormalizedAnswerTexts(s.db);

  const followUpMatches = (optionId?: string) =>
    and(
      eq(r.followUpTextNormalized, normalizedText),
      // Any option: a non-empty id (`<> ''` is not true for null either).
      optionId === undefined ? ne(r.optionId, "") : eq(r.optionId, optionId),
      or(isNull(r.otherTextNormalized), ne(r.otherTextNormalized, normalizedText)),
    );
  const groups = await s.db.select({ optionId: r.optionId, n: count() }).from(r).where(followUpMatches()).groupBy(r.optionId);
  const optionIds = groups.map((g) => g.optionId!);
  const options = new Map(
    (await s.db.select({ id: surveyOptions.id, channel: surveyOptions.channel, source: surveyOptions.source }).from(surveyOptions).where(inArray(surveyOptions.id, optionIds))).map((o) => [
      o.id,
      o,
    ]),
  );

  const label = { channel, source, confidence: 1, rule: MANUAL_LABEL_RULE };
  // A relabelled answer is stamped as received now, so the worker's next incremental run redoes its
  // conversion (it reads answers by received_at) instead of leaving it to the nightly full run.
  const receivedAt = s.clock();
  const refinements = optionIds.flatMap((id) => {
    const option = options.get(id);
    if (!option?.channel) return [];
    const refined = refineWithFollowUp({ channel: option.channel, source: option.source }, label);
    return [s.db.update(r).set({ ...refined, receivedAt }).where(followUpMatches(id))];
  });
  // One batch: the writes run in one transaction without interleaving with this process's other queries.
  const [others] = await serialiseWrites(s.db, () =>
    s.db.batch([s.db.update(r).set({ ...label, receivedAt }).where(eq(r.otherTextNormalized, normalizedText)), ...refinements]),
  );
  return others.rowsAffected + groups.reduce((sum, g) => sum + g.n, 0);
}
