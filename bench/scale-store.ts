/**
 * The one place bench/scale.ts opens a store: a folder (SQLite, one library per size beneath it) or a PostgreSQL
 * URL. Pointing the benchmark at another store means changing only this function.
 */
import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { isPostgresUrl, redactPostgresUrl } from "../src/store/postgres/postgres-connection.ts";
import { openSqliteStore } from "../src/store/sqlite-store.ts";
import type { Store } from "../src/store/types.ts";

export interface ScaleStore {
  store: Store;
  /** Where it lives, for the report (a URL without its password). */
  label: string;
  /** Bytes on disk (SQLite: the library folder, WAL included), or null when the store cannot say. */
  sizeOnDisk(): number | null;
}

function folderBytes(folder: string): number {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}

/**
 * The library for one size: `<location>/<sizeLabel>` for a folder (emptied first unless `reuse`), or the database at
 * a PostgreSQL URL.
 */
export function openScaleStore(location: string, sizeLabel: string, reuse = false): ScaleStore {
  if (isPostgresUrl(location)) {
    // The PostgreSQL store is written on its own branch (issue 14); at merge this opens it (empty workspace per size).
    throw new Error(`${redactPostgresUrl(location)}: this build has no PostgreSQL store yet; open it here in bench/scale-store.ts`);
  }
  const folder = join(location, sizeLabel);
  if (!reuse) rmSync(folder, { recursive: true, force: true });
  const store = openSqliteStore({ dataDir: folder });
  return { store, label: folder, sizeOnDisk: () => folderBytes(folder) };
}
