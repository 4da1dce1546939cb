/**
 * A phrase's passage count (its IDF) is counted up to `phraseCountCap` matches and estimated past it from the share
 * of the workspace's passage ids the first `cap` matches took, as the SQLite store does: the count's cost is bounded
 * by the cap, not by how many passages hold the phrase's words.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../../test/support/postgres.ts";
import { textSearchSettings } from "../sqlite-text-search.ts";
import { sampleDocument } from "../test-fixtures/sample-documents.ts";
import type { Store } from "../types.ts";
import { openPostgresStore } from "./postgres-store.ts";

describe.skipIf(withoutPostgres())("PostgreSQL phrase counts past the cap", () => {
  let database: TestDatabase;
  let capped: Store;
  let exact: Store;

  beforeAll(async () => {
    database = await createTestDatabase();
    capped = await openPostgresStore({ url: database.url, workspaceId: "cap" }, { textSearch: { ...textSearchSettings, phraseCountCap: 2 } });
    exact = await openPostgresStore({ url: database.url, workspaceId: "cap" }, { textSearch: { ...textSearchSettings, phraseCountCap: 1_000 } });
    // Eight passages, the phrase in every other one (passages 1, 3, 5, 7): four in all.
    const paragraphs = Array.from({ length: 8 }, (_, index) =>
      index % 2 === 0 ? `Children looked after by the council, note ${index}.` : `Children placed out of area, note ${index}.`,
    );
    const sample = sampleDocument("/library/cap.txt", { format: "text", paged: true, paragraphsPerPage: 1, text: paragraphs.join("\n\n") });
    await capped.documents.replace(sample.document, sample.units, sample.chunks);
  });
  afterAll(async () => {
    await capped?.close();
    await exact?.close();
    await database?.drop();
  });

  it("counts exactly below the cap and estimates past it from the id span of the first matches", async () => {
    // Under the cap of 1,000: exact.
    expect((await exact.passages.documentFrequencies(["looked after"])).get("looked after")).toBe(4);
    // The kept count belongs to this library state, so the capped store would read it: empty it first.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query("DELETE FROM library_phrase_counts WHERE workspace_id = 'cap'");
    await client.end();
    // Cap 2: the first two matches are passages 1 and 3 of 8, three ids of eight, so 2 × 8 / 3 ≈ 5.
    expect((await capped.passages.documentFrequencies(["looked after"])).get("looked after")).toBe(5);
    // A phrase in fewer passages than the cap is still counted exactly.
    expect((await capped.passages.documentFrequencies(["note 0"])).get("note 0")).toBe(1);
  });
});
