import type { Survey } from "./survey-model.ts";

/** The embed snippet a site pastes before </body>. */
export function embedSnippet(publicUrl: string, surveyId: string): string {
  return `<script src="${publicUrl}/widget.js" data-survey="${surveyId}" async></script>`;
}

export function hostedUrl(publicUrl: string, surveyId: string): string {
  return `${publicUrl}/s/${surveyId}`;
}

/** A survey as the management API shows it. */
export function presentSurvey(survey: Survey, publicUrl: string) {
  return {
    id: survey.id,
    name: survey.name,
    defaultLocale: survey.defaultLocale,
    locales: Object.keys(survey.question),
    question: survey.question,
    thankYou: survey.thankYou,
    randomize: survey.randomize,
    active: survey.active,
    createdAt: survey.createdAt,
    updatedAt: survey.updatedAt,
    archivedAt: survey.archivedAt,
    options: survey.options.map((o) => ({ id: o.id, kind: o.kind, label: o.label, channel: o.channel, source: o.source, followUp: o.followUp })),
    hostedUrl: hostedUrl(publicUrl, survey.id),
    embed: embedSnippet(publicUrl, survey.id),
  };
}
