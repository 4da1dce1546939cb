/** How many full-text candidates the searcher reranks: search-weights.json's `candidates`, unless the caller says. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../store/sqlite-store.ts";
import { sampleDocument } from "../store/test-fixtures/sample-documents.ts";
import type { Store, TextQuery } from "../store/types.ts";
import { createSearcher } from "./search.ts";

const configured = (JSON.parse(readFileSync(new URL("./search-weights.json", import.meta.url), "utf8")) as { candidates: number }).candidates;

/** A library of `count` short passages that all hold the question's words, and the limits its searches were asked. */
async function libraryOf(count: number): Promise<{ store: Store; limits: number[] }> {
  const store = openSqliteStore({ path: ":memory:" });
  const paragraphs = Array.from({ length: count }, (_, index) => `Residential placement number ${index + 1} costs a weekly fee to the council.`);
  const sample = sampleDocument("/library/placements.txt", { format: "text", paged: false, paragraphsPerPage: 1, text: paragraphs.join("\n\n") });
  await store.documents.replace(sample.document, sample.units, sample.chunks);
  const limits: number[] = [];
  const searchText = store.passages.searchText.bind(store.passages);
  store.passages.searchText = (query: TextQuery) => {
    limits.push(query.limit);
    return searchText(query);
  };
  return { store, limits };
}

describe("the searcher's candidate count", () => {
  it("asks the store for search-weights.json's candidates, and for the caller's count when given", async () => {
    expect(Number.isInteger(configured) && configured >= 1).toBe(true);
    const { store, limits } = await libraryOf(30);
    const searcher = createSearcher(store);
    await searcher.search("residential placement weekly fee", { limit: 5 });
    expect(limits[0]).toBe(configured);
    limits.length = 0;
    await searcher.search("residential placement weekly fee", { limit: 5, candidates: 7 });
    expect(limits[0]).toBe(7);
    await store.close();
  });

  it("returns no more than that many when more passages match: only those are reranked", async () => {
    const { store } = await libraryOf(30);
    const searcher = createSearcher(store);
    const everything = await searcher.search("residential placement weekly fee", { limit: 30, perPage: null });
    const few = await searcher.search("residential placement weekly fee", { limit: 30, perPage: null, candidates: 4 });
    expect(everything.length).toBe(30);
    // Thirty passages match, four are reranked, four come back.
    expect(few.length).toBe(4);
    await store.close();
  });
});
