/**
 * The one way the PostgreSQL library store speaks SQL: every statement is bound to the store's workspace. The
 * workspace id is always parameter $1 (callers cannot pass another), and a statement is refused unless each library
 * table it reads or writes is tied to that workspace, either by `workspace_id = $1` or by joining on another
 * table's `workspace_id` (composite foreign keys make a joined row belong to the same workspace). So a query that
 * forgets the workspace cannot be written through the store.
 */
import type pg from "pg";
import { inTransaction } from "./postgres-connection.ts";
import { HearthError } from "../../errors/hearth-error.ts";

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
  async query<Row extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<Row>> {
    const problem = workspaceBindingProblem(sql);
    if (problem !== null) {
      throw new HearthError("STORE_FAILED", `refused a library statement not bound to the workspace: ${problem}`, {
        subject: sql.replace(/\s+/g, " ").trim().slice(0, 200),
      });
    }
    return this.#connection.query<Row>(sql, [this.workspaceId, ...params]);
  }

  /** Runs `work` in one transaction on one connection, with statements bound to the same workspace. */
  async transaction<T>(work: (queries: WorkspaceQueries) => Promise<T>): Promise<T> {
    return inTransaction(this.#pool, (client) => work(new WorkspaceQueries(this.#pool, this.workspaceId, client)));
  }
}
