/**
 * A large library's question reads its rare side once (src/store/text-search.json `sharedTopRows`): the unrestricted
 * search keeps a deeper top list, and the question's fallback over rowid ranges (all but a few documents, or a few
 * large ones) takes its top k from that list when it can, with exactly the hits a fresh statement would give.
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

describe("SQLite search of a large library: one rare-side read per question", () => {
  const folder = mkdtempSync(join(tmpdir(), "hearth-shared-read-"));
  const store = openSqliteStore({ dataDir: folder });
  const database = new Database(join(folder, databaseFileName));
  // Large from the first passage, every phrase within the budget (one OR), a kept list 15 deep; no rare phrase's list
  // kept (the FTS5 path, as for a phrase in more passages than a list keeps: sqlite-rare-lists.test.ts).
  const large: TextSearchSettings = {
    ...textSearchSettings,
    championFrom: 0,
    narrowFrom: 0,
    postingBudget: 100_000,
    championBudget: 100_000,
    fewDocuments: 16,
    scoreHereUpTo: 0,
    sharedTopRows: 15,
    rareListRows: 0,
  };
  afterAll(async () => {
    database.close();
    await store.close();
  });

  beforeAll(async () => {
    for (let documentIndex = 0; documentIndex < 24; documentIndex++) {
      // Placements said more often in the first documents' passages, so the best of them are there.
      const pages = Array.from({ length: 6 }, (_, page) =>
        `${"Placements ".repeat(Math.max(1, 6 - Math.floor(documentIndex / 4)))}for children in year ${2010 + ((documentIndex + page) % 12)}, page ${page}.`,
      );
      const { document, units, chunks } = documentOf(`authority-${documentIndex}`, pages);
      await store.documents.replace(document, units, chunks);
    }
  });

  /** FTS5 statements run while `work` runs (better-sqlite3's Statement.all wrapped). */
  const statementsDuring = <Result>(work: () => Result): { result: Result; matches: number } => {
    const prototype = Object.getPrototypeOf(database.prepare("SELECT 1")) as { all: (...args: unknown[]) => unknown };
    const original = prototype.all;
    let matches = 0;
    prototype.all = function (this: { source: string }, ...args: unknown[]) {
      if (this.source.includes("MATCH")) matches++;
      return original.apply(this, args);
    };
    try {
      return { result: work(), matches };
    } finally {
      prototype.all = original;
    }
  };

  const query: TextQuery = { terms: [{ phrase: ["placements"], weight: 1 }, { phrase: ["children"], weight: 1 }], limit: 5 };

  it("answers the fallback over all but a few documents from the kept list, with a fresh statement's hits", async () => {
    const documents = await store.documents.list();
    const count = (await store.passages.statistics()).chunkCount;
    const search = createSqliteTextSearch(database, large);
    const first = statementsDuring(() => search.search(query, count));
    expect(first.result).toHaveLength(5);
    expect(first.matches).toBe(1);
    expect(first.result).toEqual(createSqliteTextSearch(database, { ...large, sharedTopRows: 0 }).search(query, count));

    // The best document and a weak one left out: the kept 15 hold at least 5 of the rest.
    const allButTwo = documents.filter((document) => document.fileName !== "authority-0.txt" && document.fileName !== "authority-23.txt").map((document) => document.id);
    const fallback = statementsDuring(() => search.search({ ...query, documentIds: allButTwo }, count));
    expect(fallback.matches).toBe(0);
    const fresh = createSqliteTextSearch(database, large).search({ ...query, documentIds: allButTwo }, count);
    expect(fallback.result).toEqual(fresh);
    expect(fallback.result).toHaveLength(5);

    // Twelve documents asked for (their ranges), the first twelve left out: the kept list holds too few of them, so
    // the statement runs.
    const leftOut = new Set(Array.from({ length: 12 }, (_, index) => `authority-${index}.txt`));
    const rest = documents.filter((document) => !leftOut.has(document.fileName)).map((document) => document.id);
    const deep = statementsDuring(() => search.search({ ...query, documentIds: rest }, count));
    expect(deep.matches).toBe(1);
    expect(deep.result).toEqual(createSqliteTextSearch(database, large).search({ ...query, documentIds: rest }, count));
    expect(deep.result).toHaveLength(5);
  });

  it("reads again once the library has changed", async () => {
    const count = (await store.passages.statistics()).chunkCount;
    const search = createSqliteTextSearch(database, large);
    search.search(query, count);
    expect(statementsDuring(() => search.search(query, count)).matches).toBe(0);
    const extra = documentOf("authority-extra", ["Placements placements placements placements placements placements placements for children."]);
    await store.documents.replace(extra.document, extra.units, extra.chunks);
    const grown = (await store.passages.statistics()).chunkCount;
    const again = statementsDuring(() => search.search(query, grown));
    expect(again.matches).toBe(1);
    expect((await store.passages.getPassages([again.result[0]!.chunkId]))[0]?.text).toContain("placements placements placements placements placements placements");
  });
});
