import type { ReactNode } from "react";
import { Link } from "react-router";
import { formatCount, formatPercent } from "../lib/format.ts";

export interface BarItem {
  key: string;
  label: ReactNode;
  value: number;
  /** Shown after the value, e.g. an interval. */
  detail?: ReactNode;
  href?: string;
  dark?: boolean;
}

/**
 * Plausible-style ranked bars: a table (so screen readers get rows and headers) whose rows carry a
 * bar as wide as the value's share of the largest one.
 */
export function BarList({ caption, items, valueHeader = "Count", labelHeader = "Name", showShare = true, empty = "Nothing in this range." }: {
  caption: string;
  items: BarItem[];
  valueHeader?: string;
  labelHeader?: string;
  showShare?: boolean;
  empty?: string;
}) {
  if (items.length === 0) return <p className="muted small">{empty}</p>;
  const max = Math.max(...items.map((i) => i.value), 0);
  const total = items.reduce((sum, i) => sum + i.value, 0);
  return (
    <table className="barlist">
      <caption className="sr-only">{caption}</caption>
      <thead className="sr-only">
        <tr>
          <th scope="col">{labelHeader}</th>
          <th scope="col">{valueHeader}</th>
          {showShare ? <th scope="col">Share</th> : null}
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.key}>
            <th scope="row" className="barlist-label">
              <span className={`barlist-bar ${item.dark ? "is-dark" : ""}`} style={{ width: `${max > 0 ? Math.max((item.value / max) * 100, 1) : 0}%` }} aria-hidden="true" />
              <span className="barlist-text">{item.href ? <Link to={item.href}>{item.label}</Link> : item.label}</span>
            </th>
            <td className="num">
              {formatCount(item.value)}
              {item.detail ? <span className="barlist-detail"> {item.detail}</span> : null}
            </td>
            {showShare ? <td className="num muted">{total > 0 ? formatPercent(item.value / total) : "—"}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `{ slack: 120, whatsapp: 88 }` -> bar items, largest first. */
export function countsToItems(counts: Record<string, number> | undefined | null, label: (key: string) => ReactNode = (k) => k): BarItem[] {
  return Object.entries(counts ?? {})
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([key, value]) => ({ key, label: label(key), value }));
}
