/**
 * PostgreSQL for tests: `withoutPostgres()` for `describe.skipIf(...)`, and `createTestDatabase()` giving each test
 * file its own empty database on the suite's throwaway server (see postgres-global-setup.ts), dropped afterwards.
 * In CI (CI=true) a missing server is an error, not a skip: CI must run the PostgreSQL tests.
 */
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import pg from "pg";

let reported = false;

/** True when no PostgreSQL server is available (says why once per file); throws in CI instead. */
export function withoutPostgres(): boolean {
  const url = inject("postgresUrl");
  if (url) return false;
  const reason = `skipped: no PostgreSQL server for the tests (${inject("postgresMissing")})`;
  if (process.env.CI === "true") throw new Error(`CI must run the PostgreSQL tests: ${reason}`);
  if (!reported) {
    reported = true;
    console.warn(reason);
  }
  return true;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new empty database on the test server; `drop()` ends its connections and removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject("postgresUrl");
  if (!serverUrl) throw new Error("no PostgreSQL server for the tests (check withoutPostgres() first)");
  const name = `hearth_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    // FILE_COPY: copying the template's files is half the time of PostgreSQL 15's default (WAL_LOG, which writes every
    // block of it to the WAL): ~120 against ~230 ms a database, and the suite makes ~36 (docs/benchmarks.md, "issue 10,
    // tenth stop"). Older servers have only the file copy, and no STRATEGY.
    const version = Number((await admin.query<{ server_version_num: string }>("SHOW server_version_num")).rows[0]?.server_version_num);
    await admin.query(`CREATE DATABASE ${name}${version >= 150000 ? " STRATEGY FILE_COPY" : ""}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
