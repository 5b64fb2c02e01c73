import { ApiError, EARLIEST_OCCURRED_AT, emailStoredAsIs, newId, OCCURRED_AT_TOO_EARLY, occurredAtInFuture, parseOr400 } from "@lantern/http";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Services } from "../context.ts";
import { looksLikeEmail, respondentHash } from "../respondent.ts";
import { buildResponseEvent } from "../submission.ts";
import { localeSchema } from "../survey-model.ts";
import { honeypotFilled, idField, rawJson } from "./public-body.ts";
import { openSurveyOr4xx } from "./shared.ts";

const MAX_TEXT = 500;

/** Free text stored as it is: an email address there is refused (the respondent's email is hashed). */
const NO_EMAIL = emailStoredAsIs("send it as respondent.email (it is hashed)");

const conversionInput = z.object({
  type: z.string().trim().min(1).max(64).refine((v) => !looksLikeEmail(v), NO_EMAIL),
  value: z.number().finite().min(-1e12).max(1e12).nullish(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, "must be a three-letter currency code")
    .transform((v) => v.toUpperCase())
    .nullish(),
  /** Epoch milliseconds or an ISO date-time, from 2000 on (checked against the clock below: not in the future). */
  occurredAt: z
    .union([z.number().int().max(8.64e15), z.iso.datetime({ offset: true }).transform((v) => Date.parse(v))], {
      error: "must be epoch milliseconds or an ISO 8601 date-time with Z or an offset",
    })
    .refine((t) => t >= EARLIEST_OCCURRED_AT, OCCURRED_AT_TOO_EARLY)
    .nullish(),
  /** The site's order id. */
  id: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine((v) => !looksLikeEmail(v), NO_EMAIL)
    .nullish(),
});


export const responseBody = z.object({
  surveyId: idField,
  optionId: idField.nullish(),
  otherText: z.string().max(MAX_TEXT, `keep answers under ${MAX_TEXT} characters`).nullish(),
  followUpText: z.string().max(MAX_TEXT, `keep answers under ${MAX_TEXT} characters`).nullish(),
  locale: localeSchema.nullish(),
  respondent: z
    .object({
      externalId: z.string().trim().min(1).max(200).nullish(),
      email: z.string().max(254).refine(looksLikeEmail, "must be an email address").nullish(),
    })
    .nullish(),
  lcid: idField.nullish(),
  visitorId: idField.nullish(),
  shareToken: idField.nullish(),
  conversion: conversionInput.nullish(),
  /** Printable ASCII without spaces; scoped to the survey. */
  idempotencyKey: z.string().regex(/^[\x21-\x7E]{1,128}$/, "must be 1-128 printable characters without spaces").nullish(),
  website: z.unknown().optional(),
});
export type ResponseBody = z.infer<typeof responseBody>;

/** POST /v1/responses: an answer from the widget or from a server-side integration. */
export function publicResponseRoutes(s: Services) {
  const app = new Hono<AppEnv>();
  app.post("/", async (c) => {
    const raw = await rawJson(c);
    if (honeypotFilled(raw)) return c.json({ id: newId() }, 202);
    const body = parseOr400(responseBody, raw);
    const now = s.clock();
    const future = occurredAtInFuture(body.conversion?.occurredAt, now);
    if (future) throw new ApiError(400, "validation_failed", `conversion.occurredAt: ${future}`);
    const survey = await openSurveyOr4xx(s, body.surveyId);
    const conversion = body.conversion
      ? {
          type: body.conversion.type,
          value: body.conversion.value ?? null,
          currency: body.conversion.currency ?? null,
          externalId: body.conversion.id ?? null,
          occurredAt: body.conversion.occurredAt ?? null,
        }
      : null;
    const event = buildResponseEvent(
      survey,
      {
        optionId: body.optionId ?? null,
        otherText: body.otherText ?? null,
        followUpText: body.followUpText ?? null,
        locale: body.locale ?? null,
        respondentHash: respondentHash(body.respondent ?? undefined),
        externalId: body.respondent?.externalId ?? null,
        lcid: body.lcid ?? null,
        visitorId: body.visitorId ?? null,
        shareToken: body.shareToken ?? null,
        conversion,
        idempotencyKey: body.idempotencyKey ?? null,
      },
      now,
    );
    s.buffer.push(event);
    return c.json({ id: event.id }, 202);
  });
  return app;
}
