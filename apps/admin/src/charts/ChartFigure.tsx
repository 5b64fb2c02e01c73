import type { ReactNode } from "react";

/**
 * A chart with a caption; the SVG itself is hidden from screen readers, which get the same numbers
 * as a table in the disclosure under it.
 */
export interface LegendItem {
  label: string;
  color: string;
  /** line (solid), dashed line, or a filled square (bars, bands). */
  kind?: "line" | "dashed" | "square";
}

export function ChartFigure({ caption, summary, table, legend, children }: { caption: string; summary: string; table: ReactNode; legend?: LegendItem[]; children: ReactNode }) {
  return (
    <figure className="chart">
      <figcaption className="sr-only">{caption}</figcaption>
      <div role="img" aria-label={`${caption}. ${summary}`} className="chart-body">
        {children}
      </div>
      {legend?.length ? (
        <ul className="chart-legend" aria-hidden="true">
          {legend.map((l) => (
            <li key={l.label}>
              <span className={`legend-key legend-${l.kind ?? "square"}`} style={{ color: l.color }} />
              {l.label}
            </li>
          ))}
        </ul>
      ) : null}
      <details className="chart-table">
        <summary>Show as table</summary>
        {table}
      </details>
    </figure>
  );
}
