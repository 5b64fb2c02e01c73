/**
 * The canonical form of a free-text survey answer. It is the key under which an admin's manual
 * label is stored, so two answers that differ only in case, accents, punctuation, emoji or spacing
 * ("My FREIND told me!!" / "my freind told me") share one label. The rules in `free-text.ts`
 * read the same form, so their keyword lists are written without accents or punctuation.
 */
export function normalizeAnswer(text: string): string {
  return (
    text
      // NFKD first so compatibility letters ("ℌ", "ﬁ", full-width "Ａ") become plain letters
      // before lower-casing; then again because lower-casing can produce composed letters.
      .normalize("NFKD")
      .toLowerCase()
      .normalize("NFKD")
      .replace(/\p{M}+/gu, "")
      // Letters that NFKD does not decompose but people type interchangeably with ASCII.
      .replace(/[ßœæøłđðı]/g, (c) => FOLD[c] ?? c)
      // English contractions keep their letters together ("don't" -> "dont", "friend's" ->
      // "friends") while French elisions split ("l'ami" -> "l ami", "j'ai" -> "j ai").
      .replace(/(\p{L})['’‘`´](?=(?:t|s|re|ve|ll|d|m)(?![\p{L}\p{N}]))/gu, "$1")
      // Everything that is not a letter or a digit (punctuation, symbols, emoji, spaces)
      // separates words.
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim()
  );
}

const FOLD: Record<string, string> = { ß: "ss", œ: "oe", æ: "ae", ø: "o", ł: "l", đ: "d", ð: "d", ı: "i" };
