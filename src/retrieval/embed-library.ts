/**
 * Embeds the passages that have no vector for the configured model: after an ingest only new and changed
 * documents' passages (unchanged documents keep their passage ids), after a model change all of them.
 */
import { ok } from "../errors/hearth-error.ts";
import type { HearthError, Result } from "../errors/hearth-error.ts";
import type { EmbeddingModel } from "../providers/types.ts";
import type { PassageRecord, Store } from "../store/types.ts";

export interface EmbedLibraryOptions {
  store: Store;
  model: EmbeddingModel;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface EmbedSummary {
  embedded: number;
  /** Passages in the library. */
  total: number;
  model: string;
}

/** The text a passage is embedded as: where it sits (file, headings) and what it says. */
export function embeddingText(passage: PassageRecord): string {
  const place = [passage.fileName.replace(/\.[a-z0-9]+$/i, ""), ...passage.headingPath, passage.section ?? ""].filter((part) => part.length > 0);
  return `${[...new Set(place)].join(" › ")}\n${passage.text}`;
}

export async function embedLibrary(options: EmbedLibraryOptions): Promise<Result<EmbedSummary, HearthError & { embedded?: number }>> {
  const { store, model } = options;
  const batchSize = options.batchSize ?? 64;
  const pendingAtStart = (await store.passages.withoutEmbedding(model.id, Number.MAX_SAFE_INTEGER)).length;
  let embedded = 0;
  for (;;) {
    const batch = await store.passages.withoutEmbedding(model.id, batchSize);
    if (batch.length === 0) break;
    const texts = batch.map(embeddingText);
    // Personal data is redacted by the model's middleware chain (model-chain.ts) when the endpoint is off the machine.
    const vectors = await model.embed(texts, options.signal ? { signal: options.signal } : {});
    if (!vectors.ok) return vectors;
    await store.passages.saveEmbeddings(
      model.id,
      batch.map((passage, index) => ({ chunkId: passage.chunkId, vector: vectors.value[index]! })),
    );
    embedded += batch.length;
    options.onProgress?.(embedded, pendingAtStart);
  }
  return ok({ embedded, total: (await store.passages.statistics()).chunkCount, model: model.id });
}
