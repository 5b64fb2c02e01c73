import type { Classification } from "../channels.ts";

export const SURVEY_LOCALES = ["en", "es", "de", "fr", "pt"] as const;
export type SurveyLocale = (typeof SURVEY_LOCALES)[number];
export type LocalizedText = Readonly<Record<SurveyLocale, string>>;

/**
 * - `channel`: picking it records `classification`.
 * - `other`: "Other (please say)": the typed text is classified by `classifyAnswer`.
 * - `dont_remember`: recorded as unclassified; it stays last with "Other" when options are shuffled.
 */
export type DefaultOptionKind = "channel" | "other" | "dont_remember";

export interface DefaultSurveyOption {
  /** Stable key, unique in the list. */
  key: string;
  kind: DefaultOptionKind;
  labels: LocalizedText;
  classification: Classification | null;
  /** An optional follow-up question shown after this option ("Which podcast?"). */
  followUp?: LocalizedText;
}

export const DEFAULT_QUESTION: LocalizedText = {
  en: "How did you hear about us?",
  es: "¿Cómo nos conociste?",
  de: "Wie haben Sie von uns erfahren?",
  fr: "Comment avez-vous entendu parler de nous ?",
  pt: "Como você ficou sabendo da gente?",
};

/**
 * The default "How did you hear about us?" options. Sources are null because each option covers a
 * channel, not one app; "Other" lets the customer name the app, and the free-text rules find it.
 */
export const DEFAULT_SURVEY_OPTIONS: readonly DefaultSurveyOption[] = [
  {
    key: "search",
    kind: "channel",
    classification: { channel: "organic_search", source: null },
    labels: {
      en: "Search engine (Google, Bing…)",
      es: "Buscador (Google, Bing…)",
      de: "Suchmaschine (Google, Bing …)",
      fr: "Moteur de recherche (Google, Bing…)",
      pt: "Busca no Google ou outro buscador",
    },
    // People search for what someone told them about or sent them: the answer to this often names the
    // private channel that "Search engine" hides (refineWithFollowUp puts it first).
    followUp: {
      en: "What made you search for us?",
      es: "¿Qué te llevó a buscarnos?",
      de: "Wie kamen Sie darauf, nach uns zu suchen?",
      fr: "Qu'est-ce qui vous a donné l'idée de nous chercher ?",
      pt: "O que levou você a nos procurar?",
    },
  },
  {
    key: "social",
    kind: "channel",
    classification: { channel: "social", source: null },
    labels: {
      en: "Social media (LinkedIn, Instagram, TikTok…)",
      es: "Redes sociales (LinkedIn, Instagram, TikTok…)",
      de: "Soziale Medien (LinkedIn, Instagram, TikTok …)",
      fr: "Réseaux sociaux (LinkedIn, Instagram, TikTok…)",
      pt: "Redes sociais (LinkedIn, Instagram, TikTok…)",
    },
    followUp: {
      en: "Which one?",
      es: "¿Cuál?",
      de: "Welche?",
      fr: "Lequel ?",
      pt: "Qual?",
    },
  },
  {
    key: "friend",
    kind: "channel",
    classification: { channel: "word_of_mouth", source: null },
    labels: {
      en: "A friend or colleague",
      es: "Un amigo o compañero",
      de: "Freunde oder Kollegen",
      fr: "Un ami ou un collègue",
      pt: "Um amigo ou colega",
    },
  },
  {
    key: "messaging",
    kind: "channel",
    classification: { channel: "messaging", source: null },
    labels: {
      en: "WhatsApp or another messaging app",
      es: "WhatsApp u otra app de mensajería",
      de: "WhatsApp oder ein anderer Messenger",
      fr: "WhatsApp ou une autre messagerie",
      pt: "WhatsApp ou outro app de mensagens",
    },
  },
  {
    key: "workchat",
    kind: "channel",
    classification: { channel: "workchat", source: null },
    labels: {
      en: "Slack, Teams or Discord",
      es: "Slack, Teams o Discord",
      de: "Slack, Teams oder Discord",
      fr: "Slack, Teams ou Discord",
      pt: "Slack, Teams ou Discord",
    },
  },
  {
    key: "podcast",
    kind: "channel",
    classification: { channel: "podcast", source: null },
    labels: { en: "A podcast", es: "Un podcast", de: "Ein Podcast", fr: "Un podcast", pt: "Um podcast" },
    followUp: {
      en: "Which podcast?",
      es: "¿Qué podcast?",
      de: "Welcher Podcast?",
      fr: "Quel podcast ?",
      pt: "Qual podcast?",
    },
  },
  {
    key: "ai_assistant",
    kind: "channel",
    classification: { channel: "ai_assistant", source: null },
    labels: {
      en: "ChatGPT or another AI assistant",
      es: "ChatGPT u otra IA",
      de: "ChatGPT oder eine andere KI",
      fr: "ChatGPT ou une autre IA",
      pt: "ChatGPT ou outra IA",
    },
  },
  {
    key: "email",
    kind: "channel",
    classification: { channel: "email", source: null },
    labels: {
      en: "A newsletter or email",
      es: "Un boletín o correo electrónico",
      de: "Newsletter oder E-Mail",
      fr: "Une newsletter ou un e-mail",
      pt: "Uma newsletter ou e-mail",
    },
    // A forwarded email is private sharing that reads as "email" on this list: the answer tells them apart.
    followUp: {
      en: "Which one? Ours, or one someone sent you?",
      es: "¿Cuál? ¿El nuestro o uno que alguien te envió?",
      de: "Welche? Unsere, oder eine, die Ihnen jemand geschickt hat?",
      fr: "Lequel ? Le nôtre, ou un e-mail qu'on vous a envoyé ?",
      pt: "Qual? O nosso ou um que alguém te mandou?",
    },
  },
  {
    key: "event",
    kind: "channel",
    classification: { channel: "events", source: null },
    labels: {
      en: "An event or conference",
      es: "Un evento o conferencia",
      de: "Eine Veranstaltung oder Konferenz",
      fr: "Un événement ou une conférence",
      pt: "Um evento ou conferência",
    },
    followUp: {
      en: "Which event?",
      es: "¿Qué evento?",
      de: "Welche Veranstaltung?",
      fr: "Quel événement ?",
      pt: "Qual evento?",
    },
  },
  {
    key: "other",
    kind: "other",
    classification: null,
    labels: {
      en: "Other (please say)",
      es: "Otro (cuéntanos)",
      de: "Sonstiges (bitte angeben)",
      fr: "Autre (précisez)",
      pt: "Outro (qual?)",
    },
  },
  {
    key: "dont_remember",
    kind: "dont_remember",
    classification: null,
    labels: {
      en: "I don't remember",
      es: "No me acuerdo",
      de: "Weiß ich nicht mehr",
      fr: "Je ne sais plus",
      pt: "Não lembro",
    },
  },
];
