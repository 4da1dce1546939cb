/** Inside a worker thread: one connection per workspace library, opened on first use and kept while it lives. */
import type { HearthConfig } from "../config/config.ts";
import { openStore } from "../store/open-store.ts";
import type { Store } from "../store/types.ts";
import type { OpenedWorkspaceLibrary } from "../store/workspace-library.ts";
import { openWorkspaceLibrary } from "../store/workspace-library.ts";

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

const libraries = new Map<string, Promise<OpenedWorkspaceLibrary>>();

/** The workspace's library for an ingest job, opened as every process opens it (openWorkspaceLibrary). */
export function workerLibrary(config: HearthConfig, workspaceId: string): Promise<OpenedWorkspaceLibrary> {
  const key = `${config.dataDir}\n${config.storeUrl ?? ""}\n${workspaceId}`;
  let library = libraries.get(key);
  if (!library) {
    library = openWorkspaceLibrary(config, workspaceId);
    libraries.set(key, library);
    // A library that failed to open is tried again by the next task.
    library.catch(() => libraries.delete(key));
  }
  return library;
}
