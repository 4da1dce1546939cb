/** Opens the configured store for one command and closes it afterwards. */
import type { HearthConfig } from "../config/config.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import type { Store } from "../store/types.ts";

export async function withStore<T>(config: HearthConfig, work: (store: Store) => Promise<T> | T): Promise<T> {
  const store = openSqliteStore({ dataDir: config.dataDir });
  try {
    return await work(store);
  } finally {
    store.close();
  }
}
