/**
 * The passage index in PostgreSQL: full text ranked by FTS5's BM25 inside the database (the top `limit` chosen
 * before anything is joined to documents), document frequencies from the per-workspace stem counts, statistics from
 * the counter row, and vectors through pgvector when the server has it.
 */
import { HearthError, describeError } from "../../errors/hearth-error.ts";
import { stemToken, tokenize } from "../passage-tokens.ts";
import type { TextSearchSettings } from "../sqlite-text-search.ts";
import type { CorpusStatistics, EmbeddingStatus, PassageHit, PassageIndex, PassageRecord, TextQuery } from "../types.ts";
import { compileTextQuery, contextWeight, inverseDocumentFrequency, phraseQuery, postgresRankHereSettings, postgresTextSearchSettings, type RankHereSettings } from "./postgres-text-search.ts";
import { RankHere } from "./postgres-rank-here.ts";
import { asId, passageColumns, passageJoin, toPassage, type Bigint, type PassageRow } from "./postgres-rows.ts";
import type { WorkspaceQueries } from "./workspace-queries.ts";
import { bestOfBoth, mergeRareAndFill, splitByBudget } from "../narrowed-merge.ts";
import { ChampionSearch, championSearchSettings, fresh, longerPhrasesShare, phrasesByLength, vectorPositions, type ChampionSearchSettings, type LibraryState } from "./postgres-champion-search.ts";

export const pgvectorMissing = "pgvector is not installed on the PostgreSQL server: search uses BM25 alone";

/** How a search ranks: for tests and benchmarks; the defaults suit every library. */
export interface SearchTuning {
  /** Passages the first, rare-phrase pass may score (at least 20 × the limit); default 5,000. */
  rareCandidateBudget?: number;
  /**
   * Told which plan answered each search (or part of it): "rare-first" (a MaxScore pass was exact), "full" (every
   * candidate ranked), "narrowed" (past the posting budget: rare phrases and a fill, as the SQLite store does),
   * "champions" (a library of `championFrom` passages or more: postgres-champion-search.ts).
   */
  onSearchPlan?: (plan: "rare-first" | "full" | "narrowed" | "champions") => void;
  /** How a large library's search is bounded (default: src/store/text-search.json with postgres-text-search.json's posting budget). */
  textSearch?: TextSearchSettings;
  /** How a library of `championFrom` passages or more is searched (default: postgres-champion-search.json). */
  championSearch?: ChampionSearchSettings;
  /**
   * When a small library is ranked in this process (postgres-rank-here.ts) rather than by the ranking statement;
   * defaults from `rankHere` in postgres-text-search.json. Same results either way.
   */
  rankHere?: Partial<RankHereSettings>;
  /** Told where each ranking was done: in this process (postgres-rank-here.ts) or by the ranking statement. */
  onRanked?: (where: "process" | "statement") => void;
}

/** A ranked candidate's bounds as the ranking statement sends them (`#rank`): float8s and the tsvector's text form. */
interface RankBounds {
  single: number;
  low: number;
  high: number;
  norm: number;
  /** Only where the bounds differ. */
  vector: string | null;
}

interface LibraryTotals {
  chunkCount: number;
  textTokens: number;
  indexedTokens: number;
}

export class PostgresPassages implements PassageIndex {
  readonly #queries: WorkspaceQueries;
  /** Why vectors are unavailable (no pgvector), or null. */
  readonly #vectorsUnavailable: string | null;
  readonly #location: string;
  readonly #tuning: SearchTuning;
  readonly #champions: ChampionSearch;
  readonly #rankHere: RankHere;
  /** Whether the last search found a library of championFrom passages or more. */
  #largeSeen = false;

  constructor(queries: WorkspaceQueries, location: string, vectorsUnavailable: string | null, tuning: SearchTuning = {}) {
    this.#queries = queries;
    this.#champions = new ChampionSearch(queries);
    this.#tuning = tuning;
    this.#rankHere = new RankHere(queries, { ...postgresRankHereSettings, ...tuning.rankHere });
    this.#location = location;
    this.#vectorsUnavailable = vectorsUnavailable;
  }

  async #totals(): Promise<LibraryTotals> {
    const result = await this.#queries.query<{ chunk_count: Bigint; text_tokens: Bigint; indexed_tokens: Bigint }>(
      "SELECT chunk_count, text_tokens, indexed_tokens FROM library_statistics WHERE workspace_id = $1",
    );
    const row = result.rows[0];
    return {
      chunkCount: Number(row?.chunk_count ?? 0),
      textTokens: Number(row?.text_tokens ?? 0),
      indexedTokens: Number(row?.indexed_tokens ?? 0),
    };
  }

  /**
   * Passages holding each phrase (stems, keyed by the stems joined with spaces), and the library's totals,
   * in one round trip of indexed reads: one-stem phrases from the stem counts, longer ones from the phrase counts kept
   * for the library's current passage generation. A longer phrase not counted at this generation is counted through
   * the index up to `phraseCountCap` passages (estimated past it, as the SQLite store does) and kept; a server that refuses the
   * write (a read-only replica) simply counts again next time.
   */
  async #counts(
    phrases: string[][],
    documentIds: number[] | null = null,
  ): Promise<{ stems: Map<string, number>; phrases: Map<string, number>; totals: LibraryTotals; state: LibraryState; documentPassages: number | undefined }> {
    // Every stem of every phrase (a longer phrase's words bound what it can cost), and the longer phrases themselves.
    const singles = [...new Set(phrases.flat())];
    const longer = [...new Set(phrases.filter((stems) => stems.length > 1).map((stems) => stems.join(" ")))];
    // Kept phrase counts with the generation and library size they were taken at ('phrase' rows: passages, then
    // "generation library_passages" as the key's tail); which still hold is decided below.
    const result = await this.#queries.query<{ kind: string; key: string; passages: Bigint }>(
      `SELECT 'stem' AS kind, s.stem AS key, s.passages::bigint AS passages FROM library_stems s WHERE s.workspace_id = $1 AND s.stem = ANY ($2::text[])
       UNION ALL
       SELECT 'phrase', concat_ws(' ', p.generation, coalesce(p.library_passages, -1), p.phrase), p.passages::bigint FROM library_phrase_counts p
        WHERE p.workspace_id = $1 AND p.phrase = ANY ($3::text[])
       UNION ALL
       SELECT 'statistics', concat_ws(' ', g.chunk_count, g.text_tokens, g.indexed_tokens), g.passage_generation
         FROM library_statistics g WHERE g.workspace_id = $1${
           // A restricted search's documents' passages (whether they are few enough to read whole), in the same trip.
           documentIds === null
             ? ""
             : `
       UNION ALL
       SELECT 'documents', '', coalesce(sum(d.chunk_count), 0)::bigint FROM library_documents d WHERE d.workspace_id = $1 AND d.id = ANY ($4::bigint[])`
         }`,
      documentIds === null ? [singles, longer] : [singles, longer, documentIds],
    );
    const stemCounts = new Map<string, number>();
    const phraseCounts = new Map<string, number>();
    let generation: number | null = null;
    // The statistics row comes in the same round trip (its three totals as one text column, to fit the union).
    let totals: LibraryTotals = { chunkCount: 0, textTokens: 0, indexedTokens: 0 };
    const kept: { phrase: string; generation: number; libraryPassages: number; passages: number }[] = [];
    let documentPassages: number | undefined;
    for (const row of result.rows) {
      if (row.kind === "stem") stemCounts.set(row.key, Number(row.passages));
      else if (row.kind === "documents") documentPassages = Number(row.passages);
      else if (row.kind === "phrase") {
        const [keptGeneration, libraryPassages, ...words] = row.key.split(" ");
        kept.push({ phrase: words.join(" "), generation: Number(keptGeneration), libraryPassages: Number(libraryPassages), passages: Number(row.passages) });
      } else {
        generation = Number(row.passages);
        const [chunkCount, textTokens, indexedTokens] = row.key.split(" ").map(Number);
        totals = { chunkCount: chunkCount ?? 0, textTokens: textTokens ?? 0, indexedTokens: indexedTokens ?? 0 };
      }
    }
    const settings = this.#tuning.textSearch ?? postgresTextSearchSettings;
    const state: LibraryState = { chunkCount: totals.chunkCount, indexedTokens: totals.indexedTokens, generation: generation ?? 0 };
    const large = totals.chunkCount >= settings.championFrom;
    // A count holds for its generation; in a large library also while the library's size moves by less than the
    // stale share (as its champion lists do), so a library being written to is not recounted after every document.
    for (const count of kept) {
      const holds = count.generation === state.generation || (large && count.libraryPassages >= 0 && fresh(count, state, settings.championStaleShare));
      if (holds) phraseCounts.set(count.phrase, count.passages);
    }
    // A large library counts here only the phrases with a rare word (GIN finds their few candidates); a phrase of
    // common words is counted with its champion list (postgres-champion-search.ts), the one pass that reads them all.
    const rareEnough = (phrase: string): boolean =>
      !large || Math.min(...phrase.split(" ").map((stem) => stemCounts.get(stem) ?? 0)) <= settings.phraseCountCap;
    const missing = longer.filter((phrase) => !phraseCounts.has(phrase) && rareEnough(phrase));
    // An empty library (no statistics row yet) holds no phrase.
    if (missing.length > 0 && generation !== null) {
      const cap = (this.#tuning.textSearch ?? postgresTextSearchSettings).phraseCountCap;
      // Counted up to the cap, as the SQLite store counts (every passage holding all of a phrase's words is rechecked
      // for the phrase: at a million passages "looked after children" rechecked about half the library). Past the
      // cap, the share of the workspace's id span its first `cap` matches took says how common it is. Only the GIN
      // bitmap may find them (in table order, which is id order for a library written in order); a scan in id
      // order would test every passage's tsvector until the cap-th match.
      const counted = await this.#queries.withSettings({ enable_seqscan: "off", enable_indexscan: "off" }).query<{ i: Bigint; n: Bigint; last: Bigint | null }>(
        `SELECT q.i, s.n, s.last
           FROM unnest($2::text[]) WITH ORDINALITY AS q(query, i)
           CROSS JOIN LATERAL (SELECT count(*) AS n, max(m.id) AS last FROM (
             SELECT c.id FROM library_chunks c WHERE c.workspace_id = $1 AND c.terms @@ q.query::tsquery LIMIT $3) m) s`,
        [missing.map((phrase) => phraseQuery(phrase.split(" "))), cap],
      );
      // The id span from the primary key's two ends (outside the statement above, which may not use that index).
      let span: { first: number; final: number } | null = null;
      if (counted.rows.some((row) => Number(row.n) >= cap)) {
        const ends = await this.#queries.query<{ first: Bigint | null; final: Bigint | null }>(
          "SELECT min(k.id) AS first, max(k.id) AS final FROM library_chunks k WHERE k.workspace_id = $1",
        );
        const row = ends.rows[0];
        if (row?.first != null && row.final != null) span = { first: Number(row.first), final: Number(row.final) };
      }
      for (const row of counted.rows) {
        const found = Number(row.n);
        let estimate = found;
        if (found >= cap && row.last !== null && span !== null) {
          const first = span.first;
          const covered = Math.max(1, Number(row.last) - first + 1);
          const whole = Math.max(covered, span.final - first + 1);
          estimate = Math.min(totals.chunkCount, Math.round((found * whole) / covered));
        }
        phraseCounts.set(missing[Number(row.i) - 1]!, estimate);
      }
      try {
        // Counted at `generation` or later: kept under `generation`, never over a newer generation's count.
        await this.#queries.query(
          `INSERT INTO library_phrase_counts (workspace_id, phrase, generation, passages, library_passages)
           SELECT $1, t.phrase, $2, t.passages, $5 FROM unnest($3::text[], $4::integer[]) AS t(phrase, passages)
           ON CONFLICT (workspace_id, phrase) DO UPDATE SET generation = excluded.generation, passages = excluded.passages,
             library_passages = excluded.library_passages
            WHERE library_phrase_counts.generation <= excluded.generation`,
          [generation, missing, missing.map((phrase) => phraseCounts.get(phrase) ?? 0), totals.chunkCount],
        );
      } catch {
        // Read-only (a replica) or contended: the counts are still right for this search, only not kept.
      }
    }
    for (const stem of singles) phraseCounts.set(stem, stemCounts.get(stem) ?? 0);
    return { stems: stemCounts, phrases: phraseCounts, totals, state, documentPassages };
  }

  async searchText(query: TextQuery): Promise<PassageHit[]> {
    const limit = Math.floor(Number(query.limit));
    if (!Number.isFinite(limit) || limit <= 0) return [];
    const compiled = compileTextQuery(query.terms);
    if (compiled === null) return [];
    let documentIds: number[] | null = null;
    if (query.documentIds !== undefined) {
      documentIds = query.documentIds.map(asId).filter((id): id is number => id !== null);
      if (documentIds.length === 0) return [];
    }
    const { phrases } = compiled;
    const searchSettings = this.#tuning.textSearch ?? postgresTextSearchSettings;
    // A library known to be large (its last search's size) reads its phrases' kept champion lists beside the counts,
    // on another connection: a round trip fewer per search (a stale or unused list costs only its bytes).
    const prefetched = this.#largeSeen ? this.#champions.prefetch(phrases) : undefined;
    // Not awaited until used: a failed read then fails the search, and an unused one must not go unhandled.
    prefetched?.rows.catch(() => undefined);
    // A search of a few documents learns their size with the counts (whether to read them whole).
    const few = documentIds !== null && new Set(documentIds).size <= searchSettings.fewDocuments;
    const counts = await this.#counts(phrases, few ? documentIds : null);
    // The library's size, its tokens and its passage generation (what `RankHere` keeps is kept per generation).
    const totals = counts.state;
    this.#largeSeen = totals.chunkCount >= searchSettings.championFrom;
    if (totals.chunkCount === 0) return [];
    if (totals.chunkCount >= searchSettings.championFrom) {
      this.#tuning.onSearchPlan?.("champions");
      const distinctPhrases = new Map<string, string[]>();
      for (const stems of phrases) if (!distinctPhrases.has(stems.join(" "))) distinctPhrases.set(stems.join(" "), stems);
      const hits = await this.#champions.search({
        phrases: [...distinctPhrases.values()],
        stemPassages: (stem) => counts.stems.get(stem) ?? 0,
        phrasePassages: counts.phrases,
        state: counts.state,
        limit,
        documentIds,
        ...(counts.documentPassages === undefined ? {} : { documentPassages: counts.documentPassages }),
        ...(prefetched === undefined ? {} : { prefetched }),
        settings: searchSettings,
        large: this.#tuning.championSearch ?? championSearchSettings,
      });
      const passages = new Map((await this.getPassages(hits.map((hit) => hit.chunkId))).map((passage) => [passage.chunkId, passage]));
      return hits.flatMap((hit) => {
        const passage = passages.get(hit.chunkId);
        return passage === undefined ? [] : [{ ...passage, score: hit.score }];
      });
    }
    const passages = (stems: string[]): number => counts.phrases.get(stems.join(" ")) ?? 0;
    const idfOf = (stems: string[]): number => inverseDocumentFrequency(totals.chunkCount, passages(stems));
    const settings = this.#tuning.textSearch ?? postgresTextSearchSettings;
    // As the SQLite store bounds an FTS5 query (sqlite-text-search.ts, the same settings): what a phrase can cost is
    // its rarest word's passages when that is rare, else its own count.
    const bound = (stems: string[]): number => {
      const rarest = Math.min(...stems.map((stem) => counts.stems.get(stem) ?? 0));
      return stems.length === 1 || rarest <= settings.phraseCountCap ? rarest : passages(stems);
    };
    const total = phrases.reduce((sum, stems) => sum + bound(stems), 0);
    const budget = Math.max(settings.postingBudget, Math.round(settings.postingBudgetShare * totals.chunkCount));
    // A small library, a query within the budget, or a search of a few documents: every phrase, ranked exactly.
    if (total <= budget || totals.chunkCount < settings.narrowFrom || few) {
      return this.#rankEither(phrases, phrases.map(idfOf), phrases.map(passages), totals, limit, documentIds);
    }
    this.#tuning.onSearchPlan?.("narrowed");
    // Past the budget: the rarest phrases OR-ed while their passages fit it, and a fill of passages holding the
    // commoner phrases together (AND, rarest first, until their expected overlap fits), each ranked by bm25 on its
    // own phrases, as FTS5 ranks those two expressions; merged as the SQLite store merges them.
    // Each stem sequence once ("local authority" and "local authorities" are one phrase to the index).
    const distinct = new Map<string, string[]>();
    for (const stems of phrases) if (!distinct.has(stems.join(" "))) distinct.set(stems.join(" "), stems);
    const counted = [...distinct.values()].map((stems) => ({ phrase: stems, passages: bound(stems) })).sort((left, right) => left.passages - right.passages);
    const orOf = (list: string[][]): string => list.map((stems) => `(${phraseQuery(stems)})`).join(" | ");
    const { rare, common, together } = splitByBudget(counted, budget, totals.chunkCount);
    // The rare phrases' passages fit the budget already: one ranking (a MaxScore pass first was a wasted statement
    // on the dev questions at 100k, where the rare side holds many glossary phrases). The fill runs beside it.
    const fillQuery =
      together.length >= 2
        ? this.#rank(together, together.map(idfOf), together.map((stems) => `(${phraseQuery(stems)})`).join(" & "), totals, limit, documentIds)
        : rare.length === 0
          ? this.#rank([common[0]!.phrase], [idfOf(common[0]!.phrase)], phraseQuery(common[0]!.phrase), totals, limit, documentIds)
          : Promise.resolve([]);
    const [rareHits, fillHits] = await Promise.all([
      rare.length > 0 ? this.#rank(rare, rare.map(idfOf), orOf(rare), totals, limit, documentIds) : Promise.resolve([]),
      fillQuery,
    ]);
    if (settings.rankRareWithCommon && rare.length > 0 && common.length > 0) {
      const both = [...rare, ...common.map((entry) => entry.phrase)];
      const withCommon = await this.#rank(both, both.map(idfOf), `(${orOf(rare)}) & (${orOf(common.map((entry) => entry.phrase))})`, totals, limit, documentIds);
      return mergeRareAndFill(bestOfBoth(rareHits, withCommon), fillHits, limit, settings.fillShare);
    }
    return mergeRareAndFill(rareHits, fillHits, limit, settings.fillShare);
  }

  /**
   * The exact top `limit` of the phrases OR-ed. MaxScore: rank first only the passages holding one of the rarer
   * phrases (scored on every phrase), so the cost follows the rare terms. A passage holding none of them scores below
   * the sum of the other phrases' largest possible contributions (IDF × (k1 + 1)); when the k-th score found is above
   * that bound, no such passage can enter the top k and the answer is exactly the full ranking's. Otherwise rank
   * every candidate, as FTS5 does.
   */
  async #rankEither(phrases: string[][], idfs: number[], containing: number[], totals: LibraryState, limit: number, documentIds: number[] | null): Promise<PassageHit[]> {
    const byRarity = phrases.map((_, index) => index).sort((left, right) => containing[left]! - containing[right]!);
    // Up to three passes, each allowed four times the postings of the one before, before ranking everything.
    let budget = Math.max(this.#tuning.rareCandidateBudget ?? 5_000, 20 * limit);
    let taken = 0;
    for (let pass = 0; pass < 3; pass += 1, budget *= 4) {
      let postings = 0;
      let rare = 0;
      while (rare < byRarity.length && (rare === 0 || postings + containing[byRarity[rare]!]! <= budget)) {
        postings += containing[byRarity[rare]!]!;
        rare += 1;
      }
      if (rare >= byRarity.length) break;
      if (rare <= taken) continue; // the budget grew too little to take another phrase
      taken = rare;
      const bound = byRarity.slice(rare).reduce((sum, index) => sum + idfs[index]! * 2.2, 0);
      const rareQuery = byRarity.slice(0, rare).map((index) => `(${phraseQuery(phrases[index]!)})`).join(" | ");
      const hits = await this.#rank(phrases, idfs, rareQuery, totals, limit, documentIds);
      if (hits.length === limit && hits[limit - 1]!.score > bound) {
        this.#tuning.onSearchPlan?.("rare-first");
        return hits;
      }
    }
    this.#tuning.onSearchPlan?.("full");
    return this.#rank(phrases, idfs, phrases.map((stems) => `(${phraseQuery(stems)})`).join(" | "), totals, limit, documentIds);
  }

  /**
   * The top `limit` passages matching `match` (a tsquery), scored on every phrase by FTS5's bm25(): per phrase,
   * IDF × f·(k1 + 1) / (f + k1·(1 − b + b·length/average)), k1 = 1.2, b = 0.75, where f is the phrase's hits weighted
   * by column. The top `limit` are chosen before anything is joined to documents.
   *
   * Where the time goes, and how it is bounded (EXPLAIN ANALYZE on the slowest dev question at 22k passages):
   * - Each candidate's tsvector and stem counts are read (detoasted) once, in a lateral `OFFSET 0` subquery, and the
   *   in-memory copies are what every phrase test and count look-up then reads. Referenced directly, each `@@` and
   *   each `->>` decompressed the value again: a dozen phrases and sixteen words cost ~1 ms a candidate.
   * - One-stem phrases read their hits from the stem counts (exact and cheap). A longer phrase's hits are bounded
   *   without its positions: present in the text (`'a':A <-> 'b':A`) counts at least 1, in the context at least the
   *   context weight, and at most as often as its rarest stem occurs there. Where the bounds meet (the phrase's rarest
   *   word occurs once), that is the exact count. Only candidates whose upper bound can still reach the k-th best lower
   *   bound, and whose bounds differ, have the phrase counted from the tsvector's positions (hearth_phrase_frequency).
   */
  async #rank(phrases: string[][], idfs: number[], match: string, totals: LibraryState, limit: number, documentIds: number[] | null): Promise<PassageHit[]> {
    if (this.#rankHere.takes(totals)) {
      this.#tuning.onRanked?.("process");
      const averageLength = totals.indexedTokens / totals.chunkCount;
      return this.#rankHere.rank({ phrases, idfs, match, averageLength, generation: totals.generation, limit, documentIds });
    }
    const { single, longer } = phrasesByLength(phrases, idfs);
    // The same arithmetic, in the same order, wherever a score is computed, so bounds that meet give the exact score.
    const saturation = (frequency: string, idf: string, norm: string) => `${idf} * ${frequency} * 2.2 / (${frequency} + ${norm})`;
    // The planner overestimates how many passages an OR of phrases matches (a phrase counts as all its words) and
    // then scans the whole table, reading every passage's tsvector to test it; the GIN index reads only candidates
    // (at 22k passages: 364 ms of sequential scan for 2,691 matches). So this statement may not scan sequentially.
    this.#tuning.onRanked?.("statement");
    const result = await this.#queries.withSettings({ enable_seqscan: "off" }).query<PassageRow & RankBounds>(
      `WITH matched AS MATERIALIZED (
         SELECT c.id, d.norm, (SELECT coalesce(sum(${saturation("w.f", "w.idf", "d.norm")}), 0) FROM (
                    SELECT q.idf, coalesce((d.tc ->> q.stem)::float8, 0) + $4::float8 * coalesce((d.cc ->> q.stem)::float8, 0) AS f
                      FROM unnest($5::text[], $6::float8[]) AS q(stem, idf)) AS w WHERE w.f > 0) AS single, b.low, b.high
           FROM library_chunks c
           CROSS JOIN LATERAL (SELECT c.terms || ''::tsvector AS terms, '{}'::jsonb || c.text_counts AS tc, '{}'::jsonb || c.context_counts AS cc,
                                      1.2 * (0.25 + 0.75 * c.indexed_length / $3) AS norm OFFSET 0) d
           CROSS JOIN LATERAL (SELECT coalesce(sum(${saturation("f.low", "f.idf", "d.norm")}), 0) AS low,
                                      coalesce(sum(${saturation("f.high", "f.idf", "d.norm")}), 0) AS high FROM (
               SELECT e.idf, CASE WHEN e.in_text THEN 1 ELSE 0 END + CASE WHEN e.in_context THEN $4::float8 ELSE 0 END AS low,
                      CASE WHEN e.in_text THEN e.text_most ELSE 0 END + CASE WHEN e.in_context THEN $4::float8 * e.context_most ELSE 0 END AS high
                 FROM (SELECT q.idf, d.terms @@ q.text_query AS in_text, d.terms @@ q.context_query AS in_context,
                              (SELECT min(coalesce((d.tc ->> p.stem)::float8, 0)) FROM unnest(string_to_array(q.parts, ' ')) AS p(stem)) AS text_most,
                              (SELECT min(coalesce((d.cc ->> p.stem)::float8, 0)) FROM unnest(string_to_array(q.parts, ' ')) AS p(stem)) AS context_most
                         FROM unnest($7::tsquery[], $8::tsquery[], $9::tsquery[], $10::text[], $11::float8[]) AS q(query, text_query, context_query, parts, idf)
                        WHERE d.terms @@ q.query OFFSET 0) AS e) AS f WHERE f.low > 0) b
          WHERE c.workspace_id = $1 AND c.terms @@ $2::tsquery${documentIds === null ? "" : " AND c.document_id = ANY ($13::bigint[])"}),
       bar AS (SELECT m.single + m.low AS score FROM matched m ORDER BY 1 DESC LIMIT 1 OFFSET $12 - 1),
       top AS (
         SELECT m.id, m.single, m.low, m.high, m.norm FROM matched m
          WHERE m.single + m.high >= coalesce((SELECT bar.score - 1e-9 * abs(bar.score) FROM bar), '-Infinity'::float8))
       SELECT ${passageColumns}, top.single, top.low, top.high, top.norm, CASE WHEN top.low <> top.high THEN c.terms::text END AS vector
         FROM top JOIN library_chunks c ON c.workspace_id = $1 AND c.id = top.id
         JOIN library_documents d ON d.workspace_id = c.workspace_id AND d.id = c.document_id`,
      [
        match,
        totals.indexedTokens / totals.chunkCount,
        contextWeight,
        single.map((phrase) => phrase.stem),
        single.map((phrase) => phrase.idf),
        longer.map((phrase) => phraseQuery(phrase.stems)),
        longer.map((phrase) => phraseQuery(phrase.stems, "A")),
        longer.map((phrase) => phraseQuery(phrase.stems, "B")),
        longer.map((phrase) => phrase.stems.join(" ")),
        longer.map((phrase) => phrase.idf),
        limit,
        ...(documentIds === null ? [] : [documentIds]),
      ],
      documentIds === null ? "hearth_rank" : "hearth_rank_in_documents",
    );
    // The candidates that can still reach the top come back with their bounds; where the bounds differ (a longer
    // phrase's rarest word occurs more than once), each longer phrase it holds is counted here from the tsvector's
    // text form, as hearth_phrase_frequency counts it from the positions (the SQL function unnested every lexeme of the
    // vector: ~165 µs a candidate, 40% of a 210-passage library's ranking). The score is the same sum, in the same
    // order, as the statement computed it, so it is the same number.
    const longerStems = new Set(longer.flatMap((phrase) => phrase.stems));
    const scored = result.rows.map((row) => {
      const single = Number(row.single);
      let score = single + Number(row.low);
      if (row.vector !== null) score = single + longerPhrasesShare(vectorPositions(row.vector, longerStems), longer, Number(row.norm));
      return { ...toPassage(row), score };
    });
    return scored.sort((left, right) => right.score - left.score || left.chunkId - right.chunkId).slice(0, limit);
  }

  async getPassages(chunkIds: number[]): Promise<PassageRecord[]> {
    const ids = [...new Set(chunkIds.map(asId).filter((id): id is number => id !== null))];
    if (ids.length === 0) return [];
    const result = await this.#queries.query<PassageRow>(
      `SELECT ${passageColumns} FROM ${passageJoin} WHERE c.workspace_id = $1 AND c.id = ANY ($2::bigint[])`,
      [ids],
    );
    const byId = new Map(result.rows.map((row) => [Number(row.id), row]));
    // In the order asked for, each id once, unknown ids skipped.
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row === undefined ? [] : [toPassage(row)];
    });
  }

  async documentFrequencies(terms: string[]): Promise<Map<string, number>> {
    const frequencies = new Map<string, number>();
    const phrases: string[][] = [];
    const phraseOf = new Map<string, number>();
    for (const term of terms) {
      const tokens = tokenize(String(term));
      if (tokens.length === 0 || tokens.some((token) => Buffer.byteLength(token, "utf8") >= 2_000)) {
        frequencies.set(term, 0);
        continue;
      }
      phraseOf.set(term, phrases.length);
      phrases.push(tokens.map(stemToken));
    }
    if (phrases.length > 0) {
      const counts = await this.#counts(phrases);
      // A large library's phrases of common words are counted with their champion lists (once per library state).
      const uncounted = phrases.filter((stems) => !counts.phrases.has(stems.join(" ")));
      if (uncounted.length > 0) {
        const settings = this.#tuning.textSearch ?? postgresTextSearchSettings;
        for (const [key, champion] of await this.#champions.champions(uncounted, counts.state, settings)) counts.phrases.set(key, champion.passages);
      }
      for (const [term, index] of phraseOf) frequencies.set(term, counts.phrases.get(phrases[index]!.join(" ")) ?? 0);
    }
    return frequencies;
  }

  async prepareSearch(options: {
    phrases: readonly string[];
    frequentWords: number;
    keptPhrases: number;
    except: readonly string[];
    signal?: AbortSignal;
  }): Promise<{ built: number; fresh: number; stopped: boolean }> {
    const settings = this.#tuning.textSearch ?? postgresTextSearchSettings;
    const large = this.#tuning.championSearch ?? championSearchSettings;
    // GIN takes new passages into a pending list (`fastupdate`, up to gin_pending_list_limit, 4 MB by default) that
    // every lookup reads in full, and autovacuum merges it only once a table's inserts pass its threshold (200,000 at
    // 1M passages), so after a batch it could stay for days: at 1M a lookup of a word in no passage read 326 buffers
    // with 787 passages pending, 9 once merged (docs/benchmarks.md, issue 14 eighth stop). After a batch is the time.
    await this.#queries.mergePendingFullTextEntries();
    const totals = await this.#totals();
    if (totals.chunkCount < settings.championFrom) return { built: 0, fresh: 0, stopped: false };
    const stemsOf = (text: string): string[] => tokenize(text).map(stemToken);
    const except = new Set(options.except.flatMap(stemsOf));
    const phrases = new Map<string, string[]>();
    /** A phrase of stems, unless it is empty or only of stop words. */
    const add = (stems: string[]): void => {
      if (stems.length > 0 && stems.some((stem) => !except.has(stem))) phrases.set(stems.join(" "), stems);
    };
    for (const text of options.phrases) add(stemsOf(text));
    // The commonest words a champion list is kept for (in fewer than half the passages: see championSearch.search).
    const frequent = await this.#queries.query<{ stem: string }>(
      `SELECT s.stem FROM library_stems s WHERE s.workspace_id = $1 AND s.passages > $2 AND 2 * s.passages < $3 AND NOT (s.stem = ANY ($4::text[]))
        ORDER BY s.passages DESC, s.stem LIMIT $5`,
      [large.rareCandidates, totals.chunkCount, [...except], options.frequentWords],
    );
    for (const row of frequent.rows) phrases.set(row.stem, [row.stem]);
    // The phrases searches kept lists for, fresh or stale (a fresh one is only counted below): once a batch has moved
    // the library past the stale share, the next search meeting each would rebuild it while a user waits. The
    // costliest first (the most passages to read).
    const searched = await this.#queries.query<{ phrase: string }>(
      "SELECT phrase FROM library_phrase_champions WHERE workspace_id = $1 ORDER BY passages DESC, phrase LIMIT $2",
      [options.keptPhrases],
    );
    for (const { phrase } of searched.rows) add(phrase.split(" "));
    const counts = await this.#counts([...phrases.values()]);
    // Only phrases a search would take from a champion list: too common for the rare side on their own.
    const common = [...phrases.values()].filter((stems) => {
      const rarest = Math.min(...stems.map((stem) => counts.stems.get(stem) ?? 0));
      return rarest > large.rareCandidates && (stems.length > 1 || 2 * rarest < counts.state.chunkCount);
    });
    const before = await this.#champions.keptFresh(common, counts.state, settings);
    // One at a time: each is one statement over the passages holding its words, so a search beside it still runs,
    // and the caller can stop between two (at 1M passages one list takes up to a minute, all of them tens of minutes).
    let visited = 0;
    for (const stems of common) {
      if (options.signal?.aborted) return { built: Math.max(0, visited - before), fresh: before, stopped: true };
      await this.#champions.champions([stems], counts.state, settings);
      visited++;
    }
    return { built: common.length - before, fresh: before, stopped: false };
  }

  async statistics(): Promise<CorpusStatistics> {
    const totals = await this.#totals();
    return { chunkCount: totals.chunkCount, averageLength: totals.chunkCount === 0 ? 0 : totals.textTokens / totals.chunkCount };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Vectors (pgvector): library_vectors holds one vector per passage, all from the model in library_embedding_models.

  async #embeddingModel(): Promise<{ model: string; dimensions: number } | undefined> {
    const result = await this.#queries.query<{ model: string; dimensions: number }>(
      "SELECT model, dimensions FROM library_embedding_models WHERE workspace_id = $1",
    );
    return result.rows[0];
  }

  async withoutEmbedding(model: string, limit: number): Promise<PassageRecord[]> {
    // Without pgvector nothing can be saved, so nothing is waiting for a vector (an embedding run has nothing to do).
    if (this.#vectorsUnavailable !== null) return [];
    const count = Math.max(0, Math.floor(Number(limit)));
    if (!Number.isFinite(count) || count === 0) return [];
    const result = await this.#queries.query<PassageRow>(
      `SELECT ${passageColumns} FROM ${passageJoin}
         LEFT JOIN library_vectors v ON v.workspace_id = c.workspace_id AND v.chunk_id = c.id AND v.model = $2
        WHERE c.workspace_id = $1 AND v.chunk_id IS NULL ORDER BY c.id LIMIT $3`,
      [model, Math.min(count, Number.MAX_SAFE_INTEGER)],
    );
    return result.rows.map(toPassage);
  }

  async saveEmbeddings(model: string, rows: { chunkId: number; vector: number[] }[]): Promise<void> {
    if (rows.length === 0 || this.#vectorsUnavailable !== null) return;
    const dimensions = rows[0]!.vector.length;
    for (const row of rows) {
      if (row.vector.length !== dimensions || dimensions === 0 || !row.vector.every(Number.isFinite)) {
        throw new HearthError("INVALID_INPUT", `embeddings from ${model}: every vector must have ${dimensions} finite numbers (passage ${row.chunkId})`, {
          subject: model,
        });
      }
    }
    try {
      await this.#queries.transaction(async (queries) => {
        const current = await queries.query<{ model: string; dimensions: number }>(
          "SELECT model, dimensions FROM library_embedding_models WHERE workspace_id = $1 FOR UPDATE",
        );
        const index = current.rows[0];
        if (index === undefined || index.model !== model || index.dimensions !== dimensions) {
          // A new model (or the first): its vectors are not comparable with the old ones, so start again.
          await queries.query("DELETE FROM library_vectors WHERE workspace_id = $1", []);
          await queries.query(
            `INSERT INTO library_embedding_models (workspace_id, model, dimensions) VALUES ($1, $2, $3)
             ON CONFLICT (workspace_id) DO UPDATE SET model = excluded.model, dimensions = excluded.dimensions`,
            [model, dimensions],
          );
        }
        // Passages removed while they were being embedded are skipped by the join.
        await queries.query(
          `INSERT INTO library_vectors (workspace_id, chunk_id, model, embedding)
           SELECT $1, c.id, $2, t.embedding::vector
             FROM unnest($3::bigint[], $4::text[]) AS t(id, embedding) JOIN library_chunks c ON c.workspace_id = $1 AND c.id = t.id
           ON CONFLICT (workspace_id, chunk_id) DO UPDATE SET model = excluded.model, embedding = excluded.embedding`,
          [model, rows.map((row) => row.chunkId), rows.map((row) => `[${row.vector.join(",")}]`)],
        );
      });
    } catch (error) {
      if (error instanceof HearthError) throw error;
      throw new HearthError("STORE_FAILED", `${this.#location}: could not save embeddings (${describeError(error)})`, {
        subject: this.#location,
        cause: error,
      });
    }
  }

  async vectorSearch(model: string, vector: number[], limit: number, documentIds?: number[]): Promise<PassageHit[]> {
    const count = Math.floor(Number(limit));
    if (!Number.isFinite(count) || count <= 0 || this.#vectorsUnavailable !== null) return [];
    const index = await this.#embeddingModel();
    if (index === undefined || index.model !== model) return [];
    if (vector.length !== index.dimensions || !vector.every(Number.isFinite)) {
      throw new HearthError("INVALID_INPUT", `a query vector of ${vector.length} numbers cannot be compared with ${model}'s ${index.dimensions}`, {
        subject: model,
      });
    }
    let ids: number[] | null = null;
    if (documentIds !== undefined) {
      ids = documentIds.map(asId).filter((id): id is number => id !== null);
      if (ids.length === 0) return [];
    }
    // Exact cosine distance over the workspace's vectors (an unconstrained vector column has no ANN index).
    const result = await this.#queries.query<{ chunk_id: Bigint; distance: number }>(
      `SELECT v.chunk_id, v.embedding <=> $2::vector AS distance
         FROM library_vectors v JOIN library_chunks c ON c.workspace_id = v.workspace_id AND c.id = v.chunk_id
        WHERE v.workspace_id = $1 AND v.model = $3${ids === null ? "" : " AND c.document_id = ANY ($5::bigint[])"}
        ORDER BY distance, v.chunk_id LIMIT $4`,
      [`[${vector.join(",")}]`, model, count, ...(ids === null ? [] : [ids])],
    );
    const distances = new Map(result.rows.map((row) => [Number(row.chunk_id), Number(row.distance)]));
    const passages = await this.getPassages([...distances.keys()]);
    return passages.map((passage) => ({ ...passage, score: 1 - (distances.get(passage.chunkId) ?? 1) }));
  }

  async embeddingStatus(): Promise<EmbeddingStatus> {
    const [index, totals] = await Promise.all([this.#embeddingModel(), this.#totals()]);
    let embedded = 0;
    if (index !== undefined && this.#vectorsUnavailable === null) {
      const result = await this.#queries.query<{ n: Bigint }>(
        "SELECT count(*) AS n FROM library_vectors WHERE workspace_id = $1 AND model = $2",
        [index.model],
      );
      embedded = Number(result.rows[0]?.n ?? 0);
    }
    return {
      model: index?.model ?? null,
      dimensions: index?.dimensions ?? null,
      embedded,
      total: totals.chunkCount,
      unavailable: this.#vectorsUnavailable,
    };
  }
}
