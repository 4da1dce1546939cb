/**
 * Building a large PostgreSQL library's champion lists ahead (`prepareSearch`, called by the ingestion worker after
 * a batch through src/retrieval/prepare-search.ts): the glossary's common phrases, the commonest words and the phrases
 * earlier searches kept get their lists, kept until the library moves past the stale share, so the first search of
 * them builds nothing.
 */
import { describe, expect, it } from "vitest";
import { prepareLibrarySearch } from "./prepare-search.ts";
import { stopWords } from "./tokenize.ts";
import { stemToken } from "../store/passage-tokens.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";
import { withoutPostgres } from "../../test/support/postgres.ts";
import { useSampleLibraryDatabase } from "../../test/support/postgres-sample-library.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import { championSearchSettings } from "../store/postgres/postgres-champion-search.ts";
import { openPostgresStore } from "../store/postgres/postgres-store.ts";
import { postgresTextSearchSettings } from "../store/postgres/postgres-text-search.ts";
import { sampleDocument } from "../store/test-fixtures/sample-documents.ts";

const workspaceId = "prepare";

describe.skipIf(withoutPostgres() || withoutCorpus())("PostgreSQL: champion lists built ahead of the first search", () => {
  const sample = useSampleLibraryDatabase(workspaceId);

  // Thresholds lowered so this small library searches as a large one does (champion lists from the first passage).
  const open = (championFrom: number) =>
    openPostgresStore(
      { url: sample.database.url, workspaceId },
      { textSearch: { ...postgresTextSearchSettings, championFrom, championSize: 50 }, championSearch: { ...championSearchSettings, rareCandidates: 5 } },
    );
  const kept = async (): Promise<Map<string, string>> =>
    new Map(
      (await sample.client.query<{ phrase: string; generation: string }>("SELECT phrase, generation::text FROM library_phrase_champions WHERE workspace_id = $1", [workspaceId])).rows.map(
        (row) => [row.phrase, row.generation],
      ),
    );

  it("builds nothing below championFrom, and nothing on a store with nothing to build ahead", async () => {
    const small = await open(1_000_000);
    try {
      expect(await prepareLibrarySearch(small)).toEqual({ built: 0, fresh: 0, stopped: false });
      expect((await kept()).size).toBe(0);
    } finally {
      await small.close();
    }
    const sqlite = openSqliteStore({ path: ":memory:" });
    try {
      expect(await prepareLibrarySearch(sqlite)).toBeUndefined();
    } finally {
      await sqlite.close();
    }
  });

  it("builds the glossary's common phrases' and the commonest words' lists, keeps them, and a search then builds none", async () => {
    const store = await open(0);
    try {
      const first = await prepareLibrarySearch(store, { frequentWords: 5, keptPhrases: 0 });
      const lists = await kept();
      expect(first!.built).toBe(lists.size);
      expect(first!.built).toBeGreaterThan(5);
      // A glossary phrase of common words ("looked after children") and a common word of these documents, stop words left out.
      expect(lists.has("look after children")).toBe(true);
      expect(lists.has("the")).toBe(false);
      const commonest = await sample.client.query<{ stem: string }>(
        "SELECT stem FROM library_stems WHERE workspace_id = $1 AND NOT (stem = ANY ($2::text[])) AND 2 * passages < (SELECT chunk_count FROM library_statistics WHERE workspace_id = $1) ORDER BY passages DESC, stem LIMIT 1",
        [workspaceId, [...stopWords].map(stemToken)],
      );
      expect(lists.has(commonest.rows[0]!.stem)).toBe(true);

      // Again: every list still fresh, none built.
      expect(await prepareLibrarySearch(store, { frequentWords: 5, keptPhrases: 0 })).toEqual({ built: 0, fresh: first!.built, stopped: false });
      // A search of those phrases reads the kept lists: nothing rebuilt (the generations stay).
      await store.passages.searchText({ terms: [{ phrase: ["looked", "after", "children"], weight: 1 }, { phrase: ["placements"], weight: 1 }], limit: 5 });
      const after = await kept();
      for (const [phrase, generation] of lists) expect(after.get(phrase)).toBe(generation);
    } finally {
      await store.close();
    }
  });

  it("rebuilds the lists earlier searches kept once a batch has moved the library past the stale share", async () => {
    await sample.client.query("DELETE FROM library_phrase_champions WHERE workspace_id = $1", [workspaceId]);
    const store = await open(0);
    try {
      // A search keeps a list for a common word no glossary term or frequent word brings.
      await store.passages.searchText({ terms: [{ phrase: ["reviews"], weight: 1 }, { phrase: ["placements"], weight: 1 }], limit: 5 });
      const searched = await kept();
      expect(searched.has("review")).toBe(true);
      const passages = Number((await sample.client.query<{ chunk_count: string }>("SELECT chunk_count FROM library_statistics WHERE workspace_id = $1", [workspaceId])).rows[0]!.chunk_count);
      const many = Array.from({ length: Math.ceil(passages * 0.1) }, (_, index) => `Review ${index} of placements made out of area.`);
      const grown = sampleDocument("/library/reviews.txt", { format: "text", paged: true, paragraphsPerPage: 1, text: many.join("\n\n") });
      await store.documents.replace(grown.document, grown.units, grown.chunks);

      // Without kept phrases the warm-up leaves the searched list stale (the next search would rebuild it)...
      await prepareLibrarySearch(store, { frequentWords: 0, keptPhrases: 0 });
      expect((await kept()).get("review")).toBe(searched.get("review"));
      // ...with them it rebuilds it for the library as it is now, and a second call finds it fresh.
      const prepared = await prepareLibrarySearch(store, { frequentWords: 0, keptPhrases: 1_000 });
      expect(prepared!.built).toBeGreaterThan(0);
      expect(Number((await kept()).get("review"))).toBeGreaterThan(Number(searched.get("review")));
      const again = await prepareLibrarySearch(store, { frequentWords: 0, keptPhrases: 1_000 });
      expect(again).toEqual({ built: 0, fresh: prepared!.built + prepared!.fresh, stopped: false });
    } finally {
      await store.close();
    }
  });

  it("stops between two lists when told (a job came in), says so, and builds the rest on the next call", async () => {
    // After the test above, every list is kept: start again from none.
    await sample.client.query("DELETE FROM library_phrase_champions WHERE workspace_id = $1", [workspaceId]);
    const store = await open(0);
    try {
      const interrupt = new AbortController();
      interrupt.abort();
      const stopped = await prepareLibrarySearch(store, { frequentWords: 5, keptPhrases: 0 }, interrupt.signal);
      expect(stopped).toEqual({ built: 0, fresh: 0, stopped: true });
      expect((await kept()).size).toBe(0);
      const rest = await prepareLibrarySearch(store, { frequentWords: 5, keptPhrases: 0 });
      expect(rest!.stopped).toBe(false);
      expect(rest!.built).toBeGreaterThan(5);
    } finally {
      await store.close();
    }
  });
});
