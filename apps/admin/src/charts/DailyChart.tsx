import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount, formatShortDay } from "../lib/format.ts";
import { ChartFigure } from "./ChartFigure.tsx";
import { AXIS_TICK, COLORS } from "./recharts-theme.ts";

export interface Series {
  key: string;
  label: string;
  color?: string;
}

/** Counts per day (clicks, unfurls …), one area per series. */
export function DailyChart({ caption, data, series }: { caption: string; data: ({ day: string } & Record<string, number | string>)[]; series: Series[] }) {
  const totals = series.map((s) => `${s.label}: ${formatCount(data.reduce((sum, d) => sum + Number(d[s.key] ?? 0), 0))}`).join(", ");
  const palette = [COLORS.accent, COLORS.second, COLORS.muted];
  const colorOf = (s: Series, i: number) => s.color ?? palette[i % palette.length]!;
  return (
    <ChartFigure
      caption={caption}
      summary={data.length ? `${data.length} days; totals ${totals}` : "No data in this range"}
      legend={series.map((s, i) => ({ label: s.label, color: colorOf(s, i), kind: "line" as const }))}
      table={
        <table className="table table-compact">
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {series.map((s) => (
                <th scope="col" key={s.key}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.day}>
                <th scope="row">{d.day}</th>
                {series.map((s) => (
                  <td className="num" key={s.key}>
                    {formatCount(Number(d[s.key] ?? 0))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <AreaChart data={data} responsive style={{ width: "100%", height: 240 }} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
        <CartesianGrid stroke={COLORS.grid} vertical={false} />
        <XAxis dataKey="day" tickFormatter={formatShortDay} tick={AXIS_TICK} tickLine={false} axisLine={false} minTickGap={24} />
        <YAxis allowDecimals={false} tick={AXIS_TICK} tickLine={false} axisLine={false} tickFormatter={(v: number) => formatCount(v)} />
        <Tooltip formatter={(value, name) => [formatCount(value as number), name]} labelFormatter={(l) => formatShortDay(String(l))} />
        {series.map((s, i) => {
          const color = colorOf(s, i);
          return <Area key={s.key} type="monotone" dataKey={s.key} name={s.label} stroke={color} fill={color} fillOpacity={0.12} strokeWidth={2} isAnimationActive={false} />;
        })}
      </AreaChart>
    </ChartFigure>
  );
}
