/**
 * Schema migrations for the PostgreSQL parts. Each part (the library store, accounts, the job queue) keeps its own
 * ordered list of SQL steps under a component name; `migrate` applies the missing ones, each in its own transaction,
 * under an advisory lock so that several processes starting at once (servers, workers) migrate exactly once.
 */
import type pg from "pg";
import { HearthError, describeError } from "../../errors/hearth-error.ts";


export interface PostgresMigration {
  /** 1, 2, 3, … in order; never renumber or edit a released step, add a new one. */
  version: number;
  description: string;
  sql: string;
}

/** Arbitrary but fixed: the advisory lock every Hearth process takes while migrating. */
const migrationLock = 4_823_117;

export async function migrate(pool: pg.Pool, component: string, migrations: PostgresMigration[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [migrationLock]);
    await client.query(`CREATE TABLE IF NOT EXISTS hearth_schema_migrations (
      component text NOT NULL,
      version integer NOT NULL,
      description text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (component, version)
    )`);
    const applied = await client.query<{ version: number }>(
      "SELECT version FROM hearth_schema_migrations WHERE component = $1",
      [component],
    );
    const done = new Set(applied.rows.map((row) => row.version));
    const newest = Math.max(0, ...done);
    const known = Math.max(0, ...migrations.map((migration) => migration.version));
    if (newest > known) {
      throw new HearthError(
        "STORE_FAILED",
        `the PostgreSQL database's ${component} schema is version ${newest}, newer than this Hearth knows (${known}): upgrade Hearth`,
        { subject: component },
      );
    }
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      try {
        await inTransactionOn(client, async () => {
          await client.query(migration.sql);
          await client.query("INSERT INTO hearth_schema_migrations (component, version, description) VALUES ($1, $2, $3)", [
            component,
            migration.version,
            migration.description,
          ]);
        });
      } catch (error) {
        throw new HearthError(
          "STORE_FAILED",
          `PostgreSQL ${component} migration ${migration.version} (${migration.description}) failed: ${describeError(error)}`,
          { subject: component, cause: error },
        );
      }
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [migrationLock]).catch(() => {});
    client.release();
  }
}

async function inTransactionOn(client: pg.PoolClient, work: () => Promise<void>): Promise<void> {
  await client.query("BEGIN");
  try {
    await work();
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}


