import { channelForSource, normaliseSource } from "@lantern/core";
import type { Db } from "@lantern/db";
import { surveyOptions, surveys, type LocalizedText } from "@lantern/db/schema";
import { ApiError } from "@lantern/http";
import { asc, desc, eq, isNull } from "drizzle-orm";
import { suggestClassification } from "./classification.ts";
import { EXTERNAL_ID, newId } from "./ids.ts";
import {
  toLocalized,
  type CreateSurveyInput,
  type OptionInput,
  type Survey,
  type SurveyOption,
  type UpdateSurveyInput,
} from "./survey-model.ts";

export type SurveyRow = typeof surveys.$inferSelect;
export type OptionRow = typeof surveyOptions.$inferSelect;

export function toSurvey(row: SurveyRow, optionRows: OptionRow[]): Survey {
  const allOptions: SurveyOption[] = optionRows
    .slice()
    .sort((a, b) => a.position - b.position)
    .map((o) => ({ id: o.id, kind: o.kind, position: o.position, label: o.label, channel: o.channel, source: o.source, followUp: o.followUp, archivedAt: o.archivedAt }));
  return {
    id: row.id,
    name: row.name,
    question: row.question,
    defaultLocale: row.defaultLocale,
    randomize: row.randomize,
    active: row.active,
    thankYou: row.thankYou,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    archivedAt: row.archivedAt,
    options: allOptions.filter((o) => o.archivedAt === null),
    allOptions,
  };
}

/**
 * The channel and source an option stands for: an explicit channel wins; a source alone implies its
 * channel; an option updated without a new label keeps what it had (an admin may have set it by hand);
 * otherwise the core classifier suggests one from the label. "Other" and "I don't remember" get no
 * suggestion (the free text, or nothing, decides).
 */
function classifyOption(input: OptionInput, label: LocalizedText, defaultLocale: string, previous: SurveyOption | undefined) {
  const source = input.source ? normaliseSource(input.source) || null : input.source;
  const suggest = () => (input.kind === "option" ? suggestClassification(label[defaultLocale] ?? Object.values(label)[0] ?? "") : null);
  if (input.channel !== undefined) return { channel: input.channel, source: source ?? null };
  if (source) return { channel: channelForSource(source) ?? suggest()?.channel ?? null, source };
  if (previous && previous.kind === input.kind && JSON.stringify(previous.label) === JSON.stringify(label)) {
    return { channel: previous.channel, source: source === null ? null : previous.source };
  }
  const suggested = suggest();
  return { channel: suggested?.channel ?? null, source: suggested?.source ?? null };
}

function optionRowsFor(surveyId: string, inputs: OptionInput[], defaultLocale: string, existing: SurveyOption[]): OptionRow[] {
  const byId = new Map(existing.map((o) => [o.id, o]));
  return inputs.map((input, position) => {
    const previous = input.id ? byId.get(input.id) : undefined;
    if (input.id && !previous) throw new ApiError(400, "validation_failed", `options.${position}.id: this survey has no option "${input.id}"`);
    const label = toLocalized(input.label, defaultLocale);
    const { channel, source } = classifyOption(input, label, defaultLocale, previous);
    const followUp = input.followUp === undefined ? (previous?.followUp ?? null) : input.followUp === null ? null : toLocalized(input.followUp, defaultLocale);
    return { id: previous?.id ?? newId(9), surveyId, position, kind: input.kind, label, channel, source, followUp, archivedAt: null };
  });
}

function checkQuestion(question: LocalizedText, defaultLocale: string) {
  if (!question[defaultLocale]) {
    throw new ApiError(400, "validation_failed", `question: give the question in the default locale "${defaultLocale}"`);
  }
}

/** The rows of a new survey (checked: the question must be given in the default locale). */
export function newSurveyRows(input: CreateSurveyInput, now: number): { survey: SurveyRow; options: OptionRow[] } {
  const id = newId();
  const question = toLocalized(input.question, input.defaultLocale);
  checkQuestion(question, input.defaultLocale);
  const survey: SurveyRow = {
    id,
    name: input.name ?? (question[input.defaultLocale] ?? "Survey").slice(0, 200),
    question,
    defaultLocale: input.defaultLocale,
    randomize: input.randomize,
    active: input.active,
    thankYou: input.thankYou ? toLocalized(input.thankYou, input.defaultLocale) : null,
    createdAt: now,
    updatedAt: now,
    archivedAt: null,
  };
  return { survey, options: optionRowsFor(id, input.options, input.defaultLocale, []) };
}

export interface SurveyStore {
  /** For the public endpoints: cached for a few seconds, including "there is no such survey". */
  getCached(id: string): Promise<Survey | null>;
  /** Always from the database. */
  load(id: string): Promise<Survey | null>;
  list(options: { includeArchived: boolean }): Promise<Survey[]>;
  create(input: CreateSurveyInput): Promise<Survey>;
  update(id: string, input: UpdateSurveyInput): Promise<Survey>;
  archive(id: string): Promise<Survey>;
}

export function createSurveyStore(db: Db, clock: () => number, options: { cacheTtlMs?: number } = {}): SurveyStore {
  const ttl = options.cacheTtlMs ?? 5_000;
  // A short TTL keeps every instance close to the database without a query per public request;
  // this instance's own writes drop their entry at once.
  const cache = new Map<string, { survey: Survey | null; until: number }>();

  async function load(id: string): Promise<Survey | null> {
    if (!EXTERNAL_ID.test(id)) return null;
    const [row] = await db.select().from(surveys).where(eq(surveys.id, id));
    if (!row) return null;
    const optionRows = await db.select().from(surveyOptions).where(eq(surveyOptions.surveyId, id));
    return toSurvey(row, optionRows);
  }

  return {
    async getCached(id) {
      const now = Date.now();
      const hit = cache.get(id);
      if (hit && hit.until > now) return hit.survey;
      const survey = await load(id);
      if (cache.size > 10_000) cache.clear();
      cache.set(id, { survey, until: now + ttl });
      return survey;
    },
    load,
    async list({ includeArchived }) {
      const rows = await db
        .select()
        .from(surveys)
        .where(includeArchived ? undefined : isNull(surveys.archivedAt))
        .orderBy(desc(surveys.createdAt), asc(surveys.id))
        .limit(1000);
      if (rows.length === 0) return [];
      const optionRows = await db.select().from(surveyOptions);
      const bySurvey = new Map<string, OptionRow[]>();
      for (const o of optionRows) bySurvey.set(o.surveyId, [...(bySurvey.get(o.surveyId) ?? []), o]);
      return rows.map((r) => toSurvey(r, bySurvey.get(r.id) ?? []));
    },
    async create(input) {
      const { survey, options } = newSurveyRows(input, clock());
      await db.batch([db.insert(surveys).values(survey), db.insert(surveyOptions).values(options)]);
      cache.delete(survey.id);
      return toSurvey(survey, options);
    },
    async update(id, input) {
      const current = await load(id);
      if (!current) throw new ApiError(404, "not_found", `No survey "${id}".`);
      if (current.archivedAt !== null) throw new ApiError(409, "conflict", "This survey is archived; archived surveys cannot be changed.");
      const now = clock();
      const defaultLocale = input.defaultLocale ?? current.defaultLocale;
      const question = input.question === undefined ? current.question : toLocalized(input.question, defaultLocale);
      checkQuestion(question, defaultLocale);
      const patch = {
        name: input.name ?? current.name,
        defaultLocale,
        question,
        thankYou: input.thankYou === undefined ? current.thankYou : input.thankYou === null ? null : toLocalized(input.thankYou, defaultLocale),
        randomize: input.randomize ?? current.randomize,
        active: input.active ?? current.active,
        updatedAt: now,
      };
      const statements = [db.update(surveys).set(patch).where(eq(surveys.id, id))];
      if (input.options) {
        const rows = optionRowsFor(id, input.options, defaultLocale, current.allOptions);
        const kept = new Set(rows.map((r) => r.id));
        const existing = new Set(current.allOptions.map((o) => o.id));
        for (const r of rows) {
          const { id: optionId, surveyId: _s, ...rest } = r;
          if (existing.has(optionId)) statements.push(db.update(surveyOptions).set(rest).where(eq(surveyOptions.id, optionId)) as never);
          else statements.push(db.insert(surveyOptions).values(r) as never);
        }
        // Removed options are archived, not deleted: answers already given keep their option and label.
        for (const o of current.options) {
          if (!kept.has(o.id)) statements.push(db.update(surveyOptions).set({ archivedAt: now }).where(eq(surveyOptions.id, o.id)) as never);
        }
      }
      await db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);
      cache.delete(id);
      return (await load(id))!;
    },
    async archive(id) {
      const current = await load(id);
      if (!current) throw new ApiError(404, "not_found", `No survey "${id}".`);
      if (current.archivedAt === null) {
        const now = clock();
        await db.update(surveys).set({ archivedAt: now, active: false, updatedAt: now }).where(eq(surveys.id, id));
      }
      cache.delete(id);
      return (await load(id))!;
    },
  };
}
