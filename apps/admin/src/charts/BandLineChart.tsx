import { Area, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from "recharts";
import { formatPercent, formatRange, formatShortDay } from "../lib/format.ts";
import { ChartFigure } from "./ChartFigure.tsx";
import { AXIS_TICK, COLORS } from "./recharts-theme.ts";

export interface BandPoint {
  day: string;
  estimate: number | null;
  low: number | null;
  high: number | null;
  /** The naive (respondents only) figure, drawn dashed for comparison. */
  naive?: number | null;
  n?: number;
}

/** A proportion over time: the estimate as a line and its 95% interval as a band around it. */
export function BandLineChart({ caption, data, estimateLabel, naiveLabel }: { caption: string; data: BandPoint[]; estimateLabel: string; naiveLabel?: string }) {
  const rows = data.map((d) => ({ ...d, band: d.low !== null && d.high !== null ? [d.low, d.high] : null }));
  const known = data.filter((d) => d.estimate !== null);
  const summary = known.length
    ? `${known.length} points from ${formatShortDay(data[0]?.day)} to ${formatShortDay(data[data.length - 1]?.day)}, latest ${formatPercent(known[known.length - 1]?.estimate)}`
    : "No data in this range";
  return (
    <ChartFigure
      caption={caption}
      summary={summary}
      legend={[
        { label: estimateLabel, color: COLORS.accent, kind: "line" },
        { label: "95% interval", color: COLORS.accentSoft, kind: "square" },
        ...(naiveLabel ? [{ label: naiveLabel, color: COLORS.muted, kind: "dashed" as const }] : []),
      ]}
      table={
        <table className="table table-compact">
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Period from</th>
              <th scope="col">{estimateLabel}</th>
              <th scope="col">95% interval</th>
              {naiveLabel ? <th scope="col">{naiveLabel}</th> : null}
              <th scope="col">Answers</th>
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.day}>
                <th scope="row">{d.day}</th>
                <td className="num">{formatPercent(d.estimate)}</td>
                <td className="num">{formatRange(d.low, d.high)}</td>
                {naiveLabel ? <td className="num">{formatPercent(d.naive)}</td> : null}
                <td className="num">{d.n ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <ComposedChart data={rows} responsive style={{ width: "100%", height: 260 }} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
        <CartesianGrid stroke={COLORS.grid} vertical={false} />
        <XAxis dataKey="day" tickFormatter={formatShortDay} tick={AXIS_TICK} tickLine={false} axisLine={false} minTickGap={24} />
        <YAxis tickFormatter={(v: number) => formatPercent(v)} tick={AXIS_TICK} tickLine={false} axisLine={false} domain={[0, (max: number) => Math.min(1, Math.ceil((max + 0.05) * 10) / 10)]} />
        <Tooltip
          formatter={(value, name) => (Array.isArray(value) ? [formatRange(value[0] as number, value[1] as number), name] : [formatPercent(value as number), name])}
          labelFormatter={(label) => formatShortDay(String(label))}
        />
        <Area dataKey="band" name="95% interval" legendType="square" stroke="none" fill={COLORS.accentSoft} connectNulls isAnimationActive={false} />
        <Line dataKey="estimate" name={estimateLabel} stroke={COLORS.accent} strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
        {naiveLabel ? <Line dataKey="naive" name={naiveLabel} stroke={COLORS.muted} strokeDasharray="4 4" dot={false} connectNulls isAnimationActive={false} /> : null}
      </ComposedChart>
    </ChartFigure>
  );
}
