/**
 * The library's document list, read once per library state: answers and searches consult it (titles, file names,
 * identities), and listing ten thousand documents on every answer costs more than the answer's own search.
 */
import type { DocumentRecord, Store } from "./types.ts";

export type LibraryStateStore = Pick<Store, "documents" | "version">;

const cache = new WeakMap<LibraryStateStore, { version: number; documents: Promise<DocumentRecord[]> }>();

/**
 * `store.documents.list()`, kept until the library version moves (any change to documents, tables or settings, by
 * this process or another). One version read per call. Do not modify it.
 */
export async function libraryDocuments(store: LibraryStateStore): Promise<readonly DocumentRecord[]> {
  // The version first, then the list: a change landing in between is seen at the next call, never hidden.
  const version = await store.version();
  const cached = cache.get(store);
  if (cached?.version === version) return cached.documents;
  // The promise is kept, so that questions arriving together list the documents once.
  const documents = store.documents.list();
  cache.set(store, { version, documents });
  documents.catch(() => {
    if (cache.get(store)?.documents === documents) cache.delete(store);
  });
  return documents;
}

/**
 * A value derived from the library (title stems, identities, prose document ids), computed once per library version
 * and per store: `derive` runs when the version has moved since the last call. Concurrent callers share one run; a
 * failed run is not kept.
 */
export function perLibraryVersion<State extends LibraryStateStore, Value>(
  derive: (store: State, version: number) => Promise<Value>,
): (store: State) => Promise<Value> {
  const values = new WeakMap<State, { version: number; value: Promise<Value> }>();
  return async (store) => {
    const version = await store.version();
    const cached = values.get(store);
    if (cached?.version === version) return cached.value;
    const value = derive(store, version);
    values.set(store, { version, value });
    value.catch(() => {
      if (values.get(store)?.value === value) values.delete(store);
    });
    return value;
  };
}
