/**
 * A small library's ranking done in this process (`PostgresPassages`' `#rank`, for a library of up to `rankHere.upTo`
 * passages, postgres-text-search.json): the server finds the passages matching the query through the full-text index
 * and gives each one's length norm, and the BM25 scores are summed here from the passages' stem counts and
 * positions, kept in memory per passage.
 *
 * Why: scoring a candidate in SQL (its tsvector and two jsonb counts detoasted, a subquery per phrase) costs the
 * server ~40 µs a candidate, and on a team's small library nearly every passage that matches is a candidate (a
 * 210-passage library: the ranking statement was 96% of the database's time per answer under 40 users). Here, with
 * the passages' counts remembered, a candidate costs a few microseconds, and the server only reads the index.
 *
 * The scores are the statement's own, bit for bit: the same length norm (computed by the server in numeric, as the
 * statement does), the same BM25 share per phrase (`bm25Share`), summed in the same order (one-word phrases, then
 * longer ones, each in the query's order), and a longer phrase counted from the positions as the statement's exact
 * count does (`phraseFrequency`). The results are ordered as `#rank` orders them: score, then id.
 *
 * A passage's row never changes once written (a changed document is a new document, with new passages), so what is
 * kept for it stays true; it is still kept per passage generation (moved by every write of passages), so that ids
 * handed out again after a restore can never meet an old entry.
 */
import type { PassageHit, PassageRecord } from "../types.ts";
import { passageColumns, passageJoin, toPassage, type Bigint, type PassageRow } from "./postgres-rows.ts";
import { contextWeight, type RankHereSettings } from "./postgres-text-search.ts";
import { bm25Share, longerPhrasesShare, phrasesByLength, vectorPositions, type StemPositions } from "./postgres-champion-search.ts";
import type { WorkspaceQueries } from "./workspace-queries.ts";

/** What scoring needs of a passage, besides the norm (which depends on the library's average length). */
interface KeptPassage {
  passage: PassageRecord;
  /** Each stem's occurrences in the text and in the context (labels). */
  textCounts: ReadonlyMap<string, number>;
  contextCounts: ReadonlyMap<string, number>;
  /** The tsvector's text form: a longer phrase's positions are read from it when the passage holds all its words. */
  vector: string;
  /** Positions read from `vector` so far, by stem (null: not in it): the same questions' phrases come back. */
  positions: Map<string, StemPositions | null>;
}

/** A jsonb object of counts, as node-postgres parses it, as a Map (a keyed look-up on a parsed object is slower). */
function countsOf(counts: Record<string, number>): Map<string, number> {
  return new Map(Object.entries(counts));
}

/** `kept`'s positions of `stems`, read from its vector where not read before. */
function positionsIn(kept: KeptPassage, stems: readonly string[]): Map<string, StemPositions> {
  const missing = stems.filter((stem) => !kept.positions.has(stem));
  if (missing.length > 0) {
    const read = vectorPositions(kept.vector, new Set(missing));
    for (const stem of missing) kept.positions.set(stem, read.get(stem) ?? null);
  }
  const found = new Map<string, StemPositions>();
  for (const stem of stems) {
    const positions = kept.positions.get(stem);
    if (positions) found.set(stem, positions);
  }
  return found;
}

export interface RankHereRequest {
  /** The phrases scored (stems), in the query's order, and each one's IDF. */
  phrases: string[][];
  idfs: number[];
  /** The tsquery the candidates match. */
  match: string;
  averageLength: number;
  generation: number;
  limit: number;
  documentIds: number[] | null;
}

export class RankHere {
  readonly #queries: WorkspaceQueries;
  /** The index's candidates may not be found by a sequential scan (see `#rank` in postgres-passages.ts). */
  readonly #indexOnly: WorkspaceQueries;
  /**
   * The passages read so far at `#generation`: at most the library's, since it is emptied when the generation moves
   * (a library is ranked here only up to `rankHere.upTo` passages, and while what is kept fits `rankHere.characters`).
   */
  #kept = new Map<number, KeptPassage>();
  #generation: number | null = null;
  /** Characters of text and tsvector in `#kept`. */
  #characters = 0;
  /** A generation whose library is past `characters`: ranked by the statement until the next write. */
  #tooLarge: number | null = null;
  /** Rankings asked of this store so far (`takes`). */
  #rankings = 0;
  readonly #settings: RankHereSettings;

  constructor(queries: WorkspaceQueries, settings: RankHereSettings) {
    this.#queries = queries;
    this.#indexOnly = queries.withSettings({ enable_seqscan: "off" });
    this.#settings = settings;
  }

  /** Whether a ranking of a library of these totals is done here (called once per ranking). */
  takes(totals: { chunkCount: number; generation: number }): boolean {
    this.#rankings += 1;
    return totals.chunkCount <= this.#settings.upTo && this.#rankings > this.#settings.from && this.#tooLarge !== totals.generation;
  }

  async rank(request: RankHereRequest): Promise<PassageHit[]> {
    const { phrases, idfs, limit, documentIds } = request;
    const matched = await this.#indexOnly.query<{ id: Bigint; norm: string }>(
      `SELECT c.id, 1.2 * (0.25 + 0.75 * c.indexed_length / $3) AS norm FROM library_chunks c
        WHERE c.workspace_id = $1 AND c.terms @@ $2::tsquery${documentIds === null ? "" : " AND c.document_id = ANY ($4::bigint[])"}`,
      documentIds === null ? [request.match, request.averageLength] : [request.match, request.averageLength, documentIds],
      documentIds === null ? "hearth_rank_here" : "hearth_rank_here_in_documents",
    );
    if (this.#generation !== request.generation) {
      this.#kept = new Map();
      this.#characters = 0;
      this.#generation = request.generation;
    }
    // This search's map, whatever another search beside it starts afresh meanwhile (its entries stay true).
    const known = this.#kept;
    const ids = matched.rows.map((row) => Number(row.id));
    await this.#keep(known, ids.filter((id) => !known.has(id)));
    if (known === this.#kept && this.#characters > this.#settings.characters) {
      // Past what one store keeps: this search is still scored from what it read, the next ones by the statement.
      this.#tooLarge = request.generation;
      this.#kept = new Map();
      this.#characters = 0;
    }

    const { single: singles, longer } = phrasesByLength(phrases, idfs);
    const scored: { kept: KeptPassage; score: number }[] = [];
    matched.rows.forEach((row, index) => {
      const kept = known.get(ids[index]!);
      // Not read only when the passage was deleted between the two statements: it is no longer in the library.
      if (kept === undefined) return;
      const norm = Number(row.norm);
      const { textCounts, contextCounts } = kept;
      let single = 0;
      for (const { stem, idf } of singles) {
        const frequency = (textCounts.get(stem) ?? 0) + contextWeight * (contextCounts.get(stem) ?? 0);
        if (frequency > 0) single += bm25Share(idf, frequency, norm);
      }
      // Only the words of phrases whose words are all in the passage have their positions read: a phrase missing one
      // finds no position of it and counts nothing.
      const holding = longer.filter((phrase) => phrase.stems.every((stem) => textCounts.has(stem) || contextCounts.has(stem)));
      const counted = holding.length === 0 ? 0 : longerPhrasesShare(positionsIn(kept, [...new Set(holding.flatMap((phrase) => phrase.stems))]), longer, norm);
      scored.push({ kept, score: single + counted });
    });
    scored.sort((left, right) => right.score - left.score || left.kept.passage.chunkId - right.kept.passage.chunkId);
    return scored.slice(0, limit).map(({ kept, score }) => ({ ...kept.passage, score }));
  }

  /** Reads the passages `ids` (one statement) and keeps them in `known`. */
  async #keep(known: Map<number, KeptPassage>, ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    const result = await this.#queries.query<PassageRow & { text_counts: Record<string, number>; context_counts: Record<string, number>; vector: string }>(
      `SELECT ${passageColumns}, c.text_counts, c.context_counts, c.terms::text AS vector FROM ${passageJoin}
        WHERE c.workspace_id = $1 AND c.id = ANY ($2::bigint[])`,
      [ids],
      "hearth_rank_here_passages",
    );
    for (const row of result.rows) {
      const passage = toPassage(row);
      Object.freeze(passage.headingPath);
      if (known === this.#kept) this.#characters += row.text.length + row.vector.length;
      known.set(passage.chunkId, { passage: Object.freeze(passage), textCounts: countsOf(row.text_counts), contextCounts: countsOf(row.context_counts), vector: row.vector, positions: new Map() });
    }
  }
}
