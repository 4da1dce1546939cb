/**
 * Full text on the scorer's own stems for PostgreSQL. The store writes each passage's tsvector itself (no text
 * search configuration, no parser): the tokens `tokenize` finds, Porter-stemmed by `stemToken`, exactly the stems
 * SQLite's FTS5 indexes and the reranker scores. Queries are tsquery literals of the same stems (a phrase as
 * `<->`), so user text is never parsed as query syntax. Ranking is FTS5's bm25() computed in the search
 * statement (postgres-passages.ts): same IDF, same column weights, same passage lengths.
 */
import { readFileSync } from "node:fs";
import { parse } from "node:path";
import * as z from "zod";
import { passageContext, stemToken, tokenize } from "../passage-tokens.ts";
import { textSearchSettings, type TextSearchSettings } from "../sqlite-text-search.ts";
import type { TextQuery } from "../types.ts";

/** How a small library is ranked in the searching process (postgres-rank-here.ts; postgres-text-search.json says why). */
export interface RankHereSettings {
  /** Libraries of at most this many passages. */
  upTo: number;
  /** Only once the store has ranked this many times. */
  from: number;
  /** What one store keeps at most, in characters of passage text and tsvector. */
  characters: number;
}

/** postgres-text-search.json: PostgreSQL's own posting budget, and how a small library is ranked in process. */
const postgresSettings = z
  .object({
    postingBudget: z.number().int().positive(),
    postingBudgetShare: z.number().min(0).max(1),
    championFrom: z.number().int().positive(),
    rankHere: z.object({ upTo: z.number().int().min(0), from: z.number().int().min(0), characters: z.number().int().min(0) }),
  })
  .parse(JSON.parse(readFileSync(new URL("./postgres-text-search.json", import.meta.url), "utf8")));

/**
 * The shared search bounds (src/store/text-search.json) with PostgreSQL's own posting budget: its cost per
 * candidate is far above FTS5's, so it narrows to fewer candidates.
 */
export const postgresTextSearchSettings: TextSearchSettings = {
  ...textSearchSettings,
  postingBudget: postgresSettings.postingBudget,
  postingBudgetShare: postgresSettings.postingBudgetShare,
  championFrom: postgresSettings.championFrom,
};

export const postgresRankHereSettings: RankHereSettings = postgresSettings.rankHere;

/** BM25 column weights, as SQLite's searchText: a hit in the passage text counts more than one in its labels. */
export const contextWeight = 0.4;

/** tsvector positions run from 1 to 16383; PostgreSQL clamps larger ones. */
const lastPosition = 16_383;
/** PostgreSQL refuses lexemes of 2 KB or more; a token that long is not a word anyone searches for. */
const longestLexemeBytes = 2_000;

const needsEscape = /['\\]/;

function quoteLexeme(lexeme: string): string {
  return needsEscape.test(lexeme) ? `'${lexeme.replaceAll("\\", "\\\\").replaceAll("'", "''")}'` : `'${lexeme}'`;
}

function indexable(token: string): boolean {
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so a short token needs no byte count (most tokens of every passage).
  return token.length * 3 < longestLexemeBytes || Buffer.byteLength(token, "utf8") < longestLexemeBytes;
}

export interface PassageTerms {
  /** A tsvector literal: text stems at weight A, context stems at weight B after a one-position gap. */
  vector: string;
  /** The distinct stems (for the per-workspace stem counts). */
  stems: Set<string>;
  /** JSON objects {"stem": occurrences} for the text and for the context. */
  textCounts: string;
  contextCounts: string;
  /** Tokens in the text (statistics().averageLength). */
  textTokens: number;
  /** Tokens in text and context (FTS5's passage length for BM25). */
  indexedLength: number;
}

/** One stem of a passage while its terms are gathered: its tsvector positions and its occurrences per column. */
interface StemEntry {
  positions: string;
  listed: number;
  text: number;
  context: number;
}

/**
 * A passage's tsvector, stem set and per-column stem counts, in one pass over its tokens (this runs for every passage
 * written: at a million passages it was most of the writer's own CPU time, so it keeps one map and builds strings
 * as it goes).
 */
export function passageTerms(text: string, context: string): PassageTerms {
  const entries = new Map<string, StemEntry>();
  const add = (tokens: string[], first: number, weight: "A" | "B"): void => {
    const inText = weight === "A";
    for (let index = 0; index < tokens.length; index += 1) {
      const token = tokens[index]!;
      if (!indexable(token)) continue;
      const stem = stemToken(token);
      const position = Math.min(first + index, lastPosition);
      const entry = entries.get(stem);
      if (entry === undefined) {
        entries.set(stem, { positions: `${position}${weight}`, listed: 1, text: inText ? 1 : 0, context: inText ? 0 : 1 });
        continue;
      }
      if (inText) entry.text += 1;
      else entry.context += 1;
      // tsvector keeps at most 256 positions per lexeme.
      if (entry.listed < 256) {
        entry.positions += `,${position}${weight}`;
        entry.listed += 1;
      }
    }
  };
  const textTokens = tokenize(text);
  const contextTokens = tokenize(context);
  add(textTokens, 1, "A");
  add(contextTokens, textTokens.length + 2, "B");
  const vector: string[] = [];
  // Null-prototype objects: a stem is never taken for an inherited property.
  const textCounts: Record<string, number> = Object.create(null) as Record<string, number>;
  const contextCounts: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const [stem, entry] of entries) {
    vector.push(`${quoteLexeme(stem)}:${entry.positions}`);
    if (entry.text > 0) textCounts[stem] = entry.text;
    if (entry.context > 0) contextCounts[stem] = entry.context;
  }
  return {
    vector: vector.join(" "),
    stems: new Set(entries.keys()),
    textCounts: JSON.stringify(textCounts),
    contextCounts: JSON.stringify(contextCounts),
    textTokens: textTokens.length,
    indexedLength: textTokens.length + contextTokens.length,
  };
}

export function chunkContext(fileName: string, chunk: Parameters<typeof passageContext>[1]): string {
  return passageContext(parse(fileName).name, chunk);
}

export interface CompiledTextQuery {
  /** The tsquery literal: phrases OR-ed. */
  tsquery: string;
  /** Each phrase's stems, in query order, one entry per distinct phrase (as FTS5 sees `"a b" OR "c"`). */
  phrases: string[][];
}

/** One phrase as a tsquery literal; with a weight, only its occurrences at that weight (A: the text, B: the context). */
export function phraseQuery(stems: string[], weight?: "A" | "B"): string {
  return stems.map((stem) => (weight === undefined ? quoteLexeme(stem) : `${quoteLexeme(stem)}:${weight}`)).join(" <-> ");
}

/**
 * The query's phrases, deduplicated on their tokens before stemming as SQLite's buildMatchExpression does, so both
 * stores score the same phrase list. Null when nothing is left to match.
 */
export function compileTextQuery(terms: TextQuery["terms"]): CompiledTextQuery | null {
  const seen = new Set<string>();
  const phrases: string[][] = [];
  for (const term of terms) {
    const tokens = term.phrase.flatMap((word) => tokenize(String(word)));
    if (tokens.length === 0) continue;
    const key = tokens.join(" ");
    if (seen.has(key)) continue;
    seen.add(key);
    // A phrase holding an unindexable token matches nothing (its token is in no passage), as in FTS5.
    if (!tokens.every(indexable)) continue;
    phrases.push(tokens.map(stemToken));
  }
  if (phrases.length === 0) return null;
  return { tsquery: phrases.map((stems) => `(${phraseQuery(stems)})`).join(" | "), phrases };
}

/** FTS5's IDF: log((N - n + 0.5) / (n + 0.5)), floored at 1e-6 so a very common phrase still counts a little. */
export function inverseDocumentFrequency(passages: number, containing: number): number {
  const idf = Math.log((passages - containing + 0.5) / (containing + 0.5));
  return idf <= 0 ? 1e-6 : idf;
}
