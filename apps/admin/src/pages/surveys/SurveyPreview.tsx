import { useId, useState } from "react";
import { allOptions, type SurveyDraft } from "../../lib/survey-form.ts";

/** The survey as a respondent sees it, redrawn on every keystroke. Nothing is sent. */
export function SurveyPreview({ draft }: { draft: SurveyDraft }) {
  const id = useId();
  const [picked, setPicked] = useState<string | null>(null);
  const options = allOptions(draft);
  const chosen = options.find((o) => o.key === picked);
  return (
    <section className="survey-preview" aria-label="Live preview of the survey">
      <p className="survey-q" id={`${id}-q`}>
        {draft.question || "Your question"}
      </p>
      <div role="radiogroup" aria-labelledby={`${id}-q`} className="survey-options">
        {options.map((o) => (
          <label key={o.key} className={`survey-option ${picked === o.key ? "is-picked" : ""}`}>
            <input type="radio" name={`${id}-answer`} checked={picked === o.key} onChange={() => setPicked(o.key)} />
            <span>{o.label || <em className="muted">(empty answer)</em>}</span>
          </label>
        ))}
      </div>
      {chosen?.kind === "other" ? (
        <div className="field">
          <label htmlFor={`${id}-other`}>Please tell us</label>
          <input id={`${id}-other`} placeholder="e.g. my colleague sent it on Slack" />
        </div>
      ) : null}
      {chosen?.followUpOn && chosen.followUp ? (
        <div className="field">
          <label htmlFor={`${id}-follow`}>{chosen.followUp}</label>
          <input id={`${id}-follow`} />
        </div>
      ) : null}
      <button type="button" className="btn btn-primary" disabled>
        Send
      </button>
      <p className="muted small">{draft.randomize ? "Answers are shuffled on every view; “Other” and “I don't remember” stay last." : "Answers are shown in this order."}</p>
    </section>
  );
}
