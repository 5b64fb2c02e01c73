import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { StatusBadge } from "../components/Badges.tsx";
import { Card, PageHeader } from "../components/Card.tsx";
import { KpiCard } from "../components/KpiCard.tsx";
import { Empty, Notice, QueryView } from "../components/States.tsx";
import { errorMessage } from "../lib/api.ts";
import { formatCount, formatDate, formatDateTime, formatDuration, formatRelative } from "../lib/format.ts";
import { useApi, useCanWrite } from "../lib/session.tsx";
import type { ReconcileJob, SystemStatus } from "../lib/types.ts";

const COUNT_KEYS = ["waiting", "active", "delayed", "completed", "failed"] as const;
const FINISHED = new Set(["completed", "failed"]);

export function SystemPage() {
  const api = useApi();
  const canWrite = useCanWrite();
  const status = useQuery({ queryKey: ["system"], queryFn: () => api.get<SystemStatus>("/api/system"), refetchInterval: 10_000, enabled: canWrite });
  if (!canWrite) {
    return (
      <div className="page">
        <PageHeader title="System" />
        <Card>
          <Empty title="Only admins see the system status." />
        </Card>
      </div>
    );
  }
  return (
    <div className="page">
      <PageHeader title="System" description="The queue between the services and the worker, and the reconciler that turns events into attribution." />
      <ReconcileCard />
      <QueryView query={status} loadingLabel="Loading system status…">
        {(s) => <SystemView s={s} />}
      </QueryView>
    </div>
  );
}

/** What a finished run did, from the worker's result: ": nothing new since the last run" or ": 12 conversions reconciled". */
function runSummary(result: ReconcileJob["result"]): string {
  if (!result) return "";
  if (result.quiet) return ": nothing new since the last run";
  return typeof result.conversions === "number" ? `: ${formatCount(result.conversions)} ${result.conversions === 1 ? "conversion" : "conversions"} reconciled` : "";
}

/** When the last run that changed something ran, and, if later runs found nothing new, when they last looked. */
function lastRunBasis(last: NonNullable<SystemStatus["lastReconcile"]>, checkedAt: number | null): string {
  const ran = `${formatDateTime(last.lastRunAt)}, ${formatDuration(last.lastRunMs)}`;
  // A quiet run ends a moment after it starts; one that changed something wrote lastRunAt as it started.
  return checkedAt !== null && checkedAt > last.lastRunAt + last.lastRunMs + 1000 ? `${ran}; checked ${formatRelative(checkedAt)}, nothing new since` : ran;
}

function SystemView({ s }: { s: SystemStatus }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: ({ queue, id }: { queue: string; id: string }) => api.post<{ ok: boolean; jobId: string }>(`/api/system/failed/${encodeURIComponent(queue)}/${encodeURIComponent(id)}/retry`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["system"] }),
  });
  const last = s.lastReconcile;
  return (
    <>
      <dl className="kpis kpis-5" aria-label="System figures">
        <KpiCard label="Redis" value={s.redis === "ok" ? "OK" : "Unavailable"} basis={s.redis === "ok" ? "queue reachable" : "events wait in the services' spool files"} />
        <KpiCard label="Last reconcile" value={last ? formatRelative(last.lastRunAt) : "never"} basis={last ? lastRunBasis(last, s.reconcileCheckedAt) : "press “Reconcile now”"} />
        <KpiCard label="Conversions in last run" value={last ? formatCount(last.lastRunConversions) : "—"} basis={last ? `rules ${last.rulesetVersion}` : undefined} />
        <KpiCard label="Failed jobs" value={formatCount(s.failed.length)} basis="most recent 50 of all queues" />
        <RetentionKpi retention={s.retention} />
      </dl>
      <Card title="Queues">
        {s.queues.length === 0 ? (
          <Empty title="No queue figures while Redis is unavailable." />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">Jobs per queue and state</caption>
              <thead>
                <tr>
                  <th scope="col">Queue</th>
                  {COUNT_KEYS.map((k) => (
                    <th key={k} scope="col" className="num">
                      {k}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {s.queues.map((q) => (
                  <tr key={q.queue}>
                    <th scope="row">
                      {q.queue} <span className="muted small mono">{q.name}</span>
                    </th>
                    {COUNT_KEYS.map((k) => (
                      <td key={k} className={`num ${k === "failed" && q.counts.failed > 0 ? "text-bad" : ""}`}>
                        {formatCount(q.counts[k])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Card title="Failed jobs">
        {retry.isError ? <Notice kind="error">{errorMessage(retry.error)}</Notice> : null}
        {retry.isSuccess ? <Notice kind="success">Job {retry.data.jobId} is queued again.</Notice> : null}
        {s.failed.length === 0 ? (
          <Empty title="No failed jobs." />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">Failed jobs, most recent first</caption>
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  <th scope="col">Reason</th>
                  <th scope="col" className="num">Attempts</th>
                  <th scope="col">Failed</th>
                  <th scope="col"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {s.failed.map((j) => (
                  <tr key={`${j.queue}-${j.id}`}>
                    <th scope="row" className="small">
                      {j.queue} / <span className="mono">{j.id}</span>
                    </th>
                    <td className="small">{j.failedReason ?? "—"}</td>
                    <td className="num">{j.attemptsMade}</td>
                    <td className="nowrap small">{formatDateTime(j.finishedOn ?? j.timestamp)}</td>
                    <td>
                      <button type="button" className="btn btn-small" aria-label={`Retry job ${j.id}`} disabled={retry.isPending} onClick={() => retry.mutate({ queue: j.queue, id: j.id })}>
                        Retry
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}

/** "Reconcile now": queue a run, then poll its state every second until it completes or fails. */
export function ReconcileCard() {
  const api = useApi();
  const queryClient = useQueryClient();
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: (mode: "incremental" | "full") => api.post<{ jobId: string }>("/api/reconcile", { mode }),
    onSuccess: (r) => setJobId(r.jobId),
  });
  const job = useQuery({
    queryKey: ["reconcile", jobId],
    queryFn: () => api.get<ReconcileJob>(`/api/reconcile/${encodeURIComponent(jobId ?? "")}`),
    enabled: jobId !== null,
    refetchInterval: (q) => (q.state.data && FINISHED.has(q.state.data.state) ? false : 1000),
  });
  const state = job.data?.state;
  const finished = state !== undefined && FINISHED.has(state);
  const running = start.isPending || (jobId !== null && !finished && !job.isError);

  useEffect(() => {
    if (state === "completed") {
      void queryClient.invalidateQueries({ queryKey: ["reports"] });
      void queryClient.invalidateQueries({ queryKey: ["system"] });
    }
  }, [state, queryClient]);

  return (
    <Card title="Reconcile" description="Ties new clicks, visits and answers to conversions. The worker also runs it on a schedule.">
      <div className="row">
        <button type="button" className="btn btn-primary" disabled={running} onClick={() => start.mutate("incremental")}>
          {running ? "Reconciling…" : "Reconcile now"}
        </button>
        <button type="button" className="btn" disabled={running} onClick={() => start.mutate("full")}>
          Full re-run
        </button>
      </div>
      <div aria-live="polite" className="reconcile-status">
        {start.isError ? <Notice kind="error">{errorMessage(start.error)}</Notice> : null}
        {job.isError ? <Notice kind="error">{errorMessage(job.error)}</Notice> : null}
        {jobId && !job.isError ? (
          state === "completed" ? (
            <Notice kind="success">
              Reconcile finished{job.data?.finishedAt ? ` at ${formatDateTime(job.data.finishedAt)}` : ""}
              {runSummary(job.data?.result ?? null)}. Reports are up to date.
            </Notice>
          ) : state === "failed" ? (
            <Notice kind="error">Reconcile failed: {job.data?.failedReason ?? "no reason given"}.</Notice>
          ) : (
            <p className="muted small">
              <StatusBadge status={state ?? "queued"} /> job {jobId}
            </p>
          )
        ) : null}
      </div>
    </Card>
  );
}

/** How far back raw events are kept, as the worker's daily prune enforces the retention setting. */
function RetentionKpi({ retention }: { retention: SystemStatus["retention"] }) {
  const { retentionDays, prunedBefore, lastPrunedAt } = retention;
  const basis = lastPrunedAt === null ? "the worker has not pruned yet" : `pruned ${formatRelative(lastPrunedAt)}; settings → privacy`;
  return <KpiCard label={`Raw events kept (${formatCount(retentionDays)} days)`} value={prunedBefore === null ? "all" : `since ${formatDate(prunedBefore)}`} basis={basis} />;
}
