import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "./support/postgres.ts";

describe.skipIf(withoutPostgres())("the test suite's PostgreSQL server", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it("gives each test file its own empty database on 127.0.0.1", async () => {
    expect(new URL(database.url).hostname).toBe("127.0.0.1");
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const tables = await client.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
      expect(tables.rows[0]).toEqual({ n: 0 });
      const version = await client.query<{ server_version_num: string }>("SHOW server_version_num");
      expect(Number(version.rows[0]?.server_version_num)).toBeGreaterThanOrEqual(150000);
    } finally {
      await client.end();
    }
  });
});
