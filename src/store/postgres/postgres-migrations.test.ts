import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../../test/support/postgres.ts";
import { acquirePostgresPool, redactPostgresUrl, releasePostgresPool } from "./postgres-connection.ts";
import { migrate } from "./postgres-migrations.ts";

describe.skipIf(withoutPostgres())("PostgreSQL migrations", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it("applies each step once, even when several processes start at once, and refuses a newer schema", async () => {
    const pool = await acquirePostgresPool(database.url);
    try {
      const steps = [
        { version: 1, description: "notes table", sql: "CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)" },
        { version: 2, description: "notes author", sql: "ALTER TABLE notes ADD COLUMN author text" },
      ];
      await Promise.all([migrate(pool, "notes", steps), migrate(pool, "notes", steps), migrate(pool, "notes", steps)]);
      const applied = await pool.query("SELECT version FROM hearth_schema_migrations WHERE component = 'notes' ORDER BY version");
      expect(applied.rows).toEqual([{ version: 1 }, { version: 2 }]);
      await expect(migrate(pool, "notes", steps.slice(0, 1))).rejects.toThrow(/newer than this Hearth knows/);
      const broken = [...steps, { version: 3, description: "broken", sql: "ALTER TABLE missing ADD COLUMN x int" }];
      await expect(migrate(pool, "notes", broken)).rejects.toThrow(/notes migration 3 \(broken\) failed/);
    } finally {
      await releasePostgresPool(database.url);
    }
  });

  it("names the server without its password when it cannot connect", async () => {
    const url = "postgres://hearth:secret-password@127.0.0.1:1/nowhere";
    await expect(acquirePostgresPool(url)).rejects.toThrow(/127\.0\.0\.1:1\/nowhere: cannot connect to PostgreSQL/);
    await expect(acquirePostgresPool(url)).rejects.not.toThrow(/secret-password/);
    expect(redactPostgresUrl(url)).toBe("postgres://hearth:***@127.0.0.1:1/nowhere");
  });
});
