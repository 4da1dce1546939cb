/**
 * The PostgreSQL library store: one workspace's library in a shared PostgreSQL database. Every statement goes
 * through WorkspaceQueries, which binds the workspace id as $1 and refuses SQL not filtered by it, so two workspaces
 * in one database never see each other's documents, passages, counts, tables, sessions or settings.
 */
import type pg from "pg";
import { HearthError, describeError } from "../../errors/hearth-error.ts";
import type { Store, StoreOptions } from "../types.ts";
import { acquirePostgresPool, redactPostgresUrl, releasePostgresPool } from "./postgres-connection.ts";
import { championSearchSettings } from "./postgres-champion-search.ts";
import { PostgresDocuments } from "./postgres-documents.ts";
import { libraryComponent, libraryMigrations, librarySearchComponent, librarySearchMigrations, libraryVectorComponent, libraryVectorMigrations } from "./postgres-library-schema.ts";
import { migrate } from "./postgres-migrations.ts";
import { PostgresPassages, pgvectorMissing, type SearchTuning } from "./postgres-passages.ts";
import { PostgresSessions } from "./postgres-sessions.ts";
import { PostgresSettings } from "./postgres-settings.ts";
import { PostgresTables } from "./postgres-tables.ts";
import { readLibraryVersion } from "./postgres-version.ts";
import { WorkspaceQueries } from "./workspace-queries.ts";

/** The CLI's own library; a team server names one workspace per organisation. */
export const defaultWorkspace = "default";

const workspacePattern = /^[\p{L}\p{N}][\p{L}\p{N}._:@-]{0,199}$/u;

/**
 * Makes the vector tables when the server offers pgvector; otherwise says why vectors are unavailable. A server
 * that gains pgvector later gets them at the next open.
 */
async function prepareVectors(pool: pg.Pool): Promise<string | null> {
  const available = await pool.query<{ installed: boolean }>(
    "SELECT installed_version IS NOT NULL AS installed FROM pg_available_extensions WHERE name = 'vector'",
  );
  if (available.rows.length === 0) return pgvectorMissing;
  try {
    await migrate(pool, libraryVectorComponent, libraryVectorMigrations);
    return null;
  } catch (error) {
    // Typically: pgvector is installed on the server but this role may not CREATE EXTENSION.
    return `pgvector could not be enabled (${describeError(error)}): search uses BM25 alone`;
  }
}

export async function openPostgresStore(options: StoreOptions, tuning: SearchTuning = {}): Promise<Store> {
  const workspaceId = options.workspaceId ?? defaultWorkspace;
  const where = redactPostgresUrl(options.url);
  if (!workspacePattern.test(workspaceId)) {
    throw new HearthError(
      "INVALID_INPUT",
      `workspace "${workspaceId}": use 1 to 200 letters, digits and . _ : @ - (starting with a letter or digit)`,
      { subject: "workspaceId" },
    );
  }
  const pool = await acquirePostgresPool(options.url);
  try {
    await migrate(pool, libraryComponent, libraryMigrations);
    await migrate(pool, librarySearchComponent, librarySearchMigrations);
    const vectorsUnavailable = await prepareVectors(pool);
    return new PostgresStore(options.url, pool, workspaceId, vectorsUnavailable, tuning);
  } catch (error) {
    await releasePostgresPool(options.url);
    if (error instanceof HearthError) throw error;
    throw new HearthError("STORE_FAILED", `${where}: cannot open the library (${describeError(error)})`, { subject: where, cause: error });
  }
}

class PostgresStore implements Store {
  readonly kind = "postgres" as const;
  readonly location: string;
  readonly documents: PostgresDocuments;
  readonly passages: PostgresPassages;
  readonly tables: PostgresTables;
  readonly sessions: PostgresSessions;
  readonly settings: PostgresSettings;
  readonly #url: string;
  readonly #queries: WorkspaceQueries;
  #closed = false;

  constructor(url: string, pool: pg.Pool, workspaceId: string, vectorsUnavailable: string | null, tuning: SearchTuning) {
    this.#url = url;
    this.location = `${redactPostgresUrl(url)} (workspace ${workspaceId})`;
    const queries = new WorkspaceQueries(pool, workspaceId);
    this.#queries = queries;
    this.documents = new PostgresDocuments(queries, (tuning.championSearch ?? championSearchSettings).listStemsFrom);
    this.passages = new PostgresPassages(queries, this.location, vectorsUnavailable, tuning);
    this.tables = new PostgresTables(queries);
    this.sessions = new PostgresSessions(queries);
    this.settings = new PostgresSettings(queries);
  }

  async version(): Promise<number> {
    return readLibraryVersion(this.#queries);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await releasePostgresPool(this.#url);
  }
}
