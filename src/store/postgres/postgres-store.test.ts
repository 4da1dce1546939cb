/**
 * The PostgreSQL store against a real server: the shared contract suites (store-contract.ts, each test in a fresh
 * workspace of one database, an empty library), and what only PostgreSQL has (its location, pgvector or not).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../../test/support/postgres.ts";
import { withoutCorpus } from "../../../test/support/corpus.ts";
import { cambridgeshire, describeStoreContract, somerset } from "../store-contract.ts";
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

  it("with pgvector, keeps embeddings: only new passages need vectors, nearest first, removed with their document", async () => {
    if ((await store.passages.embeddingStatus()).unavailable !== null) return; // no pgvector on this server: see below
    const first = cambridgeshire();
    const firstRecord = await store.documents.replace(first.document, first.units, first.chunks);
    expect(await store.passages.embeddingStatus()).toMatchObject({ model: null, embedded: 0, total: first.chunks.length });
    const pending = await store.passages.withoutEmbedding("test:model", 10_000);
    expect(pending).toHaveLength(first.chunks.length);
    const vectorFor = (text: string): number[] => (/£|cost/i.test(text) ? [1, 0.1, 0] : [0, 1, 0.2]);
    await store.passages.saveEmbeddings("test:model", pending.map((passage) => ({ chunkId: passage.chunkId, vector: vectorFor(passage.text) })));
    expect(await store.passages.withoutEmbedding("test:model", 10)).toEqual([]);
    expect(await store.passages.embeddingStatus()).toMatchObject({ model: "test:model", dimensions: 3, embedded: first.chunks.length });
    const hits = await store.passages.vectorSearch("test:model", [1, 0, 0], 3);
    expect(hits[0]!.text).toMatch(/£|cost/i);
    expect(hits[0]!.score).toBeGreaterThan(0.9);
    expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((a, b) => b - a));
    expect(await store.passages.vectorSearch("other:model", [1, 0, 0], 3)).toEqual([]);
    await expect(store.passages.vectorSearch("test:model", [1, 0], 3)).rejects.toThrow(/cannot be compared/);
    const second = somerset();
    const secondRecord = await store.documents.replace(second.document, second.units, second.chunks);
    const secondPending = await store.passages.withoutEmbedding("test:model", 10_000);
    expect(secondPending.map((passage) => passage.documentId)).toEqual(second.chunks.map(() => secondRecord.id));
    await store.passages.saveEmbeddings("test:model", secondPending.map((passage) => ({ chunkId: passage.chunkId, vector: vectorFor(passage.text) })));
    expect((await store.passages.vectorSearch("test:model", [0, 1, 0], 500, [secondRecord.id])).every((hit) => hit.documentId === secondRecord.id)).toBe(true);
    expect(await store.documents.remove(firstRecord.id)).toBe(true);
    expect((await store.passages.vectorSearch("test:model", [1, 0, 0], 500)).some((hit) => hit.documentId === firstRecord.id)).toBe(false);
    expect(await store.passages.embeddingStatus()).toMatchObject({ embedded: second.chunks.length, total: second.chunks.length });
    expect(await store.passages.withoutEmbedding("new:model", 10_000)).toHaveLength(second.chunks.length);
    await store.passages.saveEmbeddings("new:model", [{ chunkId: secondPending[0]!.chunkId, vector: [1, 2, 3, 4] }]);
    expect(await store.passages.embeddingStatus()).toMatchObject({ model: "new:model", dimensions: 4, embedded: 1 });
    expect(await store.passages.vectorSearch("test:model", [1, 0, 0], 5)).toEqual([]);
    expect((await store.documents.checkIntegrity()).ok).toBe(true);
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
  describeStoreContract("PostgreSQL", async () => {
    database ??= await createTestDatabase();
    workspaces += 1;
    return openPostgresStore({ url: database.url, workspaceId: `shared-contract-${workspaces}` });
  });
});
