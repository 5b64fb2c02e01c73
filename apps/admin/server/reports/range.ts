import { ApiError } from "@lantern/http";

export interface Range {
  /** Inclusive start, epoch ms. */
  from: number;
  /** Exclusive end, epoch ms. */
  to: number;
}

const DAY_MS = 86_400_000;
const MAX_SPAN_MS = 3 * 366 * DAY_MS;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Parses one bound: an ISO date, an ISO date-time or epoch ms. A date-only `to` covers its whole day. */
function parseBound(name: "from" | "to", raw: string): number {
  const value = raw.trim();
  let ms: number;
  if (/^\d{1,16}$/.test(value)) ms = Number(value);
  else if (DATE_ONLY.test(value)) {
    ms = Date.parse(`${value}T00:00:00.000Z`);
    // Date.parse accepts 2024-02-31 by rolling over; refuse dates that do not exist.
    if (!Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) !== value) ms = Number.NaN;
    if (name === "to" && !Number.isNaN(ms)) ms += DAY_MS;
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(value)) ms = Date.parse(value);
  else ms = Number.NaN;
  if (!Number.isFinite(ms) || ms < 0 || ms > 8.64e15) {
    throw new ApiError(400, "validation_failed", `${name}: "${raw.slice(0, 40)}" is not a date. Use an ISO date (2024-05-01), an ISO date-time or epoch milliseconds.`);
  }
  return ms;
}

/**
 * `from`/`to` of a report. Default: the last 30 days, today included (UTC days), so that the
 * default range is the same all day long (and report results can be reused).
 */
export function parseRange(query: { from?: string; to?: string }, now: number): Range {
  const to = query.to ? parseBound("to", query.to) : Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
  const from = query.from ? parseBound("from", query.from) : to - 30 * DAY_MS;
  if (from > to) {
    throw new ApiError(400, "bad_request", `from (${new Date(from).toISOString()}) is after to (${new Date(to).toISOString()}). Swap them.`);
  }
  if (to - from > MAX_SPAN_MS) throw new ApiError(400, "bad_request", "The range is longer than 3 years. Pick a shorter one.");
  return { from, to };
}

export function describeRange(range: Range) {
  return { from: range.from, to: range.to, fromIso: new Date(range.from).toISOString(), toIso: new Date(range.to).toISOString() };
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The UTC days a range touches, as inclusive `YYYY-MM-DD` bounds for the daily roll-ups. Null when empty. */
export function dayBounds(range: Range): { first: string; last: string } | null {
  if (range.to <= range.from) return null;
  return { first: utcDay(range.from), last: utcDay(range.to - 1) };
}

/** Start of the bucket (UTC day, or ISO week starting Monday) holding `ms`. */
export function bucketStart(ms: number, interval: "day" | "week"): number {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  if (interval === "day") return day;
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
  return day - weekday * DAY_MS;
}

export function bucketEnd(start: number, interval: "day" | "week"): number {
  return start + (interval === "day" ? DAY_MS : 7 * DAY_MS);
}

export { DAY_MS };
