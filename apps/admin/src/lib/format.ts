/**
 * Number formatting for everything a marketer reads. Pure functions, one locale ("en-US") so that a
 * figure reads the same in a screenshot, a test and a CSV discussion. Missing values are an em dash,
 * never "NaN" or "0": a blank must not look like a measurement.
 */

export const MISSING = "—";
const EN_DASH = "–";
const MINUS = "−";

type Maybe = number | null | undefined;

const isNumber = (n: Maybe): n is number => typeof n === "number" && Number.isFinite(n);

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const upToOne = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const upToTwo = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** A count with thousands separators: 1204 -> "1,204". Fractional counts (extrapolated) keep one decimal below 100. */
export function formatCount(n: Maybe): string {
  if (!isNumber(n)) return MISSING;
  if (Number.isInteger(n) || Math.abs(n) >= 100) return integer.format(n).replace("-", MINUS);
  return upToOne.format(n).replace("-", MINUS);
}

/** A count for small spaces: 15320 -> "15.3K". */
export function formatCompact(n: Maybe): string {
  if (!isNumber(n)) return MISSING;
  return Math.abs(n) < 10_000 ? formatCount(n) : compact.format(n).replace("-", MINUS);
}

/** A money amount or any plain value: two decimals at most. */
export function formatValue(n: Maybe): string {
  if (!isNumber(n)) return MISSING;
  return upToTwo.format(n).replace("-", MINUS);
}

/** Digits a percentage needs: whole numbers from 10% up, one decimal below (5.3%), none for 0. */
function percentNumber(p: number): string {
  const pct = p * 100;
  if (pct === 0) return "0";
  const abs = Math.abs(pct);
  const text = abs >= 10 ? integer.format(pct) : upToOne.format(pct);
  return text.replace("-", MINUS);
}

/** A proportion in 0..1 as a percentage: 0.3125 -> "31%", 0.053 -> "5.3%". */
export function formatPercent(p: Maybe): string {
  return isNumber(p) ? `${percentNumber(p)}%` : MISSING;
}

/** A signed change: +188, −99 (true minus sign, so columns line up and screen readers say "minus"). */
export function formatSigned(n: Maybe): string {
  if (!isNumber(n)) return MISSING;
  if (n === 0) return "0";
  return n > 0 ? `+${formatCount(n)}` : formatCount(n);
}

/** A signed proportion: +25%, −25%. */
export function formatSignedPercent(p: Maybe): string {
  if (!isNumber(p)) return MISSING;
  if (p === 0) return "0%";
  return p > 0 ? `+${formatPercent(p)}` : formatPercent(p);
}

export interface IntervalLike {
  estimate: number | null | undefined;
  low: number | null | undefined;
  high: number | null | undefined;
}

/** "27–35%": both ends of a 95% interval with an en dash; one end missing -> "—". */
export function formatRange(low: Maybe, high: Maybe): string {
  if (!isNumber(low) || !isNumber(high)) return MISSING;
  return `${percentNumber(low)}${EN_DASH}${percentNumber(high)}%`;
}

export interface Basis {
  /** How many observations the figure rests on. */
  n: number | null | undefined;
  /** What they are, plural: "answers", "conversions". */
  unit: string;
  /** Singular form when it is not the plural minus a trailing "s". */
  singular?: string;
}

function basisText(basis: Basis): string | null {
  if (!isNumber(basis.n)) return null;
  const unit = basis.n === 1 ? (basis.singular ?? basis.unit.replace(/s$/, "")) : basis.unit;
  return `n=${formatCount(basis.n)} ${unit}`;
}

/**
 * A proportion with its 95% interval and the number it rests on:
 * "31% (95% CI 27–35%, n=1,204 answers)". Without an interval: "31% (n=1,204 answers)".
 * Without an estimate: "—" and the basis, so "no data" is never mistaken for "0%".
 */
export function formatInterval(interval: IntervalLike | null | undefined, basis?: Basis): string {
  const parts: string[] = [];
  if (interval && isNumber(interval.low) && isNumber(interval.high)) parts.push(`95% CI ${formatRange(interval.low, interval.high)}`);
  const b = basis ? basisText(basis) : null;
  if (b) parts.push(b);
  const head = formatPercent(interval?.estimate);
  if (head === MISSING) return b ? `${MISSING} (${b})` : MISSING;
  return parts.length ? `${head} (${parts.join(", ")})` : head;
}

/** A rate with its numerator and denominator: "42% (512 of 1,204 conversions)". */
export function formatRatio(numerator: Maybe, denominator: Maybe, unit: string): string {
  if (!isNumber(numerator) || !isNumber(denominator)) return MISSING;
  const rate = denominator === 0 ? MISSING : formatPercent(numerator / denominator);
  return `${rate} (${formatCount(numerator)} of ${formatCount(denominator)} ${unit})`;
}

const dateFmt = new Intl.DateTimeFormat("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
const dateTimeFmt = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
  timeZone: "UTC",
});
const shortDayFmt = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

function toTime(t: number | string | null | undefined): number | null {
  if (t == null) return null;
  const ms = typeof t === "number" ? t : Date.parse(t.length === 10 ? `${t}T00:00:00Z` : t);
  return Number.isFinite(ms) ? ms : null;
}

/** "May 1, 2024" (UTC, like the reports' days). */
export function formatDate(t: number | string | null | undefined): string {
  const ms = toTime(t);
  return ms === null ? MISSING : dateFmt.format(ms);
}

/** "May 1, 2024, 14:05 UTC". */
export function formatDateTime(t: number | string | null | undefined): string {
  const ms = toTime(t);
  return ms === null ? MISSING : `${dateTimeFmt.format(ms)} UTC`;
}

/** "May 1": chart axes. */
export function formatShortDay(t: number | string | null | undefined): string {
  const ms = toTime(t);
  return ms === null ? MISSING : shortDayFmt.format(ms);
}

/** "850 ms", "1.2 s", "3 min". */
export function formatDuration(ms: Maybe): string {
  if (!isNumber(ms)) return MISSING;
  if (ms < 1000) return `${integer.format(ms)} ms`;
  if (ms < 60_000) return `${upToOne.format(ms / 1000)} s`;
  if (ms < 3_600_000) return `${integer.format(ms / 60_000)} min`;
  return `${upToOne.format(ms / 3_600_000)} h`;
}

/** "3 minutes ago", "in 2 days": for "last used", "last reconcile". */
export function formatRelative(t: Maybe, now: number = Date.now()): string {
  if (!isNumber(t)) return MISSING;
  const diff = t - now;
  const abs = Math.abs(diff);
  const units: [number, string][] = [
    [86_400_000, "day"],
    [3_600_000, "hour"],
    [60_000, "minute"],
  ];
  for (const [size, name] of units) {
    if (abs >= size) {
      const v = Math.round(abs / size);
      const text = `${v} ${name}${v === 1 ? "" : "s"}`;
      return diff < 0 ? `${text} ago` : `in ${text}`;
    }
  }
  return "just now";
}

/** "messaging_in_app_browser" -> "Messaging in app browser": names of rules and reasons. */
export function humanize(key: string | null | undefined): string {
  if (!key) return MISSING;
  const text = key.replace(/[_:.-]+/g, " ").trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
