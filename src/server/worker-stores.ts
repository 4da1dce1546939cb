/** Inside a worker thread: one connection per workspace library, opened on first use and kept while it lives. */
import type { HearthConfig } from "../config/config.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import type { Store } from "../store/types.ts";
import type { OpenedWorkspaceLibrary } from "../store/workspace-library.ts";
import { openWorkspaceLibrary } from "../store/workspace-library.ts";

const stores = new Map<string, Store>();

export function workerStore(folder: string): Store {
  let store = stores.get(folder);
  if (!store) stores.set(folder, (store = openSqliteStore({ dataDir: folder })));
  return store;
}

const libraries = new Map<string, OpenedWorkspaceLibrary>();

/** The workspace's library for an ingest job, opened as every process opens it (openWorkspaceLibrary). */
export function workerLibrary(config: HearthConfig, workspaceId: string): OpenedWorkspaceLibrary {
  const key = `${config.dataDir}\n${workspaceId}`;
  let library = libraries.get(key);
  if (!library) libraries.set(key, (library = openWorkspaceLibrary(config, workspaceId)));
  return library;
}
