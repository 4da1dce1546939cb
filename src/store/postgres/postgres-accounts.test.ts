import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../../test/support/postgres.ts";
import { describeAccountsContract } from "../accounts-contract.ts";
import { openAccounts } from "../open-accounts.ts";
import { openPostgresAccounts, PostgresAccountsStore } from "./postgres-accounts.ts";
import { withProductionPasswordHashes } from "../../../test/support/cheap-password-hashes.ts";

describe.skipIf(withoutPostgres())("PostgreSQL accounts", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  /** Each contract case starts from empty tables (the schema stays: migrations run once per database). */
  const emptied = async (): Promise<PostgresAccountsStore> => {
    const accounts = await openPostgresAccounts(database.url);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(
        `TRUNCATE accounts_users, accounts_auth_sessions, accounts_workspaces, accounts_memberships, accounts_invitations,
         accounts_reset_codes, accounts_sign_in_failures, accounts_audit_events`,
      );
    } finally {
      await client.end();
    }
    return accounts;
  };

  describeAccountsContract("PostgreSQL", emptied);

  it("stores scrypt hashes and token hashes, never the secrets, and is chosen for a postgres:// storeUrl", async () => {
    const accounts = await openAccounts({ dataDir: "/nonexistent/never-written", storeUrl: database.url });
    try {
      expect(accounts).toBeInstanceOf(PostgresAccountsStore);
      // At the production cost: what a real install stores (the suite's other hashes are cheaper).
      const created = await withProductionPasswordHashes(() => accounts.createUser({ email: "hash@example.org", name: "Hash", password: "my long password" }));
      if (!created.ok) throw created.error;
      const { token } = await accounts.createAuthSession(created.value.id, 60_000);
      const code = await accounts.createResetCode(created.value.id, 60_000);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const user = await client.query<{ password_hash: string }>("SELECT password_hash FROM accounts_users WHERE email = 'hash@example.org'");
        expect(user.rows[0]?.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
        const everything = JSON.stringify(
          (await client.query("SELECT s.*, r.* FROM accounts_auth_sessions s, accounts_reset_codes r WHERE s.user_id = $1 AND r.user_id = $1", [created.value.id])).rows,
        );
        expect(everything).not.toContain(token);
        expect(everything).not.toContain(code);
        expect(everything).not.toContain("my long password");
      } finally {
        await client.end();
      }
    } finally {
      await accounts.close();
    }
  });
});
