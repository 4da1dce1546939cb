/**
 * The library's document list, read once per library state: answers and searches consult it (titles, file names,
 * identities), and listing ten thousand documents on every answer costs more than the answer's own search.
 */
import type { DocumentRecord, Store } from "./types.ts";

type ListingStore = Pick<Store, "documents" | "passages">;

const cache = new WeakMap<ListingStore, { key: string; documents: Promise<DocumentRecord[]> }>();

/**
 * `store.documents.list()`, kept until the passage statistics move (every write of passages moves them; a document
 * replaced by one with the very same passages is seen after the next write that changes them). Do not modify it.
 */
export async function libraryDocuments(store: ListingStore): Promise<readonly DocumentRecord[]> {
  const statistics = await store.passages.statistics();
  const key = `${statistics.chunkCount}:${statistics.averageLength}`;
  const cached = cache.get(store);
  if (cached?.key === key) return cached.documents;
  // The promise is kept, so that questions arriving together list the documents once.
  const documents = store.documents.list();
  cache.set(store, { key, documents });
  documents.catch(() => cache.delete(store));
  return documents;
}
