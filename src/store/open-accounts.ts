/**
 * The one place that chooses the accounts store: PostgreSQL when the configuration's `storeUrl` is a postgres://
 * URL (several `hearth serve` processes then share users, sign-ins and lockouts through it), otherwise the SQLite
 * file <dataDir>/accounts.db. Each implementation is imported only when chosen.
 */
import type { AccountsStore } from "./accounts-types.ts";
import { isPostgresUrl } from "./postgres/postgres-connection.ts";

export async function openAccounts(config: { dataDir: string; storeUrl?: string | undefined }): Promise<AccountsStore> {
  if (config.storeUrl !== undefined && isPostgresUrl(config.storeUrl)) {
    const { openPostgresAccounts } = await import("./postgres/postgres-accounts.ts");
    return openPostgresAccounts(config.storeUrl);
  }
  const { openSqliteAccounts } = await import("./sqlite-accounts.ts");
  return openSqliteAccounts({ dataDir: config.dataDir });
}
