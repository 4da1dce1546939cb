/**
 * A test database holding the store contract's three sample documents (Cambridgeshire, Somerset, a Nottinghamshire
 * excerpt) in one workspace, with a client on it for the test's own queries: what the PostgreSQL large-library
 * tests (champion lists, building them ahead) set up before their cases. Needs the corpus and a PostgreSQL server.
 */
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { cambridgeshire, nottinghamshireExcerpt, somerset } from "../../src/store/store-contract.ts";
import { openPostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { createTestDatabase, type TestDatabase } from "./postgres.ts";

export interface SampleLibraryDatabase {
  database: TestDatabase;
  client: pg.Client;
  /** Ends the client and drops the database. */
  drop(): Promise<void>;
}

export async function createSampleLibraryDatabase(workspaceId: string): Promise<SampleLibraryDatabase> {
  const database = await createTestDatabase();
  const store = await openPostgresStore({ url: database.url, workspaceId });
  try {
    for (const sample of [cambridgeshire(), somerset(), nottinghamshireExcerpt()]) await store.documents.replace(sample.document, sample.units, sample.chunks);
  } finally {
    await store.close();
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  return {
    database,
    client,
    async drop() {
      await client.end();
      await database.drop();
    },
  };
}

/**
 * The sample library database for the describe block this is called in: created before its tests, dropped after.
 * Read `database` and `client` inside tests (they exist once the block's set-up has run).
 */
export function useSampleLibraryDatabase(workspaceId: string): { readonly database: TestDatabase; readonly client: pg.Client } {
  let library: SampleLibraryDatabase | undefined;
  beforeAll(async () => {
    library = await createSampleLibraryDatabase(workspaceId);
  });
  afterAll(async () => {
    await library?.drop();
  });
  const created = (): SampleLibraryDatabase => {
    if (!library) throw new Error("the sample library database is read before its describe block's set-up ran");
    return library;
  };
  return {
    get database() {
      return created().database;
    },
    get client() {
      return created().client;
    },
  };
}
