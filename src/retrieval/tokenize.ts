/**
 * Tokenisation shared by query analysis and reranking. It mirrors SQLite FTS5's `porter unicode61` tokenizer:
 * letters and digits make tokens, everything else separates them ("£2,278" -> "2", "278"), then Porter stems.
 */
import { readFileSync } from "node:fs";
import { stemmer } from "stemmer";
import * as z from "zod";
import { onlySeparatorsBeyondAscii } from "../store/word-separators.ts";
import { createTextCache } from "./text-cache.ts";

const tokenPattern = /[\p{L}\p{N}]+/gu;
const asciiWord = /[a-z0-9]+/g;
const beyondAscii = /[\x80-\uffff]/;
const beyondAsciiEverywhere = /[\x80-\uffff]/g;

export function words(text: string): string[] {
  const lower = text.toLowerCase();
  // Most passages are ASCII once their typographic punctuation is a space: decomposing them and scanning for marks
  // and Unicode letters changes nothing there, and was half of this function's cost on every reranked passage. What
  // only separates words is the index's rule (src/store/word-separators.ts), so both read the same words. The
  // separators become spaces first: the words of a one-byte string are one-byte strings, twice as fast to match and
  // to look up afterwards.
  if (!beyondAscii.test(lower)) return lower.match(asciiWord) ?? [];
  if (onlySeparatorsBeyondAscii(lower)) return lower.replace(beyondAsciiEverywhere, " ").match(asciiWord) ?? [];
  return lower.normalize("NFKD").replace(/\p{M}/gu, "").match(tokenPattern) ?? [];
}

const stemCache = new Map<string, string>();

export function stem(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = /^\p{N}+$/u.test(word) ? word : stemmer(word);
    if (stemCache.size > 50_000) stemCache.clear();
    stemCache.set(word, stemmed);
  }
  return stemmed;
}

export function stems(text: string): string[] {
  return words(text).map(stem);
}

// About 4 million characters of passage text as keys (8 MB) and their stems: a few thousand passages.
const textStems = createTextCache<readonly string[]>(4_000_000);

/**
 * `stems(text)` kept for texts seen recently (passages, sentences, headings answered from again and again). The
 * array is shared between callers, so it is frozen: nothing may change it.
 */
export function cachedStems(text: string): readonly string[] {
  return textStems.get(text, (value) => Object.freeze(stems(value)));
}

/** Words that carry no meaning for search: function words and question scaffolding. */
export const stopWords: ReadonlySet<string> = new Set(
  z.object({ stopWords: z.array(z.string().min(1)) }).parse(JSON.parse(readFileSync(new URL("./stop-words.json", import.meta.url), "utf8")))
    .stopWords,
);

/** Content words of a text, stemmed, stop words removed. */
export function contentStems(text: string): string[] {
  return words(text)
    .filter((word) => !stopWords.has(word))
    .map(stem);
}
