import { closestTarget } from "./fuzzy.ts";
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

function compile(): { byFirst: Map<string, Phrase[]>; fuzzyTargets: Map<string, EntityDef>; duplicates: string[] } {
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
  const fuzzyTargets = new Map<string, EntityDef>();
  for (const entity of ENTITIES) {
    for (const p of entity.anywhere) add(p, { kind: "entity", entity }, false);
    for (const p of entity.whole ?? []) add(p, { kind: "entity", entity }, true);
    for (const t of entity.fuzzy ?? []) fuzzyTargets.set(t, entity);
  }
  for (const person of PEOPLE) for (const p of person.anywhere) add(p, { kind: "person", source: person.source }, false);
  for (const p of WORD_OF_MOUTH) add(p, { kind: "word_of_mouth" }, false);
  for (const p of RECOMMENDATION) add(p, { kind: "recommendation" }, false);
  for (const m of MODIFIERS) {
    for (const p of m.anywhere) add(p, { kind: m.kind }, false);
    for (const p of m.whole ?? []) add(p, { kind: m.kind }, true);
  }
  // Longest phrase first, so "facebook messenger" wins over "facebook".
  for (const list of byFirst.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);
  return { byFirst, fuzzyTargets, duplicates };
}

const LEXICON = compile();
const FUZZY_TARGETS = [...LEXICON.fuzzyTargets.keys()];

/** Phrases listed twice in the lexicon (kept for a test: each phrase must mean one thing). */
export const DUPLICATE_PHRASES: readonly string[] = LEXICON.duplicates;

/**
 * Reads normalised tokens left to right, taking the longest known phrase at each position; a word
 * no phrase starts with is tried as a typo of a brand.
 */
export function findHits(tokens: readonly string[]): Hit[] {
  const hits: Hit[] = [];
  let i = 0;
  while (i < tokens.length) {
    const phrase = longestAt(tokens, i);
    if (phrase) {
      hits.push({ signal: phrase.signal, start: i, end: i + phrase.tokens.length, fuzzy: null });
      i += phrase.tokens.length;
      continue;
    }
    const target = closestTarget(tokens[i]!, FUZZY_TARGETS, FUZZY_STOPLIST);
    const entity = target ? LEXICON.fuzzyTargets.get(target) : undefined;
    if (target && entity) hits.push({ signal: { kind: "entity", entity }, start: i, end: i + 1, fuzzy: target });
    i += 1;
  }
  return hits;
}

function longestAt(tokens: readonly string[], i: number): Phrase | undefined {
  const candidates = LEXICON.byFirst.get(tokens[i]!);
  if (!candidates) return undefined;
  return candidates.find(
    (p) =>
      (!p.wholeOnly || (i === 0 && p.tokens.length === tokens.length)) &&
      i + p.tokens.length <= tokens.length &&
      p.tokens.every((t, k) => tokens[i + k] === t),
  );
}
