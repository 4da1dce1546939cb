/**
 * The library's document list, read once per library state: answers and searches consult it (titles, file names,
 * identities), and listing ten thousand documents on every answer costs more than the answer's own search.
 */
import type { DocumentRecord, Store } from "./types.ts";

export type LibraryStateStore = Pick<Store, "documents" | "version">;

/**
 * `store.documents.list()`, kept until the library version moves (any change to documents, tables or settings, by
 * this process or another). One version read per call, none when the caller gives the version it has read. Do not
 * modify it.
 */
export const libraryDocuments: (store: LibraryStateStore, version?: number) => Promise<readonly DocumentRecord[]> = perLibraryVersion((store) =>
  store.documents.list(),
);

/**
 * A value derived from the library (title stems, identities, prose document ids), computed once per library version
 * and per store: `derive` runs when the version has moved since the last call. Concurrent callers share one run; a
 * failed run is not kept. `version`: the library version the caller has read for its piece of work (a search reads it
 * once, not once per value it derives: on PostgreSQL each read is a round trip); read here when not given.
 */
export function perLibraryVersion<State extends LibraryStateStore, Value>(
  derive: (store: State, version: number) => Promise<Value>,
): (store: State, version?: number) => Promise<Value> {
  const values = new WeakMap<State, { version: number; value: Promise<Value> }>();
  return async (store, known) => {
    const version = known ?? (await store.version());
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
