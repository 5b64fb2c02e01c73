import { postStratify } from "./post-stratify.ts";

/** One software channel: all its conversions, the respondents counted, and their channels. */
export interface MixStratum {
  key: string;
  conversions: number;
  respondents: number;
  /** Respondents per channel (their blended channel: the answer's, or what software saw when it decides). */
  byChannel: Readonly<Record<string, number>>;
}

export interface MixEstimate {
  channel: string;
  /** Share of all conversions (in strata with respondents) that came through this channel. */
  share: number;
  low: number;
  high: number;
}

/**
 * The channel mix of all conversions, estimated the way the dark share is: within each software
 * channel the respondents' channels, re-weighted by the software channel's share of all conversions,
 * each channel's share with its post-stratified 95% interval. Without it, conversions nobody
 * answered for keep what software saw ("direct", mostly) and the mix is far from the truth.
 * Strata without respondents are left out (as in postStratify); channels are ordered by share.
 */
export function postStratifiedMix(strata: readonly MixStratum[]): MixEstimate[] {
  const channels = new Set(strata.flatMap((s) => Object.keys(s.byChannel)));
  const out: MixEstimate[] = [];
  for (const channel of channels) {
    const e = postStratify(strata.map((s) => ({ key: s.key, conversions: s.conversions, respondents: s.respondents, dark: s.byChannel[channel] ?? 0 })));
    if (e.estimate !== null) out.push({ channel, share: e.estimate, low: e.low!, high: e.high! });
  }
  return out.sort((a, b) => b.share - a.share || (a.channel < b.channel ? -1 : 1));
}
