import { jsonBody, requireScope } from "@lantern/http";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Services } from "../context.ts";
import { presentSurvey } from "../present.ts";
import { createSurveyInput, updateSurveyInput } from "../survey-model.ts";
import { surveyOr404 } from "./shared.ts";

/** Management of surveys: /api/surveys (API key with surveys:read / surveys:write). */
export function surveyRoutes(s: Services) {
  const app = new Hono<AppEnv>();
  const url = s.config.publicUrl;

  app.post("/", requireScope("surveys:write"), async (c) => {
    const input = await jsonBody(c, createSurveyInput);
    const survey = await s.store.create(input);
    return c.json(presentSurvey(survey, url), 201, { Location: `/api/surveys/${survey.id}` });
  });

  app.get("/", requireScope("surveys:read"), async (c) => {
    const includeArchived = z.enum(["true", "false"]).optional().safeParse(c.req.query("archived")).data === "true";
    const list = await s.store.list({ includeArchived });
    return c.json({ data: list.map((survey) => presentSurvey(survey, url)) });
  });

  app.get("/:id", requireScope("surveys:read"), async (c) => {
    const survey = await surveyOr404(s, c.req.param("id"));
    return c.json(presentSurvey(survey, url));
  });

  app.patch("/:id", requireScope("surveys:write"), async (c) => {
    await surveyOr404(s, c.req.param("id"));
    const input = await jsonBody(c, updateSurveyInput);
    const survey = await s.store.update(c.req.param("id"), input);
    return c.json(presentSurvey(survey, url));
  });

  // Archiving, not deleting: the answers stay, the survey stops taking new ones.
  app.delete("/:id", requireScope("surveys:write"), async (c) => {
    await surveyOr404(s, c.req.param("id"));
    const survey = await s.store.archive(c.req.param("id"));
    return c.json(presentSurvey(survey, url));
  });

  return app;
}
