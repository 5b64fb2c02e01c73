import type { ReactNode } from "react";

/** One headline number with what it rests on underneath. */
export function KpiCard({ label, value, basis, accent }: { label: string; value: string; basis?: ReactNode; accent?: boolean }) {
  return (
    <div className={`kpi ${accent ? "kpi-accent" : ""}`}>
      <dt className="kpi-label">{label}</dt>
      <dd className="kpi-value">{value}</dd>
      {basis ? <dd className="kpi-basis">{basis}</dd> : null}
    </div>
  );
}
