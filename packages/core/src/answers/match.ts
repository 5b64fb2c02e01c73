import { closestTarget, FUZZY_MIN_LENGTH, type FuzzyTarget, isCorrectable, isTypoOf } from "./fuzzy.ts";
import {
  ENTITIES,
  type EntityDef,
  FUZZY_STOPLIST,
  MODIFIERS,
  type ModifierKind,
  PEOPLE,
  type PersonDef,
  RECOMMENDATION,
  WORD_OF_MOUTH,
} from "./lexicon.ts";
import { normalizeAnswer } from "./normalize.ts";

/** What a matched phrase means. */
export type Signal =
  | { kind: "entity"; entity: EntityDef }
  | { kind: "person"; source: PersonDef["source"] }
  | { kind: "word_of_mouth" }
  | { kind: "recommendation" }
  | { kind: ModifierKind };

export interface Hit {
  signal: Signal;
  /** Token index where the phrase starts and (exclusive) ends. */
  start: number;
  end: number;
  /**
   * The spelling a typo was corrected to by `fuzzy.ts` ("instgram" -> "instagram"), else null. In a
   * phrase, the words corrected ("word of mouht" -> "mouth"), space-separated.
   */
  fuzzy: string | null;
}

interface Phrase {
  tokens: string[];
  signal: Signal;
  wholeOnly: boolean;
}

/** Tokens per answer the rules read. Survey answers are short; this bounds the work on abuse. */
export const MAX_TOKENS = 400;

/** A word typos are corrected to, and what it means alone (its own phrase in the lexicon). */
interface Target extends FuzzyTarget {
  signal: Signal;
}

interface Lexicon {
  byFirst: Map<string, Phrase[]>;
  targets: Target[];
  duplicates: string[];
  /** First words of 5+ letters of the phrases a typo may occur in, by first letter, then by length. */
  firstWords: Map<string, string[][]>;
  /** The most words of a phrase a typo may occur in, by its first word. */
  longestTolerant: Map<string, number>;
  /** Words that are a phrase or a typo target on their own: read as themselves, never as a typo of another word. */
  known: Set<string>;
  /** Words of which only keyboard slips are corrected (the `slips` targets), in phrases too. */
  slipsOnly: Set<string>;
}

function compile(): Lexicon {
  const byFirst = new Map<string, Phrase[]>();
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const add = (text: string, signal: Signal, wholeOnly: boolean) => {
    const normal = normalizeAnswer(text);
    if (!normal) return;
    const key = `${wholeOnly ? "=" : "~"}${normal}`;
    if (seen.has(key)) {
      duplicates.push(normal);
      return;
    }
    seen.add(key);
    const tokens = normal.split(" ");
    const list = byFirst.get(tokens[0]!) ?? [];
    list.push({ tokens, signal, wholeOnly });
    byFirst.set(tokens[0]!, list);
  };
  const targets: Target[] = [];
  // A target's meaning is the definition that lists it, so "google" and "googled" never tie.
  const target = (words: readonly string[] | undefined, slipsOnly: boolean, signal: Signal, meaning: unknown) => {
    for (const word of words ?? []) targets.push({ word: normalizeAnswer(word), slipsOnly, signal, meaning });
  };
  for (const entity of ENTITIES) {
    const signal: Signal = { kind: "entity", entity };
    for (const p of entity.anywhere) add(p, signal, false);
    for (const p of entity.whole ?? []) add(p, signal, true);
    target(entity.fuzzy, false, signal, entity);
    target(entity.slips, true, signal, entity);
  }
  for (const person of PEOPLE) {
    const signal: Signal = { kind: "person", source: person.source };
    for (const p of person.anywhere) add(p, signal, false);
    target(person.fuzzy, false, signal, person);
  }
  for (const p of WORD_OF_MOUTH) add(p, { kind: "word_of_mouth" }, false);
  for (const p of RECOMMENDATION) add(p, { kind: "recommendation" }, false);
  for (const m of MODIFIERS) {
    const signal: Signal = { kind: m.kind };
    for (const p of m.anywhere) add(p, signal, false);
    for (const p of m.whole ?? []) add(p, signal, true);
    target(m.fuzzy, false, signal, m);
  }
  // Longest phrase first, so "facebook messenger" wins over "facebook".
  for (const list of byFirst.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);
  const firstWords = new Map<string, string[][]>();
  const longestTolerant = new Map<string, number>();
  const known = new Set(targets.map((t) => t.word));
  for (const [first, list] of byFirst) {
    if (list.some((p) => p.tokens.length === 1)) known.add(first);
    const tolerant = list.filter(typoTolerant);
    if (tolerant.length === 0) continue;
    longestTolerant.set(first, tolerant[0]!.tokens.length);
    if (first.length < FUZZY_MIN_LENGTH) continue;
    const byLength = firstWords.get(first[0]!) ?? [];
    byLength[first.length] = [...(byLength[first.length] ?? []), first];
    firstWords.set(first[0]!, byLength);
  }
  const slipsOnly = new Set(targets.filter((t) => t.slipsOnly).map((t) => t.word));
  return { byFirst, targets, duplicates, firstWords, longestTolerant, known, slipsOnly };
}

/**
 * Phrases read through a typo: those of several words that count anywhere. A single word is corrected
 * only when it is a target (`fuzzy`, `slips`); a `whole` phrase is already too ambiguous to guess at.
 */
const typoTolerant = (p: Phrase) => p.tokens.length > 1 && !p.wholeOnly;

const LEXICON = compile();

/** Phrases listed twice in the lexicon (kept for a test: each phrase must mean one thing). */
export const DUPLICATE_PHRASES: readonly string[] = LEXICON.duplicates;

/** Words typos are corrected to: each entity's, person's and modifier's `fuzzy` and `slips` lists. */
export const FUZZY_TARGET_WORDS: readonly string[] = LEXICON.targets.map((t) => t.word);

/**
 * Reads normalised tokens left to right, taking the longest known phrase at each position; a word
 * no phrase starts with is tried as a typo of a target word, and read as that word: "menssaje de
 * texto" is "mensaje de texto", a text message. A phrase of several words is also found with a typo
 * in each of its words of five letters or more ("word of mouht"), under the rules single words follow.
 */
export function findHits(tokens: readonly string[]): Hit[] {
  const hits: Hit[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    const exact = longestAt(tokens, i, token);
    const typo = longestTypoAt(tokens, i, exact?.tokens.length ?? 1);
    // A typo reading wins only when it says more than the exact one: "google serch" stays Google at a
    // brand's confidence, "google hangout" is Google Hangouts.
    if (typo && !(exact && sameMeaning(typo.phrase.signal, exact.signal))) {
      hits.push({ signal: typo.phrase.signal, start: i, end: i + typo.phrase.tokens.length, fuzzy: typo.corrected.join(" ") });
      i += typo.phrase.tokens.length;
      continue;
    }
    if (exact) {
      hits.push({ signal: exact.signal, start: i, end: i + exact.tokens.length, fuzzy: null });
      i += exact.tokens.length;
      continue;
    }
    const target = closestTarget(token, LEXICON.targets, FUZZY_STOPLIST);
    if (target) {
      const corrected = longestAt(tokens, i, target.word);
      const length = corrected?.tokens.length ?? 1;
      hits.push({ signal: corrected?.signal ?? target.signal, start: i, end: i + length, fuzzy: target.word });
      i += length;
      continue;
    }
    i += 1;
  }
  return hits;
}

/** The longest phrase at token `i`, reading `first` in place of that token. */
function longestAt(tokens: readonly string[], i: number, first: string): Phrase | undefined {
  const candidates = LEXICON.byFirst.get(first);
  if (!candidates) return undefined;
  return candidates.find(
    (p) =>
      (!p.wholeOnly || (i === 0 && p.tokens.length === tokens.length)) &&
      i + p.tokens.length <= tokens.length &&
      p.tokens.every((t, k) => (k === 0 ? first : tokens[i + k]) === t),
  );
}

/**
 * The longest phrase of more than `longerThan` words at token `i` that the answer spells with a typo
 * in one or more of its words, with the fewest typos; none when two such readings of the same length
 * mean different things (as with single words, an ambiguous typo is left alone).
 */
function longestTypoAt(tokens: readonly string[], i: number, longerThan: number): { phrase: Phrase; corrected: string[] } | undefined {
  const token = tokens[i]!;
  const typoFirsts = token.length < FUZZY_MIN_LENGTH ? [] : typoFirstWords(token);
  if (typoFirsts.length === 0 && (LEXICON.longestTolerant.get(token) ?? 0) <= longerThan) return undefined;
  const firsts = typoFirsts.length > 0 ? [token, ...typoFirsts] : [token];
  let best: { phrase: Phrase; corrected: string[] } | undefined;
  let ambiguous = false;
  for (const first of firsts) {
    for (const phrase of LEXICON.byFirst.get(first) ?? []) {
      const length = phrase.tokens.length;
      if (length <= longerThan || i + length > tokens.length || !typoTolerant(phrase)) continue;
      if (best && length < best.phrase.tokens.length) break; // sorted longest first
      const corrected = typosIn(tokens, i, phrase);
      if (!corrected) continue;
      const better = !best || length > best.phrase.tokens.length || corrected.length < best.corrected.length;
      if (better) {
        best = { phrase, corrected };
        ambiguous = false;
      } else if (corrected.length === best!.corrected.length && !sameMeaning(phrase.signal, best!.phrase.signal)) {
        ambiguous = true;
      }
    }
  }
  return ambiguous ? undefined : best;
}

/**
 * The phrase's words the tokens from `i` spell with a typo; null when a word is neither itself nor a
 * typo of it, or when none is a typo (an exact phrase).
 */
function typosIn(tokens: readonly string[], i: number, phrase: Phrase): string[] | null {
  let corrected: string[] | null = null;
  for (let k = 0; k < phrase.tokens.length; k++) {
    const word = phrase.tokens[k]!;
    const token = tokens[i + k]!;
    if (token === word) continue;
    if (!isTypoInPhrase(token, word)) return null;
    corrected ??= [];
    corrected.push(word);
  }
  return corrected;
}

/**
 * The same rules as for a single word (5+ letters, first letter kept, one edit, keyboard slips only
 * for Slack, Teams and Discord, not a listed real word), applied to a word of a phrase, which must be
 * 5+ letters too: short words ("of", "boca", "told") are typed exactly. A word the lexicon knows on its
 * own is read as itself: "googled chat" is a search, not Google Chat.
 */
function isTypoInPhrase(token: string, word: string): boolean {
  return word.length >= FUZZY_MIN_LENGTH && token[0] === word[0] && isUnknownWord(token) && isTypoOf(token, word, LEXICON.slipsOnly.has(word));
}

/** A word that may be read as a typo in a phrase: correctable, and not a word of the lexicon itself. */
function isUnknownWord(token: string): boolean {
  return isCorrectable(token, FUZZY_STOPLIST) && !LEXICON.known.has(token);
}

/** First words of typo-tolerant phrases that `token` is a typo of. */
function typoFirstWords(token: string): string[] {
  const byLength = LEXICON.firstWords.get(token[0]!);
  if (!byLength || !isUnknownWord(token)) return [];
  const out: string[] = [];
  for (let length = token.length - 1; length <= token.length + 1; length++) {
    for (const word of byLength[length] ?? []) if (isTypoOf(token, word, LEXICON.slipsOnly.has(word))) out.push(word);
  }
  return out;
}

/** Whether two readings mean the same: the same entity, the same kind of person, the same modifier. */
function sameMeaning(a: Signal, b: Signal): boolean {
  if (a.kind === "entity") return b.kind === "entity" && a.entity === b.entity;
  if (a.kind === "person") return b.kind === "person" && a.source === b.source;
  return a.kind === b.kind;
}
