import { closestTarget, type FuzzyTarget } from "./fuzzy.ts";
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
  /** The spelling a typo was corrected to by `fuzzy.ts` ("instgram" -> "instagram"), else null. */
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

function compile(): { byFirst: Map<string, Phrase[]>; targets: Target[]; duplicates: string[] } {
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
  return { byFirst, targets, duplicates };
}

const LEXICON = compile();

/** Phrases listed twice in the lexicon (kept for a test: each phrase must mean one thing). */
export const DUPLICATE_PHRASES: readonly string[] = LEXICON.duplicates;

/** Words typos are corrected to: each entity's, person's and modifier's `fuzzy` and `slips` lists. */
export const FUZZY_TARGET_WORDS: readonly string[] = LEXICON.targets.map((t) => t.word);

/**
 * Reads normalised tokens left to right, taking the longest known phrase at each position; a word
 * no phrase starts with is tried as a typo of a target word, and read as that word: "menssaje de
 * texto" is "mensaje de texto", a text message.
 */
export function findHits(tokens: readonly string[]): Hit[] {
  const hits: Hit[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    const phrase = longestAt(tokens, i, token);
    if (phrase) {
      hits.push({ signal: phrase.signal, start: i, end: i + phrase.tokens.length, fuzzy: null });
      i += phrase.tokens.length;
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
