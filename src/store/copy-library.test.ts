/** Copying a library between stores, verified: PostgreSQL workspace to PostgreSQL workspace on a real server. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../test/support/postgres.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";
import { cambridgeshire, nottinghamshireExcerpt, sampleDataTable, somerset } from "./store-contract.ts";
import { copyLibrary, type CopyProgress } from "./copy-library.ts";
import { openPostgresStore } from "./postgres/postgres-store.ts";
import type { Store } from "./types.ts";

const profile = { key: "profile", schema: z.object({ name: z.string(), locations: z.array(z.string()) }) };
const answer = (question: string) => ({ question, answer: "The weekly cost is £2,278 [1].", citations: [], mode: "extractive" as const, refused: false });

describe.skipIf(withoutPostgres() || withoutCorpus())("copyLibrary", () => {
  let database: TestDatabase;
  let source: Store;

  beforeAll(async () => {
    database = await createTestDatabase();
    source = await openPostgresStore({ url: database.url, workspaceId: "source" });
    const samples = [cambridgeshire(), somerset(), nottinghamshireExcerpt()];
    await source.documents.replace(samples[0]!.document, samples[0]!.units, samples[0]!.chunks);
    await source.documents.replace(samples[1]!.document, samples[1]!.units, samples[1]!.chunks, [sampleDataTable(3), { ...sampleDataTable(2), unitIndex: 1, sheet: "Totals" }]);
    await source.documents.replace({ ...samples[2]!.document, title: "Nottinghamshire", warnings: ["page 3: image only"] }, samples[2]!.units, samples[2]!.chunks);
    await source.sessions.addExchange("board", { askedAt: "2026-11-23T10:00:00.000Z", answer: answer("First?") });
    await source.sessions.addExchange("board", { askedAt: "2026-11-23T10:05:00.000Z", answer: answer("Second?") });
    await source.sessions.addExchange("ofsted", { askedAt: "2026-11-24T09:00:00.000Z", answer: answer("Ready?") });
    await source.settings.set(profile, { name: "Lumen Way Homes", locations: ["Nottinghamshire"] });
    await source.settings.set({ key: "identity", schema: z.record(z.string(), z.string()) }, { "/library/a.pdf": "own policy" });
  });
  afterAll(async () => {
    await source?.close();
    await database?.drop();
  });

  it("copies documents, passages, tables, sessions and settings, verified, into an empty library", async () => {
    const target = await openPostgresStore({ url: database.url, workspaceId: "target" });
    try {
      const progress: CopyProgress[] = [];
      const report = await copyLibrary(source, target, (step) => progress.push(step));
      const documents = await source.documents.list();
      expect(report).toEqual({
        documents: 3,
        units: documents.reduce((sum, record) => sum + record.unitCount, 0),
        passages: documents.reduce((sum, record) => sum + record.chunkCount, 0),
        tables: 2,
        tableRows: 5,
        sessions: 2,
        exchanges: 3,
        settings: 2,
      });
      expect(progress.filter((step) => step.stage === "documents").map((step) => step.done)).toEqual([1, 2, 3]);
      expect(progress.at(-1)).toEqual({ stage: "verifying", done: 1, total: 1 });

      const copied = await target.documents.list();
      expect(copied.map(({ id: _id, ingestedAt: _at, ...rest }) => rest)).toEqual(documents.map(({ id: _id, ingestedAt: _at, ...rest }) => rest));
      for (const [index, record] of documents.entries()) {
        expect(await target.documents.chunks(copied[index]!.id)).toEqual(await source.documents.chunks(record.id));
        expect((await target.documents.unitTexts([copied[index]!.id])).get(copied[index]!.id)).toEqual((await source.documents.unitTexts([record.id])).get(record.id));
      }
      const terms = [{ phrase: ["foster"], weight: 1 }, { phrase: ["Misterton"], weight: 1 }, { phrase: ["55.2%"], weight: 1 }];
      const strip = (hits: { chunkId: number; documentId: number }[]) => hits.map(({ chunkId: _c, documentId: _d, ...rest }) => rest);
      expect(strip(await target.passages.searchText({ terms, limit: 20 }))).toEqual(strip(await source.passages.searchText({ terms, limit: 20 })));
      expect(await target.passages.documentFrequencies(["foster", "looked after"])).toEqual(await source.passages.documentFrequencies(["foster", "looked after"]));
      const tables = await target.tables.list();
      expect(tables.map((table) => [table.sheet, table.rowCount])).toEqual([["Homes", 3], ["Totals", 2]]);
      expect(await target.tables.rows(tables[0]!.id)).toEqual(sampleDataTable(3).rows);
      expect(await target.sessions.list()).toEqual(await source.sessions.list());
      expect(await target.sessions.get("board")).toEqual(await source.sessions.get("board"));
      expect(await target.settings.get(profile)).toEqual({ name: "Lumen Way Homes", locations: ["Nottinghamshire"] });
      expect(await target.settings.list()).toEqual(await source.settings.list());

      // A second copy into the now-full library is refused before anything is written.
      await expect(copyLibrary(source, target)).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/already holds a library \(3 documents, 2 sessions, 2 settings\)/) });
    } finally {
      await target.close();
    }
  });

  it("names what differs when the copy does not match", async () => {
    const target = await openPostgresStore({ url: database.url, workspaceId: "lossy" });
    try {
      // A target that silently drops each document's last passage.
      const documents = target.documents;
      const lossy: Store = {
        kind: target.kind,
        location: target.location,
        documents: {
          findByHash: (hash) => documents.findByHash(hash),
          findByPath: (path) => documents.findByPath(path),
          replace: (document, units, chunks, tables) => documents.replace(document, units, chunks.slice(0, -1), tables),
          list: () => documents.list(),
          get: (id) => documents.get(id),
          remove: (id) => documents.remove(id),
          unitTexts: (ids) => documents.unitTexts(ids),
          chunks: (id) => documents.chunks(id),
          checkIntegrity: () => documents.checkIntegrity(),
        },
        passages: target.passages,
        tables: target.tables,
        sessions: target.sessions,
        settings: target.settings,
        version: () => target.version(),
        close: () => target.close(),
      };
      await expect(copyLibrary(source, lossy)).rejects.toMatchObject({
        code: "STORE_FAILED",
        message: expect.stringMatching(/differs from .*Cambridgeshire Placement Strategy 2011-2015\.txt: chunkCount 217 in the source, 216 in the copy.*passages in the source/),
      });
    } finally {
      await target.close();
    }
  });
});
