/**
 * Full-text search and document frequencies for the SQLite store at any library size (issue 14).
 *
 * A search costs what its rarest terms cost, not what the library holds:
 * - The top k are taken inside the FTS5 index (rowid and bm25 only); only those k rows are joined to their chunk
 *   and document.
 * - A query whose terms are in more passages together than `postingBudget` is narrowed: its rarest terms, OR-ed,
 *   while their passages fit the budget; the rest of the candidates are a capped fill of passages that hold the
 *   commoner terms together (AND, rarest first, until the expected intersection fits the budget). FTS5 scores only
 *   the rows an expression yields, so an AND of common words is cheap where their OR is not.
 * - From `championFrom` passages (20,000) a search reads its rarest phrases within `championBudget` postings and
 *   takes every other phrase from its champion list (its best passages by its own bm25, kept per library version);
 *   the narrowed FTS5 statements above serve only settings that start champion lists later. A smaller library
 *   searches every term, exactly.
 * - A large library's rare side is summed from each rare phrase's kept list (every passage holding it with its own
 *   bm25, read once per library version: phrase-lists.ts), the same hits and scores as FTS5's OR without FTS5 scoring
 *   every match again; a phrase in too many passages for a list goes to FTS5 as before.
 * - Document frequencies are one indexed read of `term_passages` (stem -> passages holding it), kept in the same
 *   transaction as every write; a phrase is counted up to `phraseCountCap` and estimated past it.
 * - A search restricted to a few documents reads each document's own rowid range of the index; one restricted to
 *   many widens its in-index top k until enough of them belong to those documents.
 */
import { readFileSync } from "node:fs";
import type Database from "better-sqlite3";
import { stemmer } from "stemmer";
import * as z from "zod";
import type { TextQuery } from "./types.ts";
import { bestOfBoth, mergeRareAndFill, splitByBudget } from "./narrowed-merge.ts";
import { phraseOccurrences } from "./phrase-occurrences.ts";
import { listBlobs, listFromBlobs, listsPortable, topOfLists, type PhraseList } from "./phrase-lists.ts";

import { tokenize } from "./passage-tokens.ts";
import { StemPassageCounter } from "./passage-terms.ts";
import type { StemCounts } from "./passage-terms.ts";
import { keptStillHolds } from "./kept-freshness.ts";

export const textSearchSettings = z
  .object({
    postingBudget: z.number().int().positive(),
    fillShare: z.number().min(0).max(1),
    phraseCountCap: z.number().int().positive(),
    fewDocuments: z.number().int().nonnegative(),
    filteredRounds: z.number().int().nonnegative(),
    rankRareWithCommon: z.boolean(),
    narrowFrom: z.number().int().nonnegative(),
    postingBudgetShare: z.number().min(0).max(1),
    championFrom: z.number().int().nonnegative(),
    phraseWordCostShare: z.number().min(0),
    championSize: z.number().int().positive(),
    championStaleShare: z.number().min(0).max(1),
    scoreHereUpTo: z.number().int().nonnegative(),
    championBudgetShare: z.number().min(0).max(1),
    championBudget: z.number().int().positive(),
    sharedTopRows: z.number().int().nonnegative(),
    rareListRows: z.number().int().nonnegative(),
    rareListMemory: z.number().int().nonnegative(),
    shareMemorySets: z.number().int().nonnegative(),
    shareMemoryPassages: z.number().int().positive(),
  })
  .parse(JSON.parse(readFileSync(new URL("./text-search.json", import.meta.url), "utf8")));

export type TextSearchSettings = typeof textSearchSettings;

/** BM25 column weights for chunks_fts (text, context): a hit in the passage text counts more than in its labels. */
const textWeight = 1.0;
const contextWeight = 0.4;

export interface RankedChunk {
  chunkId: number;
  /** BM25 negated: higher is better. */
  score: number;
}

/** Tokens as FTS5's unicode61 tokenizer with remove_diacritics sees them (the store's own `tokenize`). */
const tokens = tokenize;

const stemCache = new Map<string, string>();

/** The Porter stem the index holds for a token (numbers as they are). */
export function indexStem(token: string): string {
  let stemmed = stemCache.get(token);
  if (stemmed === undefined) {
    stemmed = /^\p{N}+$/u.test(token) ? token : stemmer(token);
    if (stemCache.size >= 100_000) stemCache.clear();
    stemCache.set(token, stemmed);
  }
  return stemmed;
}

/** Each phrase as its tokens, once (quoted later for FTS5, so AND, NEAR, '*' and quotes in user text are plain words). */
function phrasesOf(terms: TextQuery["terms"]): string[][] {
  const phrases = new Map<string, string[]>();
  for (const term of terms) {
    const words = term.phrase.flatMap((word) => tokens(String(word)));
    if (words.length > 0) phrases.set(words.join(" "), words);
  }
  return [...phrases.values()];
}

/**
 * Once per stem sequence: "local authority" and "local authorities" are one phrase to the index (it matches stems),
 * so a narrowed query asks for it once rather than spend its budget twice.
 */
function distinctStems(phrases: string[][]): string[][] {
  const distinct = new Map<string, string[]>();
  for (const phrase of phrases) {
    const key = phrase.map(indexStem).join(" ");
    if (!distinct.has(key)) distinct.set(key, phrase);
  }
  return [...distinct.values()];
}

/** FTS5's bm25() constants (fts5_aux.c). */
const bm25K1 = 1.2;
const bm25B = 0.75;

/** SQLite's varints (big-endian groups of 7 bits, a ninth byte of 8), as FTS5 writes its averages record. */
function varints(block: Uint8Array): number[] {
  const values: number[] = [];
  let offset = 0;
  while (offset < block.length) {
    let value = 0;
    let index = 0;
    for (; index < 8 && offset + index < block.length; index++) {
      const byte = block[offset + index]!;
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) break;
    }
    if (index === 8) value = value * 256 + (block[offset + 8] ?? 0);
    offset += index + 1;
    values.push(value);
  }
  return values;
}

const quote = (phrase: string[]): string => `"${phrase.join(" ").replaceAll('"', '""')}"`;

/** Passage counts per stem, changed as passages are written and removed; saved inside the write's transaction. */
export class TermCounts {
  #counter = new StemPassageCounter();

  constructor(private readonly statements: TextSearchStatements) {}

  /** Counts in a passage; `textTokens`, when given, are `tokenize(text)` (the writer has them for the token count). */
  add(text: string, context: string, textTokens: readonly string[] = tokens(text)): void {
    this.#counter.countPassage(textTokens, context, 1);
  }

  /** Counts in passages counted elsewhere (`countPassageStems`, e.g. in the passage-terms worker). */
  addCounted(counted: StemCounts): void {
    this.#counter.addCounts(counted);
  }

  /** Counts out the passages of documents about to be deleted (call before the DELETE, in the same transaction). */
  removeDocuments(documentIds: number[]): void {
    for (const documentId of documentIds) {
      for (const row of this.statements.chunkTexts.iterate(documentId)) this.#counter.countPassage(tokens(row.text), row.context, -1);
    }
  }

  /** Counts out the versions of a document that `replaceDocument` is about to delete (same path or same bytes). */
  removeVersions(sourcePath: string, contentHash: string): void {
    this.removeDocuments(this.statements.versionIds.all(sourcePath, contentHash).map((row) => row.id));
  }

  /** Writes the changes, in the order their stems were first met, and starts afresh. */
  save(): void {
    const { stems, counts } = this.#counter.result();
    stems.forEach((stem, index) => {
      const change = counts[index] ?? 0;
      if (change === 0) return;
      this.statements.addToTerm.run(stem, change);
      if (change < 0) this.statements.dropEmptyTerm.run(stem);
    });
    this.#counter = new StemPassageCounter();
  }
}

function prepareStatements(database: Database.Database) {
  const rankColumn = `bm25(chunks_fts, ${textWeight}, ${contextWeight})`;
  return {
    chunkTexts: database.prepare<[number], { id: number; text: string; context: string }>("SELECT id, text, context FROM chunks WHERE document_id = ?"),
    chunkRowsById: database.prepare<[string], { id: number; text: string; context: string }>(
      "SELECT id, text, context FROM chunks WHERE id IN (SELECT value FROM json_each(?))",
    ),
    /** FTS5's averages record: its row count and each column's token total, as varints. */
    averages: database.prepare<[], { block: Buffer }>("SELECT block FROM chunks_fts_data WHERE id = 1"),
    versionIds: database.prepare<[string, string], { id: number }>("SELECT id FROM documents WHERE source_path = ? OR content_hash = ?"),
    addToTerm: database.prepare<[string, number]>(
      "INSERT INTO term_passages (stem, passages) VALUES (?, ?) ON CONFLICT (stem) DO UPDATE SET passages = passages + excluded.passages",
    ),
    dropEmptyTerm: database.prepare<[string]>("DELETE FROM term_passages WHERE stem = ? AND passages <= 0"),
    termPassages: database.prepare<[string], { passages: number }>("SELECT passages FROM term_passages WHERE stem = ?"),
    /** The first `cap` matches in rowid order: how many, and the last one's rowid. */
    phraseSample: database.prepare<[string, number], { n: number; last: number | null }>(
      "SELECT count(*) AS n, max(rowid) AS last FROM (SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rowid LIMIT ?)",
    ),
    // Two subqueries: SQLite answers a lone min() or max() from the primary key, but min() and max() together scan
    // the table (87 ms at 1M passages).
    idSpan: database.prepare<[], { first: number | null; last: number | null }>("SELECT (SELECT min(id) FROM chunks) AS first, (SELECT max(id) FROM chunks) AS last"),
    libraryVersion: database.prepare<[], { version: number }>("SELECT version FROM library_version WHERE id = 1"),
    champion: database.prepare<[string], { library_version: number; passages: number; hits: string }>(
      "SELECT library_version, passages, hits FROM phrase_champions WHERE phrase = ?",
    ),
    storedPhrase: database.prepare<[string], { library_version: number; library_passages: number; passages: number }>(
      "SELECT library_version, library_passages, passages FROM phrase_passages WHERE phrase = ?",
    ),
    savePhrase: database.prepare<[string, number, number, number]>(
      "INSERT INTO phrase_passages (phrase, library_version, library_passages, passages) VALUES (?, ?, ?, ?) ON CONFLICT (phrase) DO UPDATE SET library_version = excluded.library_version, library_passages = excluded.library_passages, passages = excluded.passages",
    ),
    saveChampion: database.prepare<[string, number, number, string]>(
      "INSERT INTO phrase_champions (phrase, library_version, passages, hits) VALUES (?, ?, ?, ?) ON CONFLICT (phrase) DO UPDATE SET library_version = excluded.library_version, passages = excluded.passages, hits = excluded.hits",
    ),
    /** Every passage holding one phrase with its own bm25, in rowid order (a rare phrase's list; `LIMIT` past the cap). */
    phraseRows: database
      .prepare<[string, number], [number, number]>(`SELECT rowid, ${rankColumn} FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rowid LIMIT ?`)
      .raw(true),
    storedList: database.prepare<[string], { library_version: number; passages: number; ids: Buffer; scores: Buffer }>(
      "SELECT library_version, passages, ids, scores FROM phrase_postings WHERE phrase = ?",
    ),
    saveList: database.prepare<[string, number, number, Buffer, Buffer]>(
      "INSERT INTO phrase_postings (phrase, library_version, passages, ids, scores) VALUES (?, ?, ?, ?, ?) ON CONFLICT (phrase) DO UPDATE SET library_version = excluded.library_version, passages = excluded.passages, ids = excluded.ids, scores = excluded.scores",
    ),
    topInIndex: database.prepare<[string, number], { id: number; rank_value: number }>(
      `SELECT rowid AS id, ${rankColumn} AS rank_value FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank_value, rowid LIMIT ?`,
    ),
    topInRange: database.prepare<[string, number, number, number], { id: number; rank_value: number }>(
      `SELECT rowid AS id, ${rankColumn} AS rank_value FROM chunks_fts WHERE chunks_fts MATCH ? AND rowid BETWEEN ? AND ?
        ORDER BY rank_value, rowid LIMIT ?`,
    ),
    documentRange: database.prepare<[number], { first: number | null; last: number | null }>(
      "SELECT min(id) AS first, max(id) AS last FROM chunks WHERE document_id = ?",
    ),
    documentCount: database.prepare<[], { n: number }>("SELECT count(*) AS n FROM documents"),
    allDocumentIds: database.prepare<[], { id: number }>("SELECT id FROM documents"),
    documentsOf: database.prepare<[string], { id: number; document_id: number }>(
      "SELECT id, document_id FROM chunks WHERE id IN (SELECT value FROM json_each(?))",
    ),
    /** Every match joined to its chunk, filtered by document: exact, and as slow as the matches are many. */
    topInDocuments: database.prepare<[string, string, number], { id: number; rank_value: number }>(
      `SELECT c.id AS id, ${rankColumn} AS rank_value FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid
        WHERE chunks_fts MATCH ? AND c.document_id IN (SELECT value FROM json_each(?)) ORDER BY rank_value, c.id LIMIT ?`,
    ),
  };
}

export type TextSearchStatements = ReturnType<typeof prepareStatements>;

export interface SqliteTextSearch {
  /** Candidates for a query, best first (see the module comment for how the work is bounded). */
  search(query: TextQuery, passageCount: number): RankedChunk[];
  /** Passages holding each term: one token from `term_passages`, a phrase counted (estimated past the cap). */
  documentFrequencies(terms: string[], passageCount: number): Map<string, number>;
  /** A fresh set of count changes for one write transaction. */
  termCounts(): TermCounts;
}

export function createSqliteTextSearch(database: Database.Database, settings: TextSearchSettings = textSearchSettings): SqliteTextSearch {
  const statements = prepareStatements(database);

  const stemPassages = (token: string): number => statements.termPassages.get(indexStem(token))?.passages ?? 0;

  // Phrase counts take an index read each; answers ask for the same phrases their search then weighs, so they are
  // kept until this connection writes or the library's passage count moves (another process wrote).
  let phraseCache: { key: string; counts: Map<string, number> } = { key: "", counts: new Map() };
  let generation = 0;
  const phrasePassages = (phrase: string[], passageCount: number): number => {
    const key = `${passageCount}:${generation}`;
    if (phraseCache.key !== key || phraseCache.counts.size >= 10_000) phraseCache = { key, counts: new Map() };
    const text = phrase.join(" ");
    let count = phraseCache.counts.get(text);
    if (count === undefined) {
      count = passageCount >= settings.championFrom ? storedCount(phrase, passageCount) : countPhrase(phrase, passageCount);
      phraseCache.counts.set(text, count);
    }
    return count;
  };

  /**
   * Keeps what a search learnt (a phrase's count, its list, its champions) without waiting for another connection's
   * write: with the connection's busy_timeout (5 s) a question asked while an upload is being written would stall
   * behind it, once per phrase, and what is kept is only a saving (counted or read again next time).
   */
  const keepWithoutWaiting = (write: () => void): void => {
    const timeout = Number(database.pragma("busy_timeout", { simple: true }));
    if (timeout !== 0) database.pragma("busy_timeout = 0");
    try {
      write();
    } catch {
      // Busy (another connection is writing) or read-only: kept in memory only.
    } finally {
      if (timeout !== 0) database.pragma(`busy_timeout = ${timeout}`);
    }
  };

  /** Whether a value kept for the library at `kept` still holds (kept-freshness.ts): phrase counts and champion lists. */
  const fresh = (kept: { version: number; passages: number }, version: number, passageCount: number): boolean =>
    keptStillHolds(kept.version, kept.passages, version, passageCount, settings.championStaleShare);

  /**
   * A large library keeps its phrase counts in `phrase_passages` (a count reads the words' position lists: 10-140 ms
   * at 1M passages), reused as champion lists are: same library version, or a passage count within the stale share.
   */
  const storedCount = (phrase: string[], passageCount: number): number => {
    const key = phrase.map(indexStem).join(" ");
    const version = statements.libraryVersion.get()?.version ?? 0;
    const stored = statements.storedPhrase.get(key);
    if (stored !== undefined && fresh({ version: stored.library_version, passages: stored.library_passages }, version, passageCount)) return stored.passages;
    const count = countPhrase(phrase, passageCount);
    // Read-only or busy: counted again next time.
    keepWithoutWaiting(() => statements.savePhrase.run(key, version, passageCount, count));
    return count;
  };

  const countPhrase = (phrase: string[], passageCount: number): number => {
    const sample = statements.phraseSample.get(quote(phrase), settings.phraseCountCap);
    const found = sample?.n ?? 0;
    if (found < settings.phraseCountCap || sample?.last === null || sample?.last === undefined) return found;
    // Past the cap, the share of the id span the first `cap` matches took says how common the phrase is.
    const span = statements.idSpan.get();
    const first = span?.first ?? 1;
    const covered = Math.max(1, sample.last - first + 1);
    const whole = Math.max(covered, (span?.last ?? sample.last) - first + 1);
    return Math.min(passageCount, Math.round((found * whole) / covered));
  };

  /** Passages holding a phrase: a word's from the table; a phrase counted, or bounded by its rarest word when that is rare. */
  const phraseBound = (phrase: string[], passageCount: number): number => {
    const rarest = Math.min(...phrase.map(stemPassages));
    return phrase.length === 1 || rarest <= settings.phraseCountCap ? rarest : phrasePassages(phrase, passageCount);
  };

  // One statement per number of ranges: bm25() reads every match of each phrase for its IDF once per statement, so
  // ranges searched one by one paid it once each (the data-set fallback's six ranges: six times).
  const inRangesStatements = new Map<number, Database.Statement<unknown[], { id: number; rank_value: number }>>();
  const topInRanges = (expression: string, limit: number, ranges: [number, number][]): { id: number; rank_value: number }[] => {
    let statement = inRangesStatements.get(ranges.length);
    if (statement === undefined) {
      const between = ranges.map(() => "rowid BETWEEN ? AND ?").join(" OR ");
      statement = database.prepare<unknown[], { id: number; rank_value: number }>(
        `SELECT rowid AS id, bm25(chunks_fts, ${textWeight}, ${contextWeight}) AS rank_value FROM chunks_fts WHERE chunks_fts MATCH ? AND (${between})
          ORDER BY rank_value, rowid LIMIT ?`,
      );
      inRangesStatements.set(ranges.length, statement);
    }
    return statement.all(expression, ...ranges.flat(), limit);
  };

  /** The top k of an expression inside the index, over the whole library or over rowid ranges of it. */
  const top = (expression: string, limit: number, ranges?: [number, number][]): RankedChunk[] => {
    if (ranges === undefined) return statements.topInIndex.all(expression, limit).map((row) => ({ chunkId: row.id, score: -row.rank_value }));
    if (ranges.length === 0) return [];
    if (ranges.length === 1) return statements.topInRange.all(expression, ranges[0]![0], ranges[0]![1], limit).map((row) => ({ chunkId: row.id, score: -row.rank_value }));
    return topInRanges(expression, limit, ranges).map((row) => ({ chunkId: row.id, score: -row.rank_value }));
  };

  /**
   * A large library's question reads its rare side once: the unrestricted top k is fetched `sharedTopRows` deep
   * (when k is fewer) and kept (the last few expressions), and the question's data-set or prose fallback, which asks again for
   * the same expression over rowid ranges, takes the first k in-range entries of that list when it holds k of them or
   * every match. Exact: a row's bm25() does not depend on the rows a range keeps (each phrase's IDF is read over the
   * whole index), and the list is a prefix of FTS5's own order (rank, then rowid). A second statement cost the same
   * 20-80 ms as the first; fetching 1,000 rows rather than 200 adds about a tenth to it.
   */
  let sharedTops: { key: string; depth: number; hits: RankedChunk[] }[] = [];
  const sharedTop = (expression: string, limit: number, ranges?: [number, number][]): RankedChunk[] => {
    const key = `${statements.libraryVersion.get()?.version ?? 0}:${generation}:${expression}`;
    const kept = sharedTops.find((entry) => entry.key === key);
    if (ranges === undefined) {
      if (kept !== undefined && (kept.depth >= limit || kept.hits.length < kept.depth)) return kept.hits.slice(0, limit);
      const depth = Math.max(limit, settings.sharedTopRows);
      const hits = top(expression, depth);
      sharedTops = [{ key, depth, hits }, ...sharedTops.filter((entry) => entry.key !== key)].slice(0, 4);
      return hits.slice(0, limit);
    }
    if (kept !== undefined) {
      const inRanges = kept.hits.filter((hit) => ranges.some(([first, last]) => hit.chunkId >= first && hit.chunkId <= last));
      if (inRanges.length >= limit || kept.hits.length < kept.depth) return inRanges.slice(0, limit);
    }
    return top(expression, limit, ranges);
  };

  /**
   * A rare phrase's list (phrase-lists.ts): every passage holding it with its own bm25, read from FTS5 once per library
   * version and kept in `phrase_postings` and in memory; null when it holds more than `rareListRows` passages.
   * Exact only at the version it was read at, so any change to the library reads it again.
   */
  let listMemory = new Map<string, { version: number; list: PhraseList | null }>();
  let listMemoryRows = 0;
  const phraseList = (phrase: string[], version: number): PhraseList | null => {
    const key = phrase.map(indexStem).join(" ");
    const remembered = listMemory.get(key);
    if (remembered !== undefined && remembered.version === version) return remembered.list;
    let list: PhraseList | null | undefined;
    const stored = statements.storedList.get(key);
    if (stored !== undefined && stored.library_version === version) {
      // A list too long to keep is kept as its count with no postings, so another process need not read it again.
      list = listFromBlobs(stored.ids, stored.scores) ?? undefined;
      if (list !== undefined && (list.ids.length !== stored.passages || list.ids.length > settings.rareListRows)) list = null;
    }
    if (list === undefined) {
      const rows = statements.phraseRows.all(quote(phrase), settings.rareListRows + 1);
      const tooLong = rows.length > settings.rareListRows;
      list = tooLong ? null : { ids: Float64Array.from(rows, (row) => row[0]), scores: Float64Array.from(rows, (row) => -row[1]) };
      const blobs = list === null ? { ids: Buffer.alloc(0), scores: Buffer.alloc(0) } : listBlobs(list);
      // A read-only or busy library keeps the list in memory only.
      keepWithoutWaiting(() => statements.saveList.run(key, version, rows.length, blobs.ids, blobs.scores));
    }
    const rows = list?.ids.length ?? 0;
    if (listMemoryRows + rows > settings.rareListMemory) {
      listMemory = new Map();
      listMemoryRows = 0;
    }
    listMemory.set(key, { version, list });
    listMemoryRows += rows;
    return list;
  };

  /**
   * A large library's rare side: the top k of the OR of `phrases` (over `ranges` when given), summed from the phrases'
   * lists when each is short enough to keep (the same hits and scores as FTS5's statement, bit for bit: phrase-lists.ts),
   * else FTS5's statement through the shared read.
   */
  const rareSide = (phrases: string[][], limit: number, ranges?: [number, number][]): RankedChunk[] => {
    if (settings.rareListRows > 0 && listsPortable) {
      const version = statements.libraryVersion.get()?.version ?? 0;
      const lists: PhraseList[] = [];
      for (const phrase of phrases) {
        const list = phraseList(phrase, version);
        if (list === null) break;
        lists.push(list);
      }
      if (lists.length === phrases.length) return topOfLists(lists, limit, ranges);
    }
    return sharedTop(phrases.map(quote).join(" OR "), limit, ranges);
  };

  // Champion lists: a common phrase's best `championSize` passages by its own BM25 (its exact share of an OR's score),
  // kept in `phrase_champions` with the library version they were computed at, and in memory.
  let championMemory = new Map<string, { version: number; passages: number; hits: RankedChunk[] }>();
  const champions = (phrase: string[], passageCount: number): RankedChunk[] => {
    const key = phrase.map(indexStem).join(" ");
    const version = statements.libraryVersion.get()?.version ?? 0;
    const remembered = championMemory.get(key);
    if (remembered !== undefined && fresh(remembered, version, passageCount)) return remembered.hits;
    let hits: RankedChunk[] | undefined;
    const stored = statements.champion.get(key);
    if (stored !== undefined && fresh({ version: stored.library_version, passages: stored.passages }, version, passageCount)) {
      try {
        hits = (JSON.parse(stored.hits) as [number, number][]).map(([chunkId, score]) => ({ chunkId, score }));
      } catch {
        hits = undefined;
      }
    }
    if (hits === undefined) {
      hits = top(quote(phrase), settings.championSize);
      const kept = hits.map((hit) => [hit.chunkId, hit.score]);
      // A read-only or busy library keeps the list in memory only; the next process computes it again.
      keepWithoutWaiting(() => statements.saveChampion.run(key, version, passageCount, JSON.stringify(kept)));
    }
    if (championMemory.size >= 5_000) championMemory = new Map();
    championMemory.set(key, { version, passages: passageCount, hits });
    return hits;
  };

  /**
   * What FTS5 reads to evaluate a phrase: a word's passages; for several words a share of all their position lists
   * (it joins them, however few passages hold the phrase), at least the phrase's own passages. Counting a phrase of
   * common words is skipped when its words alone are past the budget.
   */
  const phraseCost = (phrase: string[], passageCount: number, budget: number): number => {
    if (phrase.length === 1) return stemPassages(phrase[0]!);
    const words = settings.phraseWordCostShare * phrase.reduce((sum, word) => sum + stemPassages(word), 0);
    return words > budget ? Math.round(words) : Math.max(Math.round(words), phraseBound(phrase, passageCount));
  };

  /**
   * A large library: the phrases FTS5 can evaluate within the budget (rarest first by what they cost to read), OR-ed;
   * every other phrase from its champion list. A rare passage's score gains the common phrases' scores where it is
   * among their champions; the fill is the passages best in the common phrases' champion lists together.
   */
  const searchWithChampions = (phrases: string[][], limit: number, passageCount: number, budget: number, ranges?: [number, number][]): RankedChunk[] => {
    const costed = distinctStems(phrases)
      .map((phrase) => ({ phrase, passages: phraseCost(phrase, passageCount, budget) }))
      .sort((left, right) => left.passages - right.passages);
    const { rare, common } = splitByBudget(costed, budget, passageCount);
    const inRanges = (chunkId: number): boolean => ranges === undefined || ranges.some(([first, last]) => chunkId >= first && chunkId <= last);
    const commonScores = new Map<number, number>();
    for (const entry of common) {
      for (const hit of champions(entry.phrase, passageCount)) {
        if (inRanges(hit.chunkId)) commonScores.set(hit.chunkId, (commonScores.get(hit.chunkId) ?? 0) + hit.score);
      }
    }
    const byScore = (left: RankedChunk, right: RankedChunk): number => right.score - left.score || left.chunkId - right.chunkId;
    // The rare terms' passages gain the common phrases' share of their score, computed here on their own texts (the
    // few hundred passages the rare query kept), so they rank as the whole OR would rank them.
    let rareHits = rare.length > 0 ? rareSide(rare, limit, ranges) : [];
    if (rareHits.length > 0 && common.length > 0) {
      const shares = commonShares(
        common.map((entry) => entry.phrase),
        passageCount,
      );
      const unknown = rareHits.filter((hit) => !shares.values.has(hit.chunkId)).map((hit) => hit.chunkId);
      if (unknown.length > 0) for (const row of statements.chunkRowsById.all(JSON.stringify(unknown))) shares.values.set(row.id, shares.score(row));
      rareHits = rareHits.map((hit) => ({ chunkId: hit.chunkId, score: hit.score + (shares.values.get(hit.chunkId) ?? 0) }));
    }
    rareHits.sort(byScore);
    const fillHits = [...commonScores]
      .map(([chunkId, score]) => ({ chunkId, score }))
      .sort(byScore)
      .slice(0, limit);
    return mergeRareAndFill(rareHits, fillHits, limit, settings.fillShare);
  };

  /**
   * The candidate set of an unrestricted query, bounded by the posting budget: every phrase OR-ed when they fit it,
   * else the rarest phrases OR-ed and a fill of passages holding the commoner ones together.
   */
  const searchLibrary = (phrases: string[][], limit: number, passageCount: number, ranges?: [number, number][]): RankedChunk[] => {
    if (passageCount >= settings.championFrom) {
      // The common phrases no longer cost their FTS5 reads (champion lists), so the budget can be tighter.
      const budget = Math.max(settings.championBudget, Math.round(settings.championBudgetShare * passageCount));
      const cost = phrases.reduce((sum, phrase) => sum + phraseCost(phrase, passageCount, budget), 0);
      return cost <= budget ? rareSide(phrases, limit, ranges) : searchWithChampions(phrases, limit, passageCount, budget, ranges);
    }
    // A phrase counted 0 stays: a word the counts missed is still searched, and one truly absent costs nothing.
    const counted = phrases.map((phrase) => ({ phrase, passages: phraseBound(phrase, passageCount) }));
    const total = counted.reduce((sum, entry) => sum + entry.passages, 0);
    // The budget grows slowly with the library (a share of its passages), so a very large library keeps more terms.
    const budget = Math.max(settings.postingBudget, Math.round(settings.postingBudgetShare * passageCount));
    // A small library is searched on every term: each query there is cheap, and it keeps its ranking exactly.
    if (total <= budget || passageCount < settings.narrowFrom) return top(counted.map((entry) => quote(entry.phrase)).join(" OR "), limit, ranges);

    const distinct = new Set(distinctStems(phrases));
    counted.splice(0, counted.length, ...counted.filter((entry) => distinct.has(entry.phrase)));
    counted.sort((left, right) => left.passages - right.passages);
    const { rare, common, together } = splitByBudget(counted, budget, passageCount);
    // The rare terms' passages, ranked on their own and again with the common terms they also hold (FTS5 scores every
    // phrase an AND matches, and the AND reads no more passages than the rare side has): a passage holding a rare
    // name and the question's common words ranks as the full OR would rank it.
    const rareExpression = rare.map(quote).join(" OR ");
    const rareRanked = rare.length > 0 ? top(rareExpression, limit, ranges) : [];
    const rareHits =
      settings.rankRareWithCommon && rare.length > 0 && common.length > 0
        ? bestOfBoth(rareRanked, top(`(${rareExpression}) AND (${common.map((entry) => quote(entry.phrase)).join(" OR ")})`, limit, ranges))
        : rareRanked;
    const fillHits =
      together.length >= 2 ? top(together.map(quote).join(" AND "), limit, ranges) : rare.length === 0 ? top(quote(common[0]!.phrase), limit, ranges) : [];
    return mergeRareAndFill(rareHits, fillHits, limit, settings.fillShare);
  };

  /**
   * BM25 as FTS5's bm25() computes it (k1 1.2, b 0.75, each phrase's hits weighted by column, FTS5's own average
   * row length), over a few documents' passages read and tokenized here. FTS5 evaluates a phrase of common words
   * by joining their whole position lists, however few rows a rowid range keeps (a 300-row range costs as much as
   * the library: 90-290 ms a phrase at 1M passages), and bm25() reads every match of each phrase for its IDF. Here a
   * phrase's IDF comes from the counts (a word's from term_passages, a phrase's counted once and cached).
   */
  /**
   * The common phrases' share of passages' scores (scorerHere), remembered per phrase set while the library and this
   * connection's writes stay as they are: a question's fallback over rowid ranges rescores mostly the passages its
   * unrestricted search just rescored, and an answer runs its question's searches again.
   */
  let shareMemory: { key: string; score: (row: { text: string; context: string }) => number; values: Map<number, number> }[] = [];
  const commonShares = (phrases: string[][], passageCount: number): { score: (row: { text: string; context: string }) => number; values: Map<number, number> } => {
    const key = `${statements.libraryVersion.get()?.version ?? 0}:${generation}:${passageCount}:${phrases.map((phrase) => phrase.map(indexStem).join(" ")).join("|")}`;
    let entry = shareMemory.find((kept) => kept.key === key);
    if (entry === undefined || entry.values.size >= settings.shareMemoryPassages) {
      entry = { key, score: scorerHere(phrases, passageCount), values: new Map() };
      shareMemory = [entry, ...shareMemory.filter((kept) => kept.key !== key)].slice(0, settings.shareMemorySets);
    }
    return entry;
  };

  const scorerHere = (phrases: string[][], passageCount: number): ((row: { text: string; context: string }) => number) => {
    const block = statements.averages.get()?.block;
    const [rows = passageCount, ...columnTokens] = block === undefined ? [] : varints(block);
    const averageLength = Math.max(1, columnTokens.reduce((sum, total) => sum + total, 0) / Math.max(1, rows));
    const weighted = phrases.map((phrase) => {
      const holding = phrase.length === 1 ? stemPassages(phrase[0]!) : phrasePassages(phrase, passageCount);
      const idf = Math.log((rows - holding + 0.5) / (holding + 0.5));
      return { stems: phrase.map(indexStem), idf: idf > 0 ? idf : 1e-6 };
    });
    const occurrencesIn = phraseOccurrences(
      weighted.map((phrase) => phrase.stems),
      indexStem,
    );
    return (row) => {
      const found = occurrencesIn(row.text, row.context);
      const length = found.textLength + found.contextLength;
      let score = 0;
      weighted.forEach((phrase, index) => {
        const frequency = found.text[index]! * textWeight + found.context[index]! * contextWeight;
        if (frequency > 0) score += (phrase.idf * (frequency * (bm25K1 + 1))) / (frequency + bm25K1 * (1 - bm25B + (bm25B * length) / averageLength));
      });
      return score;
    };
  };

  const scoreHere = (phrases: string[][], limit: number, documentIds: Iterable<number>, passageCount: number): RankedChunk[] => {
    const score = scorerHere(phrases, passageCount);
    const hits: RankedChunk[] = [];
    for (const documentId of documentIds) {
      for (const row of statements.chunkTexts.iterate(documentId)) {
        const value = score(row);
        if (value > 0) hits.push({ chunkId: row.id, score: value });
      }
    }
    return hits.sort((left, right) => right.score - left.score || left.chunkId - right.chunkId).slice(0, limit);
  };

  const searchDocuments = (phrases: string[][], limit: number, documentIds: number[], passageCount: number): RankedChunk[] => {
    const expression = phrases.map(quote).join(" OR ");
    const wanted = new Set(documentIds);
    if (wanted.size <= settings.fewDocuments) {
      // A document's passages are written in one transaction, so its chunk ids are one contiguous range.
      const ranges = [...wanted]
        .map((documentId) => statements.documentRange.get(documentId))
        .filter((range): range is { first: number; last: number } => range?.first !== null && range?.first !== undefined && range.last !== null)
        .map((range): [number, number] => [range.first, range.last])
        .sort((left, right) => left[0] - right[0]);
      const large = passageCount >= settings.championFrom;
      // A large library: a few documents' passages scored here cost what those documents hold, not what the library does.
      if (large && ranges.reduce((sum, [first, last]) => sum + last - first + 1, 0) <= settings.scoreHereUpTo) return scoreHere(phrases, limit, wanted, passageCount);
      // Their ranges in one statement, not one whole OR per document: bm25() reads every match of each phrase for its
      // IDF once per statement. A large library's go through its bounded search (four data sets named by a council
      // cost 4-6 s a question at 1M passages as one OR each).
      const hits = large ? searchLibrary(phrases, limit, passageCount, ranges) : top(expression, limit, ranges);
      const owners = new Map(statements.documentsOf.all(JSON.stringify(hits.map((hit) => hit.chunkId))).map((row) => [row.id, row.document_id]));
      return hits.filter((hit) => wanted.has(owners.get(hit.chunkId) ?? -1));
    }
    // All but a few documents (every prose document, leaving out a few data sets of thousands of rows): the rowid
    // ranges between the left-out documents, searched as the whole library is.
    const documentCount = statements.documentCount.get()?.n ?? 0;
    if (documentCount - wanted.size <= settings.fewDocuments) {
      const left = statements.allDocumentIds.all().filter((row) => !wanted.has(row.id));
      const excluded = left
        .map((row) => statements.documentRange.get(row.id))
        .filter((range): range is { first: number; last: number } => range?.first !== null && range?.first !== undefined && range.last !== null)
        .sort((a, b) => a.first - b.first);
      const ranges: [number, number][] = [];
      let from = 0;
      for (const range of excluded) {
        if (range.first - 1 >= from) ranges.push([from, range.first - 1]);
        from = Math.max(from, range.last + 1);
      }
      ranges.push([from, Number.MAX_SAFE_INTEGER]);
      const hits = searchLibrary(phrases, limit, passageCount, ranges);
      const owners = new Map(statements.documentsOf.all(JSON.stringify(hits.map((hit) => hit.chunkId))).map((row) => [row.id, row.document_id]));
      return hits.filter((hit) => wanted.has(owners.get(hit.chunkId) ?? -1));
    }
    // Many documents, many left out: widen the in-index top k until enough are theirs.
    let width = limit * 4;
    for (let round = 0; round < settings.filteredRounds; round++) {
      const hits = searchLibrary(phrases, width, passageCount);
      const owners = new Map(statements.documentsOf.all(JSON.stringify(hits.map((hit) => hit.chunkId))).map((row) => [row.id, row.document_id]));
      const theirs = hits.filter((hit) => wanted.has(owners.get(hit.chunkId) ?? -1));
      if (theirs.length >= limit || hits.length < width) return theirs.slice(0, limit);
      width *= 4;
    }
    return statements.topInDocuments.all(expression, JSON.stringify([...wanted]), limit).map((row) => ({ chunkId: row.id, score: -row.rank_value }));
  };

  return {
    search(query, passageCount) {
      const limit = Math.floor(Number(query.limit));
      if (!Number.isFinite(limit) || limit <= 0) return [];
      const phrases = phrasesOf(query.terms);
      if (phrases.length === 0) return [];
      if (query.documentIds !== undefined) {
        if (query.documentIds.length === 0) return [];
        return searchDocuments(phrases, limit, query.documentIds.map(Number), passageCount);
      }
      return searchLibrary(phrases, limit, passageCount);
    },

    documentFrequencies(terms, passageCount) {
      const frequencies = new Map<string, number>();
      for (const term of terms) {
        const words = tokens(term);
        frequencies.set(term, words.length === 0 ? 0 : words.length === 1 ? stemPassages(words[0]!) : phrasePassages(words, passageCount));
      }
      return frequencies;
    },

    termCounts: () => {
      generation++;
      return new TermCounts(statements);
    },
  };
}
