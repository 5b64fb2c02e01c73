import { inArray, sql } from "drizzle-orm";
import type { Db } from "@lantern/db";
import { links as linksTable } from "@lantern/db/schema";
import { dayBounds, type Range } from "./range.ts";

interface Totals {
  clicks: number;
  unfurls: number;
  reshares: number;
  conversions: number;
  darkConversions: number;
  value: number;
}

const zero = (): Totals => ({ clicks: 0, unfurls: 0, reshares: 0, conversions: 0, darkConversions: 0, value: 0 });

function add(into: Totals, from: Totals) {
  into.clicks += from.clicks;
  into.unfurls += from.unfurls;
  into.reshares += from.reshares;
  into.conversions += from.conversions;
  into.darkConversions += from.darkConversions;
  into.value += from.value;
}

const byRank = (a: Totals, b: Totals) => b.conversions - a.conversions || b.clicks - a.clicks;

/**
 * Links and campaigns ranked by conversions, from the per-link daily roll-up. One pass over the
 * covering index in (link, campaign) order; campaigns and totals are summed from it here.
 */
export async function linksReport(db: Db, range: Range, limit: number) {
  const days = dayBounds(range);
  if (!days) return { totals: zero(), links: [], campaigns: [] };
  const rows = await db.all<Totals & { linkId: string; campaign: string | null }>(sql`
    SELECT link_id AS linkId, campaign, sum(clicks) AS clicks, sum(unfurls) AS unfurls, sum(reshares) AS reshares,
           sum(conversions) AS conversions, sum(dark_conversions) AS darkConversions, sum(value) AS value
    FROM link_daily INDEXED BY link_daily_link_report_idx
    WHERE day >= ${days.first} AND day <= ${days.last}
    GROUP BY link_id, campaign`);

  const totals = zero();
  const perLink = new Map<string, Totals & { campaign: string | null; campaignClicks: number }>();
  const perCampaign = new Map<string | null, Totals & { linkIds: Set<string> }>();
  for (const r of rows) {
    add(totals, r);
    const link = perLink.get(r.linkId) ?? { ...zero(), campaign: r.campaign, campaignClicks: -1 };
    add(link, r);
    // A link whose campaign changed shows the campaign most of its clicks came under.
    if (r.clicks > link.campaignClicks) {
      link.campaign = r.campaign;
      link.campaignClicks = r.clicks;
    }
    perLink.set(r.linkId, link);
    const campaign = perCampaign.get(r.campaign) ?? { ...zero(), linkIds: new Set<string>() };
    add(campaign, r);
    campaign.linkIds.add(r.linkId);
    perCampaign.set(r.campaign, campaign);
  }

  const top = [...perLink].sort(([ia, a], [ib, b]) => byRank(a, b) || ia.localeCompare(ib)).slice(0, limit);
  const known = top.length ? await db.select().from(linksTable).where(inArray(linksTable.id, top.map(([id]) => id))) : [];
  const info = new Map(known.map((l) => [l.id, l]));
  return {
    totals,
    links: top.map(([linkId, t]) => {
      const l = info.get(linkId);
      return {
        linkId,
        slug: l?.slug ?? null,
        url: l?.url ?? null,
        channel: l?.channel ?? null,
        source: l?.source ?? null,
        campaign: l ? l.campaign : t.campaign,
        clicks: t.clicks,
        unfurls: t.unfurls,
        reshares: t.reshares,
        conversions: t.conversions,
        darkConversions: t.darkConversions,
        value: t.value,
      };
    }),
    campaigns: [...perCampaign]
      .sort(([ca, a], [cb, b]) => byRank(a, b) || (ca ?? "").localeCompare(cb ?? ""))
      .map(([campaign, { linkIds, ...t }]) => ({ campaign, links: linkIds.size, ...t })),
  };
}

export type LinksReport = Awaited<ReturnType<typeof linksReport>>;

export function linksCsvRows(r: LinksReport, table: string) {
  if (table === "campaigns") {
    return {
      columns: ["campaign", "links", "clicks", "unfurls", "reshares", "conversions", "darkConversions", "value"],
      rows: r.campaigns.map((c) => [c.campaign, c.links, c.clicks, c.unfurls, c.reshares, c.conversions, c.darkConversions, c.value]),
    };
  }
  return {
    columns: ["linkId", "slug", "url", "channel", "source", "campaign", "clicks", "unfurls", "reshares", "conversions", "darkConversions", "value"],
    rows: r.links.map((l) => [l.linkId, l.slug, l.url, l.channel, l.source, l.campaign, l.clicks, l.unfurls, l.reshares, l.conversions, l.darkConversions, l.value]),
  };
}
