/**
 * The date range shared by all pages. It lives in the URL query (`?range=7d`, or `?from=2024-05-01&to=2024-05-31`)
 * so that a link to a report shows the same numbers to whoever opens it. Days are UTC, like the reports.
 */

export const PRESETS = [
  { key: "7d", days: 7, label: "Last 7 days" },
  { key: "30d", days: 30, label: "Last 30 days" },
  { key: "90d", days: 90, label: "Last 90 days" },
] as const;

export type PresetKey = (typeof PRESETS)[number]["key"];
export const DEFAULT_PRESET: PresetKey = "30d";

export interface DateRange {
  preset: PresetKey | "custom";
  /** First day, inclusive, YYYY-MM-DD (UTC). */
  from: string;
  /** Last day, inclusive, YYYY-MM-DD (UTC). */
  to: string;
  /** Number of days in the range. */
  days: number;
}

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const msOf = (day: string) => Date.parse(`${day}T00:00:00Z`);
export const addDays = (day: string, n: number) => dayOf(msOf(day) + n * DAY_MS);

function isDay(value: string | null): value is string {
  return value !== null && ISO_DAY.test(value) && Number.isFinite(msOf(value)) && dayOf(msOf(value)) === value;
}

/** The range a URL query stands for; anything unreadable falls back to the last 30 days. */
export function rangeFromParams(params: URLSearchParams, now: number = Date.now()): DateRange {
  const today = dayOf(now);
  const from = params.get("from");
  const to = params.get("to");
  if (isDay(from) && isDay(to) && from <= to) {
    return { preset: "custom", from, to, days: Math.round((msOf(to) - msOf(from)) / DAY_MS) + 1 };
  }
  const preset = PRESETS.find((p) => p.key === params.get("range")) ?? PRESETS.find((p) => p.key === DEFAULT_PRESET)!;
  return { preset: preset.key, from: addDays(today, -(preset.days - 1)), to: today, days: preset.days };
}

/** The query that stands for a range: presets stay relative ("last 7 days" is still that tomorrow). */
export function rangeToParams(range: Pick<DateRange, "preset" | "from" | "to">, params: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const next = new URLSearchParams(params);
  next.delete("range");
  next.delete("from");
  next.delete("to");
  if (range.preset === "custom") {
    next.set("from", range.from);
    next.set("to", range.to);
  } else if (range.preset !== DEFAULT_PRESET) {
    next.set("range", range.preset);
  }
  return next;
}

/** Only the range part of a query string, to carry it from page to page in the navigation. */
export function rangeSearch(params: URLSearchParams): string {
  const kept = new URLSearchParams();
  for (const key of ["range", "from", "to"]) {
    const value = params.get(key);
    if (value) kept.set(key, value);
  }
  const s = kept.toString();
  return s ? `?${s}` : "";
}

/** For the admin reports API: a date-only `to` includes that whole day. */
export function reportQuery(range: DateRange): { from: string; to: string } {
  return { from: range.from, to: range.to };
}

/** For the links and surveys services: `to` is exclusive, so it is the day after the last one. */
export function serviceQuery(range: DateRange): { from: string; to: string } {
  return { from: range.from, to: addDays(range.to, 1) };
}

/** Daily points for long ranges are noise: weeks from two months up. */
export function defaultInterval(range: DateRange): "day" | "week" {
  return range.days > 60 ? "week" : "day";
}

export function describeRange(range: DateRange): string {
  const preset = PRESETS.find((p) => p.key === range.preset);
  return preset ? preset.label : `${range.from} – ${range.to}`;
}
