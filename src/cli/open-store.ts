/** Opens the configured store for one command and closes it afterwards (also when the command fails). */
import type { HearthConfig } from "../config/config.ts";
import type { Store } from "../store/types.ts";

export async function withStore<T>(config: HearthConfig, work: (store: Store) => Promise<T> | T): Promise<T> {
  // Imported here so commands that never open the store (--version, --help, templates) do not load SQLite.
  const { openSqliteStore } = await import("../store/sqlite-store.ts");
  const store = openSqliteStore({ dataDir: config.dataDir });
  try {
    return await work(store);
  } finally {
    store.close();
  }
}
