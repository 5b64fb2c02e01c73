import { formatCount } from "../../lib/format.ts";
import type { Journey } from "../../lib/types.ts";

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function pick(value: unknown, ...keys: string[]): number | null {
  const direct = num(value);
  if (direct !== null) return direct;
  if (value && typeof value === "object") {
    for (const k of keys) {
      const n = num((value as Record<string, unknown>)[k]);
      if (n !== null) return n;
    }
  }
  return null;
}

/** The stages of a link's journey, read defensively: its API shape (issue 4) may still change. */
export function journeySteps(j: Journey): { key: string; label: string; value: number | null; hint: string }[] {
  const unfurlApps = j.unfurls && typeof j.unfurls === "object" ? Object.keys(j.unfurls.byApp ?? {}).length : null;
  return [
    { key: "unfurls", label: "Unfurls", value: pick(j.unfurls, "total"), hint: unfurlApps ? `previews in ${unfurlApps} apps` : "previews drawn by chat apps" },
    { key: "clicks", label: "Clicks", value: pick(j.clicks, "human", "total"), hint: "people who opened it" },
    { key: "visitors", label: "Landing visitors", value: num(j.landingVisitors) ?? num(j.visitors), hint: "seen by the site tracker" },
    { key: "reshares", label: "Re-shares", value: pick(j.reshares, "total"), hint: "copy-pasted onwards" },
    { key: "conversions", label: "Conversions", value: pick(j.conversions, "total"), hint: "tied to this link" },
  ];
}

export function generations(j: Journey): { generation: number; arrivals: number }[] {
  const by = j.reshares && typeof j.reshares === "object" ? j.reshares.byGeneration : undefined;
  if (!by) return [];
  if (Array.isArray(by)) return by.filter((g) => num(g.generation) !== null && num(g.arrivals) !== null);
  return Object.entries(by)
    .map(([g, n]) => ({ generation: Number(g), arrivals: n }))
    .filter((g) => Number.isFinite(g.generation))
    .sort((a, b) => a.generation - b.generation);
}

export function JourneyView({ journey }: { journey: Journey }) {
  const steps = journeySteps(journey);
  const gens = generations(journey);
  const perVisitor = num(journey.resharesPerVisitor) ?? num(journey.averageResharesPerVisitor);
  return (
    <>
      <ol className="journey" aria-label="Journey of the link">
        {steps.map((s) => (
          <li key={s.key} className="journey-step">
            <span className="journey-value">{formatCount(s.value)}</span>
            <span className="journey-label">{s.label}</span>
            <span className="journey-hint muted small">{s.hint}</span>
          </li>
        ))}
      </ol>
      {gens.length ? (
        <p className="muted small">
          Re-shares by generation: {gens.map((g) => `${g.generation}: ${formatCount(g.arrivals)}`).join(" · ")}
          {perVisitor !== null ? ` · ${perVisitor.toFixed(2)} re-shares per visitor on average` : ""}
        </p>
      ) : perVisitor !== null ? (
        <p className="muted small">{perVisitor.toFixed(2)} re-shares per visitor on average</p>
      ) : null}
    </>
  );
}
