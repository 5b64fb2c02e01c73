import type { Utm } from "../lib/types.ts";

/** The UTM parameters a link adds to its destination. */
export function UtmList({ utm }: { utm: Utm }) {
  const entries = Object.entries(utm).filter(([, v]) => v);
  if (!entries.length) return <span className="muted">No UTMs</span>;
  return (
    <span className="utms">
      {entries.map(([k, v]) => (
        <code key={k} className="utm">
          utm_{k}={v}
        </code>
      ))}
    </span>
  );
}
