/**
 * The one way the PostgreSQL library store speaks SQL: every statement is bound to the store's workspace. The
 * workspace id is always parameter $1 (callers cannot pass another), and a statement is refused unless each library
 * table it reads or writes is tied to that workspace, either by `workspace_id = $1` or by joining on another
 * table's `workspace_id` (composite foreign keys make a joined row belong to the same workspace). So a query that
 * forgets the workspace cannot be written through the store.
 */
import type pg from "pg";
import { HearthError } from "../../errors/hearth-error.ts";
import { boundedMemo } from "../../text/bounded-memo.ts";
import { settingsPool } from "./postgres-connection.ts";

/** Library tables named in FROM, JOIN, UPDATE or INSERT INTO. */
const tableReference = /\b(?:FROM|JOIN|UPDATE|INTO)\s+(library_\w+)/gi;
/** `workspace_id = $1` (not $10), or a join condition `workspace_id = alias.workspace_id`. */
const workspaceCondition = /\bworkspace_id\s*=\s*(?:\$1(?!\d)|[a-z_][a-z0-9_]*\.workspace_id\b)/gi;
const boundCondition = /\bworkspace_id\s*=\s*\$1(?!\d)/i;
/** An INSERT whose first column is the workspace, given as $1. */
const workspaceInsert = /\bINSERT\s+INTO\s+library_\w+\s*\(\s*workspace_id\s*,/gi;

/** Why `sql` is not bound to the workspace, or null when it is. */
export function workspaceBindingProblem(sql: string): string | null {
  const tables = [...sql.matchAll(tableReference)].map((match) => match[1]!);
  if (tables.length === 0) return "it names no library table";
  const inserts = [...sql.matchAll(workspaceInsert)].length;
  if (!boundCondition.test(sql) && !(inserts > 0 && /\$1(?!\d)/.test(sql))) {
    return "it does not filter on workspace_id = $1";
  }
  const conditions = [...sql.matchAll(workspaceCondition)].length + inserts;
  if (conditions < tables.length) {
    return `it names ${tables.length} library tables (${tables.join(", ")}) but ties only ${conditions} to the workspace`;
  }
  return null;
}

/**
 * Verdicts by statement text: the store sends a few dozen distinct statements, each many times per second under load,
 * and checking one is four regular-expression passes over it (the search's ranking is several kilobytes).
 */
const bindingProblem: (sql: string) => string | null = boundedMemo(workspaceBindingProblem, 1_000);

type Queryable = pg.Pool | pg.PoolClient;

export class WorkspaceQueries {
  readonly workspaceId: string;
  readonly #connection: Queryable;
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool, workspaceId: string, connection: Queryable = pool) {
    this.#pool = pool;
    this.workspaceId = workspaceId;
    this.#connection = connection;
  }

  /** Runs `sql` with the workspace id as $1 followed by `params` ($2, $3, …); refuses SQL not bound to it. */
  async query<Row extends pg.QueryResultRow>(sql: string, params: unknown[] = [], prepareAs?: string): Promise<pg.QueryResult<Row>> {
    const problem = bindingProblem(sql);
    if (problem !== null) {
      throw new HearthError("STORE_FAILED", `refused a library statement not bound to the workspace: ${problem}`, {
        subject: sql.replace(/\s+/g, " ").trim().slice(0, 200),
      });
    }
    // A named statement is parsed once per connection and its plan may be kept by the server: for a long statement run
    // many times (the search ranking), that parse and plan are much of a small library's search. One name, one text.
    if (prepareAs !== undefined) return this.#connection.query<Row>({ name: prepareAs, text: sql, values: [this.workspaceId, ...params] });
    return this.#connection.query<Row>(sql, [this.workspaceId, ...params]);
  }

  /**
   * Merges the full-text index's pending list (GIN `fastupdate`) into the index: maintenance of the index every
   * workspace shares, reading and changing no workspace's rows, so the one fixed statement it is, not a statement
   * the workspace check could pass. Where this role does not own the index (the merge needs ownership), nothing:
   * autovacuum does it in its own time.
   */
  async mergePendingFullTextEntries(): Promise<void> {
    try {
      await this.#connection.query("SELECT gin_clean_pending_list('library_chunks_terms'::regclass)");
    } catch (error) {
      if ((error as { code?: string }).code !== "42501") throw error;
    }
  }

  /**
   * The same workspace's statements on connections that carry planner `settings` for their session (settingsPool):
   * a single statement that needs them (the search's ranking) is then one round trip, with no transaction around it
   * to set them in. Every statement is still bound to the workspace and checked, as through this object. Its
   * statements run on their own connections: outside any transaction this object belongs to.
   */
  withSettings(settings: Record<string, string>): WorkspaceQueries {
    return new WorkspaceQueries(settingsPool(this.#pool, settings), this.workspaceId);
  }

  /**
   * Runs `work` in one transaction on one connection, with statements bound to the same workspace: committed when it
   * resolves, rolled back when it throws (planner settings come from withSettings' pools, not from the transaction). (Not inTransaction from postgres-connection.ts: a connection lost midway,
   * by a server restart or pg_terminate_backend, rejects the running query and then emits 'error' on the client,
   * possibly during the rollback; the listener must stay until the client is back in the pool or destroyed, or the
   * process crashes.)
   */
  async transaction<T>(work: (queries: WorkspaceQueries) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    const ignore = (): void => {};
    client.on("error", ignore);
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      const result = await work(new WorkspaceQueries(this.#pool, this.workspaceId, client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackError: unknown) => {
        // The connection is unusable: the pool must discard it rather than hand it out again.
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      client.release(broken);
      client.off("error", ignore);
    }
  }
}
