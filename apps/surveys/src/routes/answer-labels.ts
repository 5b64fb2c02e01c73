import { normaliseSource, refineWithFollowUp } from "@lantern/core";
import { answerLabels, surveyOptions, surveyResponses } from "@lantern/db/schema";
import { ApiError, jsonBody, requireScope } from "@lantern/http";
import { and, asc, desc, eq, gt, inArray, isNotNull, or } from "drizzle-orm";
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
 * the worker does (refineWithFollowUp). The normalisation lives in code (not SQL), so the answers with
 * text are scanned a page at a time.
 */
async function relabelStoredAnswers(s: Services, normalizedText: string, channel: string, source: string | null): Promise<number> {
  const r = surveyResponses;
  const others: string[] = [];
  const followUps: { id: string; optionId: string }[] = [];
  let after = "";
  for (;;) {
    const page = await s.db
      .select({ id: r.id, otherText: r.otherText, followUpText: r.followUpText, optionId: r.optionId })
      .from(r)
      .where(and(or(isNotNull(r.otherText), isNotNull(r.followUpText)), gt(r.id, after)))
      .orderBy(asc(r.id))
      .limit(2000);
    for (const row of page) {
      if (row.otherText && normalizeAnswerText(row.otherText) === normalizedText) others.push(row.id);
      else if (row.followUpText && row.optionId && normalizeAnswerText(row.followUpText) === normalizedText) followUps.push({ id: row.id, optionId: row.optionId });
    }
    if (page.length < 2000) break;
    after = page[page.length - 1]!.id;
  }
  for (let i = 0; i < others.length; i += 500) {
    await s.db
      .update(r)
      .set({ channel, source, confidence: 1, rule: MANUAL_LABEL_RULE })
      .where(inArray(r.id, others.slice(i, i + 500)));
  }
  const label = { channel, source, confidence: 1, rule: MANUAL_LABEL_RULE };
  const options = new Map<string, { channel: string | null; source: string | null }>();
  for (const f of followUps) {
    let option = options.get(f.optionId);
    if (!option) {
      const [row] = await s.db.select({ channel: surveyOptions.channel, source: surveyOptions.source }).from(surveyOptions).where(eq(surveyOptions.id, f.optionId));
      option = row ?? { channel: null, source: null };
      options.set(f.optionId, option);
    }
    if (!option.channel) continue;
    const refined = refineWithFollowUp({ channel: option.channel, source: option.source }, label);
    await s.db.update(r).set(refined).where(eq(r.id, f.id));
  }
  return others.length + followUps.length;
}
