/**
 * The library's document list, read once per library state: answers and searches consult it (titles, file names,
 * identities), and listing ten thousand documents on every answer costs more than the answer's own search.
 */
import type { DocumentRecord, Store } from "./types.ts";

type ListingStore = Pick<Store, "listDocuments" | "statistics">;

const cache = new WeakMap<ListingStore, { key: string; documents: DocumentRecord[] }>();

/**
 * `store.listDocuments()`, kept until the passage statistics move (every write of passages moves them; a document
 * replaced by one with the very same passages is seen after the next write that changes them). Do not modify it.
 */
export function libraryDocuments(store: ListingStore): readonly DocumentRecord[] {
  const statistics = store.statistics();
  const key = `${statistics.chunkCount}:${statistics.averageLength}`;
  const cached = cache.get(store);
  if (cached?.key === key) return cached.documents;
  const documents = store.listDocuments();
  cache.set(store, { key, documents });
  return documents;
}
