/**
 * One library per workspace, opened as every process opens it (`openWorkspaceLibrary`): SQLite at
 * <dataDir>/workspaces/<workspaceId>/hearth.db, or the workspace's rows in the PostgreSQL store when the
 * configuration's storeUrl names one; uploaded originals in the workspace's files/ folder either way.
 * Each store is opened once and kept; writes to a workspace go through its own queue so that two uploads never
 * ingest at the same time (reads are not queued: SQLite WAL lets them run beside a write).
 */
import type { HearthConfig } from "../config/config.ts";
import { createSearcher } from "../retrieval/search.ts";
import type { Searcher } from "../retrieval/search.ts";
import { isWorkspaceFile, openWorkspaceLibrary } from "../store/workspace-library.ts";
import type { Store } from "../store/types.ts";

export interface WorkspaceLibrary {
  store: Store;
  searcher: Searcher;
  folder: string;
  filesFolder: string;
}

export interface WorkspaceLibraries {
  get(workspaceId: string): Promise<WorkspaceLibrary>;
  /** Runs `task` after every task queued before it for this workspace (one at a time per workspace). */
  enqueue<T>(workspaceId: string, task: () => Promise<T>): Promise<T>;
  /** Whether `path` lies inside the workspace's files folder (so deleting it cannot touch anything else). */
  ownsFile(workspaceId: string, path: string): boolean;
  /** Waits for queued work, then closes every store. */
  close(): Promise<void>;
}

export function createWorkspaceLibraries(config: Pick<HearthConfig, "dataDir" | "storeUrl">): WorkspaceLibraries {
  // Promises, so that two requests arriving together for a new workspace open its store once.
  const libraries = new Map<string, Promise<WorkspaceLibrary>>();
  const queues = new Map<string, Promise<unknown>>();
  let closed = false;

  return {
    get(workspaceId) {
      let library = libraries.get(workspaceId);
      if (!library) {
        if (closed) throw new Error("The server is shutting down");
        // openWorkspaceLibrary refuses anything but a workspace id before it becomes a path.
        const opened = openWorkspaceLibrary(config, workspaceId).then(({ store, folder, filesFolder }): WorkspaceLibrary => ({
          store,
          searcher: createSearcher(store),
          folder,
          filesFolder,
        }));
        library = opened;
        libraries.set(workspaceId, library);
        // A store that failed to open is tried again on the next request.
        opened.catch(() => {
          if (libraries.get(workspaceId) === opened) libraries.delete(workspaceId);
        });
      }
      return library;
    },
    enqueue(workspaceId, task) {
      const previous = queues.get(workspaceId) ?? Promise.resolve();
      const next = previous.then(task, task);
      // The queue continues whatever this task does; the caller still sees its own failure.
      queues.set(
        workspaceId,
        next.catch(() => undefined),
      );
      return next;
    },
    ownsFile(workspaceId, path) {
      return isWorkspaceFile(config.dataDir, workspaceId, path);
    },
    async close() {
      closed = true;
      await Promise.allSettled([...queues.values()]);
      const opened = await Promise.allSettled([...libraries.values()]);
      libraries.clear();
      for (const library of opened) if (library.status === "fulfilled") await library.value.store.close();
    },
  };
}
