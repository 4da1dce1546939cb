/**
 * The gate a word passes before it is stemmed, where only some stems are wanted (the phrase counter of the SQLite
 * store, phrase-occurrences.ts, and the reranker's stem positions, src/retrieval/stem-positions.ts). The Porter
 * stemmer changes only a word's ending (phrase-occurrences.ts gives the reasons, its tests check the premise on the
 * corpus): a stem of two letters or more begins with the same two letters as every word that stems to it, a
 * one-letter stem with the same letter. A word whose first letters begin no wanted stem cannot stem to one.
 */

/** Whether a lower-case ASCII character code is a letter or digit: what a word is made of in ASCII. */
export const isAsciiWordCode = (code: number): boolean => (code >= 97 && code <= 122) || (code >= 48 && code <= 57);

/**
 * For the `wanted` stems: whether a word whose first two character codes are `first` and `second` (-1 for a
 * one-letter word) may stem to one of them.
 */
export function stemPrefixGate(wanted: Iterable<string>): (first: number, second: number) => boolean {
  const twoLetters = new Set<number>();
  const oneLetter = new Set<number>();
  for (const stem of wanted) {
    if (stem.length >= 2) twoLetters.add(stem.charCodeAt(0) * 65_536 + stem.charCodeAt(1));
    else if (stem.length === 1) oneLetter.add(stem.charCodeAt(0));
  }
  return (first, second) => oneLetter.has(first) || (second >= 0 && twoLetters.has(first * 65_536 + second));
}
