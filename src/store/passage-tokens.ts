/**
 * Passage tokens as the full-text index sees them, shared by every store (SQLite's FTS5 `porter unicode61
 * remove_diacritics 2`, PostgreSQL's tsvector built from the same stems) without loading either database driver.
 * src/retrieval/tokenize.ts produces the same stems for the scorer, so counts and candidates agree everywhere.
 */
import { stemmer } from "stemmer";
import type { Chunk } from "../chunking/types.ts";
import { onlySeparatorsBeyondAscii } from "./word-separators.ts";

const wordPattern = /[\p{L}\p{N}\p{Co}]+/gu;
const asciiWordPattern = /[A-Za-z0-9]+/g;
const digitsOnly = /^\p{N}+$/u;
const beyondAscii = /[\x80-\uffff]/g;

/** Tokens as unicode61 with remove_diacritics sees them (close enough for counts and vocabulary lookups). */
export function tokenize(text: string): string[] {
  // Text whose words are plain ASCII (most of an English library, curly quotes, dashes and bullets included) has no
  // marks to fold: the same tokens without the Unicode passes (src/store/word-separators.ts).
  // (Separators as spaces: a one-byte string, whose tokens are one-byte strings, faster to match and look up.)
  if (onlySeparatorsBeyondAscii(text)) return text.replace(beyondAscii, " ").toLowerCase().match(asciiWordPattern) ?? [];
  const folded = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  return folded.match(wordPattern) ?? [];
}

/** tokenize(text).length, without the Unicode work for plain ASCII text (most of an English library). */
export function countTokens(text: string): number {
  if (!onlySeparatorsBeyondAscii(text)) return tokenize(text).length;
  // The runs of ASCII letters and digits (what asciiWordPattern matches), counted without building them: a passage
  // write counts every passage's tokens on the critical path of a long document's ingest.
  let count = 0;
  let inWord = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const isWord = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    if (isWord && !inWord) count++;
    inWord = isWord;
  }
  return count;
}

const stemCache = new Map<string, string>();

/** A token's Porter stem as the index holds it; numbers are kept as written ("2022" stays "2022"). */
export function stemToken(token: string): string {
  let stemmed = stemCache.get(token);
  if (stemmed === undefined) {
    stemmed = digitsOnly.test(token) ? token : stemmer(token);
    if (stemCache.size > 50_000) stemCache.clear();
    stemCache.set(token, stemmed);
  }
  return stemmed;
}

/** The labels a passage is found by besides its text: file name without extension, headings, section. */
export function passageContext(documentName: string, chunk: Pick<Chunk, "headingPath" | "section">): string {
  const parts = [documentName, ...chunk.headingPath, chunk.section ?? ""].map((part) => part.trim());
  return [...new Set(parts.filter((part) => part.length > 0))].join(" › ");
}
