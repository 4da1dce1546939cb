/** Opens the configured store for one command and closes it afterwards (also when the command fails). */
import type { HearthConfig } from "../config/config.ts";
import type { Store } from "../store/types.ts";

export async function withStore<T>(config: HearthConfig, work: (store: Store) => Promise<T> | T): Promise<T> {
  // Imported here so commands that never open the store (--version, --help, templates) do not load SQLite.
  const { openStore } = await import("../store/open-store.ts");
  // `--store` / HEARTH_STORE_URL when given, else the SQLite library in the data folder.
  const store = await openStore({ url: config.storeUrl ?? config.dataDir });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
