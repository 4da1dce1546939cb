/**
 * Vitest global set-up: gives every test file a PostgreSQL server URL through `inject("postgresUrl")` (see
 * test/support/postgres.ts). CI hands one over in HEARTH_TEST_POSTGRES_URL; otherwise a throwaway cluster is started
 * when PostgreSQL is installed and stopped when the run ends. Without one, PostgreSQL tests skip (outside CI).
 */
import type { TestProject } from "vitest/node";
import { findPostgresBin, startPostgres } from "./postgres-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A superuser URL, or "" when no PostgreSQL server is available. */
    postgresUrl: string;
    /** Why there is none, when postgresUrl is "". */
    postgresMissing: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const given = process.env.HEARTH_TEST_POSTGRES_URL;
  if (given) {
    project.provide("postgresUrl", given);
    project.provide("postgresMissing", "");
    return () => {};
  }
  const bin = findPostgresBin();
  if (bin === undefined || process.env.HEARTH_TEST_NO_POSTGRES === "1") {
    project.provide("postgresUrl", "");
    project.provide(
      "postgresMissing",
      bin === undefined
        ? "PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb) and HEARTH_TEST_POSTGRES_URL is unset"
        : "HEARTH_TEST_NO_POSTGRES=1 turns them off",
    );
    return () => {};
  }
  let server: Awaited<ReturnType<typeof startPostgres>>;
  try {
    server = await startPostgres(bin);
  } catch (error) {
    // Installed but not startable here (no runuser, no postgres user, a full disk): outside CI the PostgreSQL tests
    // skip with this reason, as when it is not installed; CI must run them (test/support/postgres.ts throws there).
    project.provide("postgresUrl", "");
    project.provide("postgresMissing", `PostgreSQL could not be started: ${error instanceof Error ? error.message : String(error)}`);
    return () => {};
  }
  project.provide("postgresUrl", server.url);
  project.provide("postgresMissing", "");
  return () => server.stop();
}
