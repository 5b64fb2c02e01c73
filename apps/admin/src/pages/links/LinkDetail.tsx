import { sourceLabel } from "@lantern/core/source-labels";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams, useSearchParams } from "react-router";
import { BarList, countsToItems } from "../../components/BarList.tsx";
import { LinkTagBadge, linkTag, StatusBadge } from "../../components/Badges.tsx";
import { Card, PageHeader } from "../../components/Card.tsx";
import { CopyButton, CopyField } from "../../components/CopyButton.tsx";
import { KpiCard } from "../../components/KpiCard.tsx";
import { Empty, ErrorState, Loading, Notice, QueryView } from "../../components/States.tsx";
import { DailyChart } from "../../charts/DailyChart.tsx";
import { ApiError, errorMessage } from "../../lib/api.ts";
import { formatCount, formatDate, formatPercent } from "../../lib/format.ts";
import { useChannels } from "../../lib/channels.ts";
import { useRange } from "../../lib/hooks.ts";
import { countryName, deviceLabel } from "../../lib/names.ts";
import { describeRange, rangeSearch, serviceQuery } from "../../lib/range.ts";
import { useApi, useCanWrite } from "../../lib/session.tsx";
import { type Journey, type Link as LinkT, type LinkStats, NONE_KEY, type Variant } from "../../lib/types.ts";
import { UtmList } from "../../components/UtmList.tsx";
import { JourneyView } from "./Journey.tsx";
import { QrLinks } from "./QrLinks.tsx";

export function LinkDetailPage() {
  const { id = "" } = useParams();
  const api = useApi();
  const [range] = useRange();
  const [params] = useSearchParams();
  const q = serviceQuery(range);
  const link = useQuery({ queryKey: ["links", "one", id], queryFn: () => api.get<LinkT>(`/api/links/${encodeURIComponent(id)}`) });
  const stats = useQuery({ queryKey: ["links", "stats", id, q], queryFn: () => api.get<LinkStats>(`/api/links/${encodeURIComponent(id)}/stats`, q) });
  const journey = useQuery({
    queryKey: ["links", "journey", id, q],
    queryFn: async () => {
      try {
        return await api.get<Journey>(`/api/links/${encodeURIComponent(id)}/journey`, q);
      } catch (err) {
        // Older links services have no journey report; that is an empty state, not an error.
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    retry: false,
  });

  if (link.isPending) return <Loading label="Loading the link…" />;
  if (link.isError) {
    return (
      <div className="page">
        <PageHeader title="Link" />
        <ErrorState error={link.error} retry={() => void link.refetch()} />
        <p>
          <Link to={`/links${rangeSearch(params)}`}>Back to links</Link>
        </p>
      </div>
    );
  }
  const l = link.data;

  return (
    <div className="page">
      <p className="crumbs">
        <Link to={`/links${rangeSearch(params)}`}>Links</Link> <span aria-hidden="true">/</span> <span>{l.slug}</span>
      </p>
      <PageHeader
        title={
          <span className="link-title">
            {l.shortUrl.replace(/^https?:\/\//, "")} <StatusBadge status={l.status} />
          </span>
        }
        description={
          <span className="truncate" title={l.destination}>
            → {l.url}
          </span>
        }
        actions={
          <>
            <CopyButton value={l.shortUrl} what="short link" />
            <QrLinks id={l.id} slug={l.slug} />
            <ArchiveButton link={l} />
          </>
        }
      />
      <div className="meta-row">
        <LinkTagBadge channel={l.channel} source={l.source} />
        {l.campaign ? <span className="tag">campaign: {l.campaign}</span> : null}
        {l.tags.map((t) => (
          <span key={t} className="tag">
            {t}
          </span>
        ))}
        <UtmList utm={l.utm} />
        <span className="muted small">created {formatDate(l.createdAt)}</span>
      </div>

      <QueryView query={stats} loadingLabel="Loading figures…">
        {(s) => <LinkFigures stats={s} rangeLabel={describeRange(range)} />}
      </QueryView>

      <Card title="Journey" description="Previews → clicks → landing visitors → copy-paste re-shares → conversions.">
        {journey.isPending ? (
          <Loading />
        ) : journey.isError ? (
          <ErrorState error={journey.error} retry={() => void journey.refetch()} />
        ) : journey.data ? (
          <JourneyView journey={journey.data} />
        ) : (
          <Empty title="No journey report yet.">This links service does not report journeys; they need the site tracker (lantern.js) on the destination.</Empty>
        )}
      </Card>

      {l.variants?.length ? <KitLinks variants={l.variants} search={rangeSearch(params)} /> : null}

      <Card title="Destination with UTMs">
        <CopyField value={l.destination} what="destination" />
        <p className="hint">Each click adds its own lcid, which ties a later survey answer or conversion to it.</p>
      </Card>
    </div>
  );
}

/** The other links of the kit; the kit's own link comes with source "" (made for no app in particular). */
function KitLinks({ variants, search }: { variants: Variant[]; search: string }) {
  const { label } = useChannels();
  const name = (v: Variant) => {
    const tag = linkTag(v.channel, v.source);
    return tag?.source ? sourceLabel(tag.source) : tag ? label(tag.channel) : "untagged";
  };
  return (
    <Card title="Other links of this share kit">
      <ul className="plain-list">
        {variants.map((v) => (
          <li key={v.id} className="link-cell">
            <Link to={`/links/${v.id}${search}`}>{v.shortUrl.replace(/^https?:\/\//, "")}</Link>
            <LinkTagBadge channel={v.channel} source={v.source} />
            <CopyButton value={v.shortUrl} what={`${name(v)} link`} />
          </li>
        ))}
      </ul>
    </Card>
  );
}

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

function LinkFigures({ stats, rangeLabel }: { stats: LinkStats; rangeLabel: string }) {
  const { label, isDark } = useChannels();
  const totalClicks = stats.clicks.human;
  // The service counts clicks outside any in-app browser under "none": they are not in-app clicks.
  const inApp = Object.fromEntries(Object.entries(stats.byInApp).filter(([app]) => app !== NONE_KEY));
  const inAppClicks = Object.values(inApp).reduce((a, b) => a + b, 0);
  return (
    <>
      <dl className="kpis kpis-4" aria-label="Figures of this link">
        <KpiCard label="Clicks" value={formatCount(totalClicks)} basis={`by people (bots left out), ${rangeLabel.toLowerCase()}`} />
        <KpiCard label="Unfurls" value={formatCount(stats.unfurls.total)} basis={`previews in ${plural(Object.keys(stats.unfurls.byApp).length, "app", "apps")}`} />
        <KpiCard label="Bot hits" value={formatCount(stats.clicks.bot)} basis="not counted as clicks" />
        {totalClicks ? (
          <KpiCard label="In-app browsers" value={formatPercent(inAppClicks / totalClicks)} basis={`${formatCount(inAppClicks)} of ${plural(totalClicks, "click", "clicks")} opened inside an app`} />
        ) : (
          // No clicks yet: no share to give, but the count the service reports is a real 0, not a blank.
          <KpiCard label="In-app browsers" value={formatCount(inAppClicks)} basis="no clicks yet, so none opened inside an app" />
        )}
      </dl>
      <Card title="Clicks and unfurls over time">
        {stats.byDay.length === 0 ? (
          <Empty title="No clicks or previews in this range." />
        ) : (
          <DailyChart
            caption="Clicks and unfurls per day"
            data={stats.byDay.map((d) => ({ day: d.day, clicks: d.clicks, unfurls: d.unfurls }))}
            series={[
              { key: "clicks", label: "Clicks" },
              { key: "unfurls", label: "Unfurls" },
            ]}
          />
        )}
      </Card>
      <div className="grid grid-3">
        <Card title="Where it was shared" description="Link previews by app.">
          <BarList caption="Unfurls by app" labelHeader="App" valueHeader="Unfurls" items={countsToItems(stats.unfurls.byApp, sourceLabel).map((i) => ({ ...i, dark: true }))} empty="No previews yet." />
        </Card>
        <Card title="Channels" description="Of the clicks, as observed or as tagged.">
          <BarList caption="Clicks by channel" labelHeader="Channel" valueHeader="Clicks" items={countsToItems(stats.byChannel, label).map((i) => ({ ...i, dark: isDark(i.key) }))} empty="No clicks yet." />
        </Card>
        <Card title="Sources">
          <BarList caption="Clicks by source" labelHeader="Source" valueHeader="Clicks" items={countsToItems(stats.bySource, (s) => (s === NONE_KEY ? "No source" : sourceLabel(s)))} empty="No clicks yet." />
        </Card>
        <Card title="Devices">
          <BarList caption="Clicks by device" labelHeader="Device" valueHeader="Clicks" items={countsToItems(stats.byDevice, deviceLabel)} empty="No clicks yet." />
        </Card>
        <Card title="In-app browsers">
          <BarList caption="Clicks by in-app browser" labelHeader="App" valueHeader="Clicks" items={countsToItems(inApp, sourceLabel)} empty="No clicks from in-app browsers." />
        </Card>
        <Card title="Countries">
          <BarList caption="Clicks by country" labelHeader="Country" valueHeader="Clicks" items={countsToItems(stats.byCountry, countryName)} empty="No clicks yet." />
        </Card>
      </div>
    </>
  );
}

function ArchiveButton({ link }: { link: LinkT }) {
  const api = useApi();
  const canWrite = useCanWrite();
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: () => (link.status === "archived" ? api.patch<LinkT>(`/api/links/${encodeURIComponent(link.id)}`, { archived: false }) : api.del<LinkT>(`/api/links/${encodeURIComponent(link.id)}`)),
    onSuccess: (updated) => {
      queryClient.setQueryData(["links", "one", link.id], { ...link, ...updated, variants: link.variants });
      void queryClient.invalidateQueries({ queryKey: ["links"] });
    },
  });
  if (!canWrite) return null;
  const archiving = link.status !== "archived";
  return (
    <>
      <button
        type="button"
        className="btn btn-small"
        disabled={change.isPending}
        onClick={() => {
          if (!archiving || window.confirm("Archive this link? It will answer 410 Gone from now on; its data is kept.")) change.mutate();
        }}
      >
        {archiving ? "Archive" : "Restore"}
      </button>
      {change.isError ? <Notice kind="error">{errorMessage(change.error)}</Notice> : null}
    </>
  );
}
