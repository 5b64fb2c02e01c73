import { sourceLabel } from "@lantern/core/source-labels";
import { formatCount, formatValue } from "../../lib/format.ts";
import type { Counts, Journey } from "../../lib/types.ts";

export interface JourneyStep {
  key: string;
  label: string;
  value: number;
  hint: string;
}

/** Entries with a count, largest first (ties by name). */
const ranked = (counts: Counts) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

/** Generation keys ("0", "1", ...) in order. */
const byGeneration = (counts: Counts) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => Number(a[0]) - Number(b[0]));

/** "65 EUR", "40 EUR + 10 USD"; values that came without a currency are a bare number. Null with none. */
export function formatValues(value: Counts): string | null {
  const parts = ranked(value).map(([currency, v]) => (currency === "unknown" ? formatValue(v) : `${formatValue(v)} ${currency}`));
  return parts.length ? parts.join(" + ") : null;
}

/** The five stages, each with what a marketer needs next to the figure. */
export function journeySteps(j: Journey): JourneyStep[] {
  const apps = ranked(j.unfurls.byApp);
  const value = formatValues(j.conversions.value);
  return [
    {
      key: "unfurls",
      label: "Unfurls",
      value: j.unfurls.total,
      hint: apps.length === 0 ? "previews drawn by chat apps" : `previews in ${apps.map(([app, n]) => (apps.length > 1 ? `${sourceLabel(app)} (${formatCount(n)})` : sourceLabel(app))).join(", ")}`,
    },
    { key: "clicks", label: "Clicks", value: j.clicks.human, hint: "opened by people (bots left out)" },
    { key: "visitors", label: "Landing visitors", value: j.landingVisitors, hint: "came through a click, seen by the site tracker" },
    { key: "reshares", label: "Re-shares", value: j.reshares.total, hint: j.reshares.total ? `${formatCount(j.reshares.dark)} through private channels (dark)` : "copy-pasted onwards" },
    { key: "conversions", label: "Conversions", value: j.conversions.total, hint: value ? `value ${value}` : "tied to this link" },
  ];
}

/** The figures behind the steps: who re-shared, how far the URL travelled, where the buyers came in. */
export function journeyFacts(j: Journey): { label: string; value: string }[] {
  const facts = [
    {
      label: "Visitors of the share tree",
      value: `${formatCount(j.visitors)} (${formatCount(j.landingVisitors)} through a click, ${formatCount(j.reshares.visitors)} through a re-share)`,
    },
    {
      label: "Re-shares per visitor",
      value:
        j.resharesPerVisitor === null
          ? "— (the site tracker saw no visitor)"
          : `${formatValue(j.resharesPerVisitor)} (${formatCount(j.reshares.total)} re-share${j.reshares.total === 1 ? "" : "s"} by ${formatCount(j.visitors)} visitor${j.visitors === 1 ? "" : "s"})`,
    },
  ];
  const reshares = byGeneration(j.reshares.byGeneration);
  if (reshares.length) facts.push({ label: "Re-shares by generation", value: reshares.map(([g, n]) => `generation ${g}: ${formatCount(n)}`).join(" · ") });
  const conversions = byGeneration(j.conversions.byGeneration);
  if (conversions.length) {
    facts.push({
      label: "Conversions by the buyer's generation",
      value: conversions.map(([g, n]) => `generation ${g}${g === "0" ? " (came through a click)" : ""}: ${formatCount(n)}`).join(" · "),
    });
  }
  const types = ranked(j.conversions.byType);
  if (types.length) facts.push({ label: "Conversions by type", value: types.map(([t, n]) => `${t}: ${formatCount(n)}`).join(" · ") });
  return facts;
}

export function JourneyView({ journey }: { journey: Journey }) {
  return (
    <>
      <ol className="journey" aria-label="Journey of the link">
        {journeySteps(journey).map((s) => (
          <li key={s.key} className="journey-step">
            <span className="journey-value">{formatCount(s.value)}</span>
            <span className="journey-label">{s.label}</span>
            <span className="journey-hint muted small">{s.hint}</span>
          </li>
        ))}
      </ol>
      <dl className="journey-facts small" aria-label="Journey details">
        {journeyFacts(journey).map((f) => (
          <div key={f.label}>
            <dt>{f.label}</dt>
            <dd>{f.value}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
