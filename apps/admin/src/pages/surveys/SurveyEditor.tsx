import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Link, Navigate, useNavigate, useParams, useSearchParams } from "react-router";
import { Card, PageHeader } from "../../components/Card.tsx";
import { ChannelSelect } from "../../components/ChannelSelect.tsx";
import { ErrorState, Loading, Notice } from "../../components/States.tsx";
import { errorMessage } from "../../lib/api.ts";
import { rangeSearch } from "../../lib/range.ts";
import { useApi, useCanWrite } from "../../lib/session.tsx";
import {
  defaultSurveyDraft,
  dontRememberDraft,
  draftFromSurvey,
  type OptionDraft,
  optionDraft,
  otherDraft,
  type SurveyDraft,
  type SurveyErrors,
  surveyInput,
  validateSurvey,
} from "../../lib/survey-form.ts";
import type { Survey } from "../../lib/types.ts";
import { SurveyPreview } from "./SurveyPreview.tsx";

/** /surveys/new and /surveys/:id/edit */
export function SurveyEditorPage() {
  const { id } = useParams();
  const api = useApi();
  const canWrite = useCanWrite();
  const [params] = useSearchParams();
  const search = rangeSearch(params);
  const survey = useQuery({ queryKey: ["surveys", "one", id], queryFn: () => api.get<Survey>(`/api/surveys/${encodeURIComponent(id ?? "")}`), enabled: Boolean(id) });
  if (!canWrite) return <Navigate to={`${id ? `/surveys/${id}` : "/surveys"}${search}`} replace />;
  if (!id) return <SurveyEditor initial={defaultSurveyDraft()} />;
  if (survey.isPending) return <Loading label="Loading the survey…" />;
  if (survey.isError) return <ErrorState error={survey.error} retry={() => void survey.refetch()} />;
  return <SurveyEditor key={survey.data.id} initial={draftFromSurvey(survey.data)} />;
}

const CHANNEL_LEADING = [
  { value: "auto", label: "Suggest from the text" },
  { value: "none", label: "No channel" },
];

export function SurveyEditor({ initial, onSaved }: { initial: SurveyDraft; onSaved?: (s: Survey) => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const search = rangeSearch(params);
  const id = useId();
  const [draft, setDraft] = useState<SurveyDraft>(initial);
  const [errors, setErrors] = useState<SurveyErrors>({});
  const save = useMutation({
    mutationFn: (d: SurveyDraft) => (d.id ? api.patch<Survey>(`/api/surveys/${encodeURIComponent(d.id)}`, surveyInput(d)) : api.post<Survey>("/api/surveys", surveyInput(d))),
    onSuccess: (s) => {
      void queryClient.invalidateQueries({ queryKey: ["surveys"] });
      if (onSaved) onSaved(s);
      else navigate(`/surveys/${s.id}${search}`);
    },
  });

  const set = <K extends keyof SurveyDraft>(key: K, value: SurveyDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setOption = (key: string, patch: Partial<OptionDraft>) =>
    setDraft((d) => ({
      ...d,
      options: d.options.map((o) => (o.key === key ? { ...o, ...patch } : o)),
      other: d.other?.key === key ? { ...d.other, ...patch } : d.other,
      dontRemember: d.dontRemember?.key === key ? { ...d.dontRemember, ...patch } : d.dontRemember,
    }));
  const move = (index: number, by: number) =>
    setDraft((d) => {
      const options = [...d.options];
      const [item] = options.splice(index, 1);
      options.splice(index + by, 0, item!);
      return { ...d, options };
    });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems = validateSurvey(draft);
    setErrors(problems);
    if (Object.keys(problems).length === 0) save.mutate(draft);
  };
  const err = (field: string) => errors[field];

  return (
    <div className="page">
      <PageHeader title={draft.id ? "Edit survey" : "New survey"} description="One question at the moment of conversion. Map each answer to a channel so answers count in attribution." />
      <form className="grid grid-form" onSubmit={submit} noValidate aria-label="Survey editor">
        <div className="stack">
          <Card title="Survey">
            <div className="field">
              <label htmlFor={`${id}-question`}>Question</label>
              <input id={`${id}-question`} value={draft.question} onChange={(e) => set("question", e.target.value)} aria-invalid={err("question") ? true : undefined} aria-describedby={err("question") ? `${id}-question-error` : undefined} />
              {err("question") ? (
                <p className="field-error" id={`${id}-question-error`}>
                  {err("question")}
                </p>
              ) : null}
            </div>
            <div className="field-row">
              <div className="field">
                <label htmlFor={`${id}-name`}>Internal name</label>
                <input id={`${id}-name`} value={draft.name} onChange={(e) => set("name", e.target.value)} />
              </div>
              <div className="field">
                <label htmlFor={`${id}-thanks`}>Thank-you message</label>
                <input id={`${id}-thanks`} value={draft.thankYou} onChange={(e) => set("thankYou", e.target.value)} aria-invalid={err("thankYou") ? true : undefined} />
                {err("thankYou") ? <p className="field-error">{err("thankYou")}</p> : null}
              </div>
            </div>
            <div className="checks">
              <label className="check">
                <input type="checkbox" checked={draft.randomize} onChange={(e) => set("randomize", e.target.checked)} />
                Randomise the order of answers
              </label>
              <label className="check">
                <input type="checkbox" checked={draft.active} onChange={(e) => set("active", e.target.checked)} />
                Active (takes answers)
              </label>
            </div>
          </Card>

          <Card title="Answers" description="Each answer maps to a channel (and optionally a source, e.g. whatsapp).">
            {err("options") ? (
              <p className="field-error" role="alert">
                {err("options")}
              </p>
            ) : null}
            <ol className="option-list">
              {draft.options.map((o, i) => (
                <li key={o.key} className="option-row">
                  <OptionFields option={o} index={i} errors={errors} onChange={(patch) => setOption(o.key, patch)} />
                  <div className="option-tools">
                    <button type="button" className="btn btn-small btn-ghost" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move answer ${i + 1} up`}>
                      ↑
                    </button>
                    <button type="button" className="btn btn-small btn-ghost" onClick={() => move(i, 1)} disabled={i === draft.options.length - 1} aria-label={`Move answer ${i + 1} down`}>
                      ↓
                    </button>
                    <button type="button" className="btn btn-small btn-ghost danger" onClick={() => set("options", draft.options.filter((x) => x.key !== o.key))} aria-label={`Remove answer ${i + 1}`}>
                      Remove
                    </button>
                  </div>
                </li>
              ))}
            </ol>
            <button type="button" className="btn" onClick={() => set("options", [...draft.options, optionDraft("")])}>
              + Add answer
            </button>

            <div className="special-options">
              <label className="check">
                <input type="checkbox" checked={draft.other !== null} onChange={(e) => set("other", e.target.checked ? (initial.other ?? otherDraft()) : null)} />
                Offer “Other” with a text box (free text is classified into a channel)
              </label>
              {draft.other ? (
                <div className="field indent">
                  <label htmlFor={`${id}-other`}>Text of “Other”</label>
                  <input id={`${id}-other`} value={draft.other.label} onChange={(e) => setOption(draft.other!.key, { label: e.target.value })} aria-invalid={err(`label-${draft.other.key}`) ? true : undefined} />
                  {err(`label-${draft.other.key}`) ? <p className="field-error">{err(`label-${draft.other.key}`)}</p> : null}
                </div>
              ) : null}
              <label className="check">
                <input type="checkbox" checked={draft.dontRemember !== null} onChange={(e) => set("dontRemember", e.target.checked ? (initial.dontRemember ?? dontRememberDraft()) : null)} />
                Offer “I don't remember” (better than a guess)
              </label>
              {draft.dontRemember ? (
                <div className="field indent">
                  <label htmlFor={`${id}-dont`}>Text of “I don't remember”</label>
                  <input id={`${id}-dont`} value={draft.dontRemember.label} onChange={(e) => setOption(draft.dontRemember!.key, { label: e.target.value })} />
                  {err(`label-${draft.dontRemember.key}`) ? <p className="field-error">{err(`label-${draft.dontRemember.key}`)}</p> : null}
                </div>
              ) : null}
            </div>
          </Card>
        </div>

        <div className="stack sticky">
          <Card title="Preview">
            <SurveyPreview draft={draft} />
          </Card>
          {Object.keys(errors).length ? <Notice kind="error">Some fields need a look before saving.</Notice> : null}
          {save.isError ? <Notice kind="error">{errorMessage(save.error)}</Notice> : null}
          <div className="form-actions">
            <Link className="btn btn-ghost" to={`${draft.id ? `/surveys/${draft.id}` : "/surveys"}${search}`}>
              Cancel
            </Link>
            <button type="submit" className="btn btn-primary" disabled={save.isPending}>
              {save.isPending ? "Saving…" : draft.id ? "Save survey" : "Create survey"}
            </button>
          </div>
        </div>
      </form>
    </div>
  );
}

function OptionFields({ option, index, errors, onChange }: { option: OptionDraft; index: number; errors: SurveyErrors; onChange: (patch: Partial<OptionDraft>) => void }) {
  const id = useId();
  const n = index + 1;
  const labelError = errors[`label-${option.key}`];
  const followError = errors[`followUp-${option.key}`];
  return (
    <div className="option-fields">
      <div className="field">
        <label htmlFor={`${id}-label`}>Answer {n}</label>
        <input id={`${id}-label`} value={option.label} onChange={(e) => onChange({ label: e.target.value })} aria-invalid={labelError ? true : undefined} aria-describedby={labelError ? `${id}-label-error` : undefined} />
        {labelError ? (
          <p className="field-error" id={`${id}-label-error`}>
            {labelError}
          </p>
        ) : null}
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-channel`}>Channel of answer {n}</label>
          <ChannelSelect id={`${id}-channel`} value={option.channel} onChange={(channel) => onChange({ channel })} leading={CHANNEL_LEADING} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-source`}>Source of answer {n}</label>
          <input id={`${id}-source`} placeholder="e.g. whatsapp" value={option.source} onChange={(e) => onChange({ source: e.target.value })} />
        </div>
      </div>
      <label className="check">
        <input type="checkbox" checked={option.followUpOn} onChange={(e) => onChange({ followUpOn: e.target.checked })} />
        Ask a follow-up for answer {n}
      </label>
      {option.followUpOn ? (
        <div className="field indent">
          <label htmlFor={`${id}-follow`}>Follow-up question for answer {n}</label>
          <input id={`${id}-follow`} placeholder="Which podcast?" value={option.followUp} onChange={(e) => onChange({ followUp: e.target.value })} aria-invalid={followError ? true : undefined} aria-describedby={followError ? `${id}-follow-error` : undefined} />
          {followError ? (
            <p className="field-error" id={`${id}-follow-error`}>
              {followError}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
