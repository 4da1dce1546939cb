/**
 * The one place bench/scale.ts opens a store: a folder (SQLite, one library per size beneath it) or a PostgreSQL
 * URL. Pointing the benchmark at another store means changing only this function.
 */
import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { isPostgresUrl, redactPostgresUrl } from "../src/store/postgres/postgres-connection.ts";
import { openPostgresStore } from "../src/store/postgres/postgres-store.ts";
import { openSqliteStore } from "../src/store/sqlite-store.ts";
import type { Store } from "../src/store/types.ts";

export interface ScaleStore {
  store: Store;
  /** Where it lives, for the report (a URL without its password). */
  label: string;
  /** Bytes on disk (SQLite: the library folder, WAL included), or null when the store cannot say. */
  sizeOnDisk(): Promise<number | null>;
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
export async function openScaleStore(location: string, sizeLabel: string, reuse = false): Promise<ScaleStore> {
  if (isPostgresUrl(location)) {
    // One workspace per size in the database; without --reuse its rows are removed first.
    const workspaceId = `scale-${sizeLabel}`;
    const store = await openPostgresStore({ url: location, workspaceId });
    if (!reuse) for (const document of await store.documents.list()) await store.documents.remove(document.id);
    return {
      store,
      label: `${redactPostgresUrl(location)} (workspace ${workspaceId})`,
      // The whole database (every size's workspace, indexes included): PostgreSQL does not split it by workspace.
      async sizeOnDisk() {
        const client = new pg.Client({ connectionString: location });
        await client.connect();
        try {
          const row = await client.query<{ bytes: string }>("SELECT pg_database_size(current_database()) AS bytes");
          return Number(row.rows[0]?.bytes ?? 0);
        } finally {
          await client.end();
        }
      },
    };
  }
  const folder = join(location, sizeLabel);
  if (!reuse) rmSync(folder, { recursive: true, force: true });
  const store = openSqliteStore({ dataDir: folder });
  return { store, label: folder, sizeOnDisk: async () => folderBytes(folder) };
}
