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

/** A word typos are measured against. */
export interface FuzzyTarget {
  word: string;
  /**
   * Only keyboard slips count (see `isKeyboardSlip`), not any one edit. For words that sit among
   * common words ("slack" beside stack, snack, slick; "teams" beside team, terms, tears), whose typos
   * would otherwise land on the brand: "srack" is a slip of "stack", not of "slack".
   */
  slipsOnly: boolean;
  /** What the word means; two targets that mean the same thing ("google", "googled") never tie. */
  meaning: unknown;
}

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

/** QWERTY rows; the next row down is shifted half a key to the right. */
const KEY_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

/** Keys touching each letter key: same row left and right, and the two above and below. */
const NEIGHBOUR_KEYS: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  KEY_ROWS.forEach((row, r) => {
    [...row].forEach((key, c) => {
      const near = [row[c - 1], row[c + 1], KEY_ROWS[r - 1]?.[c], KEY_ROWS[r - 1]?.[c + 1], KEY_ROWS[r + 1]?.[c - 1], KEY_ROWS[r + 1]?.[c]];
      map.set(key, near.filter((k): k is string => k !== undefined).join(""));
    });
  });
  return map;
})();

const touching = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && (NEIGHBOUR_KEYS.get(a)?.includes(b) ?? false);

/**
 * Whether `token` is `target` with one slip of the fingers, its first letter kept: a letter dropped,
 * a letter doubled or a neighbouring key hit as well, two letters swapped, or a neighbouring key hit
 * instead. Narrower than one edit: "slqck" (q beside a) is a slip of "slack", "slick" is not.
 */
export function isKeyboardSlip(token: string, target: string): boolean {
  if (token[0] !== target[0] || token === target) return false;
  if (token.length === target.length - 1) {
    for (let i = 1; i < target.length; i++) if (token === target.slice(0, i) + target.slice(i + 1)) return true;
    return false;
  }
  if (token.length === target.length + 1) {
    for (let i = 1; i < token.length; i++) {
      if (token.slice(0, i) + token.slice(i + 1) !== target) continue;
      const extra = token[i];
      const before = token[i - 1];
      const after = token[i + 1];
      if (extra === before || extra === after || touching(extra, before) || touching(extra, after)) return true;
    }
    return false;
  }
  if (token.length !== target.length) return false;
  const diff: number[] = [];
  for (let i = 0; i < token.length && diff.length <= 2; i++) if (token[i] !== target[i]) diff.push(i);
  if (diff.length === 1) return touching(token[diff[0]!], target[diff[0]!]);
  if (diff.length === 2) {
    const [i, j] = diff as [number, number];
    return j === i + 1 && token[i] === target[j] && token[j] === target[i];
  }
  return false;
}

/** Whether a token may be read as a typo at all: long enough, no digits, not a listed real word. */
export function isCorrectable(token: string, stoplist: ReadonlySet<string>): boolean {
  return token.length >= FUZZY_MIN_LENGTH && !stoplist.has(token) && !/\d/.test(token);
}

/**
 * Whether `token` is `word` with one typo, its first letter kept: one edit, or for `slipsOnly` words
 * one keyboard slip. The word itself is not a typo of it.
 */
export function isTypoOf(token: string, word: string, slipsOnly: boolean): boolean {
  if (token === word || token[0] !== word[0] || Math.abs(token.length - word.length) > MAX_EDITS) return false;
  if (slipsOnly) return isKeyboardSlip(token, word);
  return MAX_EDITS === 1 ? isOneEdit(token, word) : boundedEditDistance(token, word, MAX_EDITS) <= MAX_EDITS;
}

/**
 * `boundedEditDistance(a, b, 1) <= 1` without the table or any allocation: the matcher tries every
 * unknown word of an answer against the phrase words that start with its letter.
 */
export function isOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length - 1;
  let endB = b.length - 1;
  while (endA >= start && endB >= start && a[endA] === b[endB]) {
    endA--;
    endB--;
  }
  // What differs is a[start..endA] against b[start..endB].
  const restA = endA - start + 1;
  const restB = endB - start + 1;
  if (restA <= 1 && restB <= 1) return true; // equal, one letter substituted, inserted or dropped
  return restA === 2 && restB === 2 && a[start] === b[start + 1] && a[start + 1] === b[start]; // two letters swapped
}

/**
 * The target a token is a typo of, or null. A token qualifies when it is long enough, starts with
 * the same letter as the target (people rarely mistype the first letter, and this rules out many
 * real words), and is one edit (or, for `slipsOnly` targets, one keyboard slip) from targets that
 * all mean the same thing.
 */
export function closestTarget<T extends FuzzyTarget>(token: string, targets: readonly T[], stoplist: ReadonlySet<string>): T | null {
  if (!isCorrectable(token, stoplist)) return null;
  let best: T | null = null;
  for (const target of targets) {
    if (!isTypoOf(token, target.word, target.slipsOnly)) continue;
    if (best && best.meaning !== target.meaning) return null;
    best ??= target;
  }
  return best;
}
