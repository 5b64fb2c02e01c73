import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount, formatPercent } from "../lib/format.ts";
import { ChartFigure } from "./ChartFigure.tsx";
import { AXIS_TICK, COLORS } from "./recharts-theme.ts";

export interface ShareRow {
  key: string;
  label: string;
  value: number;
  share: number | null;
  dark?: boolean;
}

/** Credits per channel or source under an attribution model: dark channels in the accent colour. */
export function ShareBarChart({ caption, rows, valueLabel }: { caption: string; rows: ShareRow[]; valueLabel: string }) {
  const top = rows.slice(0, 12);
  return (
    <ChartFigure
      caption={caption}
      summary={top.length ? `Largest: ${top[0]!.label}, ${formatPercent(top[0]!.share)}` : "No conversions in this range"}
      table={
        <table className="table table-compact">
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">{valueLabel}</th>
              <th scope="col">Share</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.label}</th>
                <td className="num">{formatCount(r.value)}</td>
                <td className="num">{formatPercent(r.share)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <BarChart data={top} layout="vertical" responsive style={{ width: "100%", height: Math.max(140, top.length * 30 + 30) }} margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid stroke={COLORS.grid} horizontal={false} />
        <XAxis type="number" tick={AXIS_TICK} tickLine={false} axisLine={false} tickFormatter={(v: number) => formatCount(v)} />
        <YAxis type="category" dataKey="label" tick={AXIS_TICK} tickLine={false} axisLine={false} width={150} />
        <Tooltip formatter={(value) => [formatCount(value as number), valueLabel]} />
        <Bar dataKey="value" name={valueLabel} radius={[0, 3, 3, 0]} isAnimationActive={false}>
          {top.map((r) => (
            <Cell key={r.key} fill={r.dark ? COLORS.accent : COLORS.muted} />
          ))}
        </Bar>
      </BarChart>
    </ChartFigure>
  );
}
