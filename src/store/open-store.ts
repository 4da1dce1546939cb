/**
 * Opens a library by where it is: a folder is the embedded SQLite store (`<folder>/hearth.db`), a `postgres://` URL
 * the PostgreSQL store bound to one workspace. Implementations are imported on first use, so commands that never
 * open a library (`hearth --version`, `--help`) load neither SQLite nor a PostgreSQL client.
 */
import { resolve } from "node:path";
import { HearthError } from "../errors/hearth-error.ts";
import { isPostgresUrl } from "./postgres/postgres-url.ts";
import type { Store, StoreOptions } from "./types.ts";

export async function openStore(options: StoreOptions): Promise<Store> {
  const url = options.url.trim();
  if (url.length === 0) throw new HearthError("CONFIG_INVALID", "the library location is empty: give a folder or a postgres:// URL", { subject: "storeUrl" });
  if (isPostgresUrl(url)) {
    const { openPostgresStore } = await import("./postgres/postgres-store.ts");
    return openPostgresStore({ url, workspaceId: options.workspaceId ?? "default" });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new HearthError("CONFIG_INVALID", `${url}: not a library location; give a folder or a postgres:// URL`, { subject: "storeUrl" });
  }
  const { openSqliteStore } = await import("./sqlite-store.ts");
  return openSqliteStore({ dataDir: resolve(url) });
}
