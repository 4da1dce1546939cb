/**
 * The one contract suite every Store implementation must pass (SQLite now, PostgreSQL later). An implementation's
 * test file calls `describeStoreContract` with a factory that returns a fresh, empty store per test.
 * Documents are built from real files in ../shared/corpus (see test-fixtures/sample-documents.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { corpusPath } from "../loaders/loader-contract.ts";
import { sampleDocument } from "./test-fixtures/sample-documents.ts";
import type { SampleDocument } from "./test-fixtures/sample-documents.ts";
import type { NewDataTable, Store } from "./types.ts";
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

export function describeStoreContract(name: string, createStore: () => Promise<Store> | Store): void {
  describe.skipIf(withoutCorpus())(`Store contract: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await createStore();
    });

    afterEach(() => {
      store.close();
    });

    it("round-trips a document with its units and passages", () => {
      const sample = cambridgeshire();
      const record = store.replaceDocument(sample.document, sample.units, sample.chunks);
      expect(record).toMatchObject({ ...sample.document, unitCount: sample.units.length, chunkCount: sample.chunks.length });
      expect(Number.isNaN(Date.parse(record.ingestedAt))).toBe(false);
      expect(store.getDocument(record.id)).toEqual(record);
      expect(store.findDocumentByHash(sample.document.contentHash)).toEqual(record);
      expect(store.findDocumentsByPath(sample.document.sourcePath)).toEqual([record]);
      expect(store.listDocuments()).toEqual([record]);
      expect(store.getUnitTexts(record.id)).toEqual(sample.units);

      const ids = store.searchText({ terms: [phrase("placement")], limit: 10_000 }).map((hit) => hit.chunkId);
      expect(ids.length).toBeGreaterThan(5);
      const passages = store.getPassages(ids);
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

    it("keeps null pages, sections and heading paths of unpaged formats", () => {
      const sample = somerset();
      const record = store.replaceDocument({ ...sample.document, title: "Homes and Horizons", warnings: ["slide 3: image only"] }, sample.units, sample.chunks);
      expect(record.title).toBe("Homes and Horizons");
      expect(record.warnings).toEqual(["slide 3: image only"]);
      expect(store.getUnitTexts(record.id)).toEqual(sample.units);
      const hits = store.searchText({ terms: [phrase("Misterton")], limit: 10 });
      expect(hits.length).toBeGreaterThan(0);
      for (const hit of hits) {
        const chunk = sample.chunks[hit.ordinal]!;
        expect(hit.page).toBeNull();
        expect(hit.section).toBe(chunk.section);
        expect(hit.headingPath).toEqual(chunk.headingPath);
      }
      expect(sample.chunks.some((chunk) => chunk.section !== null)).toBe(true);
    });

    it("replacing by source path removes the old version atomically", () => {
      const path = "/library/strategy.txt";
      const first = cambridgeshire(path);
      const old = store.replaceDocument(first.document, first.units, first.chunks);
      const oldIds = store.searchText({ terms: [phrase("Cambridgeshire")], limit: 10_000 }).map((hit) => hit.chunkId);
      expect(oldIds.length).toBeGreaterThan(0);

      // The same path now holds different content (the Somerset briefing).
      const second = somerset(path);
      const current = store.replaceDocument(second.document, second.units, second.chunks);
      expect(current.id).not.toBe(old.id);
      expect(store.getDocument(old.id)).toBeUndefined();
      expect(store.findDocumentByHash(first.document.contentHash)).toBeUndefined();
      expect(store.findDocumentsByPath(path)).toEqual([current]);
      expect(store.listDocuments()).toEqual([current]);
      expect(store.getPassages(oldIds)).toEqual([]);
      expect(store.getUnitTexts(old.id)).toEqual([]);
      // Words only in the old text no longer match.
      expect(store.searchText({ terms: [phrase("£2,278")], limit: 10 })).toEqual([]);
      expect(store.searchText({ terms: [phrase("Misterton")], limit: 10 }).every((hit) => hit.documentId === current.id)).toBe(true);
      expect(store.statistics().chunkCount).toBe(second.chunks.length);
      expect(store.checkIntegrity()).toMatchObject({ ok: true, documents: 1, chunks: second.chunks.length });
    });

    it("keeps one copy when the same content is stored again, at the same or another path", () => {
      const sample = somerset();
      store.replaceDocument(sample.document, sample.units, sample.chunks);
      store.replaceDocument(sample.document, sample.units, sample.chunks);
      expect(store.listDocuments()).toHaveLength(1);
      const moved = store.replaceDocument({ ...sample.document, sourcePath: "/elsewhere/briefing.md" }, sample.units, sample.chunks);
      expect(store.listDocuments()).toEqual([moved]);
      expect(store.findDocumentsByPath(sample.document.sourcePath)).toEqual([]);
      const hits = store.searchText({ terms: [phrase("Misterton")], limit: 100 });
      expect(new Set(hits.map((hit) => hit.ordinal)).size).toBe(hits.length);
      expect(store.statistics().chunkCount).toBe(sample.chunks.length);
      expect(store.checkIntegrity().ok).toBe(true);
    });

    it("removes a document with its units and passages", () => {
      const kept = somerset();
      const removed = cambridgeshire();
      const keptRecord = store.replaceDocument(kept.document, kept.units, kept.chunks);
      const record = store.replaceDocument(removed.document, removed.units, removed.chunks);
      const ids = store.searchText({ terms: [phrase("foster")], limit: 10_000 }).map((hit) => hit.chunkId);
      expect(ids.length).toBeGreaterThan(0);

      expect(store.removeDocument(record.id)).toBe(true);
      expect(store.removeDocument(record.id)).toBe(false);
      expect(store.getDocument(record.id)).toBeUndefined();
      expect(store.getUnitTexts(record.id)).toEqual([]);
      expect(store.getPassages(ids).filter((passage) => passage.documentId === record.id)).toEqual([]);
      expect(store.searchText({ terms: [phrase("£2,278")], limit: 10 })).toEqual([]);
      expect(store.documentFrequencies(["£2,278"]).get("£2,278")).toBe(0);
      expect(store.listDocuments()).toEqual([keptRecord]);
      expect(store.statistics().chunkCount).toBe(kept.chunks.length);
      expect(store.checkIntegrity()).toMatchObject({ ok: true, documents: 1, chunks: kept.chunks.length });
    });

    it("finds phrases and figures", () => {
      const sample = cambridgeshire();
      store.replaceDocument(sample.document, sample.units, sample.chunks);
      const excerpt = nottinghamshireExcerpt();
      store.replaceDocument(excerpt.document, excerpt.units, excerpt.chunks);

      const costs = store.searchText({ terms: [phrase("2", "278")], limit: 5 });
      expect(costs.length).toBeGreaterThan(0);
      expect(costs[0]!.text).toContain("£2,278 per week");
      expect(store.searchText({ terms: [phrase("£2,278")], limit: 5 })[0]!.text).toContain("£2,278 per week");
      expect(store.searchText({ terms: [phrase("£2,611", "per", "week")], limit: 5 })[0]!.text).toContain("£2,611 per week");

      const percent = store.searchText({ terms: [phrase("55.2%")], limit: 5 });
      expect(percent).toHaveLength(1);
      expect(percent[0]).toMatchObject({ page: 12, format: "pdf", fileName: "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf" });

      // A phrase matches words adjacent and in order only.
      const looked = store.searchText({ terms: [phrase("looked", "after", "children")], limit: 50 });
      expect(looked.length).toBeGreaterThan(0);
      for (const hit of looked) expect(hit.text.toLowerCase()).toMatch(/looked\s+after\s+children/);
      expect(store.searchText({ terms: [phrase("children", "after", "looked")], limit: 50 })).toEqual([]);
      // Case and diacritics fold.
      expect(store.searchText({ terms: [phrase("FÓSTER")], limit: 5 }).length).toBeGreaterThan(0);
    });

    it("ranks by relevance, honours the limit and ORs terms", () => {
      const sample = cambridgeshire();
      store.replaceDocument(sample.document, sample.units, sample.chunks);
      const hits = store.searchText({ terms: [phrase("foster"), phrase("residential")], limit: 7 });
      expect(hits).toHaveLength(7);
      for (let index = 1; index < hits.length; index += 1) expect(hits[index - 1]!.score).toBeGreaterThanOrEqual(hits[index]!.score);
      const fosterOnly = store.searchText({ terms: [phrase("foster")], limit: 10_000 });
      const residentialOnly = store.searchText({ terms: [phrase("residential")], limit: 10_000 });
      const either = store.searchText({ terms: [phrase("foster"), phrase("residential")], limit: 10_000 });
      expect(new Set(either.map((hit) => hit.chunkId))).toEqual(new Set([...fosterOnly, ...residentialOnly].map((hit) => hit.chunkId)));
      expect(store.searchText({ terms: [phrase("foster")], limit: 0 })).toEqual([]);
      expect(store.searchText({ terms: [], limit: 10 })).toEqual([]);
    });

    it("matches file names and headings, weighted below the passage text", () => {
      const sample = somerset();
      const record = store.replaceDocument(sample.document, sample.units, sample.chunks);
      const other = cambridgeshire();
      store.replaceDocument(other.document, other.units, other.chunks);
      // "Somerset" names the file; every Somerset passage matches through its context.
      const byName = store.searchText({ terms: [phrase("Somerset")], limit: 10_000 });
      expect(byName).toHaveLength(sample.chunks.length);
      expect(byName.every((hit) => hit.documentId === record.id)).toBe(true);
      // A heading word matches the passages under that heading.
      const underHeading = sample.chunks.filter((chunk) => chunk.headingPath.includes("Headline risks and mitigations"));
      const hits = store.searchText({ terms: [phrase("headline", "risks")], limit: 100 });
      expect(new Set(hits.map((hit) => hit.ordinal))).toEqual(new Set(underHeading.map((chunk) => chunk.ordinal)));
      expect(hits.length).toBeGreaterThan(0);
    });

    it("never throws on odd query strings", () => {
      const sample = cambridgeshire();
      store.replaceDocument(sample.document, sample.units, sample.chunks);
      for (const words of oddQueryWords) {
        expect(() => store.searchText({ terms: [phrase(...words)], limit: 5 }), JSON.stringify(words)).not.toThrow();
        expect(() => store.documentFrequencies(words), JSON.stringify(words)).not.toThrow();
      }
      expect(store.searchText({ terms: oddQueryWords.map((words) => phrase(...words)), limit: 5 }).length).toBeGreaterThan(0);
      expect(store.searchText({ terms: [phrase("*"), phrase('"'), phrase("")], limit: 5 })).toEqual([]);
      // FTS operators inside user text are words: "NEAR(foster care)" is the phrase "near foster care".
      expect(store.searchText({ terms: [phrase("foster*")], limit: 5 }).every((hit) => /foster/i.test(hit.text))).toBe(true);
      expect(store.searchText({ terms: [phrase("NOT")], limit: 5 }).every((hit) => /\bnot\b/i.test(hit.text))).toBe(true);
      const many = Array.from({ length: 300 }, (_, index) => phrase(`word${index}`));
      expect(store.searchText({ terms: [...many, phrase("foster")], limit: 5 }).length).toBeGreaterThan(0);
    });

    it("restricts a search to given documents", () => {
      const first = cambridgeshire();
      const second = somerset();
      const firstRecord = store.replaceDocument(first.document, first.units, first.chunks);
      const secondRecord = store.replaceDocument(second.document, second.units, second.chunks);
      const terms = [phrase("homes"), phrase("children")];
      const all = store.searchText({ terms, limit: 10_000 });
      expect(new Set(all.map((hit) => hit.documentId))).toEqual(new Set([firstRecord.id, secondRecord.id]));
      const onlySecond = store.searchText({ terms, limit: 10_000, documentIds: [secondRecord.id] });
      expect(onlySecond.length).toBeGreaterThan(0);
      expect(onlySecond.every((hit) => hit.documentId === secondRecord.id)).toBe(true);
      expect(onlySecond).toHaveLength(all.filter((hit) => hit.documentId === secondRecord.id).length);
      expect(store.searchText({ terms, limit: 10, documentIds: [] })).toEqual([]);
      expect(store.searchText({ terms, limit: 10, documentIds: [999_999] })).toEqual([]);
    });

    it("counts the passages each term occurs in", () => {
      const sample = cambridgeshire();
      store.replaceDocument(sample.document, sample.units, sample.chunks);
      const containing = (word: RegExp) => sample.chunks.filter((chunk) => word.test(chunk.text)).length;
      const frequencies = store.documentFrequencies(["foster", "Residential", "zebra", "looked after", "cambridgeshire"]);
      // Words are counted by stem, as full-text search matches them: "foster" counts "fostering" too.
      expect(frequencies.get("foster")).toBe(containing(/\bfoster(s|ed|ing)?\b/i));
      expect(frequencies.get("foster")).toBeGreaterThan(0);
      expect(frequencies.get("Residential")).toBe(containing(/\bresidential(ly)?\b/i));
      expect(frequencies.get("zebra")).toBe(0);
      expect(frequencies.get("looked after")).toBe(containing(/\blook(ed|ing|s)?\s+after\b/i));
      // The file name is part of every passage's context.
      expect(frequencies.get("cambridgeshire")).toBe(sample.chunks.length);
      expect(store.documentFrequencies([]).size).toBe(0);
    });

    it("reports statistics", () => {
      expect(store.statistics()).toEqual({ chunkCount: 0, averageLength: 0 });
      const sample = cambridgeshire();
      store.replaceDocument(sample.document, sample.units, sample.chunks);
      const statistics = store.statistics();
      expect(statistics.chunkCount).toBe(sample.chunks.length);
      const mean = sample.chunks.reduce((sum, chunk) => sum + wordCount(chunk.text), 0) / sample.chunks.length;
      expect(statistics.averageLength).toBeCloseTo(mean, 1);
    });

    it("reports a healthy store as healthy", () => {
      expect(store.checkIntegrity()).toEqual({ ok: true, problems: [], documents: 0, chunks: 0 });
      const first = cambridgeshire();
      const second = somerset();
      store.replaceDocument(first.document, first.units, first.chunks);
      store.replaceDocument(second.document, second.units, second.chunks);
      expect(store.checkIntegrity()).toEqual({
        ok: true,
        problems: [],
        documents: 2,
        chunks: first.chunks.length + second.chunks.length,
      });
    });

    it("lists documents by file name", () => {
      const first = somerset();
      const second = cambridgeshire();
      store.replaceDocument(first.document, first.units, first.chunks);
      store.replaceDocument(second.document, second.units, second.chunks);
      expect(store.listDocuments().map((document) => document.fileName)).toEqual([second.document.fileName, first.document.fileName]);
    });

    it("rejects a write it cannot store and keeps the previous version", () => {
      const sample = somerset();
      const record = store.replaceDocument(sample.document, sample.units, sample.chunks);
      const broken = cambridgeshire(sample.document.sourcePath);
      // Two passages with the same ordinal cannot both be stored.
      const duplicated = [...broken.chunks, { ...broken.chunks[0]! }];
      expect(() => store.replaceDocument(broken.document, broken.units, duplicated)).toThrow(/Cambridgeshire/);
      expect(store.listDocuments()).toEqual([record]);
      expect(store.searchText({ terms: [phrase("£2,278")], limit: 5 })).toEqual([]);
      expect(store.checkIntegrity().ok).toBe(true);
    });
    it("keeps working sessions: exchanges in order, answers whole, sessions listed and removable", () => {
      const answer = (question: string, n: number) => ({
        question,
        answer: `The weekly cost is £2,278 [${n}].`,
        citations: [{ n, file: "Cambridgeshire.pdf", page: 4, section: "Unit Costs", quote: "£2,278 per week" }],
        mode: "extractive" as const,
        refused: false,
      });
      expect(store.listSessions()).toEqual([]);
      expect(store.getSession("board")).toBeUndefined();
      store.addExchange("board", { askedAt: "2026-11-23T10:00:00.000Z", answer: answer("First?", 1) });
      store.addExchange("board", { askedAt: "2026-11-23T10:05:00.000Z", answer: answer("Second?", 2) });
      store.addExchange("other", { askedAt: "2026-11-23T09:00:00.000Z", answer: answer("Elsewhere?", 1) });
      const session = store.getSession("board");
      expect(session?.name).toBe("board");
      expect(session?.createdAt).toBe("2026-11-23T10:00:00.000Z");
      expect(session?.exchanges.map((exchange) => exchange.answer.question)).toEqual(["First?", "Second?"]);
      expect(session?.exchanges[1]?.answer).toEqual(answer("Second?", 2));
      const summaries = store.listSessions();
      expect(summaries.map((summary) => [summary.name, summary.exchangeCount])).toEqual([
        ["board", 2],
        ["other", 1],
      ]);
      expect(summaries[0]?.updatedAt).toBe("2026-11-23T10:05:00.000Z");
      expect(store.removeSession("board")).toBe(true);
      expect(store.removeSession("board")).toBe(false);
      expect(store.getSession("board")).toBeUndefined();
      expect(store.listSessions().map((summary) => summary.name)).toEqual(["other"]);
    });
    it("keeps typed data tables with their document: columns, rows in order, replaced and removed with it", () => {
      const sample = somerset();
      const stored = store.replaceDocument(sample.document, sample.units, sample.chunks, [sampleDataTable(3), { ...sampleDataTable(1), unitIndex: 1, sheet: null }]);
      const tables = store.listDataTables();
      expect(tables).toHaveLength(2);
      const first = tables.find((table) => table.sheet === "Homes");
      expect(first).toMatchObject({ documentId: stored.id, fileName: sample.document.fileName, unitIndex: 0, title: "Children's homes at 31 March", rowCount: 3 });
      expect(first?.columns).toEqual(sampleDataTable().columns);
      expect(store.getDataTable(first?.id ?? -1)?.description).toContain("c = suppressed");
      expect(store.getDataTableRows(first?.id ?? -1)).toEqual(sampleDataTable(3).rows);
      expect(store.getDataTableRows(999_999)).toEqual([]);
      expect(store.getDataTable(999_999)).toBeUndefined();

      // Backfill: replacing the tables of a stored document keeps the document and gives new ids.
      const replaced = store.replaceDataTables(stored.id, [sampleDataTable(5)]);
      expect(replaced).toHaveLength(1);
      expect(replaced[0]?.rowCount).toBe(5);
      expect(replaced[0]?.id).not.toBe(first?.id);
      expect(store.getDataTableRows(first?.id ?? -1)).toEqual([]);
      expect(store.listDataTables().map((table) => table.id)).toEqual([replaced[0]?.id]);
      expect(() => store.replaceDataTables(999_999, [sampleDataTable()])).toThrow(/not in the library/);

      // A new version of the file replaces its tables in the same write; removing the document removes them.
      const changed = { ...sample.document, contentHash: "f".repeat(64) };
      const again = store.replaceDocument(changed, sample.units, sample.chunks, []);
      expect(store.listDataTables()).toEqual([]);
      store.replaceDataTables(again.id, [sampleDataTable(2)]);
      expect(store.removeDocument(again.id)).toBe(true);
      expect(store.listDataTables()).toEqual([]);
      expect(store.checkIntegrity().ok).toBe(true);
    });

    it("keeps settings as JSON values by key", () => {
      expect(store.getSetting("profile")).toBeUndefined();
      store.setSetting("profile", { name: "Lumen Way Homes ITP", locations: ["Nottinghamshire"] });
      store.setSetting("profile", { name: "Lumen Way Homes", locations: ["Nottinghamshire", "Derbyshire"] });
      expect(store.getSetting("profile")).toEqual({ name: "Lumen Way Homes", locations: ["Nottinghamshire", "Derbyshire"] });
      store.setSetting("count", 3);
      expect(store.getSetting("count")).toBe(3);
    });
    it("keeps embeddings: only new passages need vectors, nearest first, removed with their document", () => {
      const first = cambridgeshire();
      const firstRecord = store.replaceDocument(first.document, first.units, first.chunks);
      expect(store.embeddingStatus()).toMatchObject({ model: null, embedded: 0, total: first.chunks.length });
      const pending = store.chunksWithoutEmbedding("test:model", 10_000);
      expect(pending).toHaveLength(first.chunks.length);
      // A vector per passage that points along one axis for "cost" passages and another for the rest.
      const vectorFor = (text: string): number[] => (/£|cost/i.test(text) ? [1, 0.1, 0] : [0, 1, 0.2]);
      store.saveEmbeddings("test:model", pending.map((passage) => ({ chunkId: passage.chunkId, vector: vectorFor(passage.text) })));
      expect(store.chunksWithoutEmbedding("test:model", 10)).toEqual([]);
      expect(store.embeddingStatus()).toMatchObject({ model: "test:model", dimensions: 3, embedded: first.chunks.length });

      const hits = store.vectorSearch("test:model", [1, 0, 0], 3);
      expect(hits.length).toBeGreaterThan(0);
      expect(hits[0]!.text).toMatch(/£|cost/i);
      expect(hits[0]!.score).toBeGreaterThan(0.9);
      expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((a, b) => b - a));
      expect(store.vectorSearch("other:model", [1, 0, 0], 3)).toEqual([]);
      expect(() => store.vectorSearch("test:model", [1, 0], 3)).toThrow(/cannot be compared/);

      // A second document: only its passages are pending; the first document's are kept.
      const second = somerset();
      const secondRecord = store.replaceDocument(second.document, second.units, second.chunks);
      const secondPending = store.chunksWithoutEmbedding("test:model", 10_000);
      expect(secondPending.map((passage) => passage.documentId)).toEqual(second.chunks.map(() => secondRecord.id));
      store.saveEmbeddings("test:model", secondPending.map((passage) => ({ chunkId: passage.chunkId, vector: vectorFor(passage.text) })));
      expect(store.vectorSearch("test:model", [0, 1, 0], 500, [secondRecord.id]).every((hit) => hit.documentId === secondRecord.id)).toBe(true);

      // Removing a document removes its passages from vector search.
      expect(store.removeDocument(firstRecord.id)).toBe(true);
      expect(store.vectorSearch("test:model", [1, 0, 0], 500).some((hit) => hit.documentId === firstRecord.id)).toBe(false);
      expect(store.embeddingStatus()).toMatchObject({ embedded: second.chunks.length, total: second.chunks.length });

      // A different model re-embeds everything.
      expect(store.chunksWithoutEmbedding("new:model", 10_000)).toHaveLength(second.chunks.length);
      store.saveEmbeddings("new:model", [{ chunkId: secondPending[0]!.chunkId, vector: [1, 2, 3, 4] }]);
      expect(store.embeddingStatus()).toMatchObject({ model: "new:model", dimensions: 4, embedded: 1 });
      expect(store.vectorSearch("test:model", [1, 0, 0], 5)).toEqual([]);
      expect(store.checkIntegrity().ok).toBe(true);
    });
  });
}
