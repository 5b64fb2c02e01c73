export { createApp, type SurveysApp } from "./app.ts";
export { defaultSurveyInput, ensureDefaultSurvey } from "./bootstrap.ts";
export { DEFAULT_CONFIG, type AppDeps, type EventSink, type SurveysConfig } from "./context.ts";
export { embedSnippet, hostedUrl } from "./present.ts";
export { emailHash, normaliseEmail, respondentHash } from "./respondent.ts";
