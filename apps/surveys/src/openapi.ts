import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { labelInput } from "./routes/answer-labels.ts";
import { responseBody } from "./routes/public-responses.ts";
import { skipBody, viewBody } from "./routes/public-views.ts";
import { filterQuery, listQuery } from "./routes/responses.ts";
import { createSurveyInput, updateSurveyInput } from "./survey-model.ts";

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), requestId: z.string().optional() }) });
const idParam = z.object({ id: z.string() });
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [code, { description: ERROR_TEXT[code] ?? "Error", content: { "application/json": { schema: errorSchema } } }]));
const ERROR_TEXT: Record<number, string> = {
  400: "Invalid input: the message says what to fix",
  401: "No API key, or an unknown or revoked one",
  403: "The API key lacks the scope",
  404: "No such survey",
  409: "The survey is archived",
  410: "The survey is closed (inactive or archived)",
  413: "Body too large",
  415: "Send JSON",
  429: "Too many requests",
};
const json = (description: string) => ({ description, content: { "application/json": { schema: z.looseObject({}) } } });
const body = (schema: z.ZodType) => ({ body: { content: { "application/json": { schema } }, required: true } });
const security = [{ bearer: [] }];

/**
 * The OpenAPI description of the survey service, built from the same zod schemas the routes validate
 * with (the routes stay plain Hono handlers; this registry only describes them).
 */
export function openApiDocument(publicUrl: string) {
  const doc = new OpenAPIHono();
  const r = doc.openAPIRegistry;
  r.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", description: "An API key (lt_...) or LANTERN_API_KEY" });
  const mgmt = { tags: ["surveys"], security };
  r.registerPath({ ...mgmt, method: "post", path: "/api/surveys", summary: "Create a survey (surveys:write)", request: body(createSurveyInput), responses: { 201: json("The survey, with its hosted URL and embed snippet"), ...errors(400, 401, 403, 413, 415) } });
  r.registerPath({ ...mgmt, method: "get", path: "/api/surveys", summary: "List surveys (surveys:read); ?archived=true includes archived ones", responses: { 200: json("{ data: Survey[] }"), ...errors(401, 403) } });
  r.registerPath({ ...mgmt, method: "get", path: "/api/surveys/{id}", summary: "One survey (surveys:read)", request: { params: idParam }, responses: { 200: json("The survey"), ...errors(401, 403, 404) } });
  r.registerPath({ ...mgmt, method: "patch", path: "/api/surveys/{id}", summary: "Change a survey; `options` replaces the list (ids keep options, missing ones are archived)", request: { params: idParam, ...body(updateSurveyInput) }, responses: { 200: json("The survey"), ...errors(400, 401, 403, 404, 409, 415) } });
  r.registerPath({ ...mgmt, method: "delete", path: "/api/surveys/{id}", summary: "Archive a survey (answers are kept)", request: { params: idParam }, responses: { 200: json("The archived survey"), ...errors(401, 403, 404) } });
  r.registerPath({ ...mgmt, tags: ["responses"], method: "get", path: "/api/surveys/{id}/responses", summary: "Responses, newest first, with filters and cursor pagination", request: { params: idParam, query: listQuery }, responses: { 200: json("{ data: Response[], nextCursor }"), ...errors(400, 401, 403, 404) } });
  r.registerPath({ ...mgmt, tags: ["responses"], method: "get", path: "/api/surveys/{id}/responses.csv", summary: "Responses as CSV (formula-safe)", request: { params: idParam, query: filterQuery }, responses: { 200: { description: "text/csv" }, ...errors(400, 401, 403, 404) } });
  r.registerPath({ ...mgmt, tags: ["responses"], method: "get", path: "/api/surveys/{id}/stats", summary: "Views, responses, skips, response rate, how often offered follow-ups were answered, answers per option and channel", request: { params: idParam, query: filterQuery.pick({ from: true, to: true }) }, responses: { 200: json("Figures"), ...errors(400, 401, 403, 404) } });
  r.registerPath({ ...mgmt, tags: ["labels"], method: "put", path: "/api/answer-labels", summary: "Label a free-text answer by hand; relabels stored answers (Other text and follow-up answers) with the same text", request: body(labelInput), responses: { 200: json("{ label, relabeled }"), ...errors(400, 401, 403) } });
  r.registerPath({ ...mgmt, tags: ["labels"], method: "get", path: "/api/answer-labels", summary: "Manual labels", responses: { 200: json("{ data: Label[] }"), ...errors(401, 403) } });
  const pub = { tags: ["public"] };
  r.registerPath({ ...pub, method: "get", path: "/v1/surveys/{id}", summary: "A survey in one locale (?locale=, else Accept-Language), options in view order", request: { params: idParam }, responses: { 200: json("Public survey"), ...errors(404, 410) } });
  r.registerPath({ ...pub, method: "post", path: "/v1/responses", summary: "An answer (widget or server-side); 202 { id }", request: body(responseBody), responses: { 202: json("{ id }"), ...errors(400, 404, 410, 413, 415, 429) } });
  r.registerPath({ ...pub, method: "post", path: "/v1/views", summary: "The survey was shown", request: body(viewBody), responses: { 202: json("{ id }"), ...errors(400, 404, 410, 429) } });
  r.registerPath({ ...pub, method: "post", path: "/v1/skips", summary: "The survey was dismissed without an answer", request: body(skipBody), responses: { 202: json("{ id }"), ...errors(400, 404, 410, 429) } });
  return doc.getOpenAPI31Document({
    openapi: "3.1.0",
    info: { title: "Lantern surveys API", version: "1.0.0", description: "\"How did you hear about us?\" surveys. Also served, not listed: the hosted page GET/POST /s/{id} and GET /widget.js." },
    servers: [{ url: publicUrl }],
  });
}
