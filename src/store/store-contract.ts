/**
 * The contract suites every Store implementation must pass (SQLite, PostgreSQL), one per part of the Store
 * (documents, passages with vectors, tables, sessions, settings). An implementation's test file calls
 * `describeStoreContract` (or one part's suite) with a function that opens a fresh, empty store; each test gets its
 * own and closes it. Documents are built from real files in ../shared/corpus (see test-fixtures/sample-documents.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { HearthError } from "../errors/hearth-error.ts";
import { corpusPath } from "../loaders/loader-contract.ts";
import { chunkedBySetting } from "./content-settings.ts";
import { sampleDocument } from "./test-fixtures/sample-documents.ts";
import type { SampleDocument } from "./test-fixtures/sample-documents.ts";
import type { NewDataTable, SettingDefinition, Store } from "./types.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";

/** A small typed table (two councils' homes) for the data-table part of the contract. */
export function sampleDataTable(rows = 3): NewDataTable {
  const councils = ["Somerset", "Devon", "North Somerset"];
  return {
    unitIndex: 0,
    sheet: "Homes",
    title: "Children's homes at 31 March",
    description: "Children's homes at 31 March\nc = suppressed",
    columns: [
      { name: "Local authority", type: "category", unit: null },
      { name: "Places", type: "number", unit: null },
      { name: "Note, with comma", type: "text", unit: null },
    ],
    rows: Array.from({ length: rows }, (_, index) => [councils[index % councils.length] ?? "", String(index + 2), `row "${index}", ünïcode`]),
  };
}

export const cambridgeshirePath = corpusPath("formats/Cambridgeshire Placement Strategy 2011-2015.txt");
export const somersetPath = corpusPath("formats/Somerset Homes and Horizons Members Briefing.md");

export function cambridgeshire(sourcePath?: string): SampleDocument {
  return sampleDocument(cambridgeshirePath, { format: "text", paged: true, sourcePath });
}

export function somerset(sourcePath?: string): SampleDocument {
  return sampleDocument(somersetPath, { format: "markdown", paged: false, sourcePath });
}

/** One sentence quoted from page 12 of the Nottinghamshire PDF in corpus/library, for a decimal percentage. */
export function nottinghamshireExcerpt(): SampleDocument {
  const path = corpusPath("library/Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf");
  const text = "Of our 953 children (at July 31st 2022) 55.2% are in unrelated foster care, 10.4% are placed with family.";
  const sample = sampleDocument(path, { format: "pdf", paged: true, text });
  return { ...sample, units: sample.units.map((unit) => ({ ...unit, page: 12 })), chunks: sample.chunks.map((chunk) => ({ ...chunk, page: 12 })) };
}

function wordCount(text: string): number {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
}

function phrase(...words: string[]): { phrase: string[]; weight: number } {
  return { phrase: words, weight: 1 };
}

/** Strings users type that are FTS syntax in one backend or another. */
export const oddQueryWords: string[][] = [
  [""],
  ["   "],
  ['"'],
  ['""'],
  ['"unbalanced'],
  ["(", ")"],
  ["foster)"],
  ["*"],
  ["foster*"],
  ["^foster"],
  ["NEAR(foster care)"],
  ["NEAR", "AND", "OR", "NOT"],
  ["AND"],
  ["text:foster"],
  ["-foster"],
  ["+", "-", "/", "\\", "'", ";", "--"],
  ["'; DROP TABLE chunks; --"],
  ["%", "£", "_"],
  ["£2,278"],
  ["55.2%"],
  ["children’s", "home"],
  ["Ōfsted", "naïve", "café"],
  ["日本語", "🏠"],
  ["\u0000", "\uFFFF"],
  ["a".repeat(5000)],
];

/** Typed settings for the settings part of the contract (real ones live with the modules that own them). */
const profileSetting: SettingDefinition<{ name: string; locations: string[] }> = {
  key: "contract.profile",
  schema: z.object({ name: z.string().min(1), locations: z.array(z.string()) }),
};
const countSetting: SettingDefinition<number> = { key: "contract.count", schema: z.number().int().nonnegative() };
function anySetting(key: string): SettingDefinition<unknown> {
  return { key, schema: z.unknown() };
}

/** Documents, unit texts and chunks: one transaction per document, content-hash identity, removal with everything derived. */
export function describeDocumentStoreContract(name: string, openEmptyStore: () => Promise<Store>): void {
  describe.skipIf(withoutCorpus())(`Store contract, documents: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await openEmptyStore();
    });

    afterEach(async () => {
      await store.close();
    });

    it("round-trips a document with its units and passages", async () => {
      const sample = cambridgeshire();
      const record = await store.documents.replace(sample.document, sample.units, sample.chunks);
      expect(record).toMatchObject({ ...sample.document, unitCount: sample.units.length, chunkCount: sample.chunks.length });
      expect(Number.isNaN(Date.parse(record.ingestedAt))).toBe(false);
      expect(await store.documents.get(record.id)).toEqual(record);
      expect(await store.documents.findByHash(sample.document.contentHash)).toEqual(record);
      expect(await store.documents.findByPath(sample.document.sourcePath)).toEqual([record]);
      expect(await store.documents.list()).toEqual([record]);
      expect((await store.documents.unitTexts([record.id])).get(record.id)).toEqual(sample.units);

      const ids = (await store.passages.searchText({ terms: [phrase("placement")], limit: 10_000 })).map((hit) => hit.chunkId);
      expect(ids.length).toBeGreaterThan(5);
      const passages = await store.passages.getPassages(ids);
      expect(passages.map((passage) => passage.chunkId)).toEqual(ids);
      for (const passage of passages) {
        const chunk = sample.chunks[passage.ordinal]!;
        expect(passage).toEqual({
          chunkId: passage.chunkId,
          documentId: record.id,
          fileName: sample.document.fileName,
          format: "text",
          title: null,
          page: chunk.page,
          section: chunk.section,
          headingPath: chunk.headingPath,
          kind: chunk.kind,
          text: chunk.text,
          start: chunk.start,
          end: chunk.end,
          ordinal: chunk.ordinal,
        });
        const unit = sample.units.find((candidate) => candidate.page === passage.page)!;
        expect(unit.text.slice(passage.start, passage.end)).toBe(passage.text);
      }
      expect(passages.some((passage) => passage.kind === "table")).toBe(true);
    });
    it("keeps null pages, sections and heading paths of unpaged formats", async () => {
      const sample = somerset();
      const record = await store.documents.replace({ ...sample.document, title: "Homes and Horizons", warnings: ["slide 3: image only"] }, sample.units, sample.chunks);
      expect(record.title).toBe("Homes and Horizons");
      expect(record.warnings).toEqual(["slide 3: image only"]);
      expect((await store.documents.unitTexts([record.id])).get(record.id)).toEqual(sample.units);
      const hits = await store.passages.searchText({ terms: [phrase("Misterton")], limit: 10 });
      expect(hits.length).toBeGreaterThan(0);
      for (const hit of hits) {
        const chunk = sample.chunks[hit.ordinal]!;
        expect(hit.page).toBeNull();
        expect(hit.section).toBe(chunk.section);
        expect(hit.headingPath).toEqual(chunk.headingPath);
      }
      expect(sample.chunks.some((chunk) => chunk.section !== null)).toBe(true);
    });
    it("replacing by source path removes the old version atomically", async () => {
      const path = "/library/strategy.txt";
      const first = cambridgeshire(path);
      const old = await store.documents.replace(first.document, first.units, first.chunks);
      const oldIds = (await store.passages.searchText({ terms: [phrase("Cambridgeshire")], limit: 10_000 })).map((hit) => hit.chunkId);
      expect(oldIds.length).toBeGreaterThan(0);

      // The same path now holds different content (the Somerset briefing).
      const second = somerset(path);
      const current = await store.documents.replace(second.document, second.units, second.chunks);
      expect(current.id).not.toBe(old.id);
      expect(await store.documents.get(old.id)).toBeUndefined();
      expect(await store.documents.findByHash(first.document.contentHash)).toBeUndefined();
      expect(await store.documents.findByPath(path)).toEqual([current]);
      expect(await store.documents.list()).toEqual([current]);
      expect(await store.passages.getPassages(oldIds)).toEqual([]);
      expect((await store.documents.unitTexts([old.id])).get(old.id) ?? []).toEqual([]);
      // Words only in the old text no longer match.
      expect(await store.passages.searchText({ terms: [phrase("£2,278")], limit: 10 })).toEqual([]);
      expect((await store.passages.searchText({ terms: [phrase("Misterton")], limit: 10 })).every((hit) => hit.documentId === current.id)).toBe(true);
      expect((await store.passages.statistics()).chunkCount).toBe(second.chunks.length);
      expect(await store.documents.checkIntegrity()).toMatchObject({ ok: true, documents: 1, chunks: second.chunks.length });
    });
    it("keeps one copy when the same content is stored again, at the same or another path", async () => {
      const sample = somerset();
      await store.documents.replace(sample.document, sample.units, sample.chunks);
      await store.documents.replace(sample.document, sample.units, sample.chunks);
      expect(await store.documents.list()).toHaveLength(1);
      const moved = await store.documents.replace({ ...sample.document, sourcePath: "/elsewhere/briefing.md" }, sample.units, sample.chunks);
      expect(await store.documents.list()).toEqual([moved]);
      expect(await store.documents.findByPath(sample.document.sourcePath)).toEqual([]);
      const hits = await store.passages.searchText({ terms: [phrase("Misterton")], limit: 100 });
      expect(new Set(hits.map((hit) => hit.ordinal)).size).toBe(hits.length);
      expect((await store.passages.statistics()).chunkCount).toBe(sample.chunks.length);
      expect((await store.documents.checkIntegrity()).ok).toBe(true);
    });
    it("removes a document with its units and passages", async () => {
      const kept = somerset();
      const removed = cambridgeshire();
      const keptRecord = await store.documents.replace(kept.document, kept.units, kept.chunks);
      const record = await store.documents.replace(removed.document, removed.units, removed.chunks);
      const ids = (await store.passages.searchText({ terms: [phrase("foster")], limit: 10_000 })).map((hit) => hit.chunkId);
      expect(ids.length).toBeGreaterThan(0);

      expect(await store.documents.remove(record.id)).toBe(true);
      expect(await store.documents.remove(record.id)).toBe(false);
      expect(await store.documents.get(record.id)).toBeUndefined();
      expect((await store.documents.unitTexts([record.id])).get(record.id) ?? []).toEqual([]);
      expect((await store.passages.getPassages(ids)).filter((passage) => passage.documentId === record.id)).toEqual([]);
      expect(await store.passages.searchText({ terms: [phrase("£2,278")], limit: 10 })).toEqual([]);
      expect((await store.passages.documentFrequencies(["£2,278"])).get("£2,278")).toBe(0);
      expect(await store.documents.list()).toEqual([keptRecord]);
      expect((await store.passages.statistics()).chunkCount).toBe(kept.chunks.length);
      expect(await store.documents.checkIntegrity()).toMatchObject({ ok: true, documents: 1, chunks: kept.chunks.length });
    });
    it("removes the settings kept for a document's content with it, and an older version's when a new one replaces it", async () => {
      const kept = somerset();
      const first = cambridgeshire();
      await store.documents.replace(kept.document, kept.units, kept.chunks);
      const record = await store.documents.replace(first.document, first.units, first.chunks);
      await store.settings.set(chunkedBySetting(kept.document.contentHash), 2);
      await store.settings.set(chunkedBySetting(first.document.contentHash), 2);
      await store.settings.set(anySetting("organisation-probe"), { name: "Oak Homes" });

      expect(await store.documents.remove(record.id)).toBe(true);
      expect(await store.settings.get(chunkedBySetting(first.document.contentHash))).toBeUndefined();
      expect(await store.settings.get(chunkedBySetting(kept.document.contentHash))).toBe(2);
      expect(await store.settings.get(anySetting("organisation-probe"))).toEqual({ name: "Oak Homes" });

      // The same content written again keeps what was kept for it; a new version at its path takes it away.
      await store.documents.replace(first.document, first.units, first.chunks);
      await store.settings.set(chunkedBySetting(first.document.contentHash), 1);
      await store.documents.replace(first.document, first.units, first.chunks);
      expect(await store.settings.get(chunkedBySetting(first.document.contentHash))).toBe(1);
      const newer = { ...first.document, contentHash: "f".repeat(64) };
      await store.documents.replace(newer, first.units, first.chunks);
      expect(await store.settings.get(chunkedBySetting(first.document.contentHash))).toBeUndefined();
      expect(await store.settings.get(chunkedBySetting(kept.document.contentHash))).toBe(2);
    });
    it("reports a healthy store as healthy", async () => {
      expect(await store.documents.checkIntegrity()).toEqual({ ok: true, problems: [], documents: 0, chunks: 0 });
      const first = cambridgeshire();
      const second = somerset();
      await store.documents.replace(first.document, first.units, first.chunks);
      await store.documents.replace(second.document, second.units, second.chunks);
      expect(await store.documents.checkIntegrity()).toEqual({
        ok: true,
        problems: [],
        documents: 2,
        chunks: first.chunks.length + second.chunks.length,
      });
    });
    it("lists documents by file name", async () => {
      const first = somerset();
      const second = cambridgeshire();
      await store.documents.replace(first.document, first.units, first.chunks);
      await store.documents.replace(second.document, second.units, second.chunks);
      expect((await store.documents.list()).map((document) => document.fileName)).toEqual([second.document.fileName, first.document.fileName]);
    });
    it("rejects a write it cannot store and keeps the previous version", async () => {
      const sample = somerset();
      const record = await store.documents.replace(sample.document, sample.units, sample.chunks);
      const broken = cambridgeshire(sample.document.sourcePath);
      // Two passages with the same ordinal cannot both be stored.
      const duplicated = [...broken.chunks, { ...broken.chunks[0]! }];
      await expect(store.documents.replace(broken.document, broken.units, duplicated)).rejects.toThrow(/Cambridgeshire/);
      expect(await store.documents.list()).toEqual([record]);
      expect(await store.passages.searchText({ terms: [phrase("£2,278")], limit: 5 })).toEqual([]);
      expect((await store.documents.checkIntegrity()).ok).toBe(true);
    });

    it("reads the unit texts of several documents in one call", async () => {
      const first = cambridgeshire();
      const second = somerset();
      const firstRecord = await store.documents.replace(first.document, first.units, first.chunks);
      const secondRecord = await store.documents.replace(second.document, second.units, second.chunks);
      const texts = await store.documents.unitTexts([secondRecord.id, firstRecord.id, secondRecord.id, 999_999]);
      expect(texts.get(firstRecord.id)).toEqual(first.units);
      expect(texts.get(secondRecord.id)).toEqual(second.units);
      // An unknown id has no units (absent or empty).
      expect(texts.get(999_999) ?? []).toEqual([]);
      expect((await store.documents.unitTexts([])).size).toBe(0);
    });

    it("reads only the units on the pages asked for (null: the page-less ones), in unit order", async () => {
      const sample = cambridgeshire();
      const base = sample.units[0]!;
      const units = [1, 2, 3, null, 2].map((page, index) => ({ ...base, index, page, text: `unit ${index} on page ${page ?? "none"}` }));
      const other = somerset();
      const record = await store.documents.replace(sample.document, units, sample.chunks);
      const otherRecord = await store.documents.replace(other.document, other.units, other.chunks);
      const texts = await store.documents.unitTexts([record.id, otherRecord.id, 999_999], [2, null]);
      expect(texts.get(record.id)).toEqual([units[1], units[3], units[4]]);
      expect(texts.get(otherRecord.id) ?? []).toEqual(other.units.filter((unit) => unit.page === 2 || unit.page === null));
      expect(texts.get(999_999) ?? []).toEqual([]);
      expect((await store.documents.unitTexts([record.id], [7])).get(record.id) ?? []).toEqual([]);
      expect((await store.documents.unitTexts([record.id], [])).get(record.id) ?? []).toEqual([]);
      expect((await store.documents.unitTexts([record.id], [3, 1])).get(record.id)).toEqual([units[0], units[2]]);
      expect((await store.documents.unitTexts([record.id])).get(record.id)).toEqual(units);
    });

    it("returns a document's chunks in order, for copying a library", async () => {
      const first = cambridgeshire();
      const second = somerset();
      const firstRecord = await store.documents.replace(first.document, first.units, first.chunks);
      const secondRecord = await store.documents.replace(second.document, second.units, second.chunks);
      expect(await store.documents.chunks(firstRecord.id)).toEqual(first.chunks);
      expect(await store.documents.chunks(secondRecord.id)).toEqual(second.chunks);
      expect(await store.documents.chunks(999_999)).toEqual([]);
      // A copy written from what was read is the same document.
      const copy = await store.documents.replace(
        { ...first.document, sourcePath: "/copy/strategy.txt", contentHash: "c".repeat(64) },
        (await store.documents.unitTexts([firstRecord.id])).get(firstRecord.id) ?? [],
        await store.documents.chunks(firstRecord.id),
      );
      expect(copy).toMatchObject({ unitCount: first.units.length, chunkCount: first.chunks.length });
      expect(await store.documents.chunks(copy.id)).toEqual(first.chunks);
    });
  });
}

/** The passage index: full-text candidates, document frequencies, statistics and vectors. */
export function describePassageIndexContract(name: string, openEmptyStore: () => Promise<Store>): void {
  describe.skipIf(withoutCorpus())(`Store contract, passages: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await openEmptyStore();
    });

    afterEach(async () => {
      await store.close();
    });

    it("finds phrases and figures", async () => {
      const sample = cambridgeshire();
      await store.documents.replace(sample.document, sample.units, sample.chunks);
      const excerpt = nottinghamshireExcerpt();
      await store.documents.replace(excerpt.document, excerpt.units, excerpt.chunks);

      const costs = await store.passages.searchText({ terms: [phrase("2", "278")], limit: 5 });
      expect(costs.length).toBeGreaterThan(0);
      expect(costs[0]!.text).toContain("£2,278 per week");
      expect((await store.passages.searchText({ terms: [phrase("£2,278")], limit: 5 }))[0]!.text).toContain("£2,278 per week");
      expect((await store.passages.searchText({ terms: [phrase("£2,611", "per", "week")], limit: 5 }))[0]!.text).toContain("£2,611 per week");

      const percent = await store.passages.searchText({ terms: [phrase("55.2%")], limit: 5 });
      expect(percent).toHaveLength(1);
      expect(percent[0]).toMatchObject({ page: 12, format: "pdf", fileName: "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf" });

      // A phrase matches words adjacent and in order only.
      const looked = await store.passages.searchText({ terms: [phrase("looked", "after", "children")], limit: 50 });
      expect(looked.length).toBeGreaterThan(0);
      for (const hit of looked) expect(hit.text.toLowerCase()).toMatch(/looked\s+after\s+children/);
      expect(await store.passages.searchText({ terms: [phrase("children", "after", "looked")], limit: 50 })).toEqual([]);
      // Case and diacritics fold.
      expect((await store.passages.searchText({ terms: [phrase("FÓSTER")], limit: 5 })).length).toBeGreaterThan(0);
    });
    it("ranks by relevance, honours the limit and ORs terms", async () => {
      const sample = cambridgeshire();
      await store.documents.replace(sample.document, sample.units, sample.chunks);
      const hits = await store.passages.searchText({ terms: [phrase("foster"), phrase("residential")], limit: 7 });
      expect(hits).toHaveLength(7);
      for (let index = 1; index < hits.length; index += 1) expect(hits[index - 1]!.score).toBeGreaterThanOrEqual(hits[index]!.score);
      const fosterOnly = await store.passages.searchText({ terms: [phrase("foster")], limit: 10_000 });
      const residentialOnly = await store.passages.searchText({ terms: [phrase("residential")], limit: 10_000 });
      const either = await store.passages.searchText({ terms: [phrase("foster"), phrase("residential")], limit: 10_000 });
      expect(new Set(either.map((hit) => hit.chunkId))).toEqual(new Set([...fosterOnly, ...residentialOnly].map((hit) => hit.chunkId)));
      expect(await store.passages.searchText({ terms: [phrase("foster")], limit: 0 })).toEqual([]);
      expect(await store.passages.searchText({ terms: [], limit: 10 })).toEqual([]);
    });
    it("matches file names and headings, weighted below the passage text", async () => {
      const sample = somerset();
      const record = await store.documents.replace(sample.document, sample.units, sample.chunks);
      const other = cambridgeshire();
      await store.documents.replace(other.document, other.units, other.chunks);
      // "Somerset" names the file; every Somerset passage matches through its context.
      const byName = await store.passages.searchText({ terms: [phrase("Somerset")], limit: 10_000 });
      expect(byName).toHaveLength(sample.chunks.length);
      expect(byName.every((hit) => hit.documentId === record.id)).toBe(true);
      // A heading word matches the passages under that heading.
      const underHeading = sample.chunks.filter((chunk) => chunk.headingPath.includes("Headline risks and mitigations"));
      const hits = await store.passages.searchText({ terms: [phrase("headline", "risks")], limit: 100 });
      expect(new Set(hits.map((hit) => hit.ordinal))).toEqual(new Set(underHeading.map((chunk) => chunk.ordinal)));
      expect(hits.length).toBeGreaterThan(0);
    });
    it("never throws on odd query strings", async () => {
      const sample = cambridgeshire();
      await store.documents.replace(sample.document, sample.units, sample.chunks);
      for (const words of oddQueryWords) {
        await expect(store.passages.searchText({ terms: [phrase(...words)], limit: 5 }), JSON.stringify(words)).resolves.toBeInstanceOf(Array);
        await expect(store.passages.documentFrequencies(words), JSON.stringify(words)).resolves.toBeInstanceOf(Map);
      }
      expect((await store.passages.searchText({ terms: oddQueryWords.map((words) => phrase(...words)), limit: 5 })).length).toBeGreaterThan(0);
      expect(await store.passages.searchText({ terms: [phrase("*"), phrase('"'), phrase("")], limit: 5 })).toEqual([]);
      // FTS operators inside user text are words: "NEAR(foster care)" is the phrase "near foster care".
      expect((await store.passages.searchText({ terms: [phrase("foster*")], limit: 5 })).every((hit) => /foster/i.test(hit.text))).toBe(true);
      expect((await store.passages.searchText({ terms: [phrase("NOT")], limit: 5 })).every((hit) => /\bnot\b/i.test(hit.text))).toBe(true);
      const many = Array.from({ length: 300 }, (_, index) => phrase(`word${index}`));
      expect((await store.passages.searchText({ terms: [...many, phrase("foster")], limit: 5 })).length).toBeGreaterThan(0);
    });
    it("restricts a search to given documents", async () => {
      const first = cambridgeshire();
      const second = somerset();
      const firstRecord = await store.documents.replace(first.document, first.units, first.chunks);
      const secondRecord = await store.documents.replace(second.document, second.units, second.chunks);
      const terms = [phrase("homes"), phrase("children")];
      const all = await store.passages.searchText({ terms, limit: 10_000 });
      expect(new Set(all.map((hit) => hit.documentId))).toEqual(new Set([firstRecord.id, secondRecord.id]));
      const onlySecond = await store.passages.searchText({ terms, limit: 10_000, documentIds: [secondRecord.id] });
      expect(onlySecond.length).toBeGreaterThan(0);
      expect(onlySecond.every((hit) => hit.documentId === secondRecord.id)).toBe(true);
      expect(onlySecond).toHaveLength(all.filter((hit) => hit.documentId === secondRecord.id).length);
      expect(await store.passages.searchText({ terms, limit: 10, documentIds: [] })).toEqual([]);
      expect(await store.passages.searchText({ terms, limit: 10, documentIds: [999_999] })).toEqual([]);
    });
    it("counts the passages each term occurs in", async () => {
      const sample = cambridgeshire();
      await store.documents.replace(sample.document, sample.units, sample.chunks);
      const containing = (word: RegExp) => sample.chunks.filter((chunk) => word.test(chunk.text)).length;
      const frequencies = await store.passages.documentFrequencies(["foster", "Residential", "zebra", "looked after", "cambridgeshire"]);
      // Words are counted by stem, as full-text search matches them: "foster" counts "fostering" too.
      expect(frequencies.get("foster")).toBe(containing(/\bfoster(s|ed|ing)?\b/i));
      expect(frequencies.get("foster")).toBeGreaterThan(0);
      expect(frequencies.get("Residential")).toBe(containing(/\bresidential(ly)?\b/i));
      expect(frequencies.get("zebra")).toBe(0);
      expect(frequencies.get("looked after")).toBe(containing(/\blook(ed|ing|s)?\s+after\b/i));
      // The file name is part of every passage's context.
      expect(frequencies.get("cambridgeshire")).toBe(sample.chunks.length);
      expect((await store.passages.documentFrequencies([])).size).toBe(0);
    });
    it("reports statistics", async () => {
      expect(await store.passages.statistics()).toEqual({ chunkCount: 0, averageLength: 0 });
      const sample = cambridgeshire();
      await store.documents.replace(sample.document, sample.units, sample.chunks);
      const statistics = await store.passages.statistics();
      expect(statistics.chunkCount).toBe(sample.chunks.length);
      const mean = sample.chunks.reduce((sum, chunk) => sum + wordCount(chunk.text), 0) / sample.chunks.length;
      expect(statistics.averageLength).toBeCloseTo(mean, 1);
    });
    it("keeps embeddings: only new passages need vectors, nearest first, removed with their document", async () => {
      const first = cambridgeshire();
      const firstRecord = await store.documents.replace(first.document, first.units, first.chunks);
      // A store whose vector engine is missing (sqlite-vec not loadable, no pgvector) says why, asks for no vectors
      // and finds none; its own tests check the message.
      if ((await store.passages.embeddingStatus()).unavailable !== null) {
        expect(await store.passages.withoutEmbedding("test:model", 10)).toEqual([]);
        expect(await store.passages.vectorSearch("test:model", [1, 0, 0], 3)).toEqual([]);
        return;
      }
      expect(await store.passages.embeddingStatus()).toMatchObject({ model: null, embedded: 0, total: first.chunks.length });
      const pending = await store.passages.withoutEmbedding("test:model", 10_000);
      expect(pending).toHaveLength(first.chunks.length);
      // A vector per passage that points along one axis for "cost" passages and another for the rest.
      const vectorFor = (text: string): number[] => (/£|cost/i.test(text) ? [1, 0.1, 0] : [0, 1, 0.2]);
      await store.passages.saveEmbeddings("test:model", pending.map((passage) => ({ chunkId: passage.chunkId, vector: vectorFor(passage.text) })));
      expect(await store.passages.withoutEmbedding("test:model", 10)).toEqual([]);
      expect(await store.passages.embeddingStatus()).toMatchObject({ model: "test:model", dimensions: 3, embedded: first.chunks.length });

      const hits = await store.passages.vectorSearch("test:model", [1, 0, 0], 3);
      expect(hits.length).toBeGreaterThan(0);
      expect(hits[0]!.text).toMatch(/£|cost/i);
      expect(hits[0]!.score).toBeGreaterThan(0.9);
      expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((a, b) => b - a));
      expect(await store.passages.vectorSearch("other:model", [1, 0, 0], 3)).toEqual([]);
      await expect(store.passages.vectorSearch("test:model", [1, 0], 3)).rejects.toThrow(/cannot be compared/);

      // A second document: only its passages are pending; the first document's are kept.
      const second = somerset();
      const secondRecord = await store.documents.replace(second.document, second.units, second.chunks);
      const secondPending = await store.passages.withoutEmbedding("test:model", 10_000);
      expect(secondPending.map((passage) => passage.documentId)).toEqual(second.chunks.map(() => secondRecord.id));
      await store.passages.saveEmbeddings("test:model", secondPending.map((passage) => ({ chunkId: passage.chunkId, vector: vectorFor(passage.text) })));
      expect((await store.passages.vectorSearch("test:model", [0, 1, 0], 500, [secondRecord.id])).every((hit) => hit.documentId === secondRecord.id)).toBe(true);

      // Removing a document removes its passages from vector search.
      expect(await store.documents.remove(firstRecord.id)).toBe(true);
      expect((await store.passages.vectorSearch("test:model", [1, 0, 0], 500)).some((hit) => hit.documentId === firstRecord.id)).toBe(false);
      expect(await store.passages.embeddingStatus()).toMatchObject({ embedded: second.chunks.length, total: second.chunks.length });

      // A different model re-embeds everything.
      expect(await store.passages.withoutEmbedding("new:model", 10_000)).toHaveLength(second.chunks.length);
      await store.passages.saveEmbeddings("new:model", [{ chunkId: secondPending[0]!.chunkId, vector: [1, 2, 3, 4] }]);
      expect(await store.passages.embeddingStatus()).toMatchObject({ model: "new:model", dimensions: 4, embedded: 1 });
      expect(await store.passages.vectorSearch("test:model", [1, 0, 0], 5)).toEqual([]);
      expect((await store.documents.checkIntegrity()).ok).toBe(true);
    });
  });
}

/** Typed data-set tables kept with their document. */
export function describeTableStoreContract(name: string, openEmptyStore: () => Promise<Store>): void {
  describe.skipIf(withoutCorpus())(`Store contract, tables: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await openEmptyStore();
    });

    afterEach(async () => {
      await store.close();
    });

    it("keeps typed data tables with their document: columns, rows in order, replaced and removed with it", async () => {
      const sample = somerset();
      const stored = await store.documents.replace(sample.document, sample.units, sample.chunks, [sampleDataTable(3), { ...sampleDataTable(1), unitIndex: 1, sheet: null }]);
      const tables = await store.tables.list();
      expect(tables).toHaveLength(2);
      const first = tables.find((table) => table.sheet === "Homes");
      expect(first).toMatchObject({ documentId: stored.id, fileName: sample.document.fileName, unitIndex: 0, title: "Children's homes at 31 March", rowCount: 3 });
      expect(first?.columns).toEqual(sampleDataTable().columns);
      expect((await store.tables.get(first?.id ?? -1))?.description).toContain("c = suppressed");
      expect(await store.tables.rows(first?.id ?? -1)).toEqual(sampleDataTable(3).rows);
      expect(await store.tables.rows(999_999)).toEqual([]);
      expect(await store.tables.get(999_999)).toBeUndefined();

      // Backfill: replacing the tables of a stored document keeps the document and gives new ids.
      const replaced = await store.tables.replace(stored.id, [sampleDataTable(5)]);
      expect(replaced).toHaveLength(1);
      expect(replaced[0]?.rowCount).toBe(5);
      expect(replaced[0]?.id).not.toBe(first?.id);
      expect(await store.tables.rows(first?.id ?? -1)).toEqual([]);
      expect((await store.tables.list()).map((table) => table.id)).toEqual([replaced[0]?.id]);
      await expect(store.tables.replace(999_999, [sampleDataTable()])).rejects.toThrow(/not in the library/);

      // A new version of the file replaces its tables in the same write; removing the document removes them.
      const changed = { ...sample.document, contentHash: "f".repeat(64) };
      const again = await store.documents.replace(changed, sample.units, sample.chunks, []);
      expect(await store.tables.list()).toEqual([]);
      await store.tables.replace(again.id, [sampleDataTable(2)]);
      expect(await store.documents.remove(again.id)).toBe(true);
      expect(await store.tables.list()).toEqual([]);
      expect((await store.documents.checkIntegrity()).ok).toBe(true);
    });
  });
}

/** Named working sessions. */
export function describeSessionStoreContract(name: string, openEmptyStore: () => Promise<Store>): void {
  describe(`Store contract, sessions: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await openEmptyStore();
    });

    afterEach(async () => {
      await store.close();
    });

    it("keeps working sessions: exchanges in order, answers whole, sessions listed and removable", async () => {
      const answer = (question: string, n: number) => ({
        question,
        answer: `The weekly cost is £2,278 [${n}].`,
        citations: [{ n, file: "Cambridgeshire.pdf", page: 4, section: "Unit Costs", quote: "£2,278 per week" }],
        mode: "extractive" as const,
        refused: false,
      });
      expect(await store.sessions.list()).toEqual([]);
      expect(await store.sessions.get("board")).toBeUndefined();
      await store.sessions.addExchange("board", { askedAt: "2026-11-23T10:00:00.000Z", answer: answer("First?", 1) });
      await store.sessions.addExchange("board", { askedAt: "2026-11-23T10:05:00.000Z", answer: answer("Second?", 2) });
      await store.sessions.addExchange("other", { askedAt: "2026-11-23T09:00:00.000Z", answer: answer("Elsewhere?", 1) });
      const session = await store.sessions.get("board");
      expect(session?.name).toBe("board");
      expect(session?.createdAt).toBe("2026-11-23T10:00:00.000Z");
      expect(session?.exchanges.map((exchange) => exchange.answer.question)).toEqual(["First?", "Second?"]);
      expect(session?.exchanges[1]?.answer).toEqual(answer("Second?", 2));
      const summaries = await store.sessions.list();
      expect(summaries.map((summary) => [summary.name, summary.exchangeCount])).toEqual([
        ["board", 2],
        ["other", 1],
      ]);
      expect(summaries[0]?.updatedAt).toBe("2026-11-23T10:05:00.000Z");
      expect(await store.sessions.remove("board")).toBe(true);
      expect(await store.sessions.remove("board")).toBe(false);
      expect(await store.sessions.get("board")).toBeUndefined();
      expect((await store.sessions.list()).map((summary) => summary.name)).toEqual(["other"]);
    });
  });
}

/** Typed settings: validated on the way in, schema-checked on the way out, listed raw. */
export function describeSettingsStoreContract(name: string, openEmptyStore: () => Promise<Store>): void {
  describe(`Store contract, settings: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await openEmptyStore();
    });

    afterEach(async () => {
      await store.close();
    });

    it("keeps typed settings by key, the last value winning", async () => {
      expect(await store.settings.get(profileSetting)).toBeUndefined();
      await store.settings.set(profileSetting, { name: "Lumen Way Homes ITP", locations: ["Nottinghamshire"] });
      await store.settings.set(profileSetting, { name: "Lumen Way Homes", locations: ["Nottinghamshire", "Derbyshire"] });
      expect(await store.settings.get(profileSetting)).toEqual({ name: "Lumen Way Homes", locations: ["Nottinghamshire", "Derbyshire"] });
      await store.settings.set(countSetting, 3);
      expect(await store.settings.get(countSetting)).toBe(3);
      await store.settings.set(countSetting, 0);
      expect(await store.settings.get(countSetting)).toBe(0);
    });

    it("saves several settings in one write, the library version moving, and refuses them all when one is invalid", async () => {
      await store.settings.set(countSetting, 1);
      const before = await store.version();
      await store.settings.setMany([
        { setting: anySetting("many.a"), value: { n: 1 } },
        { setting: anySetting("many.b"), value: [2] },
        { setting: anySetting("many.a"), value: { n: 3 } },
      ]);
      expect(await store.version()).toBeGreaterThan(before);
      expect(await store.settings.get(anySetting("many.a"))).toEqual({ n: 3 });
      expect(await store.settings.get(anySetting("many.b"))).toEqual([2]);
      await store.settings.setMany([]);
      const refused = store.settings.setMany([
        { setting: countSetting, value: 5 },
        { setting: countSetting, value: -1 },
      ]);
      await expect(refused).rejects.toMatchObject({ code: "INVALID_INPUT", subject: countSetting.key });
      expect(await store.settings.get(countSetting)).toBe(1);
    });

    it("lists every setting as stored, ordered by key", async () => {
      expect(await store.settings.list()).toEqual([]);
      await store.settings.set(profileSetting, { name: "Lumen Way Homes", locations: [] });
      await store.settings.set(countSetting, 7);
      await store.settings.set(anySetting("a.first"), { nested: [1, "two", null, true] });
      expect(await store.settings.list()).toEqual([
        { key: "a.first", value: { nested: [1, "two", null, true] } },
        { key: "contract.count", value: 7 },
        { key: "contract.profile", value: { name: "Lumen Way Homes", locations: [] } },
      ]);
    });

    it("reads a stored value that no longer matches its schema as undefined, and keeps it", async () => {
      // An older Hearth stored the profile in another shape.
      await store.settings.set(anySetting(profileSetting.key), { organisation: "Lumen Way Homes" });
      expect(await store.settings.get(profileSetting)).toBeUndefined();
      expect(await store.settings.list()).toEqual([{ key: profileSetting.key, value: { organisation: "Lumen Way Homes" } }]);
      await store.settings.set(anySetting(countSetting.key), "three");
      expect(await store.settings.get(countSetting)).toBeUndefined();
    });

    it("refuses to save a value its schema rejects, naming the key, and keeps the previous value", async () => {
      await store.settings.set(countSetting, 2);
      const refused = store.settings.set(countSetting, -1);
      await expect(refused).rejects.toBeInstanceOf(HearthError);
      await expect(refused).rejects.toMatchObject({ code: "INVALID_INPUT", subject: countSetting.key });
      await expect(refused).rejects.toThrow(/contract\.count/);
      await expect(store.settings.set(profileSetting, { name: 42 } as unknown as { name: string; locations: string[] })).rejects.toMatchObject({
        code: "INVALID_INPUT",
      });
      expect(await store.settings.get(countSetting)).toBe(2);
      expect(await store.settings.get(profileSetting)).toBeUndefined();
    });
  });
}

/**
 * The library version (`Store.version`) and the one-read settings family (`settings.getFamily`): the version moves
 * with every committed change to documents, tables or settings and with nothing else, and a second handle on the same
 * library (another connection, as another process would have) sees each move. `openSecondHandle`, when the library
 * can be opened twice (a file, a database), opens another handle on the library of the store it is given.
 */
export function describeLibraryVersionContract(
  name: string,
  openEmptyStore: () => Promise<Store>,
  openSecondHandle?: (store: Store) => Promise<Store>,
): void {
  describe.skipIf(withoutCorpus())(`Store contract, library version: ${name}`, () => {
    let store: Store;
    let other: Store | undefined;

    beforeEach(async () => {
      store = await openEmptyStore();
      other = openSecondHandle ? await openSecondHandle(store) : undefined;
    });

    afterEach(async () => {
      await other?.close();
      await store.close();
    });

    /** Runs `work` and says whether the version moved, as this handle and the second one see it. */
    const moves = async (work: () => Promise<unknown>): Promise<boolean> => {
      const before = await store.version();
      const otherBefore = other ? await other.version() : before;
      await work();
      const after = await store.version();
      if (other) expect((await other.version()) - otherBefore).toBe(after - before);
      expect(after).toBeGreaterThanOrEqual(before);
      return after !== before;
    };

    it("moves on every kind of write to documents, tables and settings, seen by every handle", async () => {
      expect(Number.isInteger(await store.version())).toBe(true);
      const document = cambridgeshire();
      let stored = await store.documents.replace(document.document, document.units, document.chunks);
      expect(await moves(async () => (stored = await store.documents.replace(document.document, document.units, document.chunks)))).toBe(true);
      // The very same passages under another path: the passage statistics cannot see it; the version does.
      const moved = cambridgeshire("/elsewhere/Cambridgeshire Placement Strategy 2011-2015.txt");
      expect(await moves(async () => (stored = await store.documents.replace(moved.document, moved.units, moved.chunks)))).toBe(true);
      expect(await moves(() => store.tables.replace(stored.id, [sampleDataTable(2)]))).toBe(true);
      expect(await moves(() => store.settings.set(countSetting, 1))).toBe(true);
      expect(await moves(() => store.settings.set(countSetting, 1))).toBe(true);
      expect(await moves(() => store.documents.remove(stored.id))).toBe(true);
    });

    it("stays put on reads, sessions, refused writes and removing what is not there", async () => {
      const document = somerset();
      const stored = await store.documents.replace(document.document, document.units, document.chunks);
      await store.settings.set(countSetting, 2);
      expect(
        await moves(async () => {
          await store.documents.list();
          await store.documents.get(stored.id);
          await store.documents.unitTexts([stored.id]);
          await store.passages.statistics();
          await store.passages.searchText({ terms: [phrase("homes")], limit: 5 });
          await store.passages.documentFrequencies(["homes"]);
          await store.tables.list();
          await store.settings.get(countSetting);
          await store.settings.getFamily({ prefix: "contract.", schema: z.unknown() });
          await store.settings.list();
        }),
      ).toBe(false);
      const exchange = { askedAt: "2026-11-23T10:00:00.000Z", answer: { question: "Q?", answer: "A.", citations: [], mode: "extractive" as const, refused: true } };
      expect(await moves(() => store.sessions.addExchange("board", exchange))).toBe(false);
      expect(await moves(() => store.settings.set(countSetting, -1).catch(() => undefined))).toBe(false);
      expect(await moves(() => store.documents.remove(999_999))).toBe(false);
      expect(await moves(() => store.tables.replace(999_999, [sampleDataTable()]).catch(() => undefined))).toBe(false);
    });

    it("reads a family of settings in one call, by the rest of each key, leaving out values its schema rejects", async () => {
      const tag = (key: string): SettingDefinition<unknown> => anySetting(key);
      await store.settings.set(tag("identity:Kent strategy.pdf"), { about: "Kent" });
      await store.settings.set(tag("identity:Ofsted report – ünïcode.pdf"), { about: null });
      await store.settings.set(tag("identity:broken.pdf"), "not an object");
      await store.settings.set(tag("identity-guess:Kent strategy.pdf"), { about: "Medway" });
      await store.settings.set(tag("identitz"), { about: "nowhere" });
      await store.settings.set(tag("identity"), { about: "nowhere" });
      const family = await (other ?? store).settings.getFamily({ prefix: "identity:", schema: z.object({ about: z.string().nullable() }) });
      expect([...family].sort(([left], [right]) => (left < right ? -1 : 1))).toEqual([
        ["Kent strategy.pdf", { about: "Kent" }],
        ["Ofsted report – ünïcode.pdf", { about: null }],
      ]);
      expect((await store.settings.getFamily({ prefix: "nothing:", schema: z.unknown() })).size).toBe(0);
      await expect(store.settings.getFamily({ prefix: "", schema: z.unknown() })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    });
  });
}

/** Every part's suite against one implementation; `openEmptyStore` opens a fresh, empty store for each test. */
export function describeStoreContract(name: string, openEmptyStore: () => Promise<Store>, openSecondHandle?: (store: Store) => Promise<Store>): void {
  describeDocumentStoreContract(name, openEmptyStore);
  describePassageIndexContract(name, openEmptyStore);
  describeTableStoreContract(name, openEmptyStore);
  describeSessionStoreContract(name, openEmptyStore);
  describeSettingsStoreContract(name, openEmptyStore);
  describeLibraryVersionContract(name, openEmptyStore, openSecondHandle);
}
