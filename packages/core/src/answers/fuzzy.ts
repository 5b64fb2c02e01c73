/**
 * Typo tolerance for brand names ("whatsaap", "instgram", "linkedn"). Deliberately narrow: a typo
 * that lands on a real word ("linked", "credit", "snapshot") must not become a brand, because an
 * answer we cannot place is left unclassified rather than guessed.
 */

/** Shortest token we try to correct; shorter ones ("ig", "wa") are listed spellings or nothing. */
export const FUZZY_MIN_LENGTH = 5;

/**
 * Edits allowed: one, whatever the length. Checked against the English, Spanish, German, French and
 * Portuguese word lists: two edits reach real words ("confidence" -> "conference", Portuguese
 * "instauram" -> "instagram"); typos two edits away are listed as spellings in the lexicon instead.
 */
export const MAX_EDITS = 1;

/**
 * Optimal-string-alignment distance (insertions, deletions, substitutions and swaps of two
 * neighbouring letters each cost 1), giving up as soon as it must exceed `limit`.
 * Returns `limit + 1` when the distance is larger than `limit`.
 */
export function boundedEditDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const cols = b.length + 1;
  let prevPrev: number[] = [];
  let prev: number[] = Array.from({ length: cols }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row: number[] = [i];
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prevPrev[j - 2]! + 1);
      row.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    prevPrev = prev;
    prev = row;
  }
  return Math.min(prev[cols - 1]!, limit + 1);
}

/**
 * The target a token is a typo of, or null. A token qualifies when it is long enough, starts with
 * the same letter as the target (people rarely mistype the first letter, and this rules out many
 * real words), and is one edit from exactly one target.
 */
export function closestTarget(token: string, targets: readonly string[], stoplist: ReadonlySet<string>): string | null {
  if (token.length < FUZZY_MIN_LENGTH || stoplist.has(token) || /\d/.test(token)) return null;
  const limit = MAX_EDITS;
  let best: string | null = null;
  let bestDistance = limit + 1;
  let tie = false;
  for (const target of targets) {
    if (target[0] !== token[0]) continue;
    const d = boundedEditDistance(token, target, limit);
    if (d < bestDistance) {
      best = target;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance && d <= limit && target !== best) {
      tie = true;
    }
  }
  return bestDistance <= limit && !tie ? best : null;
}
