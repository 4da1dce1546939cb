/** Named working sessions in PostgreSQL: exchanges in order, each answer kept whole as the JSON the user saw. */
import { HearthError } from "../../errors/hearth-error.ts";
import type { Answer, Session, SessionExchange } from "../../answer/types.ts";
import type { SessionStore, SessionSummary } from "../types.ts";
import type { Bigint } from "./postgres-rows.ts";
import { storable } from "./postgres-rows.ts";
import type { WorkspaceQueries } from "./workspace-queries.ts";

export class PostgresSessions implements SessionStore {
  readonly #queries: WorkspaceQueries;

  constructor(queries: WorkspaceQueries) {
    this.#queries = queries;
  }

  async addExchange(sessionName: string, exchange: SessionExchange): Promise<void> {
    await this.#queries.transaction(async (queries) => {
      // ON CONFLICT DO UPDATE (a no-op change) returns the existing row and locks it, so concurrent first
      // exchanges of one session both land in it.
      const session = await queries.query<{ id: Bigint }>(
        `INSERT INTO library_sessions (workspace_id, name, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (workspace_id, name) DO UPDATE SET name = excluded.name RETURNING id`,
        [storable(sessionName), exchange.askedAt],
      );
      const id = session.rows[0]?.id;
      if (id === undefined) throw new HearthError("STORE_FAILED", `session "${sessionName}" could not be created`, { subject: sessionName });
      await queries.query("INSERT INTO library_exchanges (workspace_id, session_id, asked_at, question, answer) VALUES ($1, $2, $3, $4, $5)", [
        id,
        exchange.askedAt,
        storable(exchange.answer.question),
        JSON.stringify(exchange.answer).replaceAll("\\u0000", "\\ufffd"),
      ]);
    });
  }

  async list(): Promise<SessionSummary[]> {
    const result = await this.#queries.query<{ name: string; created_at: string; exchange_count: Bigint; updated_at: string }>(
      `SELECT s.name, s.created_at, count(e.id) AS exchange_count, coalesce(max(e.asked_at), s.created_at) AS updated_at
         FROM library_sessions s LEFT JOIN library_exchanges e ON e.workspace_id = s.workspace_id AND e.session_id = s.id
        WHERE s.workspace_id = $1 GROUP BY s.id, s.name, s.created_at ORDER BY updated_at DESC, s.name COLLATE "C"`,
    );
    return result.rows.map((row) => ({
      name: row.name,
      createdAt: row.created_at,
      exchangeCount: Number(row.exchange_count),
      updatedAt: row.updated_at,
    }));
  }

  async get(name: string): Promise<Session | undefined> {
    const session = await this.#queries.query<{ id: Bigint; name: string; created_at: string }>(
      "SELECT id, name, created_at FROM library_sessions WHERE workspace_id = $1 AND name = $2",
      [name],
    );
    const row = session.rows[0];
    if (row === undefined) return undefined;
    const exchanges = await this.#queries.query<{ asked_at: string; answer: string }>(
      "SELECT asked_at, answer FROM library_exchanges WHERE workspace_id = $1 AND session_id = $2 ORDER BY id",
      [row.id],
    );
    return {
      name: row.name,
      createdAt: row.created_at,
      exchanges: exchanges.rows.map((exchange) => ({ askedAt: exchange.asked_at, answer: JSON.parse(exchange.answer) as Answer })),
    };
  }

  async remove(name: string): Promise<boolean> {
    const result = await this.#queries.query("DELETE FROM library_sessions WHERE workspace_id = $1 AND name = $2", [name]);
    return (result.rowCount ?? 0) > 0;
  }
}
