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

/**
 * The throwaway cluster's settings for `--postgres`: sized for a 2-core, 24 GiB machine shared with other work (a
 * quarter of the memory would be the usual shared_buffers; 2 GB leaves room for the others). Durability stays as
 * a deployment has it: fsync, synchronous_commit and full_page_writes on (the test cluster turns them off).
 */
export const benchmarkPostgresSettings = [
  "fsync=on",
  "synchronous_commit=on",
  "full_page_writes=on",
  "shared_buffers=2GB",
  "effective_cache_size=8GB",
  "work_mem=64MB",
  "maintenance_work_mem=512MB",
  "max_wal_size=4GB",
  "checkpoint_timeout=15min",
  "random_page_cost=1.1",
];

export interface ScaleStore {
  store: Store;
  /** Where it lives, for the report (a URL without its password). */
  label: string;
  /** Bytes on disk (SQLite: the library folder, WAL included), or null when the store cannot say. */
  sizeOnDisk(): Promise<number | null>;
  /**
   * After a bulk load, what a deployment would do before serving: PostgreSQL refreshes the planner's statistics
   * (`ANALYZE`; autovacuum would get there later, the benchmark should not measure before it does). SQLite: nothing.
   */
  afterBulkLoad(): Promise<void>;
}

async function withClient<Result>(url: string, work: (client: pg.Client) => Promise<Result>): Promise<Result> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
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
        return await withClient(location, async (client) => {
          const row = await client.query<{ bytes: string }>("SELECT pg_database_size(current_database()) AS bytes");
          return Number(row.rows[0]?.bytes ?? 0);
        });
      },
      async afterBulkLoad() {
        await withClient(location, async (client) => {
          await client.query("ANALYZE");
          // What the ingestion worker's step after a batch does (prepareSearch): the full-text index's pending list merged.
          await client.query("SELECT gin_clean_pending_list('library_chunks_terms'::regclass)");
        });
      },
    };
  }
  const folder = join(location, sizeLabel);
  if (!reuse) rmSync(folder, { recursive: true, force: true });
  const store = openSqliteStore({ dataDir: folder });
  return { store, label: folder, sizeOnDisk: async () => folderBytes(folder), afterBulkLoad: async () => {} };
}
