import { ApiError } from "@lantern/http";
import type { Services } from "../context.ts";
import type { Survey } from "../survey-model.ts";

export async function surveyOr404(s: Services, id: string): Promise<Survey> {
  const survey = await s.store.load(id);
  if (!survey) throw new ApiError(404, "not_found", `No survey "${id.slice(0, 64)}".`);
  return survey;
}

/** For the public endpoints: the survey must exist, not be archived, and be active. */
export async function openSurveyOr4xx(s: Services, id: string): Promise<Survey> {
  const survey = await s.store.getCached(id);
  if (!survey) throw new ApiError(404, "not_found", "No such survey.");
  if (survey.archivedAt !== null || !survey.active) throw new ApiError(410, "gone", "This survey is closed.");
  return survey;
}

/** Epoch ms from a query value: digits (epoch ms) or an ISO date / date-time. */
export function parseTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (/^\d{1,16}$/.test(value)) return Number(value);
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new ApiError(400, "validation_failed", `${name}: give epoch milliseconds or an ISO date (2025-01-31 or 2025-01-31T12:00:00Z).`);
  return ms;
}
