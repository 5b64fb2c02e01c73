import type { LocalizedText, OptionKind, Survey, SurveyInput, SurveyOption, SurveyOptionInput } from "./types.ts";

/**
 * The survey editor's state and its conversion to the surveys API body. The editor writes the
 * survey's default locale; texts in other locales are kept as they were.
 */

/** "auto": the service suggests a channel from the label; "none": the answer maps to no channel. */
export type ChannelChoice = "auto" | "none" | string;

export interface OptionDraft {
  key: string;
  id?: string;
  kind: OptionKind;
  label: string;
  channel: ChannelChoice;
  source: string;
  followUpOn: boolean;
  followUp: string;
  /** The stored texts in every locale, so saving does not drop translations. */
  labels?: LocalizedText;
  followUps?: LocalizedText | null;
}

export interface SurveyDraft {
  id?: string;
  name: string;
  locale: string;
  question: string;
  questions?: LocalizedText;
  thankYou: string;
  thankYous?: LocalizedText | null;
  randomize: boolean;
  active: boolean;
  options: OptionDraft[];
  other: OptionDraft | null;
  dontRemember: OptionDraft | null;
}

let counter = 0;
export const newKey = () => `o${++counter}-${Math.random().toString(36).slice(2, 7)}`;

export function optionDraft(label: string, channel: ChannelChoice = "auto", source = "", followUp = "", kind: OptionKind = "option"): OptionDraft {
  return { key: newKey(), kind, label, channel, source, followUpOn: followUp !== "", followUp };
}

export const otherDraft = (label = "Other (please say)") => optionDraft(label, "none", "", "", "other");
export const dontRememberDraft = (label = "I don't remember") => optionDraft(label, "none", "", "", "dont_remember");

/** A good first survey: the answers that cover most customers, dark channels spelled out. */
export function defaultSurveyDraft(): SurveyDraft {
  return {
    name: "How did you hear about us?",
    locale: "en",
    question: "How did you hear about us?",
    thankYou: "Thank you!",
    randomize: true,
    active: true,
    options: [
      optionDraft("A friend or colleague told me", "word_of_mouth"),
      optionDraft("WhatsApp or another messaging app", "messaging"),
      optionDraft("Slack, Teams or Discord", "workchat"),
      optionDraft("Google or another search engine", "organic_search", "google"),
      optionDraft("LinkedIn", "social", "linkedin"),
      optionDraft("A podcast", "podcast", "", "Which podcast?"),
      optionDraft("ChatGPT or another AI assistant", "ai_assistant"),
    ],
    other: otherDraft(),
    dontRemember: dontRememberDraft(),
  };
}

const text = (t: LocalizedText | null | undefined, locale: string) => (t ? (t[locale] ?? Object.values(t)[0] ?? "") : "");

function fromOption(o: SurveyOption, locale: string): OptionDraft {
  const followUp = text(o.followUp, locale);
  return {
    key: newKey(),
    id: o.id,
    kind: o.kind,
    label: text(o.label, locale),
    channel: o.channel ?? "none",
    source: o.source ?? "",
    followUpOn: followUp !== "",
    followUp,
    labels: o.label,
    followUps: o.followUp,
  };
}

export function draftFromSurvey(s: Survey): SurveyDraft {
  const locale = s.defaultLocale;
  const other = s.options.find((o) => o.kind === "other");
  const dont = s.options.find((o) => o.kind === "dont_remember");
  return {
    id: s.id,
    name: s.name,
    locale,
    question: text(s.question, locale),
    questions: s.question,
    thankYou: text(s.thankYou, locale),
    thankYous: s.thankYou,
    randomize: s.randomize,
    active: s.active,
    options: s.options.filter((o) => o.kind === "option").map((o) => fromOption(o, locale)),
    other: other ? fromOption(other, locale) : null,
    dontRemember: dont ? fromOption(dont, locale) : null,
  };
}

const merge = (original: LocalizedText | null | undefined, locale: string, value: string): LocalizedText => ({ ...(original ?? {}), [locale]: value.trim() });

function toOptionInput(o: OptionDraft, locale: string): SurveyOptionInput {
  const input: SurveyOptionInput = { kind: o.kind, label: merge(o.labels, locale, o.label) };
  if (o.id) input.id = o.id;
  if (o.channel === "none") input.channel = null;
  else if (o.channel !== "auto") input.channel = o.channel;
  if (o.channel !== "auto" || o.source.trim()) input.source = o.source.trim() || null;
  input.followUp = o.followUpOn && o.followUp.trim() ? merge(o.followUps, locale, o.followUp) : null;
  return input;
}

/** All options in the order they are stored: ordinary ones, then "Other", then "I don't remember". */
export function allOptions(d: SurveyDraft): OptionDraft[] {
  return [...d.options, ...(d.other ? [d.other] : []), ...(d.dontRemember ? [d.dontRemember] : [])];
}

export function surveyInput(d: SurveyDraft): SurveyInput {
  return {
    name: d.name.trim() || d.question.trim().slice(0, 200),
    question: merge(d.questions, d.locale, d.question),
    thankYou: d.thankYou.trim() ? merge(d.thankYous, d.locale, d.thankYou) : null,
    randomize: d.randomize,
    active: d.active,
    options: allOptions(d).map((o) => toOptionInput(o, d.locale)),
  };
}

export type SurveyErrors = { question?: string; options?: string; thankYou?: string } & Record<string, string | undefined>;

/** Problems with the draft, keyed by field ("question", "options", "label-<key>", "followUp-<key>"). */
export function validateSurvey(d: SurveyDraft): SurveyErrors {
  const errors: SurveyErrors = {};
  if (!d.question.trim()) errors.question = "Write the question people will answer.";
  else if (d.question.trim().length > 300) errors.question = "Keep the question under 300 characters.";
  if (d.thankYou.trim().length > 300) errors.thankYou = "Keep the thank-you under 300 characters.";
  if (d.options.length === 0) errors.options = "Add at least one answer.";
  if (allOptions(d).length > 40) errors.options = "At most 40 answers.";
  const seen = new Map<string, string>();
  for (const o of allOptions(d)) {
    const label = o.label.trim();
    if (!label) errors[`label-${o.key}`] = "Write the answer's text.";
    else if (label.length > 200) errors[`label-${o.key}`] = "Keep it under 200 characters.";
    else if (seen.has(label.toLowerCase())) errors[`label-${o.key}`] = "Two answers have this text.";
    seen.set(label.toLowerCase(), o.key);
    if (o.followUpOn && !o.followUp.trim()) errors[`followUp-${o.key}`] = "Write the follow-up question, or turn it off.";
  }
  return errors;
}
