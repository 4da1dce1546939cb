/**
 * After a batch, `prepareSearch` (the ingestion worker's step) merges the full-text index's pending list: GIN keeps
 * new passages there (`fastupdate`) and every lookup reads all of it until autovacuum, which a large library's insert
 * threshold may not reach for days, merges it.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../../test/support/postgres.ts";
import { sampleDocument } from "../test-fixtures/sample-documents.ts";
import { openPostgresStore } from "./postgres-store.ts";

const workspaceId = "pending";

const text = (place: string): string =>
  Array.from({ length: 30 }, (_, index) => `${place} council reviews residential placements and their costs, report ${index}.`).join("\n\n");

describe.skipIf(withoutPostgres())("PostgreSQL: the full-text index's pending list merged after a batch", () => {
  let database: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  /** Pending pages merged by a merge now: 0 when the list was already empty. */
  const mergeNow = async (): Promise<number> =>
    Number((await client.query<{ merged: string }>("SELECT gin_clean_pending_list('library_chunks_terms'::regclass)::text AS merged")).rows[0]!.merged);

  it("leaves no passage pending once prepareSearch has run, and a write after it pends again", async () => {
    const store = await openPostgresStore({ url: database.url, workspaceId });
    try {
      const first = sampleDocument("/library/Leeds.txt", { format: "text", paged: true, text: text("Leeds") });
      await store.documents.replace(first.document, first.units, first.chunks);
      await store.passages.prepareSearch!({ phrases: [], frequentWords: 0, keptPhrases: 0, except: [] });
      expect(await mergeNow()).toBe(0);

      // Without the step, a batch's passages stay pending (what the test above would see on the old code).
      const second = sampleDocument("/library/Bristol.txt", { format: "text", paged: true, text: text("Bristol") });
      await store.documents.replace(second.document, second.units, second.chunks);
      expect(await mergeNow()).toBeGreaterThan(0);
      // The search still finds both documents' passages, merged or not.
      const hits = await store.passages.searchText({ terms: [{ phrase: ["bristol"], weight: 1 }, { phrase: ["leeds"], weight: 1 }], limit: 100 });
      expect(new Set(hits.map((hit) => hit.fileName))).toEqual(new Set(["Leeds.txt", "Bristol.txt"]));
    } finally {
      await store.close();
    }
  });
});
