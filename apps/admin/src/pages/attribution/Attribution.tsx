import { sourceLabel } from "@lantern/core/source-labels";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Fragment, useEffect, useState } from "react";
import { Link, NavLink, Outlet, useSearchParams } from "react-router";
import { ChannelBadge, LinkTagBadge } from "../../components/Badges.tsx";
import { Card, PageHeader } from "../../components/Card.tsx";
import { ChannelSelect } from "../../components/ChannelSelect.tsx";
import { CsvLink } from "../../components/CsvLink.tsx";
import { Pager, useCursorPages } from "../../components/Pager.tsx";
import { Empty, ErrorState, Loading, QueryView } from "../../components/States.tsx";
import { ShareBarChart } from "../../charts/ShareBarChart.tsx";
import { formatCount, formatDateTime, formatPercent, formatValue, humanize } from "../../lib/format.ts";
import { useChannels } from "../../lib/channels.ts";
import { darkReasonsInWords } from "../../lib/evidence.ts";
import { useParam, useRange } from "../../lib/hooks.ts";
import { rangeSearch, reportQuery } from "../../lib/range.ts";
import { useApi } from "../../lib/session.tsx";
import { touchpointTitle } from "../../lib/touchpoints.ts";
import { describeRule } from "../../lib/rules.ts";
import { type ChannelsReport, type ConversionRow, type ConversionsPage, type LinksReport, MODELS, type Model, type Touchpoint, type View, VIEWS } from "../../lib/types.ts";

const MODEL_LABELS: Record<Model, string> = {
  first_touch: "First touch",
  last_touch: "Last touch",
  last_non_direct: "Last non-direct",
  linear: "Linear",
  position_based: "Position-based (40/20/40)",
  time_decay: "Time decay (7-day half-life)",
};
const VIEW_LABELS: Record<View, string> = { blended: "Blended", software: "Software only", self_reported: "Self-reported only" };

export function AttributionLayout() {
  const [params] = useSearchParams();
  const search = rangeSearch(params);
  const tab = ({ isActive }: { isActive: boolean }) => (isActive ? "tab is-active" : "tab");
  return (
    <div className="page">
      <PageHeader title="Attribution" description="What software saw, what customers said, and the blended answer, under the model you choose." />
      <nav className="tabs" aria-label="Attribution views">
        <NavLink to={{ pathname: "/attribution", search }} end className={tab}>
          Channels and sources
        </NavLink>
        <NavLink to={{ pathname: "/attribution/campaigns", search }} className={tab}>
          Campaigns and links
        </NavLink>
        <NavLink to={{ pathname: "/attribution/conversions", search }} className={tab}>
          Conversions explorer
        </NavLink>
      </nav>
      <Outlet />
    </div>
  );
}

export function ChannelsTab() {
  const api = useApi();
  const [range] = useRange();
  const [model, setModel] = useParam("model", "last_touch");
  const [view, setView] = useParam("view", "blended");
  const { label } = useChannels();
  const q = { ...reportQuery(range), model, view };
  const report = useQuery({ queryKey: ["reports", "channels", q], queryFn: () => api.get<ChannelsReport>("/api/reports/channels", q), placeholderData: keepPreviousData });

  return (
    <>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="attr-model">Model</label>
          <select id="attr-model" value={model} onChange={(e) => setModel(e.target.value)}>
            {MODELS.map((m) => (
              <option key={m} value={m}>
                {MODEL_LABELS[m]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="attr-view">View</label>
          <select id="attr-view" value={view} onChange={(e) => setView(e.target.value)}>
            {VIEWS.map((v) => (
              <option key={v} value={v}>
                {VIEW_LABELS[v]}
              </option>
            ))}
          </select>
        </div>
        <div className="toolbar-end">
          <CsvLink path="/api/reports/channels.csv" query={{ ...q, table: "channels" }} label="Channels CSV" what="channels" />
          <CsvLink path="/api/reports/channels.csv" query={{ ...q, table: "sources" }} label="Sources CSV" what="sources" />
        </div>
      </div>
      <QueryView query={report} loadingLabel="Loading attribution…">
        {(r) =>
          r.channels.length === 0 ? (
            <Card>
              <Empty title="No conversions in this range.">Conversions appear once the reconciler has tied them to clicks and answers.</Empty>
            </Card>
          ) : (
            <>
              <p className="muted small" aria-live="polite">
                {formatCount(r.totals.credits)} conversions credited ({VIEW_LABELS[r.view]}, {MODEL_LABELS[r.model].toLowerCase()}), value {formatValue(r.totals.value)}.
                {r.view === "blended"
                  ? " The model shares each conversion among the steps of its path, the customer's answer counting as its last step; the explorer's Blended column is the one channel the rules chose for each conversion, so the two counts can differ."
                  : null}
              </p>
              <div className="grid grid-2">
                <Card title="Channels">
                  <ShareBarChart caption="Credits per channel" valueLabel="Credits" rows={r.channels.map((c) => ({ key: c.channel, label: c.label, value: c.credits, share: c.share, dark: c.dark }))} />
                  <table className="table table-compact">
                    <caption className="sr-only">Credits and value per channel</caption>
                    <thead>
                      <tr>
                        <th scope="col">Channel</th>
                        <th scope="col" className="num">Credits</th>
                        <th scope="col" className="num">Share</th>
                        <th scope="col" className="num">Value</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.channels.map((c) => (
                        <tr key={c.channel}>
                          <th scope="row">
                            <ChannelBadge channel={c.channel} />
                          </th>
                          <td className="num">{formatCount(c.credits)}</td>
                          <td className="num">{formatPercent(c.share)}</td>
                          <td className="num">{formatValue(c.value)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </Card>
                <Card title="Sources">
                  <ShareBarChart
                    caption="Credits per source"
                    valueLabel="Credits"
                    rows={sourceRows(r.sources, label).map((s) => ({ ...s, dark: r.channels.find((c) => c.channel === s.channel)?.dark }))}
                  />
                  <table className="table table-compact">
                    <caption className="sr-only">Credits and value per source</caption>
                    <thead>
                      <tr>
                        <th scope="col">Source</th>
                        <th scope="col">Channel</th>
                        <th scope="col" className="num">Credits</th>
                        <th scope="col" className="num">Share</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.sources.map((s) => (
                        <tr key={`${s.channel}/${s.source}`}>
                          <th scope="row" title={s.source ?? undefined}>{s.source ? sourceLabel(s.source) : <span className="muted">unknown</span>}</th>
                          <td>{label(s.channel)}</td>
                          <td className="num">{formatCount(s.credits)}</td>
                          <td className="num">{formatPercent(s.share)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </Card>
              </div>
            </>
          )
        }
      </QueryView>
    </>
  );
}

/**
 * The Sources chart's bars. A source is named by itself ("WhatsApp"), and with its channel when the
 * same name stands for several channels ("Google · Organic search", "Google · Paid search") or when
 * no source is known ("Unknown · Social (public feeds)"; direct traffic is just "Direct / unknown").
 */
export function sourceRows(sources: ChannelsReport["sources"], channelLabel: (channel: string) => string) {
  const named = sources.map((s) => ({ ...s, name: s.source ? sourceLabel(s.source) : null }));
  const seen = new Map<string, number>();
  for (const { name } of named) if (name) seen.set(name, (seen.get(name) ?? 0) + 1);
  return named.map((s) => {
    const label =
      s.name === null ? (s.channel === "direct" ? channelLabel(s.channel) : `Unknown · ${channelLabel(s.channel)}`) : (seen.get(s.name) ?? 0) > 1 ? `${s.name} · ${channelLabel(s.channel)}` : s.name;
    return { key: `${s.channel}/${s.source}`, label, channel: s.channel, value: s.credits, share: s.share };
  });
}

export function CampaignsTab() {
  const api = useApi();
  const [range] = useRange();
  const [params] = useSearchParams();
  const q = reportQuery(range);
  const report = useQuery({ queryKey: ["reports", "links", q], queryFn: () => api.get<LinksReport>("/api/reports/links", { ...q, limit: 1000 }) });
  return (
    <QueryView query={report} loadingLabel="Loading campaigns…">
      {(r) => (
        <>
          <Card title="Campaigns" actions={<CsvLink path="/api/reports/links.csv" query={{ ...q, table: "campaigns" }} what="campaigns" />}>
            {r.campaigns.length === 0 ? (
              <Empty title="No link activity in this range." />
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <caption className="sr-only">Campaigns ranked by conversions</caption>
                  <thead>
                    <tr>
                      <th scope="col">Campaign</th>
                      <th scope="col" className="num">Links</th>
                      <th scope="col" className="num">Clicks</th>
                      <th scope="col" className="num">Unfurls</th>
                      <th scope="col" className="num">Re-shares</th>
                      <th scope="col" className="num">Conversions</th>
                      <th scope="col" className="num">Dark</th>
                      <th scope="col" className="num">Value</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.campaigns.map((c) => (
                      <tr key={c.campaign ?? "(none)"}>
                        <th scope="row">{c.campaign ?? <span className="muted">No campaign</span>}</th>
                        <td className="num">{formatCount(c.links)}</td>
                        <td className="num">{formatCount(c.clicks)}</td>
                        <td className="num">{formatCount(c.unfurls)}</td>
                        <td className="num">{formatCount(c.reshares)}</td>
                        <td className="num">{formatCount(c.conversions)}</td>
                        <td className="num">{formatPercent(c.conversions ? c.darkConversions / c.conversions : null)}</td>
                        <td className="num">{formatValue(c.value)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
          <Card title="Links" actions={<CsvLink path="/api/reports/links.csv" query={{ ...q, table: "links" }} what="links" />}>
            {r.links.length === 0 ? (
              <Empty title="No link activity in this range." />
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <caption className="sr-only">Links ranked by conversions</caption>
                  <thead>
                    <tr>
                      <th scope="col">Link</th>
                      <th scope="col">Channel</th>
                      <th scope="col">Campaign</th>
                      <th scope="col" className="num">Clicks</th>
                      <th scope="col" className="num">Unfurls</th>
                      <th scope="col" className="num">Conversions</th>
                      <th scope="col" className="num">Value</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.links.map((l) => (
                      <tr key={l.linkId}>
                        <th scope="row">{l.slug ? <Link to={`/links/${l.linkId}${rangeSearch(params)}`}>{l.slug}</Link> : <span className="muted">deleted link</span>}</th>
                        <td>
                          {l.slug ? <LinkTagBadge channel={l.channel} source={l.source} /> : <span className="muted">—</span>}
                        </td>
                        <td>{l.campaign ?? "—"}</td>
                        <td className="num">{formatCount(l.clicks)}</td>
                        <td className="num">{formatCount(l.unfurls)}</td>
                        <td className="num">{formatCount(l.conversions)}</td>
                        <td className="num">{formatValue(l.value)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
        </>
      )}
    </QueryView>
  );
}

function evidenceText(t: Touchpoint): string {
  const e = t.evidence ?? {};
  const bits: string[] = [];
  if (typeof e.link === "string") bits.push(`tied by ${e.link}`);
  // Hosts and campaigns as they were sent; apps by their names.
  for (const [key, name, show] of [
    ["referrerHost", "referrer", String],
    ["inApp", "in-app browser", sourceLabel],
    ["unfurlApp", "previewed in", sourceLabel],
    ["linkSource", "link made for", sourceLabel],
    ["campaign", "campaign", String],
  ] as const) {
    const v = e[key];
    if (typeof v === "string" && v) bits.push(`${name} ${show(v)}`);
  }
  if (typeof e.generation === "number") bits.push(`share generation ${e.generation}`);
  if (typeof e.confidence === "number") bits.push(`confidence ${formatPercent(e.confidence)}`);
  if (Array.isArray(e.darkReasons) && e.darkReasons.length) bits.push(`dark: ${darkReasonsInWords(e.darkReasons.map(String))}`);
  return bits.join(" · ") || "—";
}

function PathView({ c }: { c: ConversionRow }) {
  const { label } = useChannels();
  const touchpoints = c.path?.touchpoints ?? [];
  if (touchpoints.length === 0) return <p className="muted small">No touchpoints: nothing tied this conversion to a click, visit or answer.</p>;
  return (
    <ol className="path" aria-label={`Path of conversion ${c.conversionId}`}>
      {touchpoints.map((t) => (
        <li key={`${t.kind}-${t.id}`} className={`path-step ${t.dark ? "is-dark" : ""}`}>
          <div className="path-head">
            <strong>{touchpointTitle(t)}</strong> · {label(t.channel)}
            {t.source ? ` · ${sourceLabel(t.source)}` : ""} <span className="muted small">{formatDateTime(t.ts)}</span>
          </div>
          <div className="small">
            Rule: <code>{t.rule}</code>
            {t.evidence?.rule ? (
              <>
                {" "}
                (classified by <code>{String(t.evidence.rule)}</code>)
              </>
            ) : null}
          </div>
          <div className="muted small">{evidenceText(t)}</div>
        </li>
      ))}
    </ol>
  );
}

/** Conversions per page of the explorer. */
const CONVERSIONS_PAGE = 50;

/** Whose report of a conversion its figures come from (of several reports of one order, the site's server's wins). */
const ORIGIN_LABELS: Record<NonNullable<ConversionRow["origin"]>, string> = {
  tracker: "reported by lantern.js on the site",
  api: "reported by the site's server",
  survey: "came with a survey answer",
};

/** The line under an opened path: "Purchase order-1042 · conversion C1 · reported by … · rules r" (the id left out when it is the order id). */
export function conversionFacts(c: ConversionRow): string {
  return [
    [c.type ? humanize(c.type) : null, c.orderId].filter(Boolean).join(" "),
    c.conversionId !== c.orderId ? `conversion ${c.conversionId}` : null,
    c.origin ? ORIGIN_LABELS[c.origin] : null,
    c.campaign ? `campaign ${c.campaign}` : null,
    `rules ${c.rulesetVersion}`,
  ]
    .filter(Boolean)
    .join(" · ");
}

export function ConversionsTab() {
  const api = useApi();
  const [range] = useRange();
  const [dark, setDark] = useParam("dark");
  const [channel, setChannel] = useParam("channel");
  const [order, setOrder] = useParam("order");
  const [orderDraft, setOrderDraft] = useState(order);
  useEffect(() => setOrderDraft(order), [order]);
  const [open, setOpen] = useState<string | null>(null);
  // An opened path that starts low on the screen (on a phone, below its stacked row) is scrolled up with its row.
  useEffect(() => {
    const path = open ? document.getElementById(`path-${open}`) : null;
    if (path && path.getBoundingClientRect().top > window.innerHeight * 0.7) (path.previousElementSibling ?? path).scrollIntoView?.({ block: "start" });
  }, [open]);
  const q = { ...reportQuery(range), dark, channel, order: order || undefined };
  const pages = useCursorPages(JSON.stringify(q));
  const list = useQuery({
    queryKey: ["reports", "conversions", q, pages.cursor],
    queryFn: () => api.get<ConversionsPage>("/api/reports/conversions", { ...q, cursor: pages.cursor, limit: CONVERSIONS_PAGE }),
    placeholderData: keepPreviousData,
  });
  const fmt = (x: { channel: string; source: string | null } | null) => (x ? <ChannelBadge channel={x.channel} source={x.source} /> : <span className="muted">—</span>);

  return (
    <Card title="Conversions" description="Each conversion's path of touchpoints and the rule that decided its channel." actions={<CsvLink path="/api/reports/conversions.csv" query={q} what="conversions" />}>
      <form
        className="filters"
        aria-label="Filter conversions"
        onSubmit={(e) => {
          e.preventDefault();
          setOrder(orderDraft.trim());
        }}
      >
        <div className="field">
          <label htmlFor="conv-dark">Dark social</label>
          <select id="conv-dark" value={dark} onChange={(e) => setDark(e.target.value)}>
            <option value="">All conversions</option>
            <option value="true">Dark only</option>
            <option value="false">Not dark</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="conv-channel">Blended channel</label>
          <ChannelSelect id="conv-channel" value={channel} onChange={setChannel} leading={[{ value: "", label: "Any channel" }]} />
        </div>
        <div className="field">
          <label htmlFor="conv-order">Order id</label>
          <input id="conv-order" type="search" placeholder="e.g. order-1042" value={orderDraft} onChange={(e) => setOrderDraft(e.target.value)} />
        </div>
        <div className="field field-actions">
          <button type="submit" className="btn">
            Find
          </button>
        </div>
      </form>
      {list.isPending ? (
        <Loading label="Loading conversions…" />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : list.data.conversions.length === 0 ? (
        <Empty title="No conversions match.">{order ? `No conversion with order id “${order}” in this range.` : null}</Empty>
      ) : (
        // A container, so that the table stacks its rows by the room the card has (a phone, a narrow window), not the window's width.
        <div className="table-wrap conv-wrap">
          <p className="muted small" aria-live="polite">
            {formatCount(list.data.total)} {list.data.total === 1 ? "conversion matches" : "conversions match"}.
          </p>
          <table className="table conv-table">
            <caption className="sr-only">Conversions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Software saw</th>
                <th scope="col">Customer said</th>
                <th scope="col">Blended</th>
                <th scope="col">Decided by</th>
                <th scope="col" className="num">Value</th>
              </tr>
            </thead>
            <tbody>
              {list.data.conversions.map((c) => (
                <Fragment key={c.conversionId}>
                  <tr className={`conv-row ${c.dark ? "row-dark" : ""} ${open === c.conversionId ? "is-open" : ""}`}>
                    <td className="conv-when">
                      <time dateTime={new Date(c.ts).toISOString()} className="nowrap">
                        {formatDateTime(c.ts)}
                      </time>
                      {c.orderId ? <div className="muted small conv-order">{c.orderId}</div> : null}
                      <button type="button" className="btn btn-small conv-path-toggle" aria-expanded={open === c.conversionId} aria-controls={`path-${c.conversionId}`} onClick={() => setOpen(open === c.conversionId ? null : c.conversionId)}>
                        {open === c.conversionId ? "Hide path" : `Path (${c.path?.touchpoints?.length ?? 0})`}
                      </button>
                    </td>
                    <td data-label="Software saw">{fmt(c.software)}</td>
                    <td data-label="Customer said">
                      {!c.responded ? (
                        <span className="muted">no answer</span>
                      ) : c.selfReport ? (
                        fmt(c.selfReport)
                      ) : (
                        <span className="muted" title={'Answered without naming a channel ("I don\'t remember", or text no rule placed)'}>
                          named none
                        </span>
                      )}
                    </td>
                    <td data-label="Blended">
                      {fmt(c.blended)}
                      {c.dark ? <div className="muted small">dark: {darkReasonsInWords(c.darkReasons)}</div> : null}
                    </td>
                    <td data-label="Decided by" className="small conv-rule" title={c.rule}>
                      {describeRule(c.rule)}
                    </td>
                    <td data-label="Value" className="num">
                      {formatValue(c.value)}
                      {c.currency && c.value !== null ? <span className="muted"> {c.currency}</span> : null}
                    </td>
                  </tr>
                  {open === c.conversionId ? (
                    <tr id={`path-${c.conversionId}`} className="conv-path-row">
                      <td colSpan={6}>
                        <PathView c={c} />
                        <p className="muted small">{conversionFacts(c)}</p>
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        page={pages.page}
        nextCursor={list.data?.nextCursor}
        onNext={pages.next}
        onPrev={pages.prev}
        busy={list.isFetching}
        of={list.data ? { total: list.data.total, pageSize: CONVERSIONS_PAGE } : undefined}
      />
    </Card>
  );
}
