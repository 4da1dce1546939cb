/**
 * Tokenisation shared by query analysis and reranking. It mirrors SQLite FTS5's `porter unicode61` tokenizer:
 * letters and digits make tokens, everything else separates them ("£2,278" -> "2", "278"), then Porter stems.
 */
import { stemmer } from "stemmer";

const tokenPattern = /[\p{L}\p{N}]+/gu;

export function words(text: string): string[] {
  return (text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "").match(tokenPattern) ?? []);
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

/** Words that carry no meaning for search: function words and question scaffolding. */
export const stopWords: ReadonlySet<string> = new Set(
  (
    "a an and are as at be been being but by can could did do does doing for from had has have having he her his how " +
    "i if in into is it its me my no nor not of on or our ours s she should so some such t than that the their them " +
    "then there these they this those through to too us very was we were what when where which while who whom whose " +
    "why will with would you your yours about above after again against all am any because before below between both " +
    "down during each few further here just more most off once only other out over own same under until up also may " +
    "many much tell give list show describe explain say said according says state stated states document documents " +
    "mentioned mention find know ve ll re"
  ).split(" "),
);

/** Content words of a text, stemmed, stop words removed. */
export function contentStems(text: string): string[] {
  return words(text)
    .filter((word) => !stopWords.has(word))
    .map(stem);
}
