/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { FC, PropsWithChildren } from "hono/jsx";
import type { PublicSurvey } from "../survey-model.ts";
import { textDirection, type UiText } from "../ui-text.ts";
import { HOSTED_CSS } from "./styles.ts";

const Layout: FC<PropsWithChildren<{ locale: string; title: string }>> = ({ locale, title, children }) => (
  <html lang={locale} dir={textDirection(locale)}>
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      <meta name="referrer" content="no-referrer" />
      <title>{title}</title>
      <style dangerouslySetInnerHTML={{ __html: HOSTED_CSS }} />
    </head>
    <body>
      <main>
        <div class="card">{children}</div>
      </main>
    </body>
  </html>
);

export interface SurveyFormProps {
  survey: PublicSurvey;
  ui: UiText;
  action: string;
  hidden: [string, string][];
  error?: string | null;
  /** What the person had chosen and typed, when the form comes back with an error. */
  chosen?: string | null;
  typed?: Record<string, string>;
}

/**
 * The survey as a plain form. The question is the fieldset's legend (and the page's one h1), every radio
 * has its own label, and "Other" / follow-up boxes sit right after their option so keyboard order follows
 * the eye. Without CSS every box shows, labelled, and still works.
 */
export const SurveyPage: FC<SurveyFormProps> = ({ survey, ui, action, hidden, error, chosen, typed = {} }) => (
  <Layout locale={survey.locale} title={survey.question}>
    <form method="post" action={action}>
      {error ? (
        <p id="form-error" class="error" role="alert">
          {error}
        </p>
      ) : null}
      <fieldset aria-describedby={error ? "form-error" : undefined}>
        <legend>
          <h1>{survey.question}</h1>
        </legend>
        <div>
          {survey.options.map((o) => (
            <div class="opt">
              <input type="radio" name="optionId" id={`o-${o.id}`} value={o.id} checked={chosen === o.id} required />
              <label for={`o-${o.id}`}>{o.label}</label>
              {o.kind === "other" ? (
                <div class="more">
                  <label for="other-text">{ui.otherPrompt}</label>
                  <input type="text" id="other-text" name="otherText" maxlength={500} autocomplete="off" value={typed.otherText ?? ""} />
                </div>
              ) : null}
              {o.followUp ? (
                <div class="more">
                  <label for={`fu-${o.id}`}>
                    {o.followUp} <span class="hint">({ui.followUpHint})</span>
                  </label>
                  <input type="text" id={`fu-${o.id}`} name={`fu_${o.id}`} maxlength={500} autocomplete="off" value={typed[`fu_${o.id}`] ?? ""} />
                </div>
              ) : null}
            </div>
          ))}
        </div>
      </fieldset>
      <input type="hidden" name="locale" value={survey.locale} />
      {hidden.map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <div class="hp" aria-hidden="true">
        <label for="website">Website (leave empty)</label>
        <input type="text" id="website" name="website" tabindex={-1} autocomplete="off" />
      </div>
      <button type="submit">{ui.submit}</button>
    </form>
  </Layout>
);

export const MessagePage: FC<{ locale: string; title: string; status?: boolean }> = ({ locale, title, status }) => (
  <Layout locale={locale} title={title}>
    <div class="done" role={status ? "status" : undefined}>
      <h1>{title}</h1>
    </div>
  </Layout>
);
