/**
 * Full-text search of a large PostgreSQL library (issue 14): its cost follows the question's rare terms, not the
 * library's size.
 *
 * Past `championFrom` passages a search never asks GIN for positions. A phrase query (`'look' <-> 'after'`) is found
 * by GIN as the AND of its words, then every passage holding those words has its tsvector read to test the
 * positions (at 795k passages: 270,146 passages rechecked for 2,046 matches, seconds of server CPU). A query of
 * plain lexemes, an OR of ANDs, GIN answers exactly: no recheck, no tsvector read. So:
 * - Candidates: the phrases whose rarest word is in few passages (rarest first, while they fit `rareCandidates`),
 *   each as the AND of its words, OR-ed: one exact GIN lookup returning ids.
 * - Every other phrase through its champion list: its `championSize` best passages by its own BM25, computed once
 *   per library state and kept in `library_phrase_champions` (with the phrase's exact passage count, its IDF), read
 *   as one row per phrase. Kept while the library's passage count moves by less than `championStaleShare`, as the
 *   SQLite store keeps its own (src/store/sqlite-text-search.ts).
 * - Scoring: the rare candidates and the common phrases' best champions together (a few hundred passages) are
 *   scored exactly on every phrase, FTS5's bm25() as the ranking statement computes it: per candidate, the stem counts
 *   and one phrase test per column read from its own row, a phrase counted from positions only where its rarest
 *   word occurs more than once. The two sides are merged as the SQLite store merges them (the rare side keeps most
 *   places, the fill its share).
 * - Round trips: the counts (with the kept champion lists read beside them on another connection), one statement
 *   that finds every candidate (the rare side through GIN, the fill by id, a restricted search's own passages) and
 *   reads its scoring inputs (`candidateStatement`), then the passages' text: three for a warm search. Each round
 *   trip on a loaded machine costs a wake-up on both sides, often more than the statement itself.
 */
import { readFileSync } from "node:fs";
import * as z from "zod";
import type { TextSearchSettings } from "../sqlite-text-search.ts";
import { mergeRareAndFill, splitByBudget } from "../narrowed-merge.ts";
import { contextWeight, inverseDocumentFrequency, phraseQuery } from "./postgres-text-search.ts";
import type { Bigint } from "./postgres-rows.ts";
import type { WorkspaceQueries } from "./workspace-queries.ts";
import { keptStillHolds } from "../kept-freshness.ts";
import { listedPassages } from "./postgres-document-stems.ts";

export const championSearchSettings = z
  .object({
    rareCandidates: z.number().int().positive(),
    fillCandidates: z.number().int().nonnegative(),
    scanDocumentsUpTo: z.number().int().nonnegative(),
    restrictedFillCandidates: z.number().int().nonnegative(),
    restrictedOwnCandidates: z.number().int().nonnegative(),
    listStemsFrom: z.number().int().positive(),
  })
  .parse(JSON.parse(readFileSync(new URL("./postgres-champion-search.json", import.meta.url), "utf8")));

export type ChampionSearchSettings = typeof championSearchSettings;

export interface LibraryState {
  chunkCount: number;
  indexedTokens: number;
  /** The statistics row's passage generation: moved by every write of passages. */
  generation: number;
}

export interface ScoredHit {
  chunkId: number;
  score: number;
}

/**
 * A champion list's ids and strengths as the server sends them: as text ("17,4,9"), split here. As arrays (bigint[],
 * float8[]) pg's generic array parser read them a character at a time: hundreds of numbers per list, several lists per
 * search, about 3 ms of a search's Node CPU at 1M passages. An element's text is the same in the list as in the array
 * (both are float8's and bigint's own output), so the numbers read are the same.
 */
export function listsAsText(chunkIds: string, strengths: string): string {
  return `array_to_string(${chunkIds}, ',') AS chunk_ids, array_to_string(${strengths}, ',') AS strengths`;
}

/** The numbers of a list written by `listsAsText` (none for an empty list). */
export function numbersOf(text: string): number[] {
  return text === "" ? [] : text.split(",").map(Number);
}

/** Kept champion lists read ahead (ChampionSearch.prefetch): the phrases asked for, and the rows found. */
export interface Prefetched {
  asked: Set<string>;
  rows: Promise<Map<string, Champion>>;
}

interface Champion {
  generation: number;
  libraryPassages: number;
  /** Passages holding the phrase (its IDF). */
  passages: number;
  chunkIds: number[];
  /** Each champion's BM25 without the IDF: f·(k1 + 1) / (f + k1·(1 − b + b·length/average)). */
  strengths: number[];
}

/** FTS5's k1 and b, as the ranking statement (postgres-passages.ts) uses them. */
const bm25K1 = 1.2;
const bm25B = 0.75;
/** Passages whose document is remembered (ChampionSearch.#documentOf): about 16 MB at most. */
const documentMemory = 200_000;

/**
 * A phrase's share of a passage's BM25: IDF × f·(k1 + 1) / (f + norm), norm = k1·(1 − b + b·length/average), computed
 * in this order wherever a score is computed in Node, as the ranking statements compute it in SQL, so the numbers are
 * the same.
 */
export function bm25Share(idf: number, frequency: number, norm: number): number {
  return (idf * frequency * (bm25K1 + 1)) / (frequency + norm);
}

/** The AND of a phrase's words: a plain-lexeme tsquery GIN answers without a recheck. */
export function wordsQuery(stems: string[]): string {
  return [...new Set(stems)].map((stem) => phraseQuery([stem])).join(" & ");
}

/** Passages holding every word of some phrase: the OR of the phrases' `wordsQuery`. */
export function anyOfQuery(phrases: string[][]): string {
  return phrases.map((phrase) => `(${wordsQuery(phrase)})`).join(" | ");
}

/**
 * The same test as `anyOfQuery` (for the phrases' `wordGroups`) on a passage's own row (`c`), from its stem counts: a passage's tsvector holds
 * exactly the stems its text and context counts do (passageTerms in postgres-text-search.ts writes all three), and
 * the counts are a few hundred bytes kept in the row, where the tsvector is kilobytes read from TOAST. For scanning a
 * few documents' passages: a restricted search's own passages over four data sets at 1M read 2,116 buffers in
 * 41-46 ms this way against 34,608 in 89 ms through the tsvector (docs/benchmarks.md, issue 14 thirteenth stop).
 */
function holdsAnyOf({ single, longer }: ReturnType<typeof wordGroups>, parameter: (value: unknown, type: string) => string): string {
  const tests: string[] = [];
  if (single.length > 0) {
    const words = parameter(single, "text[]");
    tests.push(`c.text_counts ?| ${words} OR c.context_counts ?| ${words}`);
  }
  for (const group of longer) {
    tests.push(`(${group.map((stem) => {
      const word = parameter(stem, "text");
      return `(c.text_counts ? ${word} OR c.context_counts ? ${word})`;
    }).join(" AND ")})`);
  }
  return tests.length === 0 ? "false" : `(${tests.join(" OR ")})`;
}

/**
 * The word sets of `phrases` whose OR `anyOfQuery` asks: each phrase's distinct words, the one-word ones apart (each
 * once), and no longer phrase holding a word that is a phrase on its own (it adds nothing to the OR).
 */
export function wordGroups(phrases: string[][]): { single: string[]; longer: string[][] } {
  const groups = phrases.map((phrase) => [...new Set(phrase)]);
  const single = [...new Set(groups.filter((group) => group.length === 1).map((group) => group[0]!))];
  const singles = new Set(single);
  const longer = [...new Map(groups.filter((group) => group.length > 1 && !group.some((stem) => singles.has(stem))).map((group) => [group.join(" "), group])).values()];
  return { single, longer };
}

/** Whether a value kept at `kept` still holds for the library now: the rule of both stores (../kept-freshness.ts). */
export function fresh(kept: { generation: number; libraryPassages: number }, state: LibraryState, staleShare: number): boolean {
  return keptStillHolds(kept.generation, kept.libraryPassages, state.generation, state.chunkCount, staleShare);
}

export class ChampionSearch {
  readonly #queries: WorkspaceQueries;
  readonly #memory = new Map<string, Champion>();
  /**
   * Phrases the last searches took no champion list for (rare, or a word in half the library): not read ahead. One
   * that has become common since is read when it is found to be (`champions`), as without a read ahead.
   */
  readonly #listless = new Set<string>();
  /**
   * The document of each passage a candidate statement has read (a passage never moves to another document): a
   * restricted search leaves out of its champion fill the passages known to lie outside its documents, instead of
   * reading each one's row to find that out (800 of them per search restricted to a few documents at 1M).
   */
  readonly #documentOf = new Map<number, number>();
  /** The library's document ids at a passage generation (every write of passages moves it): see `#findIn`. */
  #libraryDocuments: { generation: number; ids: number[] } | undefined;

  constructor(queries: WorkspaceQueries) {
    this.#queries = queries;
  }

  /** How many of `phrases` have a champion list kept that is still fresh for `state`. */
  async keptFresh(phrases: string[][], state: LibraryState, settings: TextSearchSettings): Promise<number> {
    if (phrases.length === 0) return 0;
    const kept = await this.#queries.query<{ generation: Bigint; library_passages: Bigint }>(
      "SELECT generation, library_passages FROM library_phrase_champions WHERE workspace_id = $1 AND phrase = ANY ($2::text[])",
      [phrases.map((stems) => stems.join(" "))],
    );
    return kept.rows.filter((row) => fresh({ generation: Number(row.generation), libraryPassages: Number(row.library_passages) }, state, settings.championStaleShare)).length;
  }

  /**
   * The kept champion lists of `phrases` not remembered here, read before it is known which phrases are common (beside
   * the counts, on another connection: one round trip fewer per search). Freshness is judged when they are used.
   */
  prefetch(phrases: string[][]): Prefetched {
    const asked = [...new Set(phrases.map((stems) => stems.join(" ")))].filter((key) => !this.#memory.has(key) && !this.#listless.has(key));
    return { asked: new Set(asked), rows: asked.length === 0 ? Promise.resolve(new Map()) : this.#kept(asked) };
  }

  /** The kept champion rows of `keys` (phrases' stems joined by spaces), fresh or not. */
  async #kept(keys: string[]): Promise<Map<string, Champion>> {
    const kept = await this.#queries.query<{ phrase: string; generation: Bigint; library_passages: Bigint; passages: number; chunk_ids: string; strengths: string }>(
      `SELECT phrase, generation, library_passages, passages, ${listsAsText("chunk_ids", "strengths")} FROM library_phrase_champions
        WHERE workspace_id = $1 AND phrase = ANY ($2::text[])`,
      [keys],
    );
    return new Map(
      kept.rows.map((row) => [
        row.phrase,
        {
          generation: Number(row.generation),
          libraryPassages: Number(row.library_passages),
          passages: row.passages,
          chunkIds: numbersOf(row.chunk_ids),
          strengths: numbersOf(row.strengths),
        },
      ]),
    );
  }

  /**
   * Champion lists for `phrases` (stems), fresh for `state`: from memory, else the kept rows (`prefetched`, or one
   * statement), else computed and kept. Each also gives the phrase's passage count.
   */
  async champions(phrases: string[][], state: LibraryState, settings: TextSearchSettings, prefetched?: Prefetched): Promise<Map<string, Champion>> {
    const found = new Map<string, Champion>();
    const wanted = new Map<string, string[]>();
    for (const stems of phrases) {
      const key = stems.join(" ");
      const remembered = this.#memory.get(key);
      if (remembered !== undefined && fresh(remembered, state, settings.championStaleShare)) found.set(key, remembered);
      else wanted.set(key, stems);
    }
    if (wanted.size > 0) {
      const unasked = [...wanted.keys()].filter((key) => prefetched === undefined || !prefetched.asked.has(key));
      const [early, late] = await Promise.all([
        prefetched === undefined ? new Map<string, Champion>() : prefetched.rows,
        unasked.length === 0 ? new Map<string, Champion>() : this.#kept(unasked),
      ]);
      for (const [key, champion] of [...early, ...late]) {
        if (!wanted.has(key) || !fresh(champion, state, settings.championStaleShare)) continue;
        found.set(key, champion);
        wanted.delete(key);
      }
    }
    for (const [key, stems] of wanted) found.set(key, await this.#build(stems, state, settings));
    for (const [key, champion] of found) {
      if (this.#memory.size >= 5_000) this.#memory.clear();
      this.#memory.set(key, champion);
    }
    return found;
  }

  /**
   * A phrase's champion list and exact count: every passage holding its words (one exact GIN lookup), the phrase's
   * weighted hits in each (a one-stem phrase from the stem counts; a longer one tested, and counted from positions,
   * on the passages holding its words), best `championSize` by BM25 without the IDF (the same order at any IDF).
   * The one costly statement of a large library's search (seconds for a word in half the library), run once per
   * phrase and library state.
   */
  async #build(stems: string[], state: LibraryState, settings: TextSearchSettings): Promise<Champion> {
    const average = state.chunkCount === 0 ? 1 : state.indexedTokens / state.chunkCount;
    // $2: the words' AND, $3: the context weight, $4: the average length, $5: the list's size; then the phrase's own.
    const single = stems.length === 1;
    const frequency = single
      ? "coalesce((d.tc ->> $6)::float8, 0) + $3::float8 * coalesce((d.cc ->> $6)::float8, 0)"
      : "CASE WHEN d.terms @@ $6::tsquery THEN hearth_phrase_frequency(d.terms, $7::text[], $3::float8) ELSE 0 END";
    const detoasted = single ? "'{}'::jsonb || c.text_counts AS tc, '{}'::jsonb || c.context_counts AS cc" : "c.terms || ''::tsvector AS terms";
    const result = await this.#queries.query<{ passages: Bigint; chunk_ids: string; strengths: string }>(
      `WITH m AS MATERIALIZED (
         SELECT c.id, ${frequency} AS f, ${bm25K1} * (${1 - bm25B} + ${bm25B} * c.indexed_length / $4::float8) AS norm
           FROM library_chunks c CROSS JOIN LATERAL (SELECT ${detoasted} OFFSET 0) d
          WHERE c.workspace_id = $1 AND c.terms @@ $2::tsquery),
       l AS (SELECT coalesce(array_agg(t.id ORDER BY t.s DESC, t.id), '{}') AS chunk_ids, coalesce(array_agg(t.s ORDER BY t.s DESC, t.id), '{}') AS strengths
         FROM (SELECT m.id, m.f * ${bm25K1 + 1} / (m.f + m.norm) AS s FROM m WHERE m.f > 0 ORDER BY s DESC, m.id LIMIT $5) t)
       SELECT (SELECT count(*) FROM m WHERE m.f > 0) AS passages, ${listsAsText("l.chunk_ids", "l.strengths")} FROM l`,
      [wordsQuery(stems), contextWeight, average, settings.championSize, ...(single ? [stems[0]] : [phraseQuery(stems), stems])],
    );
    const row = result.rows[0];
    const champion: Champion = {
      generation: state.generation,
      libraryPassages: state.chunkCount,
      passages: Number(row?.passages ?? 0),
      chunkIds: numbersOf(row?.chunk_ids ?? ""),
      strengths: numbersOf(row?.strengths ?? ""),
    };
    try {
      const key = stems.join(" ");
      await this.#queries.query(
        `INSERT INTO library_phrase_champions (workspace_id, phrase, generation, library_passages, passages, chunk_ids, strengths)
         VALUES ($1, $2, $3, $4, $5, $6::bigint[], $7::float8[])
         ON CONFLICT (workspace_id, phrase) DO UPDATE SET generation = excluded.generation, library_passages = excluded.library_passages,
           passages = excluded.passages, chunk_ids = excluded.chunk_ids, strengths = excluded.strengths`,
        [key, champion.generation, champion.libraryPassages, champion.passages, champion.chunkIds, champion.strengths],
      );
      if (stems.length > 1) {
        await this.#queries.query(
          `INSERT INTO library_phrase_counts (workspace_id, phrase, generation, passages, library_passages) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (workspace_id, phrase) DO UPDATE SET generation = excluded.generation, passages = excluded.passages, library_passages = excluded.library_passages
            WHERE library_phrase_counts.generation <= excluded.generation`,
          [key, champion.generation, champion.passages, champion.libraryPassages],
        );
      }
    } catch {
      // Read-only (a replica) or contended: the list is right for this process, only not kept for the others.
    }
    return champion;
  }

  /**
   * The exact BM25 of each candidate on every phrase (FTS5's bm25(), as the ranking statement computes it), and its
   * document: `score` for candidates given by id (see `#scoreFrom`).
   */
  async score(
    chunkIds: number[],
    phrases: string[][],
    idfs: number[],
    state: LibraryState,
    exactTop?: { groups: number[][]; limit: number; keep: (documentId: number) => boolean },
  ): Promise<Map<number, { score: number; documentId: number }>> {
    if (chunkIds.length === 0) return new Map();
    const ids = [...new Set(chunkIds)];
    const scored = await this.#scoreFrom({ given: { ids, limit: ids.length }, documents: null }, phrases, idfs, state, exactTop);
    return scored.scores;
  }

  /**
   * The candidates of `source` (found by a query, given by id, a few documents' own passages: one statement finds them
   * and reads them), each scored exactly on every phrase, with the group it came from (found: 0, the others: 1). Per
   * candidate one row read: its stem counts (jsonb) and, for each longer phrase, whether it occurs in the text and in
   * the context (tsvector tests on the row already read). A phrase's hits equal those booleans unless its rarest word
   * occurs more than once in that column; only then are they counted from positions, from the tsvector's text form
   * the same statement returns for those candidates alone.
   *
   * `exactTop`: only each group's best `limit` need exact scores (the rest are dropped by the caller). A counted
   * phrase's hits lie between what the row's tests give (1 in the text, the context weight in the context) and its
   * rarest word's counts there, so a candidate whose score at those upper bounds stays under the `limit`-th best
   * lower bound of its group cannot enter the group's top: its positions are not parsed, and its score stays at the
   * lower bound. `groups` given there replace the statement's own (for `score`). Without `exactTop` every candidate's
   * score is exact.
   */
  async #scoreFrom(
    source: CandidateSource,
    phrases: string[][],
    idfs: number[],
    state: LibraryState,
    exactTop?: { groups?: number[][]; limit: number; keep: (documentId: number) => boolean },
  ): Promise<{ scores: Map<number, { score: number; documentId: number }>; groups: [number[], number[]] }> {
    const scores = new Map<number, { score: number; documentId: number }>();
    if (phrases.length === 0 || (source.found === undefined && source.given === undefined && source.own === undefined)) return { scores, groups: [[], []] };
    const stems = [...new Set(phrases.flat())];
    const longer = phrases.map((phrase, index) => ({ phrase, index })).filter((entry) => entry.phrase.length > 1);
    const statement = candidateStatement(source, stems, longer.map((entry) => entry.phrase));
    const result = await this.#queries.query<CandidateRow>(statement.sql, statement.params);
    if (this.#documentOf.size + result.rows.length > documentMemory) this.#documentOf.clear();
    for (const row of result.rows) this.#documentOf.set(Number(row.id), Number(row.document_id));
    const average = state.chunkCount === 0 ? 1 : state.indexedTokens / state.chunkCount;
    const read = readCandidates(result.rows, { phrases, stems, longer, average, inside: source.documents === null ? null : new Set(source.documents) });
    if (exactTop !== undefined && read.counted.length > 0) keepNeededCounts(read, exactTop, idfs);
    countPhrases(read.counted, phrases);
    for (const candidate of read.candidates) {
      const score = candidateScore(candidate, idfs, false);
      if (score > 0) scores.set(candidate.id, { score, documentId: candidate.documentId });
    }
    return { scores, groups: read.groups };
  }

  /**
   * The top `limit` of a large library for `phrases` (distinct stem sequences), given each stem's passages and the
   * phrases' counts where known. `documentIds`: only passages of those documents; `documentPassages`: how many
   * passages they hold together (read with the counts, in the same round trip). Once the champion lists are known
   * (kept, remembered, or `prefetched` beside the counts), one statement finds and reads every candidate.
   */
  async search(options: {
    phrases: string[][];
    stemPassages: (stem: string) => number;
    phrasePassages: Map<string, number>;
    state: LibraryState;
    limit: number;
    documentIds: number[] | null;
    documentPassages?: number;
    prefetched?: Prefetched;
    settings: TextSearchSettings;
    large: ChampionSearchSettings;
  }): Promise<ScoredHit[]> {
    const { phrases, stemPassages, state, limit, documentIds, settings, large } = options;
    const wanted = documentIds === null ? null : [...new Set(documentIds)];
    const { rare, spent, common } = rareAndCommon(phrases, stemPassages, state, large);
    const listed = new Set(common.map((phrase) => phrase.join(" ")));
    if (this.#listless.size >= 5_000) this.#listless.clear();
    for (const phrase of phrases) {
      const key = phrase.join(" ");
      if (listed.has(key)) this.#listless.delete(key);
      else this.#listless.add(key);
    }

    // A few small documents: their passages holding any phrase's words, read and tested through the document index.
    if (wanted !== null && wanted.length <= settings.fewDocuments && (options.documentPassages ?? Infinity) <= large.scanDocumentsUpTo) {
      const idfs = await this.#idfs(phrases, options.phrasePassages, stemPassages, state, settings, options.prefetched);
      const scored = await this.#scoreFrom({ found: { phrases, documents: wanted, scan: true }, documents: null }, phrases, idfs, state, {
        limit,
        keep: () => true,
      });
      return [...scored.scores].map(([chunkId, { score }]) => ({ chunkId, score })).sort(byScore).slice(0, limit);
    }

    const championLists = common.length === 0 ? new Map<string, Champion>() : await this.champions(common, state, settings, options.prefetched);
    for (const [key, champion] of championLists) options.phrasePassages.set(key, champion.passages);
    const idfs = await this.#idfs(phrases, options.phrasePassages, stemPassages, state, settings, options.prefetched);
    const idfOf = new Map(phrases.map((phrase, index) => [phrase.join(" "), idfs[index]!]));

    // The rare side's passages (at most `spent`, found in the statement) may be among the fill: enough are sent that
    // the first `fillLimit` not found still fill the list.
    const fillLimit = wanted === null ? large.fillCandidates : large.restrictedFillCandidates;
    const fillIds = fillOf(common, championLists, idfOf, fillLimit + spent);
    // A search restricted to documents too large to read whole: the champion lists hold the whole library's best
    // passages, and few of them (or none) may lie in these documents, so the documents' own passages holding a common
    // phrase's words join the fill, read through the document index (not GIN's whole-library AND) and bounded by the
    // fill budget: a bounded sample of them, scored exactly, rather than no hits where the documents hold the words.
    // Only the documents' passages are read and scored (a champion elsewhere is dropped by its row's document).
    let wantedSet: ReadonlySet<number> | null = null;
    let findIn: DocumentFilter = null;
    if (wanted !== null) {
      wantedSet = new Set(wanted);
      findIn = await this.#findIn(wanted, wantedSet, state, settings);
    }
    const source: CandidateSource = {
      ...(rare.length === 0 ? {} : { found: { phrases: rare, documents: findIn, scan: false } }),
      ...(fillIds.length === 0 ? {} : { given: this.#given(fillIds, fillLimit, wantedSet) }),
      ...(findIn === null || common.length === 0 ? {} : { own: { documents: findIn, phrases: common, limit: large.restrictedOwnCandidates } }),
      documents: wanted,
    };
    const scored = await this.#scoreFrom(source, phrases, idfs, state, { limit, keep: () => true });
    const ranked = (ids: number[]): ScoredHit[] =>
      ids.flatMap((chunkId) => {
        const hit = scored.scores.get(chunkId);
        return hit === undefined ? [] : [{ chunkId, score: hit.score }];
      }).sort(byScore);
    return mergeRareAndFill(ranked(scored.groups[0]).slice(0, limit), ranked(scored.groups[1]).slice(0, limit), limit, settings.fillShare);
  }

  /**
   * How the statement's finding parts name a restriction to `wanted` documents: as those documents, or, where they
   * are most of the library (the prose fallback: every document but the data sets), as the few it leaves out, which
   * the planner estimates at once instead of document by document. Only the finding parts: which rows are read and
   * scored is still decided by `wanted` itself (the statement's `inside`, and `#scoreFrom`), so a document written since the
   * library's ids were read is never taken for one of them.
   */
  async #findIn(wanted: number[], inside: ReadonlySet<number>, state: LibraryState, settings: TextSearchSettings): Promise<DocumentFilter> {
    if (wanted.length <= settings.fewDocuments) return wanted;
    if (this.#libraryDocuments?.generation !== state.generation) {
      const rows = await this.#queries.query<{ id: Bigint }>("SELECT id FROM library_documents WHERE workspace_id = $1");
      this.#libraryDocuments = { generation: state.generation, ids: rows.rows.map((row) => Number(row.id)) };
    }
    const except = this.#libraryDocuments.ids.filter((documentId) => !inside.has(documentId));
    return except.length < wanted.length ? { except } : wanted;
  }

  /**
   * The champion fill of a search: for a restricted one, without the passages known to lie outside its documents,
   * each kept id with its place in the whole list (the statement's limit counts places there: the same passages are
   * read as from the whole list, less those it would have read only to drop).
   */
  #given(ids: number[], limit: number, wanted: ReadonlySet<number> | null): NonNullable<CandidateSource["given"]> {
    if (wanted === null) return { ids, limit };
    const kept: number[] = [];
    const positions: number[] = [];
    ids.forEach((chunkId, index) => {
      const documentId = this.#documentOf.get(chunkId);
      if (documentId !== undefined && !wanted.has(documentId)) return;
      kept.push(chunkId);
      positions.push(index + 1);
    });
    return { ids: kept, limit, positions };
  }

  /** Each phrase's IDF: a word's from the stem counts, a longer phrase's from its kept count or champion list. */
  async #idfs(
    phrases: string[][],
    phrasePassages: Map<string, number>,
    stemPassages: (stem: string) => number,
    state: LibraryState,
    settings: TextSearchSettings,
    prefetched?: Prefetched,
  ): Promise<number[]> {
    const uncounted = phrases.filter((phrase) => phrase.length > 1 && !phrasePassages.has(phrase.join(" ")));
    if (uncounted.length > 0) {
      for (const [key, champion] of await this.champions(uncounted, state, settings, prefetched)) phrasePassages.set(key, champion.passages);
    }
    return phrases.map((phrase) =>
      inverseDocumentFrequency(state.chunkCount, phrase.length === 1 ? stemPassages(phrase[0]!) : (phrasePassages.get(phrase.join(" ")) ?? 0)),
    );
  }
}

/**
 * Where a scoring statement's candidates come from, each part optional: `found`, passages matching a query (through
 * GIN, or, with `scan`, the documents' own passages read and tested); `given`, passages by id in rank order, the first
 * `limit` of them not found already (with `positions`, each id's 1-based place in a longer list from which ids known
 * to lie outside `documents` were left out: the limit counts places in that list, so the same ids are taken as from
 * the whole list); `own`, the first `limit` passages of `documents` (in the index's order) holding every word of one
 * of `phrases`, not among the others. `found` and `own` may name their documents as those left out (DocumentFilter);
 * `documents`: only passages of these are read and scored (null: any).
 */
export interface CandidateSource {
  found?: { phrases: string[][]; documents: DocumentFilter; scan: boolean };
  given?: { ids: number[]; limit: number; positions?: number[] };
  own?: { documents: Exclude<DocumentFilter, null>; phrases: string[][]; limit: number };
  documents: number[] | null;
}

/**
 * Which documents' passages a part of the statement finds: these (an array), all but these (`except`: a restriction
 * to most of the library, sent as the few documents it leaves out), or any (null). The planner estimates `= ANY` of
 * a constant array element by element: 11,774 documents (a 1M library's prose fallback, every document but the data
 * sets) took 24 ms to plan against 8 ms to run (docs/benchmarks.md, issue 14 thirteenth stop).
 */
export type DocumentFilter = number[] | { except: number[] } | null;

/** `column` passes a (non-null) filter: `= ANY` of its documents, or `NOT … = ANY` of those it leaves out. */
function documentCondition(column: string, filter: Exclude<DocumentFilter, null>, ids: (value: number[]) => string): string {
  return Array.isArray(filter) ? `${column} = ANY (${ids(filter)})` : `NOT (${column} = ANY (${ids(filter.except)}))`;
}

/**
 * One statement that finds `source`'s candidates and reads each one's scoring inputs: its group (0 found, 1 the
 * others), document, indexed length, each stem's count in the text and the context, whether each longer phrase occurs
 * in the text and the context, and the tsvector's text form where a phrase may need counting from positions (it
 * occurs in a column where its rarest word occurs more than once). Parameters from $2 (WorkspaceQueries adds $1).
 */
export function candidateStatement(source: CandidateSource, stems: string[], longer: string[][]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const parameter = (value: unknown, type: string): string => {
    params.push(value);
    return `$${params.length + 1}::${type}`;
  };
  const parts: string[] = [];
  const ctes: string[] = [];
  const notIn = (alias: string): string => parts.map((part) => ` AND NOT EXISTS (SELECT 1 FROM ${part} x WHERE x.id = ${alias}.id)`).join("");
  /**
   * The passages of `documents` holding every word of one of `phrases`, document by document in ascending id, each in
   * ordinal order (a FROM list; its rows `o.id`): a document with stem lists (postgres-document-stems.ts) gives them
   * from its lists, one without is read and tested through the (document, ordinal) index. The order is the plan's, so
   * it is pinned: each lateral step keeps `OFFSET 0`, not pulled up into a join the planner may reorder (the
   * documents' rows were once hashed and read in their table order).
   */
  const holdingIn = (documents: number[], phrases: string[][]): string => {
    const ids = parameter([...new Set(documents)].sort((left, right) => left - right), "bigint[]");
    const groups = wordGroups(phrases);
    return `unnest(${ids}) AS u(id)
         CROSS JOIN LATERAL (SELECT d.stem_blocks FROM library_documents d WHERE d.workspace_id = $1 AND d.id = u.id OFFSET 0) d
         CROSS JOIN LATERAL (SELECT o.id FROM ((${listedPassages("u.id", "d.stem_blocks", groups, parameter)})
           UNION ALL (SELECT c.id FROM library_chunks c WHERE d.stem_blocks IS NULL AND c.workspace_id = $1 AND c.document_id = u.id
             AND ${holdsAnyOf(groups, parameter)} ORDER BY c.ordinal)) o OFFSET 0) o`;
  };
  if (source.found !== undefined) {
    const { phrases, documents, scan } = source.found;
    if (scan && Array.isArray(documents)) {
      // A few documents' own passages, from their stem lists or their stem counts (no index on those, so the planner
      // stays off GIN's whole-library AND of common words).
      ctes.push(`found AS MATERIALIZED (SELECT o.id FROM ${holdingIn(documents, phrases)})`);
    } else {
      // GIN answers the query of plain lexemes exactly, with no recheck, and the documents are a filter on its few rows
      // (`document_id + 0` keeps the planner from reading every passage of the documents through their index to test
      // each one's tsvector: 26 ms for a 1,859-passage document at 1M, against 2 ms through GIN).
      const inDocuments =
        documents === null ? "" : ` AND ${documentCondition(scan ? "c.document_id" : "(c.document_id + 0)", documents, (ids) => parameter(ids, "bigint[]"))}`;
      const match = scan ? holdsAnyOf(wordGroups(phrases), parameter) : `c.terms @@ ${parameter(anyOfQuery(phrases), "tsquery")}`;
      ctes.push(`found AS MATERIALIZED (SELECT c.id FROM library_chunks c WHERE c.workspace_id = $1 AND ${match}${inDocuments})`);
    }
    parts.push("found");
  }
  if (source.given !== undefined && source.given.positions === undefined) {
    ctes.push(
      `given AS MATERIALIZED (SELECT g.id FROM unnest(${parameter(source.given.ids, "bigint[]")}) WITH ORDINALITY AS g(id, n) WHERE true${notIn("g")}
         ORDER BY g.n LIMIT ${parameter(source.given.limit, "integer")})`,
    );
    parts.push("given");
  } else if (source.given !== undefined) {
    // The ids left out were outside the documents, so never found: an id's place among the whole list's ids not found
    // is its position less the found ids placed before it (all of them sent).
    const ids = parameter(source.given.ids, "bigint[]");
    const positions = parameter(source.given.positions, "integer[]");
    const foundBefore = parts.includes("found") ? "count(x.id) OVER (ORDER BY g.n)" : "0";
    const join = parts.includes("found") ? " LEFT JOIN found x ON x.id = g.id" : "";
    ctes.push(
      `given AS MATERIALIZED (SELECT g.id FROM (SELECT g.id, g.n, ${foundBefore} AS before FROM unnest(${ids}, ${positions}) AS g(id, n)${join}) g
         WHERE g.n - g.before <= ${parameter(source.given.limit, "integer")}${notIn("g")} ORDER BY g.n)`,
    );
    parts.push("given");
  }
  if (source.own !== undefined) {
    const { documents, phrases, limit } = source.own;
    // The first `limit` in the order (document, ordinal), not found already.
    if (Array.isArray(documents)) {
      // Stopping at the limit. (One scan of the (document, ordinal) index with `= ANY` of the documents and an ORDER BY
      // was sorted whole by PostgreSQL 15: 48 ms against 0.5 ms for four data sets at 1M.) The passages found or given
      // already are left out by a filter (a hashed `NOT IN`), which keeps the order, where an anti join might not.
      const notTaken = parts.map((part) => ` AND o.id NOT IN (SELECT x.id FROM ${part} x)`).join("");
      ctes.push(`own AS MATERIALIZED (SELECT o.id FROM ${holdingIn(documents, phrases)} WHERE true${notTaken} LIMIT ${parameter(limit, "integer")})`);
    } else {
      // Most of the library, given as the documents left out: a scan of the whole (document, ordinal) index in order.
      ctes.push(
        `own AS MATERIALIZED (SELECT c.id FROM library_chunks c WHERE c.workspace_id = $1 AND ${documentCondition("c.document_id", documents, (ids) => parameter(ids, "bigint[]"))}
           AND ${holdsAnyOf(wordGroups(phrases), parameter)}${notIn("c")} ORDER BY c.document_id, c.ordinal LIMIT ${parameter(limit, "integer")})`,
      );
    }
    parts.push("own");
  }
  const candidates = parts.map((part) => `SELECT ${part}.id, ${part === "found" ? 0 : 1} AS grp FROM ${part}`).join(" UNION ALL ");
  const stemArray = parameter(stems, "text[]");
  const counts = stems
    .map((_, index) => `coalesce((d.tc ->> (${stemArray})[${index + 1}])::float8, 0), coalesce((d.cc ->> (${stemArray})[${index + 1}])::float8, 0)`)
    .join(", ");
  let hits = "NULL::boolean[]";
  let vector = "NULL::text";
  /** Whether the candidate may hold any longer phrase: its tsvector is read (from TOAST, kilobytes) only then. */
  let possible = "false";
  if (longer.length > 0) {
    const inText = parameter(longer.map((phrase) => phraseQuery(phrase, "A")), "tsquery[]");
    const inContext = parameter(longer.map((phrase) => phraseQuery(phrase, "B")), "tsquery[]");
    const stemPosition = new Map(stems.map((stem, index) => [stem, index]));
    // SQL arrays count from 1: a stem's text count is at 2i + 1, its context count at 2i + 2; a phrase's tests likewise.
    const least = (counts: string, phrase: string[], offset: number): string =>
      `least(${phrase.map((stem) => `${counts}[${2 * stemPosition.get(stem)! + offset}]`).join(", ")})`;
    // A phrase's test in the text (weight A) can pass only where each of its stems is counted in the text, and in the
    // context (B) likewise: passageTerms writes the counts and the positions from the same tokens. Those tests are
    // false without reading the tsvector, as it would find.
    const test = (index: number, offset: number, query: string): string =>
      `CASE WHEN ${least("p.counts", longer[index]!, offset)} > 0 THEN p.terms @@ (${query})[${index + 1}] ELSE false END`;
    hits = `ARRAY[${longer.map((_, index) => `${test(index, 1, inText)}, ${test(index, 2, inContext)}`).join(", ")}]`;
    possible = longer.map((phrase) => `${least("q.counts", phrase, 1)} > 0 OR ${least("q.counts", phrase, 2)} > 0`).join(" OR ");
    const needs = longer
      .map((phrase, index) => `(s.hits[${2 * index + 1}] AND ${least("s.counts", phrase, 1)} > 1) OR (s.hits[${2 * index + 2}] AND ${least("s.counts", phrase, 2)} > 1)`)
      .join(" OR ");
    vector = `CASE WHEN ${needs} THEN p.terms::text END`;
  }
  // A restricted search: a given candidate outside the documents comes back with its document alone (no stem counts,
  // no tests: its long values are not read), so that the caller learns where it lies and leaves it out next time.
  // The documents as a value computed once (`(SELECT …)`), not a constant: the planner charges a constant array's hash
  // table to every candidate's row, so a restriction to all 11,774 documents of a 1M library was estimated at 480,000
  // and JIT-compiled (0.6 s against 0.3 s without, EXPLAIN ANALYZE under load).
  const inside = source.documents === null ? "" : `(c.document_id + 0) = ANY ((SELECT ${parameter(source.documents, "bigint[]")})::bigint[])`;
  const when = (value: string): string => (inside === "" ? value : `CASE WHEN r.inside THEN ${value} END`);
  // Each candidate's row is read by its id inside a LATERAL subquery (`OFFSET 0` keeps it from being pulled up): a
  // nested loop whatever the planner estimates. As a plain join, a restricted search over thousands of documents whose
  // GIN estimate was 10,000 rows (1,600 candidates found) was planned as a merge join walking the whole primary key,
  // 1M rows: 3.6 s, and JIT compilation on top (its estimated cost past jit_above_cost).
  // The row's tsvector stays unread (a TOAST pointer) until a phrase may be in it; then it is read once (`|| ''`),
  // not once per test.
  const read =
    inside === ""
      ? `CROSS JOIN LATERAL (SELECT c.id, c.document_id, c.indexed_length, '{}'::jsonb || c.text_counts AS tc, '{}'::jsonb || c.context_counts AS cc${longer.length === 0 ? "" : ", c.terms"}
        FROM library_chunks c WHERE c.workspace_id = $1 AND c.id = k.id OFFSET 0) r, LATERAL (SELECT r.tc, r.cc) d`
      : `CROSS JOIN LATERAL (SELECT c.id, c.document_id, c.indexed_length, c.text_counts, c.context_counts, c.terms, ${inside} AS inside
        FROM library_chunks c WHERE c.workspace_id = $1 AND c.id = k.id OFFSET 0) r
      CROSS JOIN LATERAL (SELECT ${when("'{}'::jsonb || r.text_counts")} AS tc, ${when("'{}'::jsonb || r.context_counts")} AS cc OFFSET 0) d`;
  const tested =
    longer.length === 0
      ? `CROSS JOIN LATERAL (SELECT ${when(`ARRAY[${counts}]`)} AS counts, ${hits} AS hits OFFSET 0) s`
      : // The counts and the tsvector in one step, which takes the row's tsvector: a step taking only the stem counts
        // (jsonb, which hashes) was given a Memoize node keyed on them, 30-40 µs a candidate for no hit.
        `CROSS JOIN LATERAL (SELECT q.counts, CASE WHEN ${possible} THEN r.terms || ''::tsvector END AS terms
        FROM (SELECT ${when(`ARRAY[${counts}]`)} AS counts OFFSET 0) q OFFSET 0) p
      CROSS JOIN LATERAL (SELECT p.counts, ${when(hits)} AS hits OFFSET 0) s`;
  const sql = `WITH ${ctes.join(", ")},
    candidates AS (${candidates})
    SELECT k.grp, r.id, r.document_id, r.indexed_length, array_to_string(s.counts, ',', '0') AS counts, array_to_string(s.hits, '', 'f') AS found,
      ${vector} AS vector
      FROM candidates k
      ${read}
      ${tested}`;
  return { sql, params };
}

/**
 * A row of `candidateStatement` as the server sends it: the stem counts and the phrase tests as text ("2,0,1,0" and
 * "tf"), null for a given passage outside the searched documents. As arrays (float8[], boolean[]) the client parsed
 * them through pg's generic array parser, character by character: ~3 ms of a search's Node CPU at 1M passages
 * (hundreds of candidates, dozens of counts each); split and converted here they cost a fraction of that.
 */
export interface CandidateRow {
  grp: number;
  id: Bigint;
  document_id: Bigint;
  indexed_length: number;
  counts: string | null;
  found: string | null;
  vector: string | null;
}

/** A candidate row's scoring inputs: each stem's text and context counts, and each longer phrase's two tests. */
export function candidateInputs(row: CandidateRow): Omit<CandidateRow, "counts" | "found"> & { counts: number[] | null; found: boolean[] | null } {
  // The text forms keep every element in its place: a null count is written 0 and a null test f (array_to_string's
  // third argument), as the arrays were read before (`?? 0`, `=== true`).
  return {
    ...row,
    counts: row.counts === null ? null : numbersOf(row.counts),
    found: row.found === null ? null : Array.from(row.found, (letter) => letter === "t"),
  };
}

/** A lexeme's positions in a tsvector, and whether each is in the text (weight A) or the context (B). */
export interface StemPositions {
  positions: number[];
  inText: boolean[];
}

/**
 * The positions of `wanted` lexemes in a tsvector's text form (`'lexeme':1A,5A,9B 'other':3A`; a quote inside a
 * lexeme doubled, a backslash escaped), the others skipped.
 */
export function vectorPositions(vector: string, wanted: Set<string>): Map<string, StemPositions> {
  // A lexeme with no quote, backslash or space is found by a string search for `'lexeme':` at the start or after a
  // space (inside another lexeme a quote is doubled, so that pattern cannot occur there): native search, no walk
  // over every lexeme of the vector.
  if ([...wanted].every((lexeme) => plainLexeme.test(lexeme))) {
    const found = new Map<string, StemPositions>();
    for (const lexeme of wanted) {
      const list = plainLexemePositions(vector, lexeme);
      if (list !== undefined) found.set(lexeme, positionsOf(list));
    }
    return found;
  }
  const found = new Map<string, StemPositions>();
  let index = 0;
  const length = vector.length;
  while (index < length) {
    if (vector[index] !== "'") {
      index += 1;
      continue;
    }
    // The lexeme, up to its closing quote.
    let lexeme = "";
    index += 1;
    while (index < length) {
      const character = vector[index]!;
      if (character === "\\") {
        lexeme += vector[index + 1] ?? "";
        index += 2;
      } else if (character === "'") {
        if (vector[index + 1] === "'") {
          lexeme += "'";
          index += 2;
        } else {
          index += 1;
          break;
        }
      } else {
        lexeme += character;
        index += 1;
      }
    }
    if (vector[index] !== ":") continue;
    const end = vector.indexOf(" ", index);
    const list = vector.slice(index + 1, end === -1 ? length : end);
    index = end === -1 ? length : end + 1;
    if (!wanted.has(lexeme)) continue;
    found.set(lexeme, positionsOf(list));
  }
  return found;
}

const plainLexeme = /^[^'\\\s]+$/u;

/** The position list (`1A,5A,9B`) of a plain lexeme in a tsvector's text form, or undefined when it is not there. */
function plainLexemePositions(vector: string, lexeme: string): string | undefined {
  const pattern = `'${lexeme}':`;
  let at = vector.startsWith(pattern) ? 0 : -1;
  if (at === -1) {
    const inside = vector.indexOf(` ${pattern}`);
    if (inside === -1) return undefined;
    at = inside + 1;
  }
  const start = at + pattern.length;
  const end = vector.indexOf(" ", start);
  return vector.slice(start, end === -1 ? vector.length : end);
}

/** A position list (`1A,5A,9B`; no letter is weight D) as positions and whether each is in the text (A). */
function positionsOf(list: string): StemPositions {
  const entry: StemPositions = { positions: [], inText: [] };
  for (const item of list.split(",")) {
    const weight = item[item.length - 1]!;
    const numeric = weight >= "0" && weight <= "9";
    entry.positions.push(Number(numeric ? item : item.slice(0, -1)));
    entry.inText.push(weight === "A");
  }
  return entry;
}

/**
 * A phrase's weighted hits from its words' positions, as hearth_phrase_frequency counts them: each position of the
 * first word followed by the others at the next positions, 1 in the text, the context weight in the context.
 */
export function phraseFrequency(positions: Map<string, StemPositions>, phrase: string[]): number {
  const first = positions.get(phrase[0]!);
  if (first === undefined) return 0;
  const rest = phrase.slice(1).map((stem) => new Set(positions.get(stem)?.positions ?? []));
  let frequency = 0;
  first.positions.forEach((position, index) => {
    if (rest.every((set, offset) => set.has(position + offset + 1))) frequency += first.inText[index] ? 1 : contextWeight;
  });
  return frequency;
}

/** A ranked phrase with its IDF: one word (scored from the stem counts) or more (counted from the positions). */
export interface RankedWord {
  stem: string;
  idf: number;
}

export interface RankedPhrase {
  stems: string[];
  idf: number;
}

/**
 * A ranking's phrases apart, each with its IDF and in the query's order: the one-word ones and the longer ones. The
 * ranking statement (`#rank` in postgres-passages.ts) and the ranking in process (postgres-rank-here.ts) sum them in
 * this order, so their scores are the same numbers.
 */
export function phrasesByLength(phrases: string[][], idfs: number[]): { single: RankedWord[]; longer: RankedPhrase[] } {
  return {
    single: phrases.flatMap((stems, index) => (stems.length === 1 ? [{ stem: stems[0]!, idf: idfs[index]! }] : [])),
    longer: phrases.flatMap((stems, index) => (stems.length > 1 ? [{ stems, idf: idfs[index]! }] : [])),
  };
}

/** The longer phrases' share of a passage's BM25: each one's hits counted from `positions`, summed in their order. */
export function longerPhrasesShare(positions: Map<string, StemPositions>, longer: readonly RankedPhrase[], norm: number): number {
  let share = 0;
  for (const phrase of longer) {
    const frequency = phraseFrequency(positions, phrase.stems);
    if (frequency > 0) share += bm25Share(phrase.idf, frequency, norm);
  }
  return share;
}

const byScore = (left: ScoredHit, right: ScoredHit): number => right.score - left.score || left.chunkId - right.chunkId;

/**
 * A candidate as `ChampionSearch.#scoreFrom` scores it. Its steps are functions of their own, and its frequencies a
 * typed array: as one method with closures made per row, the scoring was compiled again by V8 seven times in a warm
 * process's first 95 searches at 1M passages (90 ms of a background thread each), after each new array or object
 * shape a question brought (docs/benchmarks.md, issue 14 nineteenth stop).
 */
interface Candidate {
  id: number;
  documentId: number;
  norm: number;
  /** Each phrase's hits; a counted phrase's lower bound until it is counted. */
  frequencies: Float64Array;
  /** The most each counted phrase's hits can be (its lower bound is in `frequencies`). */
  most: Map<number, number>;
  vector: string | null;
}

interface ReadCandidates {
  candidates: Candidate[];
  /** The longer phrases whose hits are to be counted from a candidate's positions. */
  counted: { candidate: Candidate; phrase: number }[];
  /** The candidates found (0) and the others (1), by id. */
  groups: [number[], number[]];
}

/**
 * The candidates of a `candidateStatement` reply, each phrase's hits from its row: a one-stem phrase's exact count,
 * a longer phrase's lower bound from its tests (with its upper bound, and a place in `counted`, where its rarest
 * word occurs more than once). Rows of passages outside `inside` are left out.
 */
function readCandidates(
  rows: readonly CandidateRow[],
  query: { phrases: string[][]; stems: string[]; longer: { phrase: string[]; index: number }[]; average: number; inside: ReadonlySet<number> | null },
): ReadCandidates {
  const { phrases, longer, average, inside } = query;
  const stemIndex = new Map(query.stems.map((stem, index) => [stem, index]));
  const read: ReadCandidates = { candidates: [], counted: [], groups: [[], []] };
  for (const raw of rows) {
    const row = candidateInputs(raw);
    const documentId = Number(row.document_id);
    // A given passage outside the searched documents: only its document was read.
    if (inside !== null && !inside.has(documentId)) continue;
    const counts = row.counts ?? [];
    const candidate: Candidate = {
      id: Number(row.id),
      documentId,
      norm: bm25K1 * (1 - bm25B + (bm25B * row.indexed_length) / average),
      frequencies: new Float64Array(phrases.length),
      most: new Map(),
      vector: row.vector,
    };
    read.groups[row.grp === 0 ? 0 : 1].push(candidate.id);
    for (let index = 0; index < phrases.length; index++) {
      const phrase = phrases[index]!;
      if (phrase.length !== 1) continue;
      const at = 2 * stemIndex.get(phrase[0]!)!;
      candidate.frequencies[index] = counts[at]! + contextWeight * counts[at + 1]!;
    }
    for (let position = 0; position < longer.length; position++) {
      const entry = longer[position]!;
      const inText = row.found?.[2 * position] === true;
      const inContext = row.found?.[2 * position + 1] === true;
      if (!inText && !inContext) continue;
      let textMost = Infinity;
      let contextMost = Infinity;
      for (const stem of entry.phrase) {
        const at = 2 * stemIndex.get(stem)!;
        textMost = Math.min(textMost, counts[at]!);
        contextMost = Math.min(contextMost, counts[at + 1]!);
      }
      candidate.frequencies[entry.index] = (inText ? 1 : 0) + (inContext ? contextWeight : 0);
      if ((inText && textMost > 1) || (inContext && contextMost > 1)) {
        read.counted.push({ candidate, phrase: entry.index });
        candidate.most.set(entry.index, (inText ? textMost : 0) + (inContext ? contextWeight * contextMost : 0));
      }
    }
    read.candidates.push(candidate);
  }
  return read;
}

/** A candidate's BM25 over every phrase, at each counted phrase's lower bound or (`most`) its upper bound. */
function candidateScore(candidate: Candidate, idfs: readonly number[], most: boolean): number {
  let score = 0;
  const frequencies = candidate.frequencies;
  for (let index = 0; index < frequencies.length; index++) {
    const least = frequencies[index]!;
    const frequency = most ? (candidate.most.get(index) ?? least) : least;
    if (frequency > 0) score += bm25Share(idfs[index]!, frequency, candidate.norm);
  }
  return score;
}

/**
 * Only each group's best `limit` need exact scores: a candidate whose score at its counted phrases' upper bounds stays
 * under its group's `limit`-th best lower bound cannot enter the group's top, so its phrases are not counted (its
 * score stays at the lower bound). `exactTop.groups`, where given, replace the statement's own.
 */
function keepNeededCounts(read: ReadCandidates, exactTop: { groups?: number[][]; limit: number; keep: (documentId: number) => boolean }, idfs: readonly number[]): void {
  const byId = new Map(read.candidates.map((candidate) => [candidate.id, candidate]));
  const needed = new Set<Candidate>();
  for (const group of exactTop.groups ?? read.groups) {
    const members = group.flatMap((chunkId) => {
      const candidate = byId.get(chunkId);
      return candidate === undefined || !exactTop.keep(candidate.documentId) ? [] : [candidate];
    });
    const least = members.map((candidate) => candidateScore(candidate, idfs, false)).sort((left, right) => right - left);
    const bar = least.length < exactTop.limit ? -Infinity : least[exactTop.limit - 1]!;
    for (const candidate of members) if (candidate.most.size > 0 && candidateScore(candidate, idfs, true) >= bar) needed.add(candidate);
  }
  read.counted.splice(0, read.counted.length, ...read.counted.filter((entry) => needed.has(entry.candidate)));
}

/**
 * Counted here from the candidates' positions: their tsvectors' text form (returned for exactly the candidates a
 * phrase may need counting in), only the phrase's words parsed (the SQL function hearth_phrase_frequency unnests every
 * lexeme of the vector: ~275 ms a search at 500k passages).
 */
function countPhrases(counted: readonly { candidate: Candidate; phrase: number }[], phrases: string[][]): void {
  const wantedStems = new Set(counted.flatMap((entry) => phrases[entry.phrase]!));
  const parsed = new Map<number, Map<string, StemPositions>>();
  for (const entry of counted) {
    let positions = parsed.get(entry.candidate.id);
    if (positions === undefined) {
      positions = vectorPositions(entry.candidate.vector ?? "", wantedStems);
      parsed.set(entry.candidate.id, positions);
    }
    entry.candidate.frequencies[entry.phrase] = phraseFrequency(positions, phrases[entry.phrase]!);
  }
}

/**
 * The phrases split by what their candidates cost (the passages holding a phrase's rarest word bound those holding all
 * its words): the rarest while they fit `rareCandidates` (found through GIN; `spent` of them at most), and the
 * others that a champion list is worth keeping for. A word in half the library or more weighs nothing (FTS5's IDF is
 * floored at 1e-6 there): no champion list is worth its cost, though every candidate is still scored on it. A function
 * of its own, as `readCandidates` is (V8 compiled the search method again after each deopt: 70-140 ms a time).
 */
function rareAndCommon(
  phrases: string[][],
  stemPassages: (stem: string) => number,
  state: LibraryState,
  large: ChampionSearchSettings,
): { rare: string[][]; spent: number; common: string[][] } {
  const costed = phrases
    .map((phrase) => ({ phrase, passages: Math.min(...phrase.map(stemPassages)) }))
    .sort((left, right) => left.passages - right.passages);
  // The cheapest first while they fit, as the SQLite store and the mid-size search split theirs.
  const { rare, common } = splitByBudget(costed, large.rareCandidates, state.chunkCount);
  const spent = costed.slice(0, rare.length).reduce((sum, entry) => sum + entry.passages, 0);
  return {
    rare,
    spent,
    common: common.filter((entry) => entry.phrase.length > 1 || 2 * entry.passages < state.chunkCount).map((entry) => entry.phrase),
  };
}

/**
 * The fill: the `count` passages best in the common phrases' champion lists together (each list's own BM25 times the
 * phrase's IDF, summed), best first (ties by id).
 */
function fillOf(common: readonly string[][], championLists: ReadonlyMap<string, Champion>, idfOf: ReadonlyMap<string, number>, count: number): number[] {
  const fillScores = new Map<number, number>();
  for (const phrase of common) {
    const champion = championLists.get(phrase.join(" "));
    if (champion === undefined) continue;
    const idf = idfOf.get(phrase.join(" ")) ?? 0;
    champion.chunkIds.forEach((chunkId, index) => fillScores.set(chunkId, (fillScores.get(chunkId) ?? 0) + idf * champion.strengths[index]!));
  }
  return [...fillScores]
    .sort((left, right) => right[1] - left[1] || left[0] - right[0])
    .slice(0, count)
    .map(([chunkId]) => chunkId);
}
