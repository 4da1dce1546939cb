/** Inside a worker thread: one connection per workspace library, opened on first use and kept while it lives. */
import { openSqliteStore } from "../store/sqlite-store.ts";
import type { Store } from "../store/types.ts";

const stores = new Map<string, Store>();

export function workerStore(folder: string): Store {
  let store = stores.get(folder);
  if (!store) stores.set(folder, (store = openSqliteStore({ dataDir: folder })));
  return store;
}
