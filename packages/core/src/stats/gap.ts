/** Respondents of one software channel and what they said. */
export interface GapStratum {
  /** The software channel of these conversions. */
  key: string;
  conversions: number;
  respondents: number;
  /** Respondents per self-reported channel (answers naming no channel left out). */
  selfReported: Record<string, number>;
}

export interface GapInput {
  /** Conversions credited per channel by software (last touch), summed credits. */
  software: Record<string, number>;
  strata: readonly GapStratum[];
  /**
   * post_stratified (default): each stratum's answers stand for that stratum's conversions.
   * ratio: all answers stand for all conversions alike (what a survey tool does).
   */
  method?: "post_stratified" | "ratio";
}

export interface GapRow {
  channel: string;
  software: number;
  /** Self-reported conversions extrapolated to the conversions the answers cover. */
  selfReported: number;
  /** selfReported − software: positive when tracking under-credits the channel. */
  absolute: number;
  /** absolute / software; null when software credits the channel nothing. */
  relative: number | null;
}

export interface GapResult {
  rows: GapRow[];
  /** Conversions in software channels with no respondent: not extrapolated, so not on the self-reported side. */
  uncoveredConversions: number;
  coveredShare: number;
}

/**
 * The attribution gap per channel: what tracking credits against what customers say, with the
 * answers extrapolated to all conversions. Rows are ordered by the size of the gap.
 */
export function attributionGap(input: GapInput): GapResult {
  const method = input.method ?? "post_stratified";
  const total = input.strata.reduce((s, x) => s + x.conversions, 0);
  const selfReported: Record<string, number> = {};
  const add = (channel: string, n: number) => {
    selfReported[channel] = (selfReported[channel] ?? 0) + n;
  };
  let uncoveredConversions = 0;

  if (method === "ratio") {
    const answered = input.strata.reduce((s, x) => s + Object.values(x.selfReported).reduce((a, b) => a + b, 0), 0);
    if (answered > 0) for (const s of input.strata) for (const [c, n] of Object.entries(s.selfReported)) add(c, (n / answered) * total);
    else uncoveredConversions = total;
  } else {
    for (const s of input.strata) {
      const answered = Object.values(s.selfReported).reduce((a, b) => a + b, 0);
      if (answered === 0) {
        uncoveredConversions += s.conversions;
        continue;
      }
      for (const [c, n] of Object.entries(s.selfReported)) add(c, (n / answered) * s.conversions);
    }
  }

  const channels = new Set([...Object.keys(input.software), ...Object.keys(selfReported)]);
  const rows: GapRow[] = [...channels].map((channel) => {
    const software = input.software[channel] ?? 0;
    const self = selfReported[channel] ?? 0;
    const absolute = self - software;
    return { channel, software, selfReported: self, absolute, relative: software > 0 ? absolute / software : null };
  });
  rows.sort((a, b) => Math.abs(b.absolute) - Math.abs(a.absolute) || (a.channel < b.channel ? -1 : 1));
  return { rows, uncoveredConversions, coveredShare: total > 0 ? (total - uncoveredConversions) / total : 0 };
}
