import { newId, parseOr400 } from "@lantern/http";
import { surveySkipEvent, surveyViewEvent } from "@lantern/queue";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Services } from "../context.ts";
import { idField, rawJson } from "./public-body.ts";
import { openSurveyOr4xx } from "./shared.ts";

export const viewBody = z.object({
  surveyId: idField,
  visitorId: idField.nullish(),
  lcid: idField.nullish(),
  placement: z.enum(["widget", "api"]).default("widget"),
});

export const skipBody = z.object({
  surveyId: idField,
  visitorId: idField.nullish(),
  lcid: idField.nullish(),
});

/** POST /v1/views: the survey was shown (the widget calls this when it opens). */
export function publicViewRoutes(s: Services) {
  const app = new Hono<AppEnv>();
  app.post("/", async (c) => {
    const body = parseOr400(viewBody, await rawJson(c));
    const survey = await openSurveyOr4xx(s, body.surveyId);
    const event = surveyViewEvent.parse({
      id: newId(),
      ts: s.clock(),
      type: "survey.view",
      surveyId: survey.id,
      visitorId: body.visitorId ?? null,
      lcid: body.lcid ?? null,
      placement: body.placement,
    });
    s.buffer.push(event);
    return c.json({ id: event.id }, 202);
  });
  return app;
}

/** POST /v1/skips: the survey was dismissed without an answer (a skip is not an answer). */
export function publicSkipRoutes(s: Services) {
  const app = new Hono<AppEnv>();
  app.post("/", async (c) => {
    const body = parseOr400(skipBody, await rawJson(c));
    const survey = await openSurveyOr4xx(s, body.surveyId);
    const event = surveySkipEvent.parse({
      id: newId(),
      ts: s.clock(),
      type: "survey.skip",
      surveyId: survey.id,
      visitorId: body.visitorId ?? null,
      lcid: body.lcid ?? null,
    });
    s.buffer.push(event);
    return c.json({ id: event.id }, 202);
  });
  return app;
}
