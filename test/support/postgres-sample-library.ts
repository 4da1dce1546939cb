/**
 * A test database holding the store contract's three sample documents (Cambridgeshire, Somerset, a Nottinghamshire
 * excerpt) in one workspace, with a client on it for the test's own queries: what the PostgreSQL large-library
 * tests (champion lists, building them ahead) set up before their cases. Needs the corpus and a PostgreSQL server.
 */
import pg from "pg";
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
