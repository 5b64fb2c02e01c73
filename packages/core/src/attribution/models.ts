import { type AttributionModel, DAY_MS } from "./types.ts";

/** What a model needs to know about a touchpoint. */
export interface ModelTouch {
  ts: number;
  channel: string;
  /** A dark touchpoint is never "direct", whatever its channel key says. */
  dark?: boolean;
}

export const TIME_DECAY_HALF_LIFE_DAYS = 7;

const isDirect = (t: ModelTouch) => t.channel === "direct" && !t.dark;

function single(n: number, at: number): number[] {
  const w = new Array<number>(n).fill(0);
  w[at] = 1;
  return w;
}

/** Index of the last touchpoint that is not direct; the last touchpoint when all are direct. */
export function lastNonDirectIndex(path: readonly ModelTouch[]): number {
  for (let i = path.length - 1; i >= 0; i--) if (!isDirect(path[i]!)) return i;
  return path.length - 1;
}

/** 40% to the first, 40% to the last, 20% shared by the ones between; one touch gets all, two get half each. */
function positionBased(n: number): number[] {
  if (n === 1) return [1];
  if (n === 2) return [0.5, 0.5];
  const middle = 0.2 / (n - 2);
  return Array.from({ length: n }, (_, i) => (i === 0 || i === n - 1 ? 0.4 : middle));
}

/** Weight 2^(-days before the conversion / half-life), normalised to add up to 1. */
function timeDecay(path: readonly ModelTouch[], conversionTs: number, halfLifeDays: number): number[] {
  const raw = path.map((t) => 2 ** (-Math.max(0, conversionTs - t.ts) / DAY_MS / halfLifeDays));
  const total = raw.reduce((s, w) => s + w, 0);
  return raw.map((w) => w / total);
}

/**
 * The share of one conversion each touchpoint of a path (in time order) gets under a model. The
 * weights add up to 1. An empty path has no weights (the caller credits "direct" instead).
 */
export function modelWeights(model: AttributionModel, path: readonly ModelTouch[], conversionTs: number, halfLifeDays = TIME_DECAY_HALF_LIFE_DAYS): number[] {
  const n = path.length;
  if (n === 0) return [];
  switch (model) {
    case "first_touch":
      return single(n, 0);
    case "last_touch":
      return single(n, n - 1);
    case "last_non_direct":
      return single(n, lastNonDirectIndex(path));
    case "linear":
      return new Array<number>(n).fill(1 / n);
    case "position_based":
      return positionBased(n);
    case "time_decay":
      return timeDecay(path, conversionTs, halfLifeDays);
  }
}
