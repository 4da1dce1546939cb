/**
 * A document's file name and title as stems are kept per document by the searcher (between searches); an entry is
 * used only for a hit carrying the same file name and title, the only things those stems are made from.
 */
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../store/sqlite-store.ts";
import { sampleDocument } from "../store/test-fixtures/sample-documents.ts";
import type { PassageHit, Store, TextQuery } from "../store/types.ts";
import { createSearcher } from "./search.ts";

const question = "Kent residential placement weekly fee";

/** A store whose search hits carry another file name while `renamed` says so (a store that let a document be renamed). */
function renaming(store: Store): { store: Store; rename: (fileName: string | null) => void } {
  let renamed: string | null = null;
  const searchText = store.passages.searchText.bind(store.passages);
  store.passages.searchText = async (query: TextQuery): Promise<PassageHit[]> => {
    const hits = await searchText(query);
    return renamed === null ? hits : hits.map((hit) => ({ ...hit, fileName: renamed! }));
  };
  return { store, rename: (fileName) => (renamed = fileName) };
}

describe("document labels kept by the searcher", () => {
  it("credits a title word from the hit's own file name, not from one kept for its document before", async () => {
    const { store, rename } = renaming(openSqliteStore({ path: ":memory:" }));
    // The text never says "Kent": only the file name does.
    const sample = sampleDocument("/library/Kent placements.txt", {
      format: "text",
      paged: false,
      text: "Each residential placement costs a weekly fee to the council.\n\nThe council reviews every placement each year.",
    });
    await store.documents.replace(sample.document, sample.units, sample.chunks);
    const searcher = createSearcher(store);
    const coverageOf = async (of = searcher): Promise<number> => {
      const results = await of.search(question, { limit: 1 });
      expect(results).toHaveLength(1);
      return results[0]!.signals.coverage;
    };
    const named = await coverageOf();
    rename("Norfolk placements.txt");
    const renamed = await coverageOf();
    // The same as a searcher that never saw the old name, and less: "Kent" is in neither the text nor the name now.
    expect(renamed).toBe(await coverageOf(createSearcher(store)));
    expect(renamed).toBeLessThan(named);
    rename(null);
    expect(await coverageOf()).toBe(named);
    await store.close();
  });
});
