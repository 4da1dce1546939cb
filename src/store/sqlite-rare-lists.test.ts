/**
 * A large library's rare side from kept lists (src/store/text-search.json `rareListRows`, phrase-lists.ts): the same
 * hits and scores as FTS5's OR statement, bit for bit, without the statement once a phrase's list is kept; read again
 * when the library changes; FTS5 as before for a phrase in more passages than a list keeps. The common phrases' share
 * of the rare passages' scores is remembered (`shareMemorySets`), so a search asked again reads no passage text.
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
    document: { fileName: `${name}.txt`, sourcePath: `/library/${name}.txt`, contentHash: `hash-${name}`, format: "text", title: null, byteSize: 1, warnings: [] },
    units: pages.map((text, index) => ({ index, page: index + 1, section: null, text })),
    chunks: pages.map((text, index) => ({ ordinal: index, page: index + 1, section: null, headingPath: [], kind: "text", text, start: 0, end: text.length })),
  };
}

const councils = ["Blackpool", "Cumbria", "Somerset", "Kent"];

describe("SQLite search of a large library: rare phrases' kept lists", () => {
  const folder = mkdtempSync(join(tmpdir(), "hearth-rare-lists-"));
  const store = openSqliteStore({ dataDir: folder });
  const database = new Database(join(folder, databaseFileName));
  // Large from the first passage; every phrase within the budget (one OR); no shared deeper read, so FTS5's path
  // runs one statement per search and the lists' path none once kept.
  const large: TextSearchSettings = { ...textSearchSettings, championFrom: 0, narrowFrom: 0, postingBudget: 100_000, championBudget: 100_000, scoreHereUpTo: 0, sharedTopRows: 0 };
  const fts: TextSearchSettings = { ...large, rareListRows: 0 };
  afterAll(async () => {
    database.close();
    await store.close();
  });

  beforeAll(async () => {
    for (let documentIndex = 0; documentIndex < 24; documentIndex++) {
      const council = councils[documentIndex % councils.length]!;
      const pages = Array.from(
        { length: 6 },
        (_, page) =>
          `${"Placements ".repeat(1 + ((documentIndex * 7 + page * 3) % 5))}for children in ${council}, year ${2010 + ((documentIndex + page) % 12)}.` +
          (page % 2 === 0 ? ` The local authority's sufficiency duty${page === 4 ? " and the local authorities' plans" : ""}.` : " Residential care homes."),
      );
      const { document, units, chunks } = documentOf(`authority-${documentIndex}`, pages);
      await store.documents.replace(document, units, chunks);
    }
  });

  /** FTS5 statements (MATCH) and passage text reads run while `work` runs (better-sqlite3's Statement methods wrapped). */
  const statementsDuring = <Result>(work: () => Result): { result: Result; matches: number; textReads: number } => {
    const prototype = Object.getPrototypeOf(database.prepare("SELECT 1")) as Record<"all" | "get" | "iterate", (...args: unknown[]) => unknown>;
    const originals = { all: prototype.all, get: prototype.get, iterate: prototype.iterate };
    let matches = 0;
    let textReads = 0;
    for (const method of ["all", "get", "iterate"] as const) {
      prototype[method] = function (this: { source: string }, ...args: unknown[]) {
        if (this.source.includes("MATCH")) matches++;
        if (this.source.startsWith("SELECT id, text, context FROM chunks")) textReads++;
        return originals[method].apply(this, args);
      };
    }
    try {
      return { result: work(), matches, textReads };
    } finally {
      Object.assign(prototype, originals);
    }
  };

  const query: TextQuery = {
    terms: [
      { phrase: ["placements"], weight: 1 },
      { phrase: ["local", "authority"], weight: 1 },
      { phrase: ["blackpool"], weight: 1 },
      // The same stems as "local authority": FTS5 scores both phrases, and so do the lists.
      { phrase: ["local", "authorities"], weight: 1 },
    ],
    limit: 12,
  };

  it("gives FTS5's hits and scores exactly, over the library and over a few documents' ranges", async () => {
    const count = (await store.passages.statistics()).chunkCount;
    const listed = createSqliteTextSearch(database, large);
    const expected = createSqliteTextSearch(database, fts).search(query, count);
    expect(expected).toHaveLength(12);
    expect(listed.search(query, count)).toEqual(expected);
    const documents = await store.documents.list();
    const some = documents.filter((document) => ["authority-3.txt", "authority-8.txt", "authority-17.txt"].includes(document.fileName)).map((document) => document.id);
    const ranged = { ...query, documentIds: some };
    const expectedRanged = createSqliteTextSearch(database, fts).search(ranged, count);
    expect(expectedRanged.length).toBeGreaterThan(5);
    expect(listed.search(ranged, count)).toEqual(expectedRanged);
  });

  it("runs no FTS5 statement once the lists are kept, in a new process as in this one", async () => {
    const count = (await store.passages.statistics()).chunkCount;
    createSqliteTextSearch(database, large).search(query, count);
    // A fresh searcher (another process, or this one after a restart) reads the kept lists.
    const fresh = statementsDuring(() => createSqliteTextSearch(database, large).search(query, count));
    expect(fresh.matches).toBe(0);
    expect(fresh.result).toEqual(createSqliteTextSearch(database, fts).search(query, count));
    // A range the unrestricted top k says nothing about: still no statement.
    const documents = await store.documents.list();
    const last = documents.filter((document) => document.fileName === "authority-23.txt").map((document) => document.id);
    const ranged = statementsDuring(() => createSqliteTextSearch(database, large).search({ ...query, limit: 3, documentIds: last }, count));
    expect(ranged.matches).toBe(0);
    expect(ranged.result).toEqual(createSqliteTextSearch(database, fts).search({ ...query, limit: 3, documentIds: last }, count));
  });

  it("reads a list again once the library has changed", async () => {
    const count = (await store.passages.statistics()).chunkCount;
    const search = createSqliteTextSearch(database, large);
    search.search(query, count);
    const extra = documentOf("authority-extra", ["Blackpool placements placements placements placements placements placements placements for children."]);
    await store.documents.replace(extra.document, extra.units, extra.chunks);
    const grown = (await store.passages.statistics()).chunkCount;
    const again = statementsDuring(() => search.search(query, grown));
    expect(again.matches).toBeGreaterThan(0);
    expect(again.result).toEqual(createSqliteTextSearch(database, fts).search(query, grown));
    expect((await store.passages.getPassages([again.result[0]!.chunkId]))[0]?.text).toContain("Blackpool placements placements placements");
  });

  it("asks FTS5 as before for a phrase in more passages than a list keeps", async () => {
    const count = (await store.passages.statistics()).chunkCount;
    const short: TextSearchSettings = { ...large, rareListRows: 20 };
    createSqliteTextSearch(database, short).search(query, count);
    const next = statementsDuring(() => createSqliteTextSearch(database, short).search(query, count));
    // "placements" is in every passage: its list is not kept, so the OR is FTS5's statement.
    expect(next.matches).toBe(1);
    expect(next.result).toEqual(createSqliteTextSearch(database, fts).search(query, count));
  });

  it("remembers the common phrases' share of the rare passages' scores", async () => {
    const count = (await store.passages.statistics()).chunkCount;
    // "placements" and "children" past the budget (their champion lists), "blackpool" the rare side.
    const narrow: TextSearchSettings = { ...large, championBudget: 40, championBudgetShare: 0, fillShare: 0.1 };
    const asked: TextQuery = { terms: [{ phrase: ["placements"], weight: 1 }, { phrase: ["children"], weight: 1 }, { phrase: ["blackpool"], weight: 1 }], limit: 10 };
    const search = createSqliteTextSearch(database, narrow);
    const first = statementsDuring(() => search.search(asked, count));
    expect(first.textReads).toBe(1);
    const second = statementsDuring(() => search.search(asked, count));
    expect(second.textReads).toBe(0);
    expect(second.result).toEqual(first.result);
    expect(second.result).toEqual(createSqliteTextSearch(database, { ...narrow, shareMemorySets: 0 }).search(asked, count));
  });

  it("does not wait for another connection's write to keep what it learnt, and keeps it once the write is done", async () => {
    const count = (await store.passages.statistics()).chunkCount;
    // Phrases no search of this file has kept, past the budget too (a champion list and a count to keep).
    const asked: TextQuery = { terms: [{ phrase: ["residential"], weight: 1 }, { phrase: ["care"], weight: 1 }, { phrase: ["sufficiency"], weight: 1 }, { phrase: ["cumbria"], weight: 1 }], limit: 8 };
    const tight: TextSearchSettings = { ...large, championBudget: 30, championBudgetShare: 0 };
    const kept = (): number =>
      (database.prepare("SELECT (SELECT count(*) FROM phrase_postings) + (SELECT count(*) FROM phrase_champions) + (SELECT count(*) FROM phrase_passages) AS kept").get() as { kept: number }).kept;
    const before = kept();
    // An upload being written on another connection holds the write lock. Were the search to wait for it, it would
    // wait this connection's whole busy timeout (a minute here, past the test's own timeout).
    const writer = new Database(join(folder, databaseFileName));
    const waitedBefore = Number(database.pragma("busy_timeout", { simple: true }));
    database.pragma("busy_timeout = 60000");
    writer.exec("BEGIN IMMEDIATE");
    try {
      const during = createSqliteTextSearch(database, tight).search(asked, count);
      expect(during.length).toBeGreaterThan(0);
      expect(kept()).toBe(before);
      expect(Number(database.pragma("busy_timeout", { simple: true }))).toBe(60000);
      writer.exec("COMMIT");
      const after = createSqliteTextSearch(database, tight).search(asked, count);
      expect(after).toEqual(during);
      expect(kept()).toBeGreaterThan(before);
    } finally {
      if (writer.inTransaction) writer.exec("ROLLBACK");
      writer.close();
      database.pragma(`busy_timeout = ${waitedBefore}`);
    }
  });
});
