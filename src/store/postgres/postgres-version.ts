/**
 * The workspace's library version (Store.version): one row per workspace, moved by `moveLibraryVersion` as the last
 * statement of every transaction that changes documents, data tables or settings, so the new number becomes visible
 * to other processes exactly when the change does. Reads, sessions and embeddings leave it alone.
 */
import type { Bigint } from "./postgres-rows.ts";
import type { WorkspaceQueries } from "./workspace-queries.ts";

/** Moves the version on, inside the caller's transaction (call it last: the row stays locked until the commit). */
export async function moveLibraryVersion(queries: WorkspaceQueries): Promise<void> {
  await queries.query(
    `INSERT INTO library_versions (workspace_id, version) VALUES ($1, 1)
     ON CONFLICT (workspace_id) DO UPDATE SET version = library_versions.version + 1`,
  );
}

/** The workspace's version: 0 before its first change. */
export async function readLibraryVersion(queries: WorkspaceQueries): Promise<number> {
  // Named (parsed and planned once per connection): every answer reads it first.
  const result = await queries.query<{ version: Bigint }>("SELECT version FROM library_versions WHERE workspace_id = $1", [], "hearth_library_version");
  const row = result.rows[0];
  return row === undefined ? 0 : Number(row.version);
}
