/**
 * How the SQLite store searches a large library (src/store/text-search.json `championFrom`): phrases FTS5 cannot
 * evaluate within the budget come from champion lists kept per library version, and a search restricted to a few
 * documents is scored here with FTS5's own BM25. The library is small; the settings make it count as large.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Chunk, UnitText } from "../chunking/types.ts";
import { databaseFileName, openSqliteStore } from "./sqlite-store.ts";
import { createSqliteTextSearch, textSearchSettings, type TextSearchSettings } from "./sqlite-text-search.ts";
import type { NewDocument, TextQuery } from "./types.ts";

function documentOf(name: string, pages: string[]): { document: NewDocument; units: UnitText[]; chunks: Chunk[] } {
  return {
    document: { fileName: `${name}.txt`, sourcePath: `/library/${name}.txt`, contentHash: `hash-${name}-${pages.join("|")}`, format: "text", title: null, byteSize: 1, warnings: [] },
    units: pages.map((text, index) => ({ index, page: index + 1, section: null, text })),
    chunks: pages.map((text, index) => ({ ordinal: index, page: index + 1, section: null, headingPath: ["Sufficiency", `Part ${index % 3}`], kind: "text", text, start: 0, end: text.length })),
  };
}

const filler = (index: number): string =>
  index % 4 === 0
    ? `Children in care were placed by the local authority in ${2010 + (index % 12)}; children in care, children in care again (page ${index}).`
    : `The local authority reviewed placements for children during year ${2010 + (index % 12)}, page ${index}; care costs rose.`;

describe("SQLite search of a large library", () => {
  const folder = mkdtempSync(join(tmpdir(), "hearth-large-search-"));
  const store = openSqliteStore({ dataDir: folder });
  const database = new Database(join(folder, databaseFileName));
  // Large from the first passage; a budget of 30 passages; phrases counted exactly.
  const large: TextSearchSettings = { ...textSearchSettings, championFrom: 0, narrowFrom: 0, postingBudget: 30, championBudget: 30, postingBudgetShare: 0, phraseCountCap: 1_000_000, phraseWordCostShare: 0.1, championSize: 20, championStaleShare: 0.02, scoreHereUpTo: 10_000 };
  const passageCount = async (): Promise<number> => (await store.passages.statistics()).chunkCount;
  const texts = async (hits: { chunkId: number }[]): Promise<string[]> => (await store.passages.getPassages(hits.map((hit) => hit.chunkId))).map((passage) => passage.text);
  afterAll(async () => {
    database.close();
    await store.close();
  });

  beforeAll(async () => {
    for (let documentIndex = 0; documentIndex < 30; documentIndex++) {
      const pages = Array.from({ length: 10 }, (_, page) => filler(documentIndex * 10 + page));
      if (documentIndex === 11) pages[2] = "Unaccompanied asylum seeking children in care need specialist semi-independent provision.";
      if (documentIndex === 12) pages[4] = "Unaccompanied asylum seeking young people were counted separately.";
      const { document, units, chunks } = documentOf(`authority-${documentIndex}`, pages);
      await store.documents.replace(document, units, chunks);
    }
  });

  const query: TextQuery = {
    terms: [{ phrase: ["asylum"], weight: 1 }, { phrase: ["children", "in", "care"], weight: 1 }, { phrase: ["local", "authority"], weight: 1 }],
    limit: 10,
  };

  it("takes a phrase of common words from its champion list, kept with the library version, and ranks a rare passage holding it first", async () => {
    const search = createSqliteTextSearch(database, large);
    const hits = search.search(query, await passageCount());
    expect((await texts(hits))[0]).toBe("Unaccompanied asylum seeking children in care need specialist semi-independent provision.");
    expect(await texts(hits)).toContain("Unaccompanied asylum seeking young people were counted separately.");
    // The fill: the common phrases' champions (passages saying "children in care" three times rank there first).
    expect((await texts(hits)).filter((text) => text.startsWith("Children in care were placed")).length).toBeGreaterThan(0);
    const stored = database.prepare<[], { phrase: string; library_version: number; hits: string }>("SELECT phrase, library_version, hits FROM phrase_champions ORDER BY phrase").all();
    expect(stored.map((row) => row.phrase)).toEqual(["children in care", "local author"]);
    const version = database.prepare<[], { version: number }>("SELECT version FROM library_version").get()!.version;
    expect(stored.every((row) => row.library_version === version && (JSON.parse(row.hits) as unknown[]).length === 20)).toBe(true);
    // Each champion is the phrase's own top k by FTS5's bm25: its share of the OR's score.
    const own = database
      .prepare<[], { id: number }>("SELECT rowid AS id FROM chunks_fts WHERE chunks_fts MATCH '\"children in care\"' ORDER BY bm25(chunks_fts, 1.0, 0.4), rowid LIMIT 20")
      .all()
      .map((row) => row.id);
    expect((JSON.parse(stored[0]!.hits) as [number, number][]).map(([id]) => id)).toEqual(own);
  });

  it("reuses a list while the library grows by less than the stale share, and computes it again past it", async () => {
    const search = createSqliteTextSearch(database, large);
    const before = database.prepare<[], { library_version: number }>("SELECT library_version FROM phrase_champions WHERE phrase = 'children in care'").get()!.library_version;
    const one = documentOf("authority-extra", ["Children in care and the local authority, children in care, children in care, children in care."]);
    await store.documents.replace(one.document, one.units, one.chunks);
    search.search(query, await passageCount());
    // 301 passages against 300: within 2%, so the list is kept as it was.
    expect(database.prepare<[], { library_version: number }>("SELECT library_version FROM phrase_champions WHERE phrase = 'children in care'").get()!.library_version).toBe(before);
    const more = documentOf("authority-more", Array.from({ length: 12 }, (_, page) => filler(1000 + page)));
    await store.documents.replace(more.document, more.units, more.chunks);
    const hits = search.search(query, await passageCount());
    const after = database.prepare<[], { library_version: number; passages: number }>("SELECT library_version, passages FROM phrase_champions WHERE phrase = 'children in care'").get()!;
    expect(after.library_version).toBeGreaterThan(before);
    expect(after.passages).toBe(await passageCount());
    // The passage that says the phrase most, added since, is now a champion and a candidate.
    expect(await texts(hits)).toContain("Children in care and the local authority, children in care, children in care, children in care.");
  });

  it("keeps phrase counts per library version and counts again once the library has changed by more than the stale share", async () => {
    const count = await passageCount();
    const exact = database.prepare<[], { n: number }>("SELECT count(*) AS n FROM chunks_fts WHERE chunks_fts MATCH '\"local authority\"'").get()!.n;
    expect(createSqliteTextSearch(database, large).documentFrequencies(["local authority"], count).get("local authority")).toBe(exact);
    expect(database.prepare<[], { passages: number }>("SELECT passages FROM phrase_passages WHERE phrase = 'local author'").get()!.passages).toBe(exact);
    // Another connection's search (a new process) reads the stored count instead of counting.
    database.prepare("UPDATE phrase_passages SET passages = 12345 WHERE phrase = 'local author'").run();
    expect(createSqliteTextSearch(database, large).documentFrequencies(["local authority"], count).get("local authority")).toBe(12345);
    const more = documentOf("authority-later", Array.from({ length: 12 }, (_, page) => filler(2000 + page)));
    await store.documents.replace(more.document, more.units, more.chunks);
    const grown = await passageCount();
    const recounted = database.prepare<[], { n: number }>("SELECT count(*) AS n FROM chunks_fts WHERE chunks_fts MATCH '\"local authority\"'").get()!.n;
    expect(createSqliteTextSearch(database, large).documentFrequencies(["local authority"], grown).get("local authority")).toBe(recounted);
  });

  it("scores a few documents' passages here exactly as FTS5's bm25 ranks them", async () => {
    const documents = await store.documents.list();
    const few = documents.slice(3, 6).map((document) => document.id);
    const here = createSqliteTextSearch(database, large);
    const inIndex = createSqliteTextSearch(database, { ...large, championFrom: 1_000_000_000 });
    const restricted: TextQuery = { ...query, terms: [...query.terms, { phrase: ["placements"], weight: 1 }, { phrase: ["sufficiency"], weight: 1 }], documentIds: few };
    const count = await passageCount();
    const expected = inIndex.search(restricted, count);
    const scored = here.search(restricted, count);
    expect(expected.length).toBe(10);
    expect(scored.map((hit) => hit.chunkId)).toEqual(expected.map((hit) => hit.chunkId));
    for (const [index, hit] of scored.entries()) expect(hit.score).toBeCloseTo(expected[index]!.score, 6);
  });
  it("searches a few documents too large to score here as one bounded search over their ranges, keeping only their passages", async () => {
    const documents = await store.documents.list();
    const few = documents.filter((document) => /authority-(11|12|13)\.txt$/.test(document.fileName)).map((document) => document.id);
    expect(few).toHaveLength(3);
    // 30 passages in those documents, more than scoreHereUpTo: the ranges go through the budgeted library search.
    const bounded = createSqliteTextSearch(database, { ...large, scoreHereUpTo: 5 });
    const restricted: TextQuery = { ...query, documentIds: few };
    const hits = bounded.search(restricted, await passageCount());
    expect(hits.length).toBeGreaterThan(0);
    const owners = new Set((await store.passages.getPassages(hits.map((hit) => hit.chunkId))).map((passage) => passage.documentId));
    expect([...owners].every((owner) => few.includes(owner))).toBe(true);
    expect((await texts(hits))[0]).toBe("Unaccompanied asylum seeking children in care need specialist semi-independent provision.");
    expect(await texts(hits)).toContain("Unaccompanied asylum seeking young people were counted separately.");
  });
});
