/**
 * Connections to PostgreSQL (node-postgres), shared by every PostgreSQL part: the library store, accounts and the job
 * queue. One pool per URL per process; errors name the URL with its password removed, never the password.
 */
import pg from "pg";
import { HearthError, describeError } from "../../errors/hearth-error.ts";

// The URL helpers live apart so that opening a SQLite library never loads the pg client (start-up time).
import { redactPostgresUrl } from "./postgres-url.ts";
export { isPostgresUrl, redactPostgresUrl } from "./postgres-url.ts";

export interface PostgresPoolOptions {
  /** Most connections this process opens (default 10). */
  maxConnections?: number;
}

const pools = new Map<string, { pool: pg.Pool; users: number }>();

/**
 * A pool for the URL, shared within the process and counted: `releasePostgresPool` ends it when the last user lets
 * go. Checks the connection once, so a wrong URL fails here with a clear message rather than at the first query.
 */
export async function acquirePostgresPool(url: string, options: PostgresPoolOptions = {}): Promise<pg.Pool> {
  const shared = pools.get(url);
  if (shared) {
    shared.users++;
    return shared.pool;
  }
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection (a server restart) must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new HearthError("STORE_FAILED", `${redactPostgresUrl(url)}: cannot connect to PostgreSQL (${describeError(error)})`, {
      subject: redactPostgresUrl(url),
      cause: error,
    });
  }
  pools.set(url, { pool, users: 1 });
  return pool;
}

export async function releasePostgresPool(url: string): Promise<void> {
  const shared = pools.get(url);
  if (!shared) return;
  shared.users--;
  if (shared.users > 0) return;
  pools.delete(url);
  await Promise.all([shared.pool.end(), endSettingsPools(shared.pool)]);
}

/** A planner or session setting's name and value as a connection's start-up options may carry them. */
const settingName = /^[a-z_][a-z0-9_.]*$/i;
const settingValue = /^[a-z0-9_.-]+$/i;

const settingsPools = new WeakMap<pg.Pool, Map<string, pg.Pool>>();

/**
 * A pool beside `pool` (same server, half its connections at most) whose connections carry `settings` for their
 * whole session, sent once when each connection starts (the `options` start-up parameter, as
 * `PGOPTIONS="-c name=value"`). A statement
 * that needs planner settings (the search's ranking may not scan sequentially) then costs one round trip, where
 * `BEGIN; SET LOCAL …`, the statement and `COMMIT` cost three, and the settings never leak to `pool`'s connections.
 * One pool per distinct settings, ended with `pool` by releasePostgresPool. (Behind PgBouncer in transaction mode
 * start-up options are not passed on; the settings are then the server's defaults: slower plans, same results.)
 */
export function settingsPool(pool: pg.Pool, settings: Record<string, string>): pg.Pool {
  const entries = Object.entries(settings).sort(([left], [right]) => left.localeCompare(right));
  for (const [name, value] of entries) {
    if (!settingName.test(name)) throw new HearthError("STORE_FAILED", `Not a setting name: ${name}`, { subject: name });
    if (!settingValue.test(value)) throw new HearthError("STORE_FAILED", `Not a plain setting value for ${name}: ${value}`, { subject: name });
  }
  const options = entries.map(([name, value]) => `-c ${name}=${value}`).join(" ");
  let siblings = settingsPools.get(pool);
  if (!siblings) settingsPools.set(pool, (siblings = new Map()));
  let sibling = siblings.get(options);
  if (!sibling) {
    // At most half the parent's connections: only the statements that need these settings use them (an answer thread
    // one at a time), idle ones close as the parent's do, and the server's max_connections is shared by every process.
    sibling = new pg.Pool({ ...pool.options, max: Math.max(2, Math.ceil((pool.options.max ?? 10) / 2)), options });
    // As for the parent: an idle connection lost (a server restart) must not crash the process.
    sibling.on("error", () => {});
    siblings.set(options, sibling);
  }
  return sibling;
}

async function endSettingsPools(pool: pg.Pool): Promise<void> {
  const siblings = settingsPools.get(pool);
  if (!siblings) return;
  settingsPools.delete(pool);
  await Promise.all([...siblings.values()].map((sibling) => sibling.end()));
}

/** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
