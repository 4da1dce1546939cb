/** `hearth users` with HEARTH_STORE_URL: the accounts are PostgreSQL's, whatever the data folder, and serve shares them. */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/config.ts";
import { startServer } from "../src/server/start-server.ts";
import { ApiClient } from "../src/server/test-support.ts";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "./support/postgres.ts";
import { runHearth, temporaryDirectory } from "./support/run-hearth.ts";

const folders = [temporaryDirectory("hearth-users-pg-"), temporaryDirectory("hearth-users-pg-")];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe.skipIf(withoutPostgres())("hearth users on PostgreSQL", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("adds and lists accounts in the database (not accounts.db), and the code works on a server using it", async () => {
    const [one, other] = folders as [string, string];
    const env = { HEARTH_STORE_URL: database.url };
    const added = await runHearth(["users", "add", "ann@example.org", "--name", "Ann"], { data: one, env });
    expect(added.stderr).toBe("");
    expect(added.stdout).toMatch(/Added ann@example.org as a server admin/);
    expect(existsSync(join(one, "accounts.db"))).toBe(false);

    // Another machine's data folder, the same database: the same accounts.
    const listed = await runHearth(["users", "list", "--json"], { data: other, env });
    expect((JSON.parse(listed.stdout) as { users: { email: string }[] }).users.map((user) => user.email)).toEqual(["ann@example.org"]);
    // Without the URL, the data folder's own (empty) SQLite accounts.
    const local = await runHearth(["users", "list", "--json"], { data: other });
    expect((JSON.parse(local.stdout) as { users: unknown[] }).users).toEqual([]);

    const loaded = loadConfig({ HEARTH_OCR: "off", HEARTH_STORE_URL: database.url } as NodeJS.ProcessEnv, { dataDir: other, host: "127.0.0.1", port: 0 });
    if (!loaded.ok) throw loaded.error;
    const server = await startServer({ config: loaded.value });
    try {
      const code = /One-time code: (\S+)/.exec(added.stdout)?.[1] ?? "";
      const reset = await new ApiClient(server.url).call("POST", "/api/auth/reset", { json: { email: "ann@example.org", code, password: "ann's own long password" } });
      expect(reset.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
