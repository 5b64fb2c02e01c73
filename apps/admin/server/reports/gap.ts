import { sql } from "drizzle-orm";
import type { Db } from "@lantern/db";
import type { ChannelLookup } from "./taxonomy.ts";
import { creditsBySource } from "./channels.ts";
import type { Range } from "./range.ts";
import type { GapStratum } from "@lantern/core";
import { attributionGap } from "./estimates.ts";

/**
 * What tracking credits (software view, last touch, from the daily roll-up) against what customers
 * say (self-reported channels of respondents, extrapolated to all conversions stratum by stratum of
 * software channel, by core's attributionGap), per channel.
 */
export async function gapReport(db: Db, range: Range, channel: ChannelLookup) {
  const [software, groups] = await Promise.all([
    creditsBySource(db, range, "last_touch", "software"),
    // Grouped in the covering index's order: one pass, no sort (see conv_attr_report_idx).
    db.all<{ software: string; responded: number; self: string | null; n: number }>(sql`
      SELECT software_channel AS software, responded, dark, blended_channel, self_channel AS self, count(*) AS n
      FROM conversion_attribution INDEXED BY conv_attr_report_idx
      WHERE ts >= ${range.from} AND ts < ${range.to}
      GROUP BY software_channel, responded, dark, blended_channel, self_channel`),
  ]);
  const strata = new Map<string, GapStratum>();
  let conversions = 0;
  let respondents = 0;
  for (const g of groups) {
    const s = strata.get(g.software) ?? { key: g.software, conversions: 0, respondents: 0, selfReported: {} };
    s.conversions += g.n;
    conversions += g.n;
    if (g.responded) {
      s.respondents += g.n;
      respondents += g.n;
      // An answer that names no channel ("I don't remember") is a response without a self-report.
      if (g.self !== null) s.selfReported[g.self] = (s.selfReported[g.self] ?? 0) + g.n;
    }
    strata.set(g.software, s);
  }
  const softwareByChannel = new Map<string, number>();
  for (const r of software) softwareByChannel.set(r.channel, (softwareByChannel.get(r.channel) ?? 0) + r.credits);
  const gap = attributionGap(softwareByChannel, [...strata.values()]);
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return {
    conversions,
    respondents,
    coveredShare: conversions > 0 ? gap.coveredShare : null,
    uncoveredConversions: gap.uncoveredConversions,
    channels: gap.rows.map((r) => ({
      ...channel(r.channel),
      software: round(r.software),
      selfReported: round(r.selfReported),
      gap: round(r.absolute),
      relativeGap: r.relative === null ? null : round(r.relative),
    })),
  };
}

export type GapReport = Awaited<ReturnType<typeof gapReport>>;

export function gapCsvRows(r: GapReport) {
  return {
    columns: ["channel", "label", "dark", "software", "selfReported", "gap", "relativeGap"],
    rows: r.channels.map((c) => [c.channel, c.label, c.dark, c.software, c.selfReported, c.gap, c.relativeGap]),
  };
}
