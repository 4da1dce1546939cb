/**
 * Inside a worker thread (answers, ingest): one connection per workspace library, opened on first use and kept while
 * the thread lives. On PostgreSQL each thread holds its own small pool (acquirePostgresPool is per thread).
 */
import type { HearthConfig } from "../config/config.ts";
import type { OpenedWorkspaceLibrary } from "../store/workspace-library.ts";
import { openWorkspaceLibrary } from "../store/workspace-library.ts";

const libraries = new Map<string, Promise<OpenedWorkspaceLibrary>>();

/** The workspace's library for an ingest job, opened as every process opens it (openWorkspaceLibrary). */
export function workerLibrary(config: Pick<HearthConfig, "dataDir" | "storeUrl">, workspaceId: string): Promise<OpenedWorkspaceLibrary> {
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
