import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { BarList } from "../../components/BarList.tsx";
import { ChannelBadge, StatusBadge } from "../../components/Badges.tsx";
import { Card, PageHeader } from "../../components/Card.tsx";
import { ChannelSelect } from "../../components/ChannelSelect.tsx";
import { CopyField } from "../../components/CopyButton.tsx";
import { CsvLink } from "../../components/CsvLink.tsx";
import { KpiCard } from "../../components/KpiCard.tsx";
import { Pager, useCursorPages } from "../../components/Pager.tsx";
import { Empty, ErrorState, Loading, Notice, QueryView } from "../../components/States.tsx";
import { errorMessage } from "../../lib/api.ts";
import { describeAnswerRule } from "../../lib/answer-rules.ts";
import { formatCount, formatDateTime, formatPercent, formatRatio } from "../../lib/format.ts";
import { useChannels } from "../../lib/channels.ts";
import { useParam, useRange } from "../../lib/hooks.ts";
import { describeRange, rangeSearch, serviceQuery } from "../../lib/range.ts";
import { useApi, useCanWrite } from "../../lib/session.tsx";
import type { Survey, SurveyResponse, SurveyStats } from "../../lib/types.ts";

export function SurveyDetailPage() {
  const { id = "" } = useParams();
  const api = useApi();
  const canWrite = useCanWrite();
  const [range] = useRange();
  const [params] = useSearchParams();
  const search = rangeSearch(params);
  const q = serviceQuery(range);
  const survey = useQuery({ queryKey: ["surveys", "one", id], queryFn: () => api.get<Survey>(`/api/surveys/${encodeURIComponent(id)}`) });
  const stats = useQuery({ queryKey: ["surveys", "stats", id, q], queryFn: () => api.get<SurveyStats>(`/api/surveys/${encodeURIComponent(id)}/stats`, q) });
  const taxonomy = useChannels();
  // The surveys service names channels and marks them dark by Lantern's built-in taxonomy; this
  // instance's own (Settings → Channels) is what every other page shows, so it wins here too.
  const byTaxonomy = (channels: SurveyStats["channels"]) =>
    channels.map((c) => (c.channel === "unclassified" ? c : { ...c, label: taxonomy.label(c.channel), dark: taxonomy.isDark(c.channel) }));

  if (survey.isPending) return <Loading label="Loading the survey…" />;
  if (survey.isError) return <ErrorState error={survey.error} retry={() => void survey.refetch()} />;
  const s = survey.data;
  return (
    <div className="page">
      <p className="crumbs">
        <Link to={`/surveys${search}`}>Surveys</Link> <span aria-hidden="true">/</span> <span>{s.name}</span>
      </p>
      <PageHeader
        title={
          <span className="link-title">
            {s.name} <StatusBadge status={s.archivedAt ? "archived" : s.active ? "active" : "paused"} />
          </span>
        }
        description={(() => {
          const question = s.question[s.defaultLocale] ?? Object.values(s.question)[0];
          return question && question !== s.name ? question : undefined;
        })()}
        actions={
          canWrite ? (
            <Link className="btn" to={`/surveys/${s.id}/edit${search}`}>
              Edit survey
            </Link>
          ) : null
        }
      />
      <QueryView query={stats} loadingLabel="Loading figures…">
        {(st) => {
          const channels = byTaxonomy(st.channels);
          return (
            <>
              <dl className="kpis kpis-4" aria-label="Survey figures">
                <KpiCard label="Views" value={formatCount(st.views)} basis={describeRange(range)} />
                <KpiCard label="Answers" value={formatCount(st.responses)} basis={`${formatCount(st.skips)} dismissed`} />
                <KpiCard accent label="Answer rate" value={formatPercent(st.responseRate)} basis={formatRatio(st.responses, st.views, "views")} />
                <KpiCard label="Dark answers" value={formatPercent(st.responses ? channels.filter((c) => c.dark).reduce((a, c) => a + c.responses, 0) / st.responses : null)} basis={`of ${formatCount(st.responses)} answers named a dark channel`} />
              </dl>
              <div className="grid grid-2">
                <Card
                  title="Answers per option"
                  description={
                    st.followUps?.offered
                      ? `Follow-up questions answered: ${formatRatio(st.followUps.answered, st.followUps.offered, "answers whose option asks one")}.`
                      : undefined
                  }
                >
                  <BarList caption="Answers per option" labelHeader="Answer" valueHeader="Answers" items={st.options.map((o) => ({ key: o.optionId ?? "free", label: o.label, value: o.responses }))} empty="No answers yet." />
                </Card>
                <Card title="Answers per channel">
                  <BarList caption="Answers per channel" labelHeader="Channel" valueHeader="Answers" items={channels.map((c) => ({ key: c.channel, label: c.label, value: c.responses, dark: c.dark }))} empty="No answers yet." />
                </Card>
              </div>
            </>
          );
        }}
      </QueryView>
      <Card title="Put it on your site" description="Paste the snippet before </body> on the page customers see after converting, or send people the hosted page.">
        <div className="field">
          <span className="label">Embed snippet</span>
          <CopyField value={s.embed} what="embed snippet" />
        </div>
        <div className="field">
          <span className="label">Hosted page</span>
          <CopyField value={s.hostedUrl} what="hosted page URL" />
        </div>
      </Card>
      <Responses survey={s} />
    </div>
  );
}

function Responses({ survey }: { survey: Survey }) {
  const api = useApi();
  const canWrite = useCanWrite();
  const { label } = useChannels();
  const [range] = useRange();
  const [channel, setChannel] = useParam("channel");
  const [optionId, setOptionId] = useParam("option");
  const [hasText, setHasText] = useParam("text");
  const filters = { ...serviceQuery(range), channel, optionId, hasText };
  const pages = useCursorPages(JSON.stringify(filters));
  const list = useQuery({
    queryKey: ["surveys", "responses", survey.id, filters, pages.cursor],
    queryFn: () => api.get<{ data: SurveyResponse[]; nextCursor: string | null }>(`/api/surveys/${encodeURIComponent(survey.id)}/responses`, { ...filters, cursor: pages.cursor, limit: 25 }),
    placeholderData: keepPreviousData,
  });
  const [relabeling, setRelabeling] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const locale = survey.defaultLocale;

  return (
    <Card
      title="Responses"
      description="Newest first. Free-text answers can be relabelled; the label also applies to the same text in future answers."
      actions={<CsvLink path={`/api/surveys/${encodeURIComponent(survey.id)}/responses.csv`} query={{ from: filters.from, to: filters.to, channel, optionId, hasText }} what="survey responses" />}
    >
      <fieldset className="filters">
        <legend className="sr-only">Filter responses</legend>
        <div className="field">
          <label htmlFor="resp-channel">Channel</label>
          <ChannelSelect id="resp-channel" value={channel} onChange={setChannel} leading={[{ value: "", label: "Any channel" }, { value: "unclassified", label: "Unclassified" }]} />
        </div>
        <div className="field">
          <label htmlFor="resp-option">Answer</label>
          <select id="resp-option" value={optionId} onChange={(e) => setOptionId(e.target.value)}>
            <option value="">Any answer</option>
            {survey.options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label[locale] ?? Object.values(o.label)[0]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="resp-text">Free text</label>
          <select id="resp-text" value={hasText} onChange={(e) => setHasText(e.target.value)}>
            <option value="">With or without</option>
            <option value="true">With free text</option>
            <option value="false">Without free text</option>
          </select>
        </div>
      </fieldset>
      <div aria-live="polite">{done ? <Notice kind="success">{done}</Notice> : null}</div>
      {list.isPending ? (
        <Loading label="Loading responses…" />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : list.data.data.length === 0 ? (
        <Empty title={channel || optionId || hasText ? "No responses match these filters." : "No responses in this range yet."} />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Responses to {survey.name}</caption>
            <thead>
              <tr>
                <th scope="col">Answered</th>
                <th scope="col">Answer</th>
                <th scope="col">Channel</th>
                <th scope="col">Rule</th>
                {canWrite ? <th scope="col"><span className="sr-only">Actions</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((r) => (
                <tr key={r.id}>
                  <td className="nowrap">
                    {formatDateTime(r.ts)}
                    {r.lcid ? (
                      <div className="muted small" title={`Click id ${r.lcid}`}>
                        came through a tracked link
                      </div>
                    ) : null}
                  </td>
                  <td>
                    {r.optionLabel ?? <span className="muted">—</span>}
                    {r.otherText ? <div className="quote">“{r.otherText}”</div> : null}
                    {r.followUpText ? <div className="muted small">Follow-up: {r.followUpText}</div> : null}
                    {relabeling === r.id && r.otherText ? (
                      <RelabelForm
                        text={r.otherText}
                        onCancel={() => setRelabeling(null)}
                        onDone={(n, ch) => {
                          setRelabeling(null);
                          setDone(`“${r.otherText}” is now ${label(ch)}; ${formatCount(n)} stored answer${n === 1 ? "" : "s"} relabelled. Attribution reports follow at the next reconcile run (System → Reconcile now runs one at once).`);
                        }}
                      />
                    ) : null}
                  </td>
                  <td>
                    {r.channel ? (
                      <>
                        <ChannelBadge channel={r.channel} source={r.source} />
                        {r.confidence !== null && r.confidence < 1 ? <div className="muted small">confidence {formatPercent(r.confidence)}</div> : null}
                      </>
                    ) : (
                      // No channel: the answer is counted under "Unclassified"; a confidence in no channel means nothing.
                      <span className="badge muted" title="This answer names no channel; the figures count it as Unclassified.">
                        Not placed
                      </span>
                    )}
                  </td>
                  <td className="small" title={r.rule ?? undefined}>
                    {describeAnswerRule(r.rule, label)}
                  </td>
                  {canWrite ? (
                    <td>
                      {r.otherText && relabeling !== r.id ? (
                        <button type="button" className="btn btn-small btn-ghost" onClick={() => { setDone(null); setRelabeling(r.id); }} aria-label={`Relabel “${r.otherText}”`}>
                          Relabel
                        </button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={pages.page} nextCursor={list.data?.nextCursor} onNext={pages.next} onPrev={pages.prev} busy={list.isFetching} />
    </Card>
  );
}

export function RelabelForm({ text, onDone, onCancel }: { text: string; onDone: (relabeled: number, channel: string) => void; onCancel: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const id = useId();
  const [channel, setChannel] = useState("");
  const [source, setSource] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const relabel = useMutation({
    mutationFn: () => api.put<{ relabeled: number }>("/api/answer-labels", { text, channel, source: source.trim() || null }),
    onSuccess: (res) => {
      void queryClient.invalidateQueries({ queryKey: ["surveys"] });
      void queryClient.invalidateQueries({ queryKey: ["reports"] });
      onDone(res.relabeled ?? 0, channel);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!channel) return setProblem("Pick the channel this answer means.");
    setProblem(null);
    relabel.mutate();
  };
  return (
    <form className="relabel" onSubmit={submit} aria-label={`Relabel “${text}”`}>
      <div className="field">
        <label htmlFor={`${id}-ch`}>Channel</label>
        <ChannelSelect id={`${id}-ch`} value={channel} onChange={setChannel} leading={[{ value: "", label: "Pick a channel…" }]} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-src`}>Source (optional)</label>
        <input id={`${id}-src`} value={source} placeholder="e.g. slack" onChange={(e) => setSource(e.target.value)} />
      </div>
      <div className="form-actions">
        <button type="button" className="btn btn-small btn-ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-small btn-primary" disabled={relabel.isPending}>
          {relabel.isPending ? "Saving…" : "Save label"}
        </button>
      </div>
      {problem ? <p className="field-error" role="alert">{problem}</p> : null}
      {relabel.isError ? <Notice kind="error">{errorMessage(relabel.error)}</Notice> : null}
    </form>
  );
}
