/**
 * Phrase counts (a multi-word phrase's passages: its IDF) are counted once per library state and kept in
 * library_phrase_counts under the passage generation; every write of passages moves the generation, so a kept count
 * is never read after the library has changed.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../../test/support/postgres.ts";
import { sampleDocument } from "../test-fixtures/sample-documents.ts";
import type { Store } from "../types.ts";
import { openPostgresStore } from "./postgres-store.ts";

function document(name: string, paragraphs: string[]) {
  return sampleDocument(`/library/${name}.txt`, { format: "text", paged: true, paragraphsPerPage: 2, text: paragraphs.join("\n\n") });
}

describe.skipIf(withoutPostgres())("PostgreSQL phrase counts", () => {
  let database: TestDatabase;
  let store: Store;
  let client: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await openPostgresStore({ url: database.url, workspaceId: "phrases" });
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await store?.close();
    await database?.drop();
  });

  const kept = async (): Promise<{ phrase: string; passages: number; current: boolean }[]> =>
    (
      await client.query<{ phrase: string; passages: number; current: boolean }>(
        `SELECT p.phrase, p.passages, p.generation = s.passage_generation AS current
           FROM library_phrase_counts p JOIN library_statistics s ON s.workspace_id = p.workspace_id
          WHERE p.workspace_id = 'phrases' ORDER BY p.phrase`,
      )
    ).rows;

  it("counts a phrase once per library state and counts again after every write", async () => {
    const sample = document("first", ["Looked after children placed out of area.", "Children who are looked after by the council.", "Care leavers looked after until 18."]);
    const first = await store.documents.replace(sample.document, sample.units, sample.chunks);
    expect((await store.passages.documentFrequencies(["looked after", "looked after children", "out of area"])).get("looked after")).toBe(3);
    expect(await kept()).toEqual([
      { phrase: "look after", passages: 3, current: true },
      { phrase: "look after children", passages: 1, current: true },
      { phrase: "out of area", passages: 1, current: true },
    ]);

    // The kept count is what is read: altered by hand, the store reports the altered figure (no recount) …
    await client.query("UPDATE library_phrase_counts SET passages = 99 WHERE workspace_id = 'phrases' AND phrase = 'look after'");
    expect((await store.passages.documentFrequencies(["looked after"])).get("looked after")).toBe(99);

    // … until a write moves the generation: then the phrase is counted again from the passages.
    const second = document("second", ["Children looked after in residential care.", "Foster care for children."]);
    await store.documents.replace(second.document, second.units, second.chunks);
    expect((await store.passages.documentFrequencies(["looked after", "looked after children"])).get("looked after")).toBe(4);
    expect((await kept()).find((row) => row.phrase === "look after")).toEqual({ phrase: "look after", passages: 4, current: true });
    // Not asked for since the write: kept, but under the old generation, so never read.
    expect((await kept()).find((row) => row.phrase === "out of area")?.current).toBe(false);

    // Removing a document moves it too; so does a search's IDF, which reads the same counts.
    await store.documents.remove(first.id);
    expect((await store.passages.documentFrequencies(["looked after", "out of area"])).get("out of area")).toBe(0);
    expect((await store.passages.documentFrequencies(["looked after"])).get("looked after")).toBe(1);
    const hits = await store.passages.searchText({ terms: [{ phrase: ["looked", "after"], weight: 1 }], limit: 5 });
    expect(hits.map((hit) => hit.text)).toEqual(["Children looked after in residential care."]);
  });

  it("moves the generation when a document is replaced by one with the same words in another order", async () => {
    const before = await client.query<{ passage_generation: string }>("SELECT passage_generation FROM library_statistics WHERE workspace_id = 'phrases'");
    const swapped = document("second", ["Children after looked in residential care.", "Foster care for children."]);
    await store.documents.replace(swapped.document, swapped.units, swapped.chunks);
    const after = await client.query<{ passage_generation: string }>("SELECT passage_generation FROM library_statistics WHERE workspace_id = 'phrases'");
    expect(Number(after.rows[0]!.passage_generation)).toBeGreaterThan(Number(before.rows[0]!.passage_generation));
    expect((await store.passages.documentFrequencies(["looked after"])).get("looked after")).toBe(0);
  });
});
