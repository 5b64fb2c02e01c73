import { type FormEvent, useEffect, useId, useState } from "react";
import { formatDate } from "../lib/format.ts";
import { useRange } from "../lib/hooks.ts";
import { PRESETS, type PresetKey } from "../lib/range.ts";

/** Presets (7/30/90 days) and a custom range; the choice is kept in the URL by useRange. */
export function DateRangePicker() {
  const [range, setRange] = useRange();
  const id = useId();
  const [mode, setMode] = useState<PresetKey | "custom">(range.preset);
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setMode(range.preset);
    setFrom(range.from);
    setTo(range.to);
  }, [range.preset, range.from, range.to]);

  const choose = (value: string) => {
    const preset = PRESETS.find((p) => p.key === value);
    setError(null);
    if (preset) {
      setMode(preset.key);
      setRange({ preset: preset.key, from: range.from, to: range.to });
    } else {
      setMode("custom");
    }
  };

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (!from || !to) return setError("Pick both days.");
    if (from > to) return setError("The first day is after the last day.");
    setError(null);
    setRange({ preset: "custom", from, to });
  };

  return (
    <div className="range-picker">
      <label htmlFor={`${id}-preset`} className="sr-only">
        Date range
      </label>
      <select id={`${id}-preset`} value={mode} onChange={(e) => choose(e.target.value)}>
        {PRESETS.map((p) => (
          <option key={p.key} value={p.key}>
            {p.label}
          </option>
        ))}
        <option value="custom">Custom range…</option>
      </select>
      {mode === "custom" ? (
        <form className="range-custom" onSubmit={apply} aria-label="Custom date range">
          <label htmlFor={`${id}-from`} className="sr-only">
            First day
          </label>
          <input id={`${id}-from`} type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} />
          <span aria-hidden="true">–</span>
          <label htmlFor={`${id}-to`} className="sr-only">
            Last day
          </label>
          <input id={`${id}-to`} type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} />
          <button type="submit" className="btn btn-small">
            Apply
          </button>
          {error ? (
            <span className="field-error" role="alert">
              {error}
            </span>
          ) : null}
        </form>
      ) : (
        <span className="range-days muted small">
          {formatDate(range.from)} – {formatDate(range.to)}
        </span>
      )}
    </div>
  );
}
