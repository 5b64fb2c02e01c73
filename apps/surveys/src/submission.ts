import { ApiError } from "@lantern/http";
import { surveyResponseEvent, type SurveyResponseEvent } from "@lantern/queue";
import { derivedId, newId } from "./ids.ts";
import type { Survey } from "./survey-model.ts";
import { cleanText } from "./text.ts";

/** An answer, already shape-checked (by zod for the API, by the form reader for the hosted page). */
export interface Answer {
  optionId: string | null;
  otherText: string | null;
  followUpText: string | null;
  locale: string | null;
  respondentHash: string | null;
  externalId: string | null;
  lcid: string | null;
  visitorId: string | null;
  shareToken: string | null;
  conversion: { type: string; value: number | null; currency: string | null; externalId: string | null; occurredAt: number | null } | null;
  idempotencyKey: string | null;
}

const DAY_MS = 86_400_000;

/**
 * The response id. The same idempotency key always gives the same id, and so does the same respondent
 * (email hash, else the site's id, else the visitor id) answering the same survey on the same UTC day:
 * a retry gets back the id of the first answer. The worker stores events by id and also enforces the
 * idempotency and respondent-per-day keys (the same "who" as here), keeping only the first.
 */
export function responseId(surveyId: string, answer: Pick<Answer, "idempotencyKey" | "respondentHash" | "externalId" | "visitorId">, now: number): string {
  if (answer.idempotencyKey) return derivedId("idempotency", surveyId, answer.idempotencyKey);
  const who = answer.respondentHash ? `email:${answer.respondentHash}` : answer.externalId ? `ext:${answer.externalId}` : answer.visitorId ? `visitor:${answer.visitorId}` : null;
  if (who) return derivedId("respondent", surveyId, who, String(Math.floor(now / DAY_MS)));
  return newId();
}

/**
 * Checks an answer against its survey and builds the event the worker stores. Throws a 400 ApiError a
 * person can act on; the final schema parse makes sure nothing malformed ever reaches the queue.
 */
export function buildResponseEvent(survey: Survey, answer: Answer, now: number): SurveyResponseEvent {
  const otherText = cleanText(answer.otherText);
  const followUpText = cleanText(answer.followUpText);
  let option = answer.optionId === null ? undefined : survey.options.find((o) => o.id === answer.optionId);
  if (answer.optionId !== null && !option) {
    throw new ApiError(400, "validation_failed", `optionId: "${answer.optionId}" is not an option of this survey.`);
  }
  if (!option && otherText === null) throw new ApiError(400, "validation_failed", "Choose an option (optionId) or write an answer (otherText).");
  if (option && option.kind !== "other" && otherText !== null) {
    throw new ApiError(400, "validation_failed", "otherText: free text belongs to the \"Other\" option (or to no option).");
  }
  // Free text without an option is an "Other" answer when the survey has one, so the figures per option add up.
  if (!option) option = survey.options.find((o) => o.kind === "other");
  if (followUpText !== null && !option?.followUp) {
    throw new ApiError(400, "validation_failed", "followUpText: the chosen option has no follow-up question.");
  }
  const event: SurveyResponseEvent = {
    id: responseId(survey.id, answer, now),
    ts: now,
    type: "survey.response",
    surveyId: survey.id,
    optionId: option?.id ?? null,
    otherText,
    followUpText,
    locale: answer.locale,
    respondentHash: answer.respondentHash,
    externalId: answer.externalId,
    lcid: answer.lcid,
    visitorId: answer.visitorId,
    shareToken: answer.shareToken,
    idempotencyKey: answer.idempotencyKey ? `${survey.id}:${answer.idempotencyKey}` : null,
    conversion: answer.conversion,
  };
  const checked = surveyResponseEvent.safeParse(event);
  if (!checked.success) throw new ApiError(400, "validation_failed", "The answer does not fit the event format.");
  return checked.data;
}
