import { sourceLabel } from "@lantern/core/source-labels";
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { BarList } from "../components/BarList.tsx";
import { Card, PageHeader } from "../components/Card.tsx";
import { CsvLink } from "../components/CsvLink.tsx";
import { KpiCard } from "../components/KpiCard.tsx";
import { Segmented } from "../components/Segmented.tsx";
import { Empty, Loading, QueryView } from "../components/States.tsx";
import { formatCompact, formatCount, formatInterval, formatPercent, formatRange, formatRatio, formatValue } from "../lib/format.ts";
import { evidenceInWords } from "../lib/evidence.ts";
import { useRange } from "../lib/hooks.ts";
import { defaultInterval, describeRange, reportQuery } from "../lib/range.ts";
import { useApi } from "../lib/session.tsx";
import type { DarkSocialReport, GapReport, Overview } from "../lib/types.ts";

// The chart library is the largest dependency; the figures render first and the charts follow.
const BandLineChart = lazy(async () => ({ default: (await import("../charts/BandLineChart.tsx")).BandLineChart }));
const GapChart = lazy(async () => ({ default: (await import("../charts/GapChart.tsx")).GapChart }));

export function OverviewPage() {
  const api = useApi();
  const [range] = useRange();
  const q = reportQuery(range);
  const [interval, setInterval] = useState<"day" | "week" | null>(null);
  const bucket = interval ?? defaultInterval(range);

  const overview = useQuery({ queryKey: ["reports", "overview", q], queryFn: () => api.get<Overview>("/api/reports/overview", q) });
  const dark = useQuery({ queryKey: ["reports", "dark-social", q, bucket], queryFn: () => api.get<DarkSocialReport>("/api/reports/dark-social", { ...q, interval: bucket }) });
  const gap = useQuery({ queryKey: ["reports", "gap", q], queryFn: () => api.get<GapReport>("/api/reports/gap", q) });

  return (
    <div className="page">
      <PageHeader title="Overview" description={`${describeRange(range)}. Every share comes with its 95% interval and the number it rests on.`} actions={<CsvLink path="/api/reports/overview.csv" query={q} what="overview figures" />} />

      <QueryView query={overview} loadingLabel="Loading the overview…">
        {(o) => <Kpis o={o} />}
      </QueryView>

      <div className="grid grid-2">
        <Card
          title="Dark share over time"
          description="Share of conversions that came through private channels, estimated for all conversions, with its 95% interval."
          actions={
            <>
              <Segmented
                legend="Interval"
                value={bucket}
                onChange={setInterval}
                options={[
                  { value: "day", label: "Days" },
                  { value: "week", label: "Weeks" },
                ]}
              />
              <CsvLink path="/api/reports/dark-social.csv" query={{ ...q, interval: bucket, table: "series" }} label="CSV" what="dark share over time" />
            </>
          }
        >
          <QueryView query={dark}>
            {(d) =>
              d.series.every((s) => s.conversions === 0) ? (
                <Empty title="No conversions in this range yet.">Conversions appear here once the reconciler has run.</Empty>
              ) : (
                <Suspense fallback={<Loading label="Drawing the chart…" />}>
                  <BandLineChart
                    caption="Dark share of conversions over time"
                    estimateLabel="Dark share (all conversions)"
                    naiveLabel="Respondents only (naive)"
                    data={d.series.map((s) => ({ day: s.start, estimate: s.allShare.estimate, low: s.allShare.low, high: s.allShare.high, naive: s.share, n: s.respondents }))}
                  />
                </Suspense>
              )
            }
          </QueryView>
        </Card>

        <Card
          title="Attribution gap"
          description="Conversions tracking credits to each channel, against what customers say (extrapolated to all conversions). ● marks dark channels."
          actions={<CsvLink path="/api/reports/gap.csv" query={q} label="CSV" what="attribution gap" />}
        >
          <QueryView query={gap}>
            {(g) =>
              g.channels.length === 0 ? (
                <Empty title="No conversions in this range yet." />
              ) : (
                <>
                  <p className="muted small">
                    Based on {formatCount(g.conversions)} conversions, {formatCount(g.respondents)} of which answered the survey
                    {g.uncoveredConversions > 0 ? `; ${formatCount(g.uncoveredConversions)} in channels nobody answered for cannot be extrapolated` : ""}.
                  </p>
                  <Suspense fallback={<Loading label="Drawing the chart…" />}>
                    <GapChart report={g} />
                  </Suspense>
                </>
              )
            }
          </QueryView>
        </Card>
      </div>

      <div className="grid grid-3">
        <Card title="Where links were shared" description="Link previews drawn by each app: evidence of a paste, never counted as clicks." actions={<CsvLink path="/api/reports/dark-social.csv" query={{ ...q, table: "sources" }} label="CSV" what="sources" />}>
          <QueryView query={dark}>
            {(d) => (
              <BarList
                caption="Unfurls by app"
                labelHeader="App"
                valueHeader="Unfurls"
                items={d.bySource.unfurlApps.map((s) => ({ key: s.source, label: sourceLabel(s.source), value: s.count, dark: true }))}
                empty="No link previews in this range."
              />
            )}
          </QueryView>
        </Card>
        <Card title="Top channels" description="All conversions by channel, estimated: what respondents say, re-weighted by what software saw, with 95% intervals.">
          <QueryView query={overview}>
            {(o) => (
              <BarList
                caption="Conversions by channel"
                labelHeader="Channel"
                valueHeader="Conversions (est.)"
                showShare={false}
                items={(o.estimatedMix?.channels ?? []).slice(0, 8).map((c) => ({
                  key: c.channel,
                  label: c.label,
                  value: Math.round(c.conversions),
                  dark: c.dark,
                  detail: (
                    <span className="muted">
                      {formatPercent(c.share)} ({formatRange(c.low, c.high)})
                    </span>
                  ),
                }))}
                empty="No survey answers in this range yet: the mix is estimated from them."
              />
            )}
          </QueryView>
        </Card>
        <Card title="Why conversions count as dark" description="Evidence behind each dark conversion; one conversion can have several.">
          <QueryView query={dark}>
            {(d) => (
              <BarList
                caption="Dark conversions by evidence"
                labelHeader="Evidence"
                valueHeader="Conversions"
                showShare={false}
                items={d.byEvidence.map((e) => ({ key: e.reason, label: evidenceInWords(e.reason), value: e.conversions, dark: true, detail: <span className="muted">{formatPercent(e.share)}</span> }))}
                empty="No dark conversions in this range."
              />
            )}
          </QueryView>
        </Card>
      </div>
    </div>
  );
}

function Kpis({ o }: { o: Overview }) {
  const all = o.darkShare.all;
  const resp = o.darkShare.respondents;
  return (
    <>
      <dl className="kpis" aria-label="Key figures">
        <KpiCard label="Clicks" value={formatCompact(o.clicks)} basis={`${formatCount(o.clicks)} human clicks on short links`} />
        <KpiCard label="Unfurls" value={formatCompact(o.unfurls)} basis={`${formatCount(o.unfurls)} link previews; ${formatCount(o.reshares)} re-shares`} />
        <KpiCard label="Conversions" value={formatCompact(o.conversions)} basis={`value ${formatValue(o.value)}; ${formatCount(o.darkConversions)} seen as dark`} />
        <KpiCard label="Answers" value={formatCompact(o.answers)} basis={`answer rate ${formatRatio(o.answers, o.views, "survey views")}`} />
        <KpiCard label="Response rate" value={formatPercent(o.responseRate)} basis={`${formatCount(o.respondents)} of ${formatCount(o.conversions)} conversions answered the survey`} />
        <KpiCard accent label="Dark share" value={formatPercent(all.estimate)} basis={formatInterval(all, { n: resp.n, unit: "answers" })} />
      </dl>
      <section className="callout" aria-label="How the dark share is estimated">
        <div className="callout-figures">
          <p>
            <strong>Estimate for all conversions:</strong> {formatInterval(all, { n: resp.n, unit: "answers" })}
            {all.coverage !== null && all.coverage < 1 ? <span className="muted"> · covers {formatPercent(all.coverage)} of conversions</span> : null}
          </p>
          <p>
            <strong>Share among respondents (naive):</strong> {formatInterval(resp, { n: resp.n, unit: "answers" })}{" "}
            <span className="muted">
              ({formatCount(resp.dark)} of {formatCount(resp.n)} respondents who named a channel were dark, by their answer or by the private channel software saw them arrive through
              {resp.noChannel > 0 ? `; ${formatCount(resp.noChannel)} more named none and count as no answer` : ""}
              {resp.noChannel > 0 && all.unnamedNotDark !== null ? `; were none of them dark, the share would be ${formatPercent(all.unnamedNotDark)}, which the interval's lower end allows for` : ""})
              {resp.noChannel > 0 && o.darkShare.naive.estimate !== null ? `. A survey tool's chart, which counts those as answers too, shows ${formatPercent(o.darkShare.naive.estimate)}.` : ""}
            </span>
          </p>
          {all.answerCheck ? (
            <p>
              <strong>Answer check:</strong> {formatPercent(all.answerCheck.sensitivity)} of {formatCount(all.answerCheck.respondents)} buyers seen arriving through a private
              channel named one{" "}
              <span className="muted">
                (corrected for the rest: {formatPercent(all.corrected)}; the interval's upper end allows for it)
              </span>
            </p>
          ) : null}
        </div>
        <p className="callout-why">
          {o.darkShare.explanation ??
            (resp.n === 0
              ? "No survey answers from converting customers in this range yet: the dark share is estimated from their answers."
              : "The two figures agree: respondents look like all converting customers in their tracked channels.")}
        </p>
        {all.missingStrata.length ? (
          <p className="muted small">
            Left out of the estimate (no respondents yet): {all.missingStrata.map((m) => `${m.label} (${formatCount(m.conversions)})`).join(", ")}.
          </p>
        ) : null}
      </section>
    </>
  );
}
