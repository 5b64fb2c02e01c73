import { sourceLabel } from "@lantern/core/source-labels";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { LinkTagBadge, StatusBadge } from "../../components/Badges.tsx";
import { Card, PageHeader } from "../../components/Card.tsx";
import { CopyButton } from "../../components/CopyButton.tsx";
import { CsvLink } from "../../components/CsvLink.tsx";
import { Pager, useCursorPages } from "../../components/Pager.tsx";
import { Empty, ErrorState, Loading } from "../../components/States.tsx";
import { formatCount, formatDate } from "../../lib/format.ts";
import { useParam, useRange, useSetParams } from "../../lib/hooks.ts";
import { rangeSearch, reportQuery } from "../../lib/range.ts";
import { useApi, useCanWrite } from "../../lib/session.tsx";
import { KIT_SOURCES } from "../../lib/share-kit.ts";
import type { LinkList, LinksReport } from "../../lib/types.ts";

/** Links the figures are asked for: the most the reports API gives in one answer. */
const FIGURES_LIMIT = 1000;

export function LinksListPage() {
  const api = useApi();
  const canWrite = useCanWrite();
  const [params] = useSearchParams();
  const [range] = useRange();
  const setParams = useSetParams();
  const [q] = useParam("q");
  const [campaign] = useParam("campaign");
  const [source, setSource] = useParam("source");
  const [tag] = useParam("tag");
  const [archived, setArchived] = useParam("archived", "false");
  const [draft, setDraft] = useState({ q, campaign, tag });
  useEffect(() => setDraft({ q, campaign, tag }), [q, campaign, tag]);

  const filters = { q, campaign, source, tag, archived };
  const pages = useCursorPages(JSON.stringify(filters));
  const list = useQuery({
    queryKey: ["links", filters, pages.cursor],
    queryFn: () => api.get<LinkList>("/api/links", { ...filters, cursor: pages.cursor, limit: 25 }),
    placeholderData: keepPreviousData,
  });
  const rq = reportQuery(range);
  // Figures per link for the range; the list still works when the reports are unavailable.
  const figures = useQuery({ queryKey: ["reports", "links", rq], queryFn: () => api.get<LinksReport>("/api/reports/links", { ...rq, limit: FIGURES_LIMIT }) });
  const byId = new Map((figures.data?.links ?? []).map((l) => [l.linkId, l]));
  // The report lists only links with activity in the range. When it came back whole (fewer rows than
  // asked for), a link missing from it had none: 0, not a blank. A missing or cut-off report stays "—".
  const complete = figures.data !== undefined && figures.data.links.length < FIGURES_LIMIT;
  const figure = (id: string, key: "clicks" | "unfurls" | "conversions") => {
    const f = byId.get(id);
    return f ? formatCount(f[key]) : complete ? formatCount(0) : "—";
  };

  const applyText = (e: FormEvent) => {
    e.preventDefault();
    setParams({ q: draft.q.trim(), campaign: draft.campaign.trim(), tag: draft.tag.trim() });
  };
  const filtered = Boolean(q || campaign || source || tag || archived !== "false");

  return (
    <div className="page">
      <PageHeader
        title="Links"
        description="Short links that know which channel they were made for. Previews drawn by chat apps count as unfurls, never as clicks."
        actions={
          <>
            <CsvLink path="/api/reports/links.csv" query={{ ...rq, table: "links" }} what="links report" />
            {canWrite ? (
              <Link className="btn btn-primary" to={`/links/new${rangeSearch(params)}`}>
                New link or share kit
              </Link>
            ) : null}
          </>
        }
      />
      <Card>
        <form className="filters" onSubmit={applyText} aria-label="Search and filter links">
          <div className="field field-grow">
            <label htmlFor="links-q">Search</label>
            <input id="links-q" type="search" placeholder="Slug, destination or title" value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="links-campaign">Campaign</label>
            <input id="links-campaign" value={draft.campaign} onChange={(e) => setDraft({ ...draft, campaign: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="links-tag">Tag</label>
            <input id="links-tag" value={draft.tag} onChange={(e) => setDraft({ ...draft, tag: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="links-source">Source</label>
            <select id="links-source" value={source} onChange={(e) => setSource(e.target.value)}>
              <option value="">Any source</option>
              {(source && !(KIT_SOURCES as readonly string[]).includes(source) ? [...KIT_SOURCES, source] : KIT_SOURCES).map((s) => (
                <option key={s} value={s}>
                  {sourceLabel(s)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="links-archived">Status</label>
            <select id="links-archived" value={archived} onChange={(e) => setArchived(e.target.value)}>
              <option value="false">Live</option>
              <option value="true">Archived</option>
              <option value="all">All</option>
            </select>
          </div>
          <div className="field field-actions">
            <button type="submit" className="btn">
              Apply
            </button>
          </div>
        </form>

        {list.isPending ? (
          <Loading label="Loading links…" />
        ) : list.isError ? (
          <ErrorState error={list.error} retry={() => void list.refetch()} />
        ) : list.data.data.length === 0 ? (
          filtered ? (
            <Empty title="No links match these filters." />
          ) : (
            <Empty title="No links yet.">{canWrite ? <Link to="/links/new">Create your first share kit</Link> : "An admin can create the first one."}</Empty>
          )
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">Links, newest first{figures.data ? ", with their figures in the chosen range" : ""}</caption>
              <thead>
                <tr>
                  <th scope="col">Link</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Campaign</th>
                  <th scope="col" className="num">
                    Clicks
                  </th>
                  <th scope="col" className="num">
                    Unfurls
                  </th>
                  <th scope="col" className="num">
                    Conversions
                  </th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((link) => {
                  return (
                    <tr key={link.id}>
                      <td>
                        <div className="link-cell">
                          <Link to={`/links/${link.id}${rangeSearch(params)}`} className="strong">
                            {link.shortUrl.replace(/^https?:\/\//, "")}
                          </Link>
                          <CopyButton value={link.shortUrl} what={`short link ${link.slug}`} />
                        </div>
                        <div className="muted small truncate" title={link.url}>
                          → {link.url}
                        </div>
                        {link.tags.length || link.status !== "active" ? (
                          <div className="tags">
                            {link.status !== "active" ? <StatusBadge status={link.status} /> : null}
                            {link.tags.map((t) => (
                              <span key={t} className="tag">
                                {t}
                              </span>
                            ))}
                          </div>
                        ) : null}
                      </td>
                      <td>
                        <LinkTagBadge channel={link.channel} source={link.source} />
                      </td>
                      <td>{link.campaign ?? <span className="muted">—</span>}</td>
                      <td className="num">{figure(link.id, "clicks")}</td>
                      <td className="num">{figure(link.id, "unfurls")}</td>
                      <td className="num">{figure(link.id, "conversions")}</td>
                      <td className="nowrap">{formatDate(link.createdAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <Pager page={pages.page} nextCursor={list.data?.nextCursor} onNext={pages.next} onPrev={pages.prev} busy={list.isFetching} />
      </Card>
    </div>
  );
}
