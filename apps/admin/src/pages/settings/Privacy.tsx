import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Card } from "../../components/Card.tsx";
import { Notice, QueryView } from "../../components/States.tsx";
import { errorMessage } from "../../lib/api.ts";
import { useApi, useCanWrite } from "../../lib/session.tsx";
import type { Settings } from "../../lib/types.ts";

export function PrivacyPage() {
  const api = useApi();
  const settings = useQuery({ queryKey: ["settings"], queryFn: () => api.get<Settings>("/api/settings") });
  return (
    <Card title="Privacy" description="Lantern never stores raw IP addresses; visitor hashes use a salt that rotates daily. These settings decide how much more it holds back.">
      <QueryView query={settings}>{(s) => <PrivacyForm initial={s} />}</QueryView>
    </Card>
  );
}

function PrivacyForm({ initial }: { initial: Settings }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const canWrite = useCanWrite();
  const [form, setForm] = useState(initial.privacy);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setForm(initial.privacy), [initial]);
  const save = useMutation({
    mutationFn: () => api.patch<Settings>("/api/settings", { privacy: form }),
    onSuccess: (s) => queryClient.setQueryData(["settings"], s),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!Number.isInteger(form.retentionDays) || form.retentionDays < 7 || form.retentionDays > 3650) return setProblem("Keep raw events between 7 and 3,650 days.");
    setProblem(null);
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Privacy settings">
      <fieldset disabled={!canWrite} className="stack-tight">
        <label className="check">
          <input type="checkbox" checked={form.honorDnt} onChange={(e) => setForm({ ...form, honorDnt: e.target.checked })} />
          Honour Do Not Track (<code>DNT: 1</code>): no visitor hash for those visitors
        </label>
        <label className="check">
          <input type="checkbox" checked={form.honorGpc} onChange={(e) => setForm({ ...form, honorGpc: e.target.checked })} />
          Honour Global Privacy Control (<code>Sec-GPC: 1</code>)
        </label>
        <div className="field field-narrow">
          <label htmlFor="retention">Keep raw events for (days)</label>
          <input id="retention" type="number" min={7} max={3650} value={Number.isNaN(form.retentionDays) ? "" : form.retentionDays} onChange={(e) => setForm({ ...form, retentionDays: e.target.valueAsNumber })} aria-describedby="retention-hint" />
          <p className="hint" id="retention-hint">
            Once a day, raw events older than this are deleted: clicks, link previews (unfurls), bot hits, re-share arrivals, untagged visits, and survey views and skips.
            Conversions, survey answers, their attribution and the daily roll-ups are kept, so reports of older days stay; their click-level detail is gone.
          </p>
        </div>
      </fieldset>
      {problem ? <p className="field-error" role="alert">{problem}</p> : null}
      {save.isError ? <Notice kind="error">{errorMessage(save.error)}</Notice> : null}
      {save.isSuccess ? <Notice kind="success">Saved.</Notice> : null}
      {canWrite ? (
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save privacy settings"}
        </button>
      ) : (
        <p className="muted small">Only admins can change these.</p>
      )}
    </form>
  );
}
