import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Chunk, UnitText } from "../chunking/types.ts";
import { databaseFileName, openSqliteStore } from "./sqlite-store.ts";
import { createSqliteTextSearch, textSearchSettings } from "./sqlite-text-search.ts";
import type { NewDocument, TextQuery } from "./types.ts";

/** A document of one passage per page, each page's text as given. */
function documentOf(name: string, pages: string[]): { document: NewDocument; units: UnitText[]; chunks: Chunk[] } {
  return {
    document: { fileName: `${name}.txt`, sourcePath: `/library/${name}.txt`, contentHash: `hash-${name}-${pages.join("|").length}-${pages[0]}`, format: "text", title: null, byteSize: 1, warnings: [] },
    units: pages.map((text, index) => ({ index, page: index + 1, section: null, text })),
    chunks: pages.map((text, index) => ({ ordinal: index, page: index + 1, section: null, headingPath: [], kind: "text", text, start: 0, end: text.length })),
  };
}

const filler = (index: number): string =>
  `The local authority reviewed placements for children in care during year ${2010 + (index % 12)}, page ${index}.`;

describe("SQLite text search at scale", () => {
  // The store writes; a second connection to the same file reads the index's own tables and runs the search
  // strategy with other settings (the store has no test hatch to its connection).
  const folder = mkdtempSync(join(tmpdir(), "hearth-text-search-"));
  const store = openSqliteStore({ dataDir: folder });
  const database = new Database(join(folder, databaseFileName));
  afterAll(async () => {
    database.close();
    await store.close();
  });

  beforeAll(async () => {
    // Forty documents of common words; a few passages hold rare ones or the common ones together.
    for (let documentIndex = 0; documentIndex < 40; documentIndex++) {
      const pages = Array.from({ length: 10 }, (_, page) => filler(documentIndex * 10 + page));
      if (documentIndex === 7) pages[3] = "Unaccompanied asylum seeking children need specialist semi-independent provision.";
      if (documentIndex === 21) pages[5] = "Residential sufficiency and placement costs rose sharply for children in care.";
      const { document, units, chunks } = documentOf(`authority-${documentIndex}`, pages);
      await store.documents.replace(document, units, chunks);
    }
  });

  const vocabularyCounts = (): Map<string, number> =>
    new Map(database.prepare<[], { term: string; doc: number }>("SELECT term, doc FROM chunks_vocab").all().map((row) => [row.term, row.doc]));
  const tableCounts = (): Map<string, number> =>
    new Map(database.prepare<[], { stem: string; passages: number }>("SELECT stem, passages FROM term_passages").all().map((row) => [row.stem, row.passages]));

  it("keeps passages per stem equal to the index's own counts through writes, replacements and removals", async () => {
    expect(tableCounts()).toEqual(vocabularyCounts());
    const replaced = documentOf("authority-3", ["Foster carers in Somerset welcomed the new residential home.", filler(1)]);
    await store.documents.replace(replaced.document, replaced.units, replaced.chunks);
    const removed = (await store.documents.list()).find((document) => document.fileName === "authority-9.txt");
    expect(removed && (await store.documents.remove(removed.id))).toBe(true);
    expect(tableCounts()).toEqual(vocabularyCounts());
    expect((await store.passages.documentFrequencies(["placements", "somerset", "wales"]))).toEqual(
      new Map([
        ["placements", vocabularyCounts().get("placement")],
        ["somerset", 1],
        ["wales", 0],
      ]),
    );
  });

  it("counts a phrase exactly up to the cap and estimates it past the cap", async () => {
    const exact = (await store.passages.documentFrequencies(["children in care"])).get("children in care")!;
    expect(exact).toBeGreaterThan(300);
    const capped = createSqliteTextSearch(database, { ...textSearchSettings, phraseCountCap: 50 });
    const estimate = capped.documentFrequencies(["children in care"], (await store.passages.statistics()).chunkCount).get("children in care")!;
    expect(Math.abs(estimate - exact) / exact).toBeLessThan(0.15);
    expect(capped.documentFrequencies(["specialist semi independent"], (await store.passages.statistics()).chunkCount).get("specialist semi independent")).toBe(1);
  });

  it("finds the rare term's passage and common terms together under a small posting budget", async () => {
    const tight = createSqliteTextSearch(database, { ...textSearchSettings, postingBudget: 20, narrowFrom: 0, postingBudgetShare: 0 });
    const query: TextQuery = {
      terms: ["asylum", "residential", "sufficiency", "children", "care", "placements"].map((word) => ({ phrase: [word], weight: 1 })),
      limit: 4,
    };
    const hits = tight.search(query, (await store.passages.statistics()).chunkCount);
    expect(hits.length).toBeLessThanOrEqual(4);
    const texts = (await store.passages.getPassages(hits.map((hit) => hit.chunkId))).map((passage) => passage.text);
    expect(texts).toContain("Unaccompanied asylum seeking children need specialist semi-independent provision.");
    expect(texts).toContain("Residential sufficiency and placement costs rose sharply for children in care.");
    // Past the budget a common word alone is not searched: only the rare word's passage comes back, where the plain
    // OR (a library under narrowFrom) fills the limit with the common word's passages.
    const rareAndCommon: TextQuery = { terms: [{ phrase: ["sufficiency"], weight: 1 }, { phrase: ["placements"], weight: 1 }], limit: 4 };
    expect((await store.passages.getPassages(tight.search(rareAndCommon, (await store.passages.statistics()).chunkCount).map((hit) => hit.chunkId))).map((passage) => passage.text)).toEqual([
      "Residential sufficiency and placement costs rose sharply for children in care.",
    ]);
    expect(await store.passages.searchText(rareAndCommon)).toHaveLength(4);
    // Within its budget, the same query is one OR over every term, ranked as before.
    const roomy = createSqliteTextSearch(database, { ...textSearchSettings, postingBudget: 1_000_000 });
    expect(roomy.search(query, (await store.passages.statistics()).chunkCount).map((hit) => hit.chunkId)).toEqual((await store.passages.searchText(query)).map((hit) => hit.chunkId));
  });

  it("searches a few documents by their own ranges, all but a few by the ranges between, and many by widening the top k, as the exact join would", async () => {
    const documents = (await store.documents.list());
    const query: TextQuery = { terms: [{ phrase: ["placements"], weight: 1 }, { phrase: ["residential"], weight: 1 }], limit: 5 };
    const exact = (ids: number[]): number[] =>
      database
        .prepare<[string, string, number], { id: number }>(
          `SELECT c.id FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid WHERE chunks_fts MATCH ?
            AND c.document_id IN (SELECT value FROM json_each(?)) ORDER BY bm25(chunks_fts, 1.0, 0.4), c.id LIMIT ?`,
        )
        .all('"placements" OR "residential"', JSON.stringify(ids), 5)
        .map((row) => row.id);
    const few = documents.slice(0, 3).map((document) => document.id);
    const many = documents.slice(5).map((document) => document.id);
    const search = createSqliteTextSearch(database, { ...textSearchSettings, fewDocuments: 4, filteredRounds: 2 });
    const count = (await store.passages.statistics()).chunkCount;
    expect(search.search({ ...query, documentIds: few }, count).map((hit) => hit.chunkId)).toEqual(exact(few));
    expect(search.search({ ...query, documentIds: many }, count).map((hit) => hit.chunkId)).toEqual(exact(many));
    const allButTwo = documents.filter((_, index) => index !== 2 && index !== 17).map((document) => document.id);
    expect(search.search({ ...query, documentIds: allButTwo }, count).map((hit) => hit.chunkId)).toEqual(exact(allButTwo));
    const tight = createSqliteTextSearch(database, { ...textSearchSettings, fewDocuments: 4, postingBudget: 20, narrowFrom: 0, postingBudgetShare: 0 });
    const narrowed = tight.search({ terms: [{ phrase: ["asylum"], weight: 1 }, { phrase: ["placements"], weight: 1 }], limit: 3, documentIds: allButTwo }, count);
    expect(narrowed.length).toBeGreaterThan(0);
    expect((await store.passages.getPassages(narrowed.map((hit) => hit.chunkId))).every((passage) => allButTwo.includes(passage.documentId))).toBe(true);
    expect(search.search({ ...query, documentIds: [] }, count)).toEqual([]);
  });
});
