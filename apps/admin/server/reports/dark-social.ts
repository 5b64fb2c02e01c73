import { sql } from "drizzle-orm";
import type { Db } from "@lantern/db";
import type { ChannelInfo } from "./taxonomy.ts";
import { DAY_MS, bucketEnd, bucketStart, utcDay, type Range } from "./range.ts";
import { darkShareAll, darkShareRespondents } from "./estimates.ts";
import { type GroupFacts, strataOf } from "./overview.ts";

export type Interval = "day" | "week";

/** Monday 1970-01-05: weeks are counted from it so that buckets start on Mondays (UTC). */
const FIRST_MONDAY_MS = 4 * DAY_MS;

/** Inline integer constant: libSQL binds JS numbers as REAL, which would turn the bucket division into a float one. */
const w = (n: number) => sql.raw(String(Math.trunc(n)));

async function seriesGroups(db: Db, range: Range, interval: Interval) {
  const width = interval === "day" ? DAY_MS : 7 * DAY_MS;
  const origin = interval === "day" ? 0 : FIRST_MONDAY_MS;
  return db.all<GroupFacts & { bucket: number }>(sql`
    SELECT ((ts - ${w(origin)}) / ${w(width)}) * ${w(width)} + ${w(origin)} AS bucket, software_channel AS software, responded, dark,
           answer_named AS answerNamed, software_dark AS softwareDark, answer_dark AS answerDark, count(*) AS n
    FROM conversion_attribution INDEXED BY conv_attr_report_idx
    WHERE ts >= ${range.from} AND ts < ${range.to}
    GROUP BY software_channel, responded, dark, bucket, answer_named, software_dark, answer_dark`);
}

function series(range: Range, interval: Interval, groups: Awaited<ReturnType<typeof seriesGroups>>) {
  const byBucket = new Map<number, typeof groups>();
  for (const g of groups) {
    const list = byBucket.get(g.bucket) ?? [];
    list.push(g);
    byBucket.set(g.bucket, list);
  }
  // The answer check measures the survey, not a week: one check over the whole range serves every bucket.
  const { check } = strataOf(groups);
  const out = [];
  // Every bucket the range touches, empty ones included, so charts have no gaps.
  for (let start = bucketStart(range.from, interval); start < range.to; start = bucketEnd(start, interval)) {
    const list = byBucket.get(start) ?? [];
    let conversions = 0;
    let darkConversions = 0;
    for (const g of list) {
      conversions += g.n;
      if (g.dark) darkConversions += g.n;
    }
    const { strata } = strataOf(list);
    const respondents = strata.reduce((s, x) => s + x.respondents, 0);
    const darkRespondents = strata.reduce((s, x) => s + x.dark, 0);
    const share = darkShareRespondents(darkRespondents, respondents);
    const all = darkShareAll(strata, check);
    out.push({
      start: utcDay(start),
      end: utcDay(bucketEnd(start, interval)),
      conversions,
      darkConversions,
      respondents,
      darkRespondents,
      share: share.estimate,
      low: share.low,
      high: share.high,
      allShare: { estimate: all.estimate, low: all.low, high: all.high },
    });
  }
  return out;
}

async function bySource(db: Db, range: Range, taxonomy: ChannelInfo[]) {
  const darkKeys = new Set(taxonomy.filter((c) => c.dark).map((c) => c.key));
  const [unfurlApps, inAppBrowsers, selfReported] = await Promise.all([
    db.all<{ source: string; count: number }>(sql`
      SELECT app AS source, count(*) AS count FROM unfurls
      WHERE ts >= ${range.from} AND ts < ${range.to} GROUP BY app ORDER BY count DESC, app`),
    db.all<{ source: string; count: number }>(sql`
      SELECT in_app AS source, count(*) AS count FROM clicks
      WHERE ts >= ${range.from} AND ts < ${range.to} AND in_app IS NOT NULL GROUP BY in_app ORDER BY count DESC, in_app`),
    db.all<{ source: string | null; channel: string; count: number }>(sql`
      SELECT self_source AS source, self_channel AS channel, count(*) AS count
      FROM conversion_attribution INDEXED BY conv_attr_report_idx
      WHERE ts >= ${range.from} AND ts < ${range.to} AND responded = 1 AND self_channel IS NOT NULL
      GROUP BY self_channel, self_source ORDER BY count DESC, self_channel, self_source`),
  ]);
  return { unfurlApps, inAppBrowsers, selfReported: selfReported.filter((r) => darkKeys.has(r.channel)) };
}

/** Dark conversions per reason; `dark` is the number of dark conversions (the share's denominator). */
async function byEvidence(db: Db, range: Range, dark: number) {
  const rows = await db.all<{ reason: string; conversions: number }>(sql`
    SELECT r.value AS reason, count(DISTINCT c.rowid) AS conversions
    FROM conversion_attribution c INDEXED BY conv_attr_report_idx, json_each(c.dark_reasons) r
    WHERE c.ts >= ${range.from} AND c.ts < ${range.to} AND c.dark = 1
    GROUP BY r.value ORDER BY conversions DESC, reason`);
  return rows.map((r) => ({ reason: r.reason, conversions: r.conversions, share: dark > 0 ? r.conversions / dark : null }));
}

export async function darkSocialReport(db: Db, range: Range, interval: Interval, taxonomy: ChannelInfo[]) {
  const [groups, sources] = await Promise.all([seriesGroups(db, range, interval), bySource(db, range, taxonomy)]);
  const dark = groups.reduce((s, g) => s + (g.dark ? g.n : 0), 0);
  const evidence = await byEvidence(db, range, dark);
  return { interval, series: series(range, interval, groups), bySource: sources, byEvidence: evidence };
}

export type DarkSocialReport = Awaited<ReturnType<typeof darkSocialReport>>;

export function darkSocialCsvRows(r: DarkSocialReport, table: string) {
  if (table === "sources") {
    return {
      columns: ["kind", "source", "count"],
      rows: [
        ...r.bySource.unfurlApps.map((s) => ["unfurl", s.source, s.count]),
        ...r.bySource.inAppBrowsers.map((s) => ["in_app", s.source, s.count]),
        ...r.bySource.selfReported.map((s) => ["self_reported", s.source ?? s.channel, s.count]),
      ],
    };
  }
  if (table === "evidence") return { columns: ["reason", "conversions", "share"], rows: r.byEvidence.map((e) => [e.reason, e.conversions, e.share]) };
  return {
    columns: ["start", "end", "conversions", "darkConversions", "respondents", "darkRespondents", "share", "low", "high", "allShare", "allLow", "allHigh"],
    rows: r.series.map((s) => [s.start, s.end, s.conversions, s.darkConversions, s.respondents, s.darkRespondents, s.share, s.low, s.high, s.allShare.estimate, s.allShare.low, s.allShare.high]),
  };
}
