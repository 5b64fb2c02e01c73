import { sql } from "drizzle-orm";
import type { Db } from "@lantern/db";
import { ApiError } from "@lantern/http";
import type { ChannelLookup } from "./taxonomy.ts";
import { dayBounds, type Range } from "./range.ts";
import { MODELS, VIEWS, type Model, type View } from "./models.ts";

export function parseModel(raw: string | undefined): Model {
  const value = raw ?? "last_touch";
  if (!(MODELS as readonly string[]).includes(value)) {
    throw new ApiError(400, "bad_request", `Unknown model "${value.slice(0, 40)}". Valid models: ${MODELS.join(", ")}.`);
  }
  return value as Model;
}

export function parseView(raw: string | undefined): View {
  const value = raw ?? "blended";
  if (!(VIEWS as readonly string[]).includes(value)) {
    throw new ApiError(400, "bad_request", `Unknown view "${value.slice(0, 40)}". Valid views: ${VIEWS.join(", ")}.`);
  }
  return value as View;
}

/** Credits per channel and source under one model and view, from the daily roll-up. */
export async function creditsBySource(db: Db, range: Range, model: Model, view: View) {
  const days = dayBounds(range);
  if (!days) return [];
  return db.all<{ channel: string; source: string; credits: number; value: number }>(sql`
    SELECT channel, source, sum(credits) AS credits, sum(value) AS value
    FROM attribution_daily
    WHERE view = ${view} AND model = ${model} AND day >= ${days.first} AND day <= ${days.last}
    GROUP BY channel, source`);
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

export async function channelsReport(db: Db, range: Range, model: Model, view: View, channel: ChannelLookup) {
  const rows = await creditsBySource(db, range, model, view);
  const totalCredits = rows.reduce((s, r) => s + r.credits, 0);
  const totalValue = rows.reduce((s, r) => s + r.value, 0);
  const share = (x: number) => (totalCredits > 0 ? round(x / totalCredits) : null);
  const byChannel = new Map<string, { credits: number; value: number }>();
  for (const r of rows) {
    const c = byChannel.get(r.channel) ?? { credits: 0, value: 0 };
    c.credits += r.credits;
    c.value += r.value;
    byChannel.set(r.channel, c);
  }
  return {
    model,
    view,
    models: [...MODELS],
    views: [...VIEWS],
    totals: { credits: round(totalCredits), value: round(totalValue) },
    channels: [...byChannel]
      .map(([key, c]) => ({ ...channel(key), credits: round(c.credits), value: round(c.value), share: share(c.credits) }))
      .sort((a, b) => b.credits - a.credits || a.channel.localeCompare(b.channel)),
    sources: rows
      .map((r) => ({ channel: r.channel, source: r.source === "" ? null : r.source, credits: round(r.credits), value: round(r.value), share: share(r.credits) }))
      .sort((a, b) => b.credits - a.credits || a.channel.localeCompare(b.channel) || (a.source ?? "").localeCompare(b.source ?? "")),
  };
}

export type ChannelsReport = Awaited<ReturnType<typeof channelsReport>>;

export function channelsCsvRows(r: ChannelsReport, table: string) {
  if (table === "sources") {
    return { columns: ["channel", "source", "credits", "value", "share"], rows: r.sources.map((s) => [s.channel, s.source, s.credits, s.value, s.share]) };
  }
  return { columns: ["channel", "label", "dark", "credits", "value", "share"], rows: r.channels.map((c) => [c.channel, c.label, c.dark, c.credits, c.value, c.share]) };
}
