/** The few words around a survey that are not the survey's own texts, per language. */
export interface UiText {
  submit: string;
  thanks: string;
  otherPrompt: string;
  followUpHint: string;
  chooseAnswer: string;
  tooLong: string;
  close: string;
  closed: string;
  notFound: string;
}

const TEXTS: Record<string, UiText> = {
  en: {
    submit: "Submit",
    thanks: "Thank you for your answer!",
    otherPrompt: "If other, please say",
    followUpHint: "optional",
    chooseAnswer: "Please choose an answer.",
    tooLong: "Please keep your answer under 500 characters.",
    close: "Close",
    closed: "This survey is closed.",
    notFound: "This survey does not exist.",
  },
  es: {
    submit: "Enviar",
    thanks: "¡Gracias por tu respuesta!",
    otherPrompt: "Si es otro, cuéntanos cuál",
    followUpHint: "opcional",
    chooseAnswer: "Elige una respuesta, por favor.",
    tooLong: "La respuesta debe tener menos de 500 caracteres.",
    close: "Cerrar",
    closed: "Esta encuesta está cerrada.",
    notFound: "Esta encuesta no existe.",
  },
  de: {
    submit: "Absenden",
    thanks: "Danke für Ihre Antwort!",
    otherPrompt: "Falls anderes, bitte angeben",
    followUpHint: "optional",
    chooseAnswer: "Bitte wählen Sie eine Antwort.",
    tooLong: "Bitte antworten Sie in weniger als 500 Zeichen.",
    close: "Schließen",
    closed: "Diese Umfrage ist geschlossen.",
    notFound: "Diese Umfrage gibt es nicht.",
  },
  fr: {
    submit: "Envoyer",
    thanks: "Merci pour votre réponse !",
    otherPrompt: "Si autre, précisez",
    followUpHint: "facultatif",
    chooseAnswer: "Veuillez choisir une réponse.",
    tooLong: "Veuillez répondre en moins de 500 caractères.",
    close: "Fermer",
    closed: "Ce sondage est clos.",
    notFound: "Ce sondage n'existe pas.",
  },
  pt: {
    submit: "Enviar",
    thanks: "Obrigado pela sua resposta!",
    otherPrompt: "Se outro, diga qual",
    followUpHint: "opcional",
    chooseAnswer: "Escolha uma resposta, por favor.",
    tooLong: "A resposta deve ter menos de 500 caracteres.",
    close: "Fechar",
    closed: "Esta pesquisa está encerrada.",
    notFound: "Esta pesquisa não existe.",
  },
};

export function uiText(locale: string): UiText {
  const language = locale.split("-")[0] ?? "en";
  // Own keys only: a locale of "constructor" must not find Object.prototype's members.
  return Object.hasOwn(TEXTS, language) ? TEXTS[language]! : TEXTS.en!;
}

const RTL = new Set(["ar", "he", "fa", "ur", "ps", "yi"]);
export function textDirection(locale: string): "rtl" | "ltr" {
  return RTL.has(locale.split("-")[0] ?? "") ? "rtl" : "ltr";
}
