import { DAY_MS } from "./types.ts";

/** The UTC day of an epoch-ms time, "YYYY-MM-DD": the key of the daily roll-ups. */
export function utcDay(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10);
}

/** Epoch ms of the start of a UTC day key. */
export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

/** Every UTC day from the day of `fromTs` to the day of `toTs`, inclusive. */
export function daysBetween(fromTs: number, toTs: number): string[] {
  const out: string[] = [];
  for (let t = dayStart(utcDay(fromTs)); t <= toTs; t += DAY_MS) out.push(utcDay(t));
  return out;
}
