import { betaQuantile } from "./beta.ts";
import { type PostStratifiedEstimate, postStratify, type Stratum } from "./post-stratify.ts";
import { wilsonVariance, Z95 } from "./wilson.ts";

/**
 * The dark share of all conversions, with an interval that is honest about answer noise.
 *
 * Two things are unknown, and only one of them is sampling:
 * 1. Respondents are a sample. Within each software channel (a stratum) the respondents' dark share
 *    is re-weighted to the stratum's share of all conversions (post-stratification, see postStratify).
 * 2. Answers are noisy. A buyer a colleague told about may say "Google", pick another option or
 *    misremember; a survey under-reports dark social. How much it does can be measured on the buyers
 *    software saw arrive through a private channel (a dark-tagged link, a messaging in-app browser, a
 *    copy-pasted share): the share of them whose answer names a dark channel is the survey's
 *    sensitivity to dark social (the answer check).
 *
 * The dark share is therefore known to lie between two figures:
 * - face value (the estimate): answers taken as they are, post-stratified. It is what the survey says;
 *   answers rarely invent private sharing. It is not quite the lower end: answers that name nothing
 *   ("I don't remember", text no rule could place) are item non-response, and if the buyers who give
 *   them are mostly not dark (a buyer who typed the address often does not remember), the respondents
 *   who named a channel over-represent dark buyers. The lower end therefore counts every such answer
 *   as not dark (the worst case for item non-response, Manski 1989);
 * - corrected: the respondents' dark answers, outside those software confirmed, divided by the
 *   sensitivity the check measured (the dark buyers the survey missed put back), post-stratified. This
 *   is the upper end: it assumes buyers software did not see miss dark social in their answers as
 *   often as those it did see.
 * The 95% interval runs from the lower of the two sampling lows (face value, and face value with every
 * answer that named nothing counted as not dark) to the corrected share plus its margin,
 * which adds in quadrature (two independent errors) how far the share moves at the lowest sensitivity
 * the check allows (its 2.5% quantile) and its own sampling margin. It covers both unknowns: the truth
 * may lie anywhere between the two figures (a partially identified parameter, Imbens and Manski 2004).
 * With fewer checked buyers the interval widens, as it should.
 *
 * Answers that name no channel ("I don't remember", text no rule could place) are item non-response:
 * they are not in `respondents` (unless software saw a dark touch, which decides on its own) but in
 * `unnamed`, which only moves the interval's low end.
 */

export interface DarkShareStratum extends Stratum {
  /** Respondents (counted in `dark` too) whom software saw arrive through a private channel. */
  confirmed: number;
  /** Buyers who answered naming no channel, whom software did not see arrive through a private one (not in `respondents`). */
  unnamed?: number;
}

/** Buyers software saw arrive through a private channel who answered naming a channel, and how many named a dark one. */
export interface AnswerCheckCounts {
  respondents: number;
  namedDark: number;
}

export interface AnswerCheck extends AnswerCheckCounts {
  /** namedDark / respondents: how often the survey recognises a dark buyer. */
  sensitivity: number;
  /** Its 95% interval (Beta posterior under a uniform prior). */
  low: number;
  high: number;
}

export interface DarkShareEstimate extends PostStratifiedEstimate {
  /** The face-value estimate's own sampling interval (what the interval would be if answers were exact). */
  faceValue: { low: number | null; high: number | null };
  /** The dark share with answers corrected by the sensitivity the check measured; null without a check. */
  corrected: number | null;
  /** The dark share with every answer that named no channel counted as not dark (the low end's centre); null without respondents. */
  unnamedNotDark: number | null;
  answerCheck: AnswerCheck | null;
}

function validate(s: DarkShareStratum): void {
  if (!(Number.isFinite(s.confirmed) && s.confirmed >= 0 && s.confirmed <= s.dark)) {
    throw new RangeError(`stratum ${s.key}: need 0 <= confirmed <= dark`);
  }
  const unnamed = s.unnamed ?? 0;
  if (!(Number.isInteger(unnamed) && unnamed >= 0 && s.respondents + unnamed <= s.conversions)) {
    throw new RangeError(`stratum ${s.key}: need 0 <= unnamed <= conversions - respondents`);
  }
}

function checkOf(counts: AnswerCheckCounts | null): AnswerCheck | null {
  if (!counts || counts.respondents === 0) return null;
  const { respondents: n, namedDark: k } = counts;
  if (!(Number.isInteger(n) && Number.isInteger(k) && k >= 0 && k <= n)) throw new RangeError(`answer check: need 0 <= namedDark <= respondents, got ${k} of ${n}`);
  return { respondents: n, namedDark: k, sensitivity: k / n, low: betaQuantile(0.025, k + 1, n - k + 1), high: betaQuantile(0.975, k + 1, n - k + 1) };
}

/**
 * The post-stratified share with every stratum's unconfirmed dark answers divided by `sensitivity`
 * (a stratum's share never exceeds 1), and the sampling variance of that figure.
 */
function correctedShare(strata: readonly DarkShareStratum[], covered: number, sensitivity: number): { share: number; variance: number } {
  let share = 0;
  let variance = 0;
  for (const s of strata) {
    if (s.respondents === 0 || s.conversions === 0) continue;
    const w = s.conversions / covered;
    const confirmed = s.confirmed / s.respondents;
    const unconfirmed = s.respondents - s.confirmed;
    const darkUnconfirmed = s.dark - s.confirmed;
    const raw = unconfirmed > 0 ? darkUnconfirmed / unconfirmed / sensitivity : 0;
    share += w * (confirmed + (1 - confirmed) * Math.min(1, raw));
    // A stratum held at 1 has no upward margin left; the others carry their sampling variance, scaled.
    if (unconfirmed > 0 && raw < 1) variance += (w * (1 - confirmed)) ** 2 * wilsonVariance(darkUnconfirmed, unconfirmed)! / sensitivity ** 2;
  }
  return { share, variance };
}

export function estimateDarkShare(strata: readonly DarkShareStratum[], check: AnswerCheckCounts | null, z = Z95): DarkShareEstimate {
  strata.forEach(validate);
  const face = postStratify(strata, z);
  const answerCheck = checkOf(check);
  // The worst case for item non-response: every answer that named nothing counted as a not-dark answer.
  const unnamedNotDark = postStratify(
    strata.map((s) => ({ ...s, respondents: s.respondents + (s.unnamed ?? 0) })),
    z,
  );
  const low = face.low === null ? null : Math.min(face.low, unnamedNotDark.low ?? face.low);
  const result: DarkShareEstimate = {
    ...face,
    low,
    bounds: face.bounds && low !== null ? { ...face.bounds, low: Math.min(face.bounds.low, low * face.coveredShare) } : face.bounds,
    faceValue: { low: face.low, high: face.high },
    corrected: null,
    unnamedNotDark: face.estimate === null ? null : unnamedNotDark.estimate,
    answerCheck,
  };
  if (face.estimate === null || !answerCheck) return result;

  const coveredConversions = face.conversions * face.coveredShare;
  // A check where no confirmed buyer named a dark channel says the survey cannot see dark social at all:
  // the corrected figure is then every stratum with a dark answer at 1, which is what dividing by ~0 gives.
  const corrected = correctedShare(strata, coveredConversions, Math.max(answerCheck.sensitivity, Number.EPSILON));
  const atLowestSensitivity = correctedShare(strata, coveredConversions, answerCheck.low);
  const margin = Math.sqrt((atLowestSensitivity.share - corrected.share) ** 2 + z * z * corrected.variance);
  const high = Math.max(face.high!, Math.min(1, corrected.share + margin));
  const missing = 1 - face.coveredShare;
  return {
    ...result,
    high,
    corrected: corrected.share,
    bounds: { low: result.bounds!.low, high: Math.min(1, high * face.coveredShare + missing) },
  };
}
