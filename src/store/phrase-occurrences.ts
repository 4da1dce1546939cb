/**
 * How often each of a query's phrases occurs in a passage, and how many tokens the passage holds, as FTS5's
 * unicode61 tokenizer and the Porter stems of the index see them: what the SQLite store needs to score a passage
 * with FTS5's bm25() formula itself (src/store/sqlite-text-search.ts). At 1M passages a search scores a few hundred
 * passages this way; stemming every token cost 40-130 ms a question (about 1 µs a token), most of it for words no
 * phrase holds.
 *
 * Only tokens that could stem to a phrase word are stemmed. The Porter stemmer changes only a word's ending: its
 * rules remove or replace a suffix after a part that keeps at least two letters (steps 2-5 need a vowel followed by a
 * consonant before the suffix), step 1 keeps at least the first letter ("ies" to "i", "-ed" and "-ing" after a vowel),
 * and words of one or two letters are left as they are. So a stem of two letters or more begins with the same two
 * letters as every word that stems to it, and a one-letter stem with the same letter: a token whose first letters
 * match no phrase word's stem cannot be one of them. Numbers are their own stem.
 */

import { isAsciiWordCode, stemPrefixGate } from "./stem-prefix-gate.ts";
import { separatesWords } from "./word-separators.ts";

/** Tokens as FTS5's unicode61 tokenizer (remove_diacritics) sees them, for text that is not plain ASCII. */
const wordPattern = /[\p{L}\p{N}\p{Co}]+/gu;
const marks = /\p{M}/gu;

export interface PhraseOccurrences {
  /** Tokens in the text. */
  textLength: number;
  /** Tokens in the context (labels). */
  contextLength: number;
  /** Per phrase, in the order given: occurrences in the text, then in the context. */
  text: Int32Array;
  context: Int32Array;
}

/**
 * A counter for `phrases` (each a list of index stems). `stemOf` maps a lower-case token to the stem the index holds
 * for it (the store's cached Porter stemmer).
 */
export function phraseOccurrences(phrases: readonly (readonly string[])[], stemOf: (token: string) => string): (text: string, context: string) => PhraseOccurrences {
  const codes = new Map<string, number>();
  const phraseCodes = phrases.map((phrase) =>
    Int32Array.from(phrase, (stem) => {
      let code = codes.get(stem);
      if (code === undefined) {
        code = codes.size;
        codes.set(stem, code);
      }
      return code;
    }),
  );
  // The first two letters of every stem (one letter for a one-letter stem): the gate a token passes before stemming.
  const mayMatch = stemPrefixGate(codes.keys());
  // The gate for ASCII tokens as a table by their first two codes (index 0 for a one-letter token's second).
  const asciiGate = new Uint8Array(128 * 128);
  for (let first = 0; first < 128; first++) {
    if (!isAsciiWordCode(first)) continue;
    asciiGate[first * 128] = mayMatch(first, -1) ? 1 : 0;
    for (let second = 0; second < 128; second++) if (isAsciiWordCode(second)) asciiGate[first * 128 + second] = mayMatch(first, second) ? 1 : 0;
  }
  // Each token's code once per counter (a passage's words recur across the few hundred passages it scores).
  const tokenCodes = new Map<string, number>();
  const codeOf = (token: string): number => {
    let code = tokenCodes.get(token);
    if (code === undefined) {
      code = codes.get(stemOf(token)) ?? -1;
      if (tokenCodes.size >= 50_000) tokenCodes.clear();
      tokenCodes.set(token, code);
    }
    return code;
  };

  let buffer = new Int32Array(1024);
  /** The passage's tokens as phrase-word codes (-1: no phrase word) in `buffer`; returns how many. */
  const encode = (input: string): number => {
    let count = 0;
    const push = (code: number): void => {
      if (count === buffer.length) {
        const grown = new Int32Array(buffer.length * 2);
        grown.set(buffer);
        buffer = grown;
      }
      buffer[count++] = code;
    };
    const lower = input.toLowerCase();
    const end = lower.length;
    let at = 0;
    while (at < end) {
      // A run between separators (src/store/word-separators.ts: no token spans one).
      let stop = at;
      let ascii = true;
      for (let code = lower.charCodeAt(stop); stop < end; code = lower.charCodeAt(++stop)) {
        if (code < 128) {
          if (!((code >= 97 && code <= 122) || (code >= 48 && code <= 57))) break;
        } else if (separatesWords(code)) break;
        else ascii = false;
      }
      if (stop === at) {
        at++;
        continue;
      }
      if (ascii) push(asciiGate[lower.charCodeAt(at) * 128 + (stop - at >= 2 ? lower.charCodeAt(at + 1) : 0)] === 1 ? codeOf(lower.slice(at, stop)) : -1);
      else {
        // Letters beyond ASCII: folded as unicode61 folds them (decomposed, marks removed), then split on what is
        // not a letter, digit or private-use character. Decomposition works character by character and leaves the
        // separators without letters or digits, so a run folds as it would inside the whole text.
        for (const token of lower.slice(at, stop).normalize("NFKD").replace(marks, "").toLowerCase().match(wordPattern) ?? []) {
          push(mayMatch(token.charCodeAt(0), token.length >= 2 ? token.charCodeAt(1) : -1) ? codeOf(token) : -1);
        }
      }
      at = stop;
    }
    return count;
  };

  const count = (length: number, into: Int32Array): void => {
    phraseCodes.forEach((phrase, index) => {
      let found = 0;
      const last = length - phrase.length;
      outer: for (let start = 0; start <= last; start++) {
        for (let offset = 0; offset < phrase.length; offset++) if (buffer[start + offset] !== phrase[offset]) continue outer;
        found++;
      }
      into[index] = found;
    });
  };

  return (text, context) => {
    const textCounts = new Int32Array(phraseCodes.length);
    const contextCounts = new Int32Array(phraseCodes.length);
    const textLength = encode(text);
    count(textLength, textCounts);
    const contextLength = encode(context);
    count(contextLength, contextCounts);
    return { textLength, contextLength, text: textCounts, context: contextCounts };
  };
}
