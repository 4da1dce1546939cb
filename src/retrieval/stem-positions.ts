/**
 * Where a question's stems stand in a passage, as `stems(text)` (src/retrieval/tokenize.ts) would place them, without
 * stemming every word of the passage. The reranker asks only for the question's own stems, and stemming each of a
 * candidate's few hundred words was most of its cost at 1M passages (about 125 µs a passage: 20% of a search).
 *
 * Only words that could stem to a wanted stem are stemmed: the Porter stemmer changes only a word's ending and keeps
 * its first two letters (one for a one-letter stem; src/store/phrase-occurrences.ts gives the reasons and its tests
 * check the premise on the corpus), and numbers are their own stem. Text that is ASCII but for separators (the list
 * `words` uses) is scanned by character code, as `words` splits it; any other text goes through `words` itself, so
 * the tokens are always the same.
 */
import { isAsciiWordCode, stemPrefixGate } from "../store/stem-prefix-gate.ts";
import { onlySeparatorsBeyondAscii } from "../store/word-separators.ts";
import { stem, stems, words } from "./tokenize.ts";

export interface StemPositions {
  /** Every position where `sequence` (stems) starts, ascending: `findSequence(stems(text), sequence)`. */
  find(sequence: readonly string[]): readonly number[];
}

const noPositions: readonly number[] = Object.freeze([]);

/** Every position where `needle` starts in `haystack`, ascending (none for an empty needle). */
export function findSequence(haystack: readonly string[], needle: readonly string[]): number[] {
  const positions: number[] = [];
  if (needle.length === 0) return positions;
  outer: for (let start = 0; start + needle.length <= haystack.length; start++) {
    for (let offset = 0; offset < needle.length; offset++) {
      if (haystack[start + offset] !== needle[offset]) continue outer;
    }
    positions.push(start);
  }
  return positions;
}

/** A finder for the `wanted` stems; a sequence holding any other stem is looked for in the passage's full stems. */
export function stemPositionFinder(wanted: Iterable<string>): (text: string) => StemPositions {
  const codes = new Map<string, number>();
  for (const wantedStem of wanted) if (wantedStem !== "" && !codes.has(wantedStem)) codes.set(wantedStem, codes.size);
  const mayMatch = stemPrefixGate(codes.keys());
  const codeOfWord = (word: string): number => (mayMatch(word.charCodeAt(0), word.length >= 2 ? word.charCodeAt(1) : -1) ? (codes.get(stem(word)) ?? -1) : -1);

  return (text) => {
    const found: number[] = [];
    const starts = new Map<number, number[]>();
    let length = 0;
    const push = (code: number): void => {
      if (code >= 0) {
        const known = starts.get(code);
        if (known) known.push(length);
        else starts.set(code, [length]);
      }
      found.push(code);
      length++;
    };
    const lower = text.toLowerCase();
    if (onlySeparatorsBeyondAscii(lower)) {
      // `words` on text whose characters past ASCII only separate (typographic quotes, dashes, £): the runs of
      // [a-z0-9] of its lower case.
      const end = lower.length;
      let at = 0;
      while (at < end) {
        if (!isAsciiWordCode(lower.charCodeAt(at))) {
          at++;
          continue;
        }
        let stop = at + 1;
        while (stop < end && isAsciiWordCode(lower.charCodeAt(stop))) stop++;
        push(mayMatch(lower.charCodeAt(at), stop - at >= 2 ? lower.charCodeAt(at + 1) : -1) ? (codes.get(stem(lower.slice(at, stop))) ?? -1) : -1);
        at = stop;
      }
    } else {
      for (const word of words(text)) push(codeOfWord(word));
    }
    let allStems: string[] | undefined;
    return {
      find(sequence) {
        if (sequence.length === 0) return noPositions;
        const sequenceCodes = sequence.map((sequenceStem) => codes.get(sequenceStem));
        if (sequenceCodes.some((code) => code === undefined)) {
          // Not a wanted stem: looked for the slow way, so the answer is still findSequence's.
          allStems ??= stems(text);
          return findSequence(allStems, sequence);
        }
        const candidates = starts.get(sequenceCodes[0]!);
        if (candidates === undefined) return noPositions;
        if (sequence.length === 1) return candidates;
        return candidates.filter((start) => {
          if (start + sequence.length > length) return false;
          for (let offset = 1; offset < sequence.length; offset++) if (found[start + offset] !== sequenceCodes[offset]) return false;
          return true;
        });
      },
    };
  };
}
