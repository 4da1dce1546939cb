/**
 * Hybrid retrieval: the tuned BM25 searcher and nearest neighbours by embedding, fused by reciprocal rank
 * (score = Σ 1 / (k + rank)). Without an embedding model, or when it fails, BM25 alone answers and says so.
 */
import { describeError } from "../errors/hearth-error.ts";
import type { EmbeddingModel } from "../providers/types.ts";
import type { PassageHit, Store } from "../store/types.ts";
import type { SearchOptions, SearchResult, Searcher } from "./search.ts";
import { pageKey } from "./search.ts";

export interface HybridSearch {
  results: SearchResult[];
  mode: "hybrid" | "bm25";
  /** Why vectors were not used when they were configured, or null. */
  note: string | null;
}

export interface HybridSearcher {
  search(query: string, options: SearchOptions): Promise<HybridSearch>;
}

export interface HybridDependencies {
  store: Store;
  searcher: Searcher;
  embeddings: EmbeddingModel | null;
  /** The RRF constant: larger flattens the difference between ranks. */
  k?: number;
  /** Candidates taken from each list before fusion. */
  depth?: number;
}

/** Reciprocal-rank fusion of ranked lists of passages, by chunk id. */
export function reciprocalRankFusion<T extends PassageHit>(lists: T[][], k = 60): { item: T; score: number }[] {
  const fused = new Map<number, { item: T; score: number }>();
  for (const list of lists) {
    list.forEach((item, rank) => {
      const entry = fused.get(item.chunkId) ?? { item, score: 0 };
      entry.score += 1 / (k + rank + 1);
      fused.set(item.chunkId, entry);
    });
  }
  return [...fused.values()].sort((left, right) => right.score - left.score || left.item.chunkId - right.item.chunkId);
}

function capPerPage(results: SearchResult[], perPage: number | null | undefined): SearchResult[] {
  const cap = perPage === undefined ? 1 : perPage;
  if (cap === null) return results;
  const counts = new Map<string, number>();
  return results.filter((result) => {
    const key = pageKey(result);
    const seen = counts.get(key) ?? 0;
    counts.set(key, seen + 1);
    return seen < cap;
  });
}

export function createHybridSearcher(dependencies: HybridDependencies): HybridSearcher {
  const { store, searcher, embeddings } = dependencies;
  const k = dependencies.k ?? 60;
  const depth = dependencies.depth ?? 40;
  return {
    async search(query, options) {
      if (!embeddings) return { results: await searcher.search(query, options), mode: "bm25", note: null };
      const status = await store.passages.embeddingStatus();
      if (status.unavailable !== null || status.model !== embeddings.id || status.embedded === 0) {
        const reason = status.unavailable ?? `the library has no vectors from ${embeddings.id} yet; run \`hearth embed\``;
        return { results: await searcher.search(query, options), mode: "bm25", note: `Keyword search only: ${reason}.` };
      }
      const lexical = await searcher.search(query, { ...options, limit: Math.max(depth, options.limit), perPage: null });
      // Personal data in the query is redacted by the model's middleware chain (model-chain.ts) when it leaves the machine.
      const vector = await embeddings.embed([query]);
      if (!vector.ok || !vector.value[0]) {
        const reason = vector.ok ? "no vector came back" : describeError(vector.error);
        return { results: await searcher.search(query, options), mode: "bm25", note: `Keyword search only: ${reason.replace(/\.$/, "")}.` };
      }
      const semantic = await store.passages.vectorSearch(embeddings.id, vector.value[0], Math.max(depth, options.limit), options.documentIds);
      const semanticResults: SearchResult[] = semantic.map((hit) => ({ ...hit, signals: { bm25: 0, coverage: 0, proximity: 0, figures: 0 } }));
      const fused = reciprocalRankFusion<SearchResult>([lexical, semanticResults], k).map(({ item, score }) => ({ ...item, score }));
      return { results: capPerPage(fused, options.perPage).slice(0, options.limit), mode: "hybrid", note: null };
    },
  };
}
