/**
 * The verb a noun is made from, where the stemmer stops short of it: Porter's stemmer links "assessment" with
 * "assessed" but leaves "placement" whole (its rule wants two syllables left), so a passage about "children placed in
 * homes" never held a question's "placement". The suffixes and the shortest root are in derived-root.json.
 */
import { readFileSync } from "node:fs";
import * as z from "zod";
import { stem, stopWords } from "./tokenize.ts";

const settings = z
  .object({
    nounSuffixes: z.array(z.string().regex(/^[a-z]+$/)).min(1),
    minimumRootLength: z.number().int().min(1),
  })
  .parse(JSON.parse(readFileSync(new URL("./derived-root.json", import.meta.url), "utf8")));

/**
 * The root a word's stem keeps once a noun suffix the stemmer left is taken off ("placements" -> "place"), or null
 * where the stemmer took it off itself ("assessment" -> "assess"), the root would be too short ("comment") or is a
 * stop word ("statement" -> "state", as in "the guidance states").
 */
export function derivedRoot(word: string): string | null {
  const wordStem = stem(word);
  for (const suffix of settings.nounSuffixes) {
    if (!wordStem.endsWith(suffix)) continue;
    const root = wordStem.slice(0, -suffix.length);
    // A root that is a stop word ("state" of "statement") is mostly the library's scaffolding ("the guidance states").
    if (root.length >= settings.minimumRootLength && /[aeiouy]/.test(root) && !stopWords.has(root)) return root;
  }
  return null;
}
