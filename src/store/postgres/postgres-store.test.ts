/**
 * The store contract's behaviour, ported to the async split contract, against a real PostgreSQL server. Each test
 * opens a fresh workspace in one database (an empty library). The lead replaces this file with the shared
 * per-part contract suite (store-contract.ts) at merge.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../../test/support/postgres.ts";
import { withoutCorpus } from "../../../test/support/corpus.ts";
import { cambridgeshire, nottinghamshireExcerpt, oddQueryWords, sampleDataTable, somerset } from "../store-contract.ts";
import type { Store } from "../types.ts";
import { openPostgresStore } from "./postgres-store.ts";

function phrase(...words: string[]): { phrase: string[]; weight: number } {
  return { phrase: words, weight: 1 };
}

function wordCount(text: string): number {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
}

const profile = { key: "profile", schema: z.object({ name: z.string(), locations: z.array(z.string()) }) };
const count = { key: "count", schema: z.number().int() };

describe.skipIf(withoutPostgres() || withoutCorpus())("PostgreSQL store: the contract's behaviour", () => {
  let database: TestDatabase;
  let store: Store;
  let workspaces = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    workspaces += 1;
    store = await openPostgresStore({ url: database.url, workspaceId: `contract-${workspaces}` });
  });
  afterEach(async () => {
    await store.close();
  });

  const search = (terms: { phrase: string[]; weight: number }[], limit: number, documentIds?: number[]) =>
    store.passages.searchText({ terms, limit, ...(documentIds === undefined ? {} : { documentIds }) });

  it("says what it is and where, without the password", () => {
    expect(store.kind).toBe("postgres");
    expect(store.location).toMatch(/\(workspace contract-\d+\)$/);
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
    expect(await store.documents.chunks(record.id)).toEqual(sample.chunks);

    const ids = (await search([phrase("placement")], 10_000)).map((hit) => hit.chunkId);
    expect(ids.length).toBeGreaterThan(5);
    const passages = await store.passages.getPassages([...ids, 999_999, ids[0]!]);
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
    }
    expect(passages.some((passage) => passage.kind === "table")).toBe(true);
  });

  it("keeps null pages, sections and heading paths of unpaged formats", async () => {
    const sample = somerset();
    const record = await store.documents.replace({ ...sample.document, title: "Homes and Horizons", warnings: ["slide 3: image only"] }, sample.units, sample.chunks);
    expect(record.title).toBe("Homes and Horizons");
    expect(record.warnings).toEqual(["slide 3: image only"]);
    expect((await store.documents.unitTexts([record.id, 999_999])).get(record.id)).toEqual(sample.units);
    const hits = await search([phrase("Misterton")], 10);
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) {
      const chunk = sample.chunks[hit.ordinal]!;
      expect(hit.page).toBeNull();
      expect(hit.section).toBe(chunk.section);
      expect(hit.headingPath).toEqual(chunk.headingPath);
    }
  });

  it("replacing by source path removes the old version atomically", async () => {
    const path = "/library/strategy.txt";
    const first = cambridgeshire(path);
    const old = await store.documents.replace(first.document, first.units, first.chunks);
    const oldIds = (await search([phrase("Cambridgeshire")], 10_000)).map((hit) => hit.chunkId);
    expect(oldIds.length).toBeGreaterThan(0);
    const second = somerset(path);
    const current = await store.documents.replace(second.document, second.units, second.chunks);
    expect(current.id).not.toBe(old.id);
    expect(await store.documents.get(old.id)).toBeUndefined();
    expect(await store.documents.findByHash(first.document.contentHash)).toBeUndefined();
    expect(await store.documents.findByPath(path)).toEqual([current]);
    expect(await store.documents.list()).toEqual([current]);
    expect(await store.passages.getPassages(oldIds)).toEqual([]);
    expect((await store.documents.unitTexts([old.id])).get(old.id)).toEqual([]);
    expect(await search([phrase("£2,278")], 10)).toEqual([]);
    expect((await search([phrase("Misterton")], 10)).every((hit) => hit.documentId === current.id)).toBe(true);
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
    const hits = await search([phrase("Misterton")], 100);
    expect(new Set(hits.map((hit) => hit.ordinal)).size).toBe(hits.length);
    expect((await store.passages.statistics()).chunkCount).toBe(sample.chunks.length);
    expect((await store.documents.checkIntegrity()).ok).toBe(true);
  });

  it("removes a document with its units and passages", async () => {
    const kept = somerset();
    const removed = cambridgeshire();
    const keptRecord = await store.documents.replace(kept.document, kept.units, kept.chunks);
    const record = await store.documents.replace(removed.document, removed.units, removed.chunks);
    const ids = (await search([phrase("foster")], 10_000)).map((hit) => hit.chunkId);
    expect(ids.length).toBeGreaterThan(0);
    expect(await store.documents.remove(record.id)).toBe(true);
    expect(await store.documents.remove(record.id)).toBe(false);
    expect(await store.documents.get(record.id)).toBeUndefined();
    expect((await store.passages.getPassages(ids)).filter((passage) => passage.documentId === record.id)).toEqual([]);
    expect(await search([phrase("£2,278")], 10)).toEqual([]);
    expect((await store.passages.documentFrequencies(["£2,278"])).get("£2,278")).toBe(0);
    expect(await store.documents.list()).toEqual([keptRecord]);
    expect((await store.passages.statistics()).chunkCount).toBe(kept.chunks.length);
    expect(await store.documents.checkIntegrity()).toMatchObject({ ok: true, documents: 1, chunks: kept.chunks.length });
  });

  it("finds phrases and figures", async () => {
    const sample = cambridgeshire();
    await store.documents.replace(sample.document, sample.units, sample.chunks);
    const excerpt = nottinghamshireExcerpt();
    await store.documents.replace(excerpt.document, excerpt.units, excerpt.chunks);
    const costs = await search([phrase("2", "278")], 5);
    expect(costs[0]!.text).toContain("£2,278 per week");
    expect((await search([phrase("£2,278")], 5))[0]!.text).toContain("£2,278 per week");
    expect((await search([phrase("£2,611", "per", "week")], 5))[0]!.text).toContain("£2,611 per week");
    const percent = await search([phrase("55.2%")], 5);
    expect(percent).toHaveLength(1);
    expect(percent[0]).toMatchObject({ page: 12, format: "pdf", fileName: "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf" });
    const looked = await search([phrase("looked", "after", "children")], 50);
    expect(looked.length).toBeGreaterThan(0);
    for (const hit of looked) expect(hit.text.toLowerCase()).toMatch(/looked\s+after\s+children/);
    expect(await search([phrase("children", "after", "looked")], 50)).toEqual([]);
    expect((await search([phrase("FÓSTER")], 5)).length).toBeGreaterThan(0);
  });

  it("ranks by relevance, honours the limit and ORs terms", async () => {
    const sample = cambridgeshire();
    await store.documents.replace(sample.document, sample.units, sample.chunks);
    const hits = await search([phrase("foster"), phrase("residential")], 7);
    expect(hits).toHaveLength(7);
    for (let index = 1; index < hits.length; index += 1) expect(hits[index - 1]!.score).toBeGreaterThanOrEqual(hits[index]!.score);
    const fosterOnly = await search([phrase("foster")], 10_000);
    const residentialOnly = await search([phrase("residential")], 10_000);
    const either = await search([phrase("foster"), phrase("residential")], 10_000);
    expect(new Set(either.map((hit) => hit.chunkId))).toEqual(new Set([...fosterOnly, ...residentialOnly].map((hit) => hit.chunkId)));
    expect(await search([phrase("foster")], 0)).toEqual([]);
    expect(await search([], 10)).toEqual([]);
  });

  it("matches file names and headings, weighted below the passage text", async () => {
    const sample = somerset();
    const record = await store.documents.replace(sample.document, sample.units, sample.chunks);
    const other = cambridgeshire();
    await store.documents.replace(other.document, other.units, other.chunks);
    const byName = await search([phrase("Somerset")], 10_000);
    expect(byName).toHaveLength(sample.chunks.length);
    expect(byName.every((hit) => hit.documentId === record.id)).toBe(true);
    const underHeading = sample.chunks.filter((chunk) => chunk.headingPath.includes("Headline risks and mitigations"));
    const hits = await search([phrase("headline", "risks")], 100);
    expect(new Set(hits.map((hit) => hit.ordinal))).toEqual(new Set(underHeading.map((chunk) => chunk.ordinal)));
    expect(hits.length).toBeGreaterThan(0);
  });

  it("never throws on odd query strings", async () => {
    const sample = cambridgeshire();
    await store.documents.replace(sample.document, sample.units, sample.chunks);
    for (const words of oddQueryWords) {
      await expect(search([phrase(...words)], 5), JSON.stringify(words)).resolves.toBeDefined();
      await expect(store.passages.documentFrequencies(words), JSON.stringify(words)).resolves.toBeDefined();
    }
    expect((await search(oddQueryWords.map((words) => phrase(...words)), 5)).length).toBeGreaterThan(0);
    expect(await search([phrase("*"), phrase('"'), phrase("")], 5)).toEqual([]);
    expect((await search([phrase("foster*")], 5)).every((hit) => /foster/i.test(hit.text))).toBe(true);
    expect((await search([phrase("NOT")], 5)).every((hit) => /\bnot\b/i.test(hit.text))).toBe(true);
    const many = Array.from({ length: 300 }, (_, index) => phrase(`word${index}`));
    expect((await search([...many, phrase("foster")], 5)).length).toBeGreaterThan(0);
  });

  it("restricts a search to given documents", async () => {
    const first = cambridgeshire();
    const second = somerset();
    const firstRecord = await store.documents.replace(first.document, first.units, first.chunks);
    const secondRecord = await store.documents.replace(second.document, second.units, second.chunks);
    const terms = [phrase("homes"), phrase("children")];
    const all = await search(terms, 10_000);
    expect(new Set(all.map((hit) => hit.documentId))).toEqual(new Set([firstRecord.id, secondRecord.id]));
    const onlySecond = await search(terms, 10_000, [secondRecord.id]);
    expect(onlySecond.length).toBeGreaterThan(0);
    expect(onlySecond.every((hit) => hit.documentId === secondRecord.id)).toBe(true);
    expect(onlySecond).toHaveLength(all.filter((hit) => hit.documentId === secondRecord.id).length);
    expect(await search(terms, 10, [])).toEqual([]);
    expect(await search(terms, 10, [999_999])).toEqual([]);
  });

  it("counts the passages each term occurs in", async () => {
    const sample = cambridgeshire();
    await store.documents.replace(sample.document, sample.units, sample.chunks);
    const containing = (word: RegExp) => sample.chunks.filter((chunk) => word.test(chunk.text)).length;
    const frequencies = await store.passages.documentFrequencies(["foster", "Residential", "zebra", "looked after", "cambridgeshire"]);
    expect(frequencies.get("foster")).toBe(containing(/\bfoster(s|ed|ing)?\b/i));
    expect(frequencies.get("foster")).toBeGreaterThan(0);
    expect(frequencies.get("Residential")).toBe(containing(/\bresidential(ly)?\b/i));
    expect(frequencies.get("zebra")).toBe(0);
    expect(frequencies.get("looked after")).toBe(containing(/\blook(ed|ing|s)?\s+after\b/i));
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

  it("reports a healthy store as healthy, and lists documents by file name", async () => {
    expect(await store.documents.checkIntegrity()).toEqual({ ok: true, problems: [], documents: 0, chunks: 0 });
    const first = somerset();
    const second = cambridgeshire();
    await store.documents.replace(first.document, first.units, first.chunks);
    await store.documents.replace(second.document, second.units, second.chunks);
    expect(await store.documents.checkIntegrity()).toEqual({ ok: true, problems: [], documents: 2, chunks: first.chunks.length + second.chunks.length });
    expect((await store.documents.list()).map((document) => document.fileName)).toEqual([second.document.fileName, first.document.fileName]);
  });

  it("rejects a write it cannot store and keeps the previous version", async () => {
    const sample = somerset();
    const record = await store.documents.replace(sample.document, sample.units, sample.chunks);
    const broken = cambridgeshire(sample.document.sourcePath);
    const duplicated = [...broken.chunks, { ...broken.chunks[0]! }];
    await expect(store.documents.replace(broken.document, broken.units, duplicated)).rejects.toThrow(/Cambridgeshire/);
    expect(await store.documents.list()).toEqual([record]);
    expect(await search([phrase("£2,278")], 5)).toEqual([]);
    expect(await store.documents.checkIntegrity()).toMatchObject({ ok: true, chunks: sample.chunks.length });
    expect((await store.passages.documentFrequencies(["misterton", "£2,278"])).get("£2,278")).toBe(0);
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
    const replaced = await store.tables.replace(stored.id, [sampleDataTable(5)]);
    expect(replaced).toHaveLength(1);
    expect(replaced[0]?.rowCount).toBe(5);
    expect(replaced[0]?.id).not.toBe(first?.id);
    expect(await store.tables.rows(first?.id ?? -1)).toEqual([]);
    expect((await store.tables.list()).map((table) => table.id)).toEqual([replaced[0]?.id]);
    await expect(store.tables.replace(999_999, [sampleDataTable()])).rejects.toThrow(/not in the library/);
    const again = await store.documents.replace({ ...sample.document, contentHash: "f".repeat(64) }, sample.units, sample.chunks, []);
    expect(await store.tables.list()).toEqual([]);
    await store.tables.replace(again.id, [sampleDataTable(2)]);
    expect(await store.documents.remove(again.id)).toBe(true);
    expect(await store.tables.list()).toEqual([]);
    expect((await store.documents.checkIntegrity()).ok).toBe(true);
  });

  it("keeps settings typed by their schemas", async () => {
    expect(await store.settings.get(profile)).toBeUndefined();
    await store.settings.set(profile, { name: "Lumen Way Homes ITP", locations: ["Nottinghamshire"] });
    await store.settings.set(profile, { name: "Lumen Way Homes", locations: ["Nottinghamshire", "Derbyshire"] });
    expect(await store.settings.get(profile)).toEqual({ name: "Lumen Way Homes", locations: ["Nottinghamshire", "Derbyshire"] });
    await store.settings.set(count, 3);
    expect(await store.settings.get(count)).toBe(3);
    await expect(store.settings.set(count, 2.5)).rejects.toMatchObject({ code: "INVALID_INPUT", subject: "count" });
    expect(await store.settings.get(count)).toBe(3);
    // A stored value that no longer parses reads as unset.
    expect(await store.settings.get({ key: "count", schema: z.string() })).toBeUndefined();
    expect(await store.settings.list()).toEqual([
      { key: "count", value: 3 },
      { key: "profile", value: { name: "Lumen Way Homes", locations: ["Nottinghamshire", "Derbyshire"] } },
    ]);
  });

  it("with pgvector, keeps embeddings: only new passages need vectors, nearest first, removed with their document", async () => {
    if ((await store.passages.embeddingStatus()).unavailable !== null) return; // no pgvector on this server: see below
    const first = cambridgeshire();
    const firstRecord = await store.documents.replace(first.document, first.units, first.chunks);
    expect(await store.passages.embeddingStatus()).toMatchObject({ model: null, embedded: 0, total: first.chunks.length });
    const pending = await store.passages.withoutEmbedding("test:model", 10_000);
    expect(pending).toHaveLength(first.chunks.length);
    const vectorFor = (text: string): number[] => (/£|cost/i.test(text) ? [1, 0.1, 0] : [0, 1, 0.2]);
    await store.passages.saveEmbeddings("test:model", pending.map((passage) => ({ chunkId: passage.chunkId, vector: vectorFor(passage.text) })));
    expect(await store.passages.withoutEmbedding("test:model", 10)).toEqual([]);
    expect(await store.passages.embeddingStatus()).toMatchObject({ model: "test:model", dimensions: 3, embedded: first.chunks.length });
    const hits = await store.passages.vectorSearch("test:model", [1, 0, 0], 3);
    expect(hits[0]!.text).toMatch(/£|cost/i);
    expect(hits[0]!.score).toBeGreaterThan(0.9);
    expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((a, b) => b - a));
    expect(await store.passages.vectorSearch("other:model", [1, 0, 0], 3)).toEqual([]);
    await expect(store.passages.vectorSearch("test:model", [1, 0], 3)).rejects.toThrow(/cannot be compared/);
    const second = somerset();
    const secondRecord = await store.documents.replace(second.document, second.units, second.chunks);
    const secondPending = await store.passages.withoutEmbedding("test:model", 10_000);
    expect(secondPending.map((passage) => passage.documentId)).toEqual(second.chunks.map(() => secondRecord.id));
    await store.passages.saveEmbeddings("test:model", secondPending.map((passage) => ({ chunkId: passage.chunkId, vector: vectorFor(passage.text) })));
    expect((await store.passages.vectorSearch("test:model", [0, 1, 0], 500, [secondRecord.id])).every((hit) => hit.documentId === secondRecord.id)).toBe(true);
    expect(await store.documents.remove(firstRecord.id)).toBe(true);
    expect((await store.passages.vectorSearch("test:model", [1, 0, 0], 500)).some((hit) => hit.documentId === firstRecord.id)).toBe(false);
    expect(await store.passages.embeddingStatus()).toMatchObject({ embedded: second.chunks.length, total: second.chunks.length });
    expect(await store.passages.withoutEmbedding("new:model", 10_000)).toHaveLength(second.chunks.length);
    await store.passages.saveEmbeddings("new:model", [{ chunkId: secondPending[0]!.chunkId, vector: [1, 2, 3, 4] }]);
    expect(await store.passages.embeddingStatus()).toMatchObject({ model: "new:model", dimensions: 4, embedded: 1 });
    expect(await store.passages.vectorSearch("test:model", [1, 0, 0], 5)).toEqual([]);
    expect((await store.documents.checkIntegrity()).ok).toBe(true);
  });

  it("without pgvector, says so and keeps BM25 working: nothing to embed, nothing saved, no vector hits", async () => {
    const sample = somerset();
    await store.documents.replace(sample.document, sample.units, sample.chunks);
    const status = await store.passages.embeddingStatus();
    if (status.unavailable === null) return; // a server with pgvector: the test above runs instead
    expect(status).toEqual({
      model: null,
      dimensions: null,
      embedded: 0,
      total: sample.chunks.length,
      unavailable: "pgvector is not installed on the PostgreSQL server: search uses BM25 alone",
    });
    expect(await store.passages.withoutEmbedding("test:model", 10)).toEqual([]);
    const ids = (await search([phrase("Misterton")], 3)).map((hit) => hit.chunkId);
    await store.passages.saveEmbeddings("test:model", ids.map((chunkId) => ({ chunkId, vector: [1, 0, 0] })));
    expect(await store.passages.vectorSearch("test:model", [1, 0, 0], 5)).toEqual([]);
    expect((await store.passages.embeddingStatus()).embedded).toBe(0);
  });
});
