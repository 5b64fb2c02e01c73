import { CHANNEL_KEYS, type ChannelKey } from "@lantern/core";
import type { LocalizedText, SurveyOptionKind } from "@lantern/db/schema";
import { z } from "zod";

/** A survey as the service works with it (options without the archived ones, in stored order). */
export interface SurveyOption {
  id: string;
  kind: SurveyOptionKind;
  position: number;
  label: LocalizedText;
  channel: string | null;
  source: string | null;
  followUp: LocalizedText | null;
  archivedAt: number | null;
}

export interface Survey {
  id: string;
  name: string;
  question: LocalizedText;
  defaultLocale: string;
  randomize: boolean;
  active: boolean;
  thankYou: LocalizedText | null;
  createdAt: number;
  updatedAt: number;
  archivedAt: number | null;
  /** Live options in their stored order. */
  options: SurveyOption[];
  /** Every option ever given, archived ones too: old answers keep their labels. */
  allOptions: SurveyOption[];
}

/** Language tags are kept lower-case ("pt-br") so lookups from Accept-Language are simple. */
export const localeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8}){0,3}$/, "must be a language tag such as en, de or pt-br");

/** A text per locale, or a plain string meaning "in the survey's default locale". */
const localizedInput = (max: number) =>
  z.union([
    z.string().trim().min(1).max(max),
    z
      .record(localeSchema, z.string().trim().min(1).max(max))
      .refine((r) => Object.keys(r).length >= 1, "give at least one locale")
      .refine((r) => Object.keys(r).length <= 30, "at most 30 locales"),
  ]);
export type LocalizedInput = string | Record<string, string>;

export const channelSchema = z.enum(CHANNEL_KEYS);
const sourceSchema = z.string().trim().min(1).max(64);
const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be an id made of letters, digits, _ and -");

export const optionInput = z.object({
  /** Keeps an existing option's identity on update (its answers stay attached to it). */
  id: idSchema.optional(),
  kind: z.enum(["option", "other", "dont_remember"]).default("option"),
  label: localizedInput(200),
  /** Omitted: suggested from the label. null: no channel (the answer stays unclassified unless free text says more). */
  channel: channelSchema.nullable().optional(),
  source: sourceSchema.nullable().optional(),
  followUp: localizedInput(200).nullable().optional(),
});
export type OptionInput = z.infer<typeof optionInput>;

const optionsInput = z
  .array(optionInput)
  .min(1)
  .max(40)
  .superRefine((options, ctx) => {
    for (const kind of ["other", "dont_remember"] as const) {
      if (options.filter((o) => o.kind === kind).length > 1) ctx.addIssue({ code: "custom", message: `at most one "${kind}" option` });
    }
    const ids = options.map((o) => o.id).filter(Boolean);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: "custom", message: "option ids must be unique" });
  });

export const createSurveyInput = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  defaultLocale: localeSchema.default("en"),
  question: localizedInput(300),
  thankYou: localizedInput(300).nullable().optional(),
  randomize: z.boolean().default(true),
  active: z.boolean().default(true),
  options: optionsInput,
});
export type CreateSurveyInput = z.infer<typeof createSurveyInput>;

export const updateSurveyInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    defaultLocale: localeSchema,
    question: localizedInput(300),
    thankYou: localizedInput(300).nullable(),
    randomize: z.boolean(),
    active: z.boolean(),
    /** Replaces the option list: options named by id are updated, new ones added, missing ones archived. */
    options: optionsInput,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "send at least one field to change");
export type UpdateSurveyInput = z.infer<typeof updateSurveyInput>;

export function toLocalized(input: LocalizedInput, defaultLocale: string): LocalizedText {
  return typeof input === "string" ? { [defaultLocale]: input } : { ...input };
}

export function isChannelKeyValue(value: string | null): value is ChannelKey {
  return value !== null && (CHANNEL_KEYS as readonly string[]).includes(value);
}

/** The locales a survey is written in: those of its question. */
export function surveyLocales(survey: Pick<Survey, "question" | "defaultLocale">): string[] {
  const keys = Object.keys(survey.question);
  return keys.includes(survey.defaultLocale) ? keys : [survey.defaultLocale, ...keys];
}

/** Text in a locale: exact tag, then the same language ("pt-br" <-> "pt"), then the default, then anything. */
export function localize(text: LocalizedText | null | undefined, locale: string, defaultLocale: string): string {
  if (!text) return "";
  const exact = text[locale];
  if (exact) return exact;
  const lang = locale.split("-")[0]!;
  for (const [key, value] of Object.entries(text)) if (key.split("-")[0] === lang && value) return value;
  return text[defaultLocale] ?? Object.values(text)[0] ?? "";
}

function matchLocale(candidate: string, available: string[]): string | null {
  const tag = candidate.trim().toLowerCase();
  if (!tag) return null;
  if (available.includes(tag)) return tag;
  const lang = tag.split("-")[0]!;
  return available.find((a) => a === lang) ?? available.find((a) => a.split("-")[0] === lang) ?? null;
}

/**
 * The locale to show: `?locale=` when the survey has it, else the best Accept-Language entry the survey
 * has (by q-value), else the survey's default.
 */
export function chooseLocale(available: string[], defaultLocale: string, requested: string | undefined | null, acceptLanguage: string | undefined | null): string {
  if (requested) {
    const hit = matchLocale(requested.slice(0, 35), available);
    if (hit) return hit;
  }
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .slice(0, 500)
      .split(",")
      .map((part, i) => {
        const [tag = "", ...params] = part.split(";");
        const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
        return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), i };
      })
      .filter((e) => e.tag && e.tag !== "*" && Number.isFinite(e.q) && e.q > 0)
      .sort((a, b) => b.q - a.q || a.i - b.i);
    for (const entry of ranked) {
      const hit = matchLocale(entry.tag, available);
      if (hit) return hit;
    }
  }
  return defaultLocale;
}

/**
 * The order options are shown in. Randomised surveys shuffle the ordinary options on every view (to
 * cancel the bias towards the first items); "Other" and "I don't remember" always stay last, in that order.
 */
export function orderOptions<T extends Pick<SurveyOption, "kind">>(options: readonly T[], randomize: boolean, random: () => number = Math.random): T[] {
  if (!randomize) return [...options];
  const ordinary = options.filter((o) => o.kind === "option");
  for (let i = ordinary.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ordinary[i], ordinary[j]] = [ordinary[j]!, ordinary[i]!];
  }
  return [...ordinary, ...options.filter((o) => o.kind === "other"), ...options.filter((o) => o.kind === "dont_remember")];
}

/** What the public endpoints show: one locale, options in view order, nothing internal (no channels). */
export interface PublicSurvey {
  id: string;
  locale: string;
  question: string;
  thankYou: string;
  options: { id: string; kind: SurveyOptionKind; label: string; followUp: string | null }[];
}

export function publicSurvey(survey: Survey, locale: string, thankYouFallback: string, random?: () => number): PublicSurvey {
  const l = (t: LocalizedText | null) => localize(t, locale, survey.defaultLocale);
  return {
    id: survey.id,
    locale,
    question: l(survey.question),
    thankYou: l(survey.thankYou) || thankYouFallback,
    options: orderOptions(survey.options, survey.randomize, random).map((o) => ({
      id: o.id,
      kind: o.kind,
      label: l(o.label),
      followUp: o.followUp ? l(o.followUp) || null : null,
    })),
  };
}
