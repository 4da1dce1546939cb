/** Inside a worker thread: one connection per workspace library, opened on first use and kept while it lives. */
import { openStore } from "../store/open-store.ts";
import type { Store } from "../store/types.ts";

const stores = new Map<string, Promise<Store>>();

export function workerStore(folder: string): Promise<Store> {
  let store = stores.get(folder);
  if (!store) {
    store = openStore({ url: folder });
    stores.set(folder, store);
    // A store that failed to open is tried again by the next task.
    store.catch(() => stores.delete(folder));
  }
  return store;
}
