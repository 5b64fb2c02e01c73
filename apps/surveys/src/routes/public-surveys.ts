import { Hono } from "hono";
import type { AppEnv, Services } from "../context.ts";
import { chooseLocale, publicSurvey, surveyLocales } from "../survey-model.ts";
import { uiText } from "../ui-text.ts";
import { openSurveyOr4xx } from "./shared.ts";

/**
 * GET /v1/surveys/:id?locale=: what the widget shows, in one locale, options already in view order
 * (shuffled per request when the survey is randomised, hence no caching).
 */
export function publicSurveyRoutes(s: Services) {
  const app = new Hono<AppEnv>();
  app.get("/:id", async (c) => {
    const survey = await openSurveyOr4xx(s, c.req.param("id"));
    const locale = chooseLocale(surveyLocales(survey), survey.defaultLocale, c.req.query("locale"), c.req.header("accept-language"));
    const ui = uiText(locale);
    c.header("Cache-Control", "no-store");
    return c.json({ ...publicSurvey(survey, locale, ui.thanks), ui: { submit: ui.submit, otherPrompt: ui.otherPrompt, followUpHint: ui.followUpHint, chooseAnswer: ui.chooseAnswer, close: ui.close } });
  });
  return app;
}
