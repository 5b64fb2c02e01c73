// Which real words would the free-text classifier "correct" to a brand? Runs every word of the word
// lists under /usr/share/dict (Debian: wamerican, wspanish, wngerman, wfrench, wbrazilian) through the
// matcher, normalised as answers are, and prints each word that a typo rule (`fuzzy` or `slips` in
// src/answers/lexicon.ts) would read as something else. Each one belongs in FUZZY_STOPLIST, or, when it
// means the brand ("instagrams"), among that brand's phrases; if many collide, drop the target and list
// its misspellings instead. Exits 1 when a word collides, 0 when none does, and says so (exit 0) when
// there are no word lists to read.
//
//   apt-get install -y wamerican wspanish wngerman wfrench wbrazilian
//   npx tsx packages/core/scripts/check-fuzzy-words.ts [--dict /usr/share/dict]   (from the repo root)
//   npx tsc -p packages/core/scripts                                              (its typecheck)
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { FUZZY_TARGET_WORDS, findHits } from "../src/answers/match.ts";
import { normalizeAnswer } from "../src/answers/normalize.ts";

const { values } = parseArgs({ options: { dict: { type: "string", default: "/usr/share/dict" } } });
const dir = values.dict;

// `words` and friends are symlinks to one of the lists; README files are not word lists.
const lists = existsSync(dir)
  ? readdirSync(dir)
      .filter((name) => !name.startsWith("README") && !name.startsWith("."))
      .filter((name) => {
        const stat = lstatSync(join(dir, name));
        return stat.isFile() && !stat.isSymbolicLink();
      })
  : [];
if (lists.length === 0) {
  console.log(`no word lists in ${dir}: check skipped (apt-get install -y wamerican wspanish wngerman wfrench wbrazilian)`);
  process.exit(0);
}

/** Normalised word -> the lists it comes from. */
const words = new Map<string, Set<string>>();
for (const list of lists) {
  for (const line of readFileSync(join(dir, list), "utf8").split("\n")) {
    for (const word of normalizeAnswer(line).split(" ")) {
      if (!word) continue;
      const from = words.get(word) ?? new Set<string>();
      from.add(list);
      words.set(word, from);
    }
  }
}

/** Target word -> "real word (lists)" read as it. */
const collisions = new Map<string, string[]>();
for (const [word, from] of words) {
  const typo = findHits([word]).find((hit) => hit.fuzzy !== null);
  if (!typo?.fuzzy) continue;
  const list = collisions.get(typo.fuzzy) ?? [];
  list.push(`${word} (${[...from].join(", ")})`);
  collisions.set(typo.fuzzy, list);
}

console.log(`${words.size} words from ${lists.join(", ")} against ${FUZZY_TARGET_WORDS.length} typo targets`);
for (const [target, real] of collisions) console.log(`  ${target} <- ${real.join(", ")}`);
const total = [...collisions.values()].reduce((n, list) => n + list.length, 0);
if (total > 0) {
  console.log(`${total} real words would be read as a typo: add them to FUZZY_STOPLIST, or as phrases where they mean the brand`);
  process.exit(1);
}
console.log("no real word is read as a typo");
