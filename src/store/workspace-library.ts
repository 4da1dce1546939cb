/**
 * A workspace's library store, opened the one way every process does it (the server's ingest threads, `hearth
 * worker`): today SQLite at `<dataDir>/workspaces/<workspaceId>/hearth.db`, its uploaded originals in `files/`.
 */
import { chmodSync, mkdirSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import type { HearthConfig } from "../config/config.ts";
import { HearthError } from "../errors/hearth-error.ts";
import { isPostgresUrl } from "./postgres/postgres-connection.ts";
import { restrictToOwner } from "./sqlite-accounts.ts";
import { databaseFileName } from "./sqlite-store.ts";
import { openStore } from "./open-store.ts";
import type { Store } from "./types.ts";

export interface OpenedWorkspaceLibrary {
  store: Store;
  /** The workspace's folder in the data folder (SQLite library, request log). */
  folder: string;
  /** Where the server keeps uploaded originals (downloads, re-ingest). */
  filesFolder: string;
}

/** Workspace ids are UUIDs from the accounts store; anything else never becomes a path. */
const workspaceIdPattern = /^[0-9a-f-]{36}$/;

export function workspaceFolder(dataDir: string, workspaceId: string): string {
  if (!workspaceIdPattern.test(workspaceId)) {
    throw new HearthError("INVALID_INPUT", `Not a workspace id: ${workspaceId}`, { subject: workspaceId });
  }
  return join(resolve(dataDir, "workspaces"), workspaceId);
}

/** Whether `path` lies inside the workspace's files folder (so deleting it cannot touch anything else). */
export function isWorkspaceFile(dataDir: string, workspaceId: string, path: string): boolean {
  return resolve(path).startsWith(join(workspaceFolder(dataDir, workspaceId), "files") + sep);
}

export async function openWorkspaceLibrary(config: Pick<HearthConfig, "dataDir" | "storeUrl">, workspaceId: string): Promise<OpenedWorkspaceLibrary> {
  const folder = workspaceFolder(config.dataDir, workspaceId);
  const filesFolder = join(folder, "files");
  // Owner only, whatever the umask: the library holds children's data.
  mkdirSync(filesFolder, { recursive: true, mode: 0o700 });
  for (const path of [resolve(config.dataDir, "workspaces"), folder, filesFolder]) chmodSync(path, 0o700);
  if (config.storeUrl !== undefined && isPostgresUrl(config.storeUrl)) {
    // One PostgreSQL database holds every workspace's library, its rows bound to the workspace id.
    return { store: await openStore({ url: config.storeUrl, workspaceId }), folder, filesFolder };
  }
  const store = await openStore({ url: folder });
  restrictToOwner(join(folder, databaseFileName));
  return { store, folder, filesFolder };
}
