import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount, formatSigned } from "../lib/format.ts";
import type { GapReport } from "../lib/types.ts";
import { ChartFigure } from "./ChartFigure.tsx";
import { AXIS_TICK, COLORS } from "./recharts-theme.ts";

/**
 * What tracking credits against what customers say, per channel. The report gives point figures (the
 * answers extrapolated stratum by stratum): no interval per channel, so none is drawn.
 */
export function GapChart({ report }: { report: GapReport }) {
  const rows = report.channels.slice(0, 10).map((c) => ({
    label: c.dark ? `${c.label} ●` : c.label,
    name: c.label,
    software: c.software,
    selfReported: c.selfReported,
    gap: c.gap,
  }));
  const largest = report.channels[0];
  const summary = largest ? `Largest gap: ${largest.label}, ${formatSigned(largest.gap)} conversions (self-reported minus tracked)` : "No conversions in this range";
  return (
    <ChartFigure
      caption="Attribution gap: tracked versus self-reported conversions per channel"
      summary={summary}
      legend={[
        { label: "Tracked (software, last touch)", color: COLORS.muted },
        { label: "Self-reported (extrapolated)", color: COLORS.accent },
      ]}
      table={
        <table className="table table-compact">
          <caption className="sr-only">Attribution gap per channel</caption>
          <thead>
            <tr>
              <th scope="col">Channel</th>
              <th scope="col">Tracked</th>
              <th scope="col">Self-reported (extrapolated)</th>
              <th scope="col">Gap</th>
            </tr>
          </thead>
          <tbody>
            {report.channels.map((c) => (
              <tr key={c.channel}>
                <th scope="row">{c.label}</th>
                <td className="num">{formatCount(c.software)}</td>
                <td className="num">{formatCount(c.selfReported)}</td>
                <td className="num">{formatSigned(c.gap)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <BarChart data={rows} layout="vertical" responsive style={{ width: "100%", height: Math.max(160, rows.length * 44 + 40) }} margin={{ top: 4, right: 16, bottom: 0, left: 8 }} barGap={2}>
        <CartesianGrid stroke={COLORS.grid} horizontal={false} />
        <XAxis type="number" tick={AXIS_TICK} tickLine={false} axisLine={false} tickFormatter={(v: number) => formatCount(v)} />
        <YAxis type="category" dataKey="label" tick={AXIS_TICK} tickLine={false} axisLine={false} width={150} />
        <Tooltip formatter={(value, name) => [formatCount(value as number), name]} />
        <Bar dataKey="software" name="Tracked (software, last touch)" fill={COLORS.muted} radius={[0, 3, 3, 0]} isAnimationActive={false} />
        <Bar dataKey="selfReported" name="Self-reported (extrapolated)" fill={COLORS.accent} radius={[0, 3, 3, 0]} isAnimationActive={false} />
      </BarChart>
    </ChartFigure>
  );
}
