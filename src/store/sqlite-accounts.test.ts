import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { describeAccountsContract } from "./accounts-contract.ts";
import { accountsFileName, openSqliteAccounts } from "./sqlite-accounts.ts";
import { withProductionPasswordHashes } from "../../test/support/cheap-password-hashes.ts";

const directories: string[] = [];
const temporaryDirectory = (): string => {
  const directory = mkdtempSync(join(tmpdir(), "hearth-accounts-"));
  directories.push(directory);
  return directory;
};
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describeAccountsContract("SQLite in memory", () => openSqliteAccounts({ path: ":memory:" }));
describeAccountsContract("SQLite file", () => openSqliteAccounts({ dataDir: temporaryDirectory() }));

describe("SQLite accounts file", () => {
  it("stores scrypt hashes and token hashes, never the secrets, and survives reopening", async () => {
    const directory = temporaryDirectory();
    const accounts = openSqliteAccounts({ dataDir: directory });
    // At the production cost: what a real install stores (the suite's other hashes are cheaper).
    const created = await withProductionPasswordHashes(() => accounts.createUser({ email: "ann@example.org", name: "Ann", password: "my long password" }));
    expect(created.ok).toBe(true);
    const { token } = await accounts.createAuthSession(created.ok ? created.value.id : "", 60_000);
    await accounts.close();

    const raw = new Database(join(directory, accountsFileName), { readonly: true });
    const { password_hash: hash } = raw.prepare("SELECT password_hash FROM users").get() as { password_hash: string };
    const { token_hash: tokenHash } = raw.prepare("SELECT token_hash FROM auth_sessions").get() as { token_hash: string };
    raw.close();
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hash).not.toContain("my long password");
    expect(tokenHash).not.toBe(token);

    const reopened = openSqliteAccounts({ dataDir: directory });
    expect((await reopened.findAuthSession(token))?.user.email).toBe("ann@example.org");
    expect((await reopened.verifyPassword("ann@example.org", "my long password"))?.name).toBe("Ann");
    await reopened.close();
  });
});
