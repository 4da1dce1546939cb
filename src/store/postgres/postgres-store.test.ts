/**
 * The PostgreSQL store against a real server: the shared contract suites (store-contract.ts, each test in a fresh
 * workspace of one database, an empty library), and what only PostgreSQL has (its location, pgvector or not).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../../test/support/postgres.ts";
import { withoutCorpus } from "../../../test/support/corpus.ts";
import { describeStoreContract, somerset } from "../store-contract.ts";
import type { Store } from "../types.ts";
import { openPostgresStore } from "./postgres-store.ts";

function phrase(...words: string[]): { phrase: string[]; weight: number } {
  return { phrase: words, weight: 1 };
}



describe.skipIf(withoutPostgres() || withoutCorpus())("PostgreSQL store: the contract's behaviour", () => {
  let database: TestDatabase;
  let store: Store;
  let workspaces = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    workspaces += 1;
    store = await openPostgresStore({ url: database.url, workspaceId: `contract-${workspaces}` });
  });
  afterEach(async () => {
    await store.close();
  });

  const search = (terms: { phrase: string[]; weight: number }[], limit: number, documentIds?: number[]) =>
    store.passages.searchText({ terms, limit, ...(documentIds === undefined ? {} : { documentIds }) });

  it("says what it is and where, without the password", () => {
    expect(store.kind).toBe("postgres");
    expect(store.location).toMatch(/\(workspace contract-\d+\)$/);
  });

  it("without pgvector, says so and keeps BM25 working: nothing to embed, nothing saved, no vector hits", async () => {
    const sample = somerset();
    await store.documents.replace(sample.document, sample.units, sample.chunks);
    const status = await store.passages.embeddingStatus();
    if (status.unavailable === null) return; // a server with pgvector: the test above runs instead
    expect(status).toEqual({
      model: null,
      dimensions: null,
      embedded: 0,
      total: sample.chunks.length,
      unavailable: "pgvector is not installed on the PostgreSQL server: search uses BM25 alone",
    });
    expect(await store.passages.withoutEmbedding("test:model", 10)).toEqual([]);
    const ids = (await search([phrase("Misterton")], 3)).map((hit) => hit.chunkId);
    await store.passages.saveEmbeddings("test:model", ids.map((chunkId) => ({ chunkId, vector: [1, 0, 0] })));
    expect(await store.passages.vectorSearch("test:model", [1, 0, 0], 5)).toEqual([]);
    expect((await store.passages.embeddingStatus()).embedded).toBe(0);
  });
});

describe.skipIf(withoutPostgres())("PostgreSQL store: the shared contract", () => {
  let database: TestDatabase | undefined;
  let workspaces = 0;
  afterAll(async () => {
    await database?.drop();
  });
  const workspaceOf = new WeakMap<Store, string>();
  describeStoreContract(
    "PostgreSQL",
    async () => {
      database ??= await createTestDatabase();
      workspaces += 1;
      const workspaceId = `shared-contract-${workspaces}`;
      const store = await openPostgresStore({ url: database.url, workspaceId });
      workspaceOf.set(store, workspaceId);
      return store;
    },
    // Another handle on the same workspace (its statements run on other connections of the pool).
    async (store) => openPostgresStore({ url: database!.url, workspaceId: workspaceOf.get(store)! }),
  );
});
