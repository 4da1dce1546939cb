/**
 * What only the PostgreSQL store has to prove: statements cannot forget the workspace, two workspaces in one
 * database never see each other's rows, a write killed midway leaves the previous version, concurrent writers keep
 * the stem counts exact, and migrations run once however many stores open.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import * as z from "zod";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../../test/support/postgres.ts";
import { withoutCorpus } from "../../../test/support/corpus.ts";
import { cambridgeshire, nottinghamshireExcerpt, sampleDataTable, somerset } from "../store-contract.ts";
import type { Chunk, UnitText } from "../../chunking/types.ts";
import type { Store } from "../types.ts";
import { acquirePostgresPool, releasePostgresPool } from "./postgres-connection.ts";
import { openPostgresStore } from "./postgres-store.ts";
import { libraryMigrations } from "./postgres-library-schema.ts";
import { WorkspaceQueries, workspaceBindingProblem } from "./workspace-queries.ts";

const phrase = (...words: string[]) => ({ phrase: words, weight: 1 });
const profile = { key: "profile", schema: z.object({ name: z.string() }) };

describe("WorkspaceQueries refuses SQL that is not bound to the workspace", () => {
  it.each([
    "SELECT id FROM library_documents",
    "SELECT id FROM library_documents WHERE content_hash = $1",
    "SELECT id FROM library_documents WHERE workspace_id = $10",
    "SELECT c.id FROM library_chunks c JOIN library_documents d ON d.id = c.document_id WHERE c.workspace_id = $1",
    "SELECT count(*) FROM library_chunks WHERE workspace_id = $1 AND id IN (SELECT chunk_id FROM library_vectors)",
    "DELETE FROM library_sessions WHERE name = $2",
    "UPDATE library_settings SET value = $2 WHERE key = $3",
    "INSERT INTO library_settings (key, workspace_id, value) VALUES ($2, $1, $3)",
    "SELECT now()",
  ])("refuses %s", (sql) => {
    expect(workspaceBindingProblem(sql)).not.toBeNull();
  });

  it.each([
    "SELECT id FROM library_documents WHERE workspace_id = $1 AND id = $2",
    "SELECT c.id FROM library_chunks c JOIN library_documents d ON d.workspace_id = c.workspace_id AND d.id = c.document_id WHERE c.workspace_id = $1",
    "INSERT INTO library_settings (workspace_id, key, value) VALUES ($1, $2, $3)",
  ])("accepts %s", (sql) => {
    expect(workspaceBindingProblem(sql)).toBeNull();
  });

  it("refuses a statement every time it is sent, not only the first (verdicts are kept per statement text)", async () => {
    // No server is needed: a refused statement never reaches the pool.
    const queries = new WorkspaceQueries({} as never, "refusals");
    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(queries.query("SELECT count(*) FROM library_documents")).rejects.toMatchObject({ code: "STORE_FAILED" });
    }
  });
});

describe.skipIf(withoutPostgres() || withoutCorpus())("PostgreSQL store: workspaces, transactions, concurrency, migrations", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it("never sends a statement without the workspace to the server", async () => {
    const store = await openPostgresStore({ url: database.url, workspaceId: "refusals" });
    const pool = await acquirePostgresPool(database.url);
    try {
      const queries = new WorkspaceQueries(pool, "refusals");
      await expect(queries.query("SELECT count(*) FROM library_documents")).rejects.toMatchObject({
        code: "STORE_FAILED",
        message: expect.stringMatching(/not bound to the workspace: it does not filter on workspace_id = \$1/),
      });
      const bound = await queries.query<{ n: string }>("SELECT count(*) AS n FROM library_documents WHERE workspace_id = $1");
      expect(bound.rows[0]?.n).toBe("0");
    } finally {
      await releasePostgresPool(database.url);
      await store.close();
    }
  });

  it("keeps two workspaces in one database apart: documents, search, counts, statistics, tables, sessions, settings", async () => {
    const first = await openPostgresStore({ url: database.url, workspaceId: "provider-a" });
    const second = await openPostgresStore({ url: database.url, workspaceId: "provider-b" });
    try {
      // The same file in both (content-hash identity is per workspace), and one more in the second.
      const shared = somerset();
      const own = cambridgeshire();
      const inFirst = await first.documents.replace(shared.document, shared.units, shared.chunks, [sampleDataTable(3)]);
      const inSecond = await second.documents.replace(shared.document, shared.units, shared.chunks, [sampleDataTable(2)]);
      const secondOwn = await second.documents.replace(own.document, own.units, own.chunks);
      expect(inSecond.id).not.toBe(inFirst.id);

      expect((await first.documents.list()).map((document) => document.id)).toEqual([inFirst.id]);
      expect((await second.documents.list()).map((document) => document.id).sort()).toEqual([inSecond.id, secondOwn.id].sort());
      expect(await first.documents.get(secondOwn.id)).toBeUndefined();
      expect(await first.documents.findByHash(own.document.contentHash)).toBeUndefined();
      expect((await first.documents.findByHash(shared.document.contentHash))?.id).toBe(inFirst.id);
      expect((await first.documents.unitTexts([secondOwn.id])).get(secondOwn.id)).toEqual([]);
      expect(await first.documents.chunks(secondOwn.id)).toEqual([]);
      expect(await first.documents.remove(secondOwn.id)).toBe(false);

      const everything = [phrase("children"), phrase("foster"), phrase("Misterton")];
      const firstHits = await first.passages.searchText({ terms: everything, limit: 10_000 });
      expect(firstHits.length).toBeGreaterThan(0);
      expect(firstHits.every((hit) => hit.documentId === inFirst.id)).toBe(true);
      expect(await first.passages.searchText({ terms: [phrase("£2,278")], limit: 10 })).toEqual([]);
      expect(await first.passages.searchText({ terms: everything, limit: 10, documentIds: [secondOwn.id] })).toEqual([]);
      const secondIds = (await second.passages.searchText({ terms: [phrase("£2,278")], limit: 10 })).map((hit) => hit.chunkId);
      expect(secondIds.length).toBeGreaterThan(0);
      expect(await first.passages.getPassages(secondIds)).toEqual([]);

      const words = ["cambridgeshire", "foster", "£2,278", "looked after", "somerset"];
      const firstCounts = await first.passages.documentFrequencies(words);
      const naming = shared.chunks.filter((chunk) => /cambridgeshire/i.test(chunk.text)).length;
      expect(firstCounts.get("cambridgeshire")).toBe(naming);
      expect(firstCounts.get("£2,278")).toBe(0);
      expect(firstCounts.get("somerset")).toBe(shared.chunks.length);
      expect((await second.passages.documentFrequencies(words)).get("cambridgeshire")).toBe(own.chunks.length + naming);
      expect((await first.passages.statistics()).chunkCount).toBe(shared.chunks.length);
      expect((await second.passages.statistics()).chunkCount).toBe(shared.chunks.length + own.chunks.length);
      // The same passage scores by its own workspace's statistics (IDF differs with the library around it).
      const firstScore = (await first.passages.searchText({ terms: [phrase("Misterton")], limit: 1 }))[0]!.score;
      const secondScore = (await second.passages.searchText({ terms: [phrase("Misterton")], limit: 1 }))[0]!.score;
      expect(firstScore).not.toBeCloseTo(secondScore, 6);

      const secondTables = await second.tables.list();
      expect((await first.tables.list()).map((table) => table.rowCount)).toEqual([3]);
      expect(secondTables.map((table) => table.rowCount)).toEqual([2]);
      expect(await first.tables.get(secondTables[0]!.id)).toBeUndefined();
      expect(await first.tables.rows(secondTables[0]!.id)).toEqual([]);
      await expect(first.tables.replace(secondOwn.id, [])).rejects.toThrow(/not in the library/);

      const exchange = { askedAt: "2026-11-23T10:00:00.000Z", answer: { question: "Q?", answer: "A.", citations: [], mode: "extractive" as const, refused: false } };
      await first.sessions.addExchange("board", exchange);
      await second.sessions.addExchange("board", exchange);
      await second.sessions.addExchange("board", { ...exchange, askedAt: "2026-11-23T11:00:00.000Z" });
      expect((await first.sessions.list()).map((summary) => summary.exchangeCount)).toEqual([1]);
      expect((await second.sessions.get("board"))?.exchanges).toHaveLength(2);
      expect(await first.sessions.remove("board")).toBe(true);
      expect(await second.sessions.get("board")).toBeDefined();

      await first.settings.set(profile, { name: "A" });
      expect(await second.settings.get(profile)).toBeUndefined();
      await second.settings.set(profile, { name: "B" });
      expect(await first.settings.get(profile)).toEqual({ name: "A" });
      expect(await second.settings.list()).toEqual([{ key: "profile", value: { name: "B" } }]);

      // Removing the shared file from one workspace leaves the other's copy, counts and integrity whole.
      expect(await first.documents.remove(inFirst.id)).toBe(true);
      expect(await second.documents.get(inSecond.id)).toEqual(inSecond);
      expect((await second.passages.documentFrequencies(["somerset"])).get("somerset")).toBe(shared.chunks.length);
      expect(await first.documents.checkIntegrity()).toEqual({ ok: true, problems: [], documents: 0, chunks: 0 });
      expect(await second.documents.checkIntegrity()).toMatchObject({ ok: true, documents: 2, chunks: shared.chunks.length + own.chunks.length });
    } finally {
      await first.close();
      await second.close();
    }
  });

  it("leaves the previous version when the connection is killed in the middle of a large replace", async () => {
    const store = await openPostgresStore({ url: database.url, workspaceId: "killed" });
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const original = nottinghamshireExcerpt();
      const kept = await store.documents.replace(original.document, original.units, original.chunks);
      // A new version with many passages: enough INSERT batches to be caught in the middle.
      const big = cambridgeshire(original.document.sourcePath);
      const units: UnitText[] = [];
      const chunks: Chunk[] = [];
      for (let copy = 0; copy < 60; copy += 1) {
        for (const unit of big.units) units.push({ ...unit, index: units.length });
        for (const chunk of big.chunks) chunks.push({ ...chunk, ordinal: chunks.length });
      }
      const writing = store.documents.replace(big.document, units, chunks).then(
        () => "committed",
        (error: unknown) => error,
      );
      let killed = false;
      for (let attempt = 0; attempt < 400 && !killed; attempt += 1) {
        const result = await admin.query<{ killed: boolean }>(
          `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'INSERT INTO library_chunks%' AND state = 'active'`,
        );
        killed = result.rows.some((row) => row.killed);
        if (!killed) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(killed).toBe(true);
      const outcome = await writing;
      expect(outcome).toMatchObject({ code: "STORE_FAILED", message: expect.stringMatching(/Cambridgeshire.*could not save/) });
      expect(await store.documents.list()).toEqual([kept]);
      expect((await store.passages.searchText({ terms: [phrase("55.2%")], limit: 5 })).map((hit) => hit.documentId)).toEqual([kept.id]);
      expect((await store.passages.documentFrequencies(["cambridgeshire"])).get("cambridgeshire")).toBe(0);
      expect(await store.documents.checkIntegrity()).toEqual({ ok: true, problems: [], documents: 1, chunks: original.chunks.length });
      // The pool replaced the dead connection: the store keeps working.
      const replaced = await store.documents.replace(big.document, big.units, big.chunks);
      expect(await store.documents.list()).toEqual([replaced]);
    } finally {
      await admin.end();
      await store.close();
    }
  });

  it("keeps counts exact when different documents are replaced at once", async () => {
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore({ url: database.url, workspaceId: "concurrent" })));
    try {
      const samples = [cambridgeshire(), somerset(), nottinghamshireExcerpt()];
      const versions = samples.flatMap((sample, index) =>
        [0, 1].map((copy) => ({ ...sample, document: { ...sample.document, sourcePath: `/library/${index}-${copy}`, contentHash: `${index}-${copy}`.padEnd(64, "0") } })),
      );
      await Promise.all(versions.map((sample, index) => stores[index % stores.length]!.documents.replace(sample.document, sample.units, sample.chunks)));
      const store = stores[0]!;
      const total = versions.reduce((sum, sample) => sum + sample.chunks.length, 0);
      expect(await store.documents.checkIntegrity()).toEqual({ ok: true, problems: [], documents: versions.length, chunks: total });
      expect((await store.passages.statistics()).chunkCount).toBe(total);
      expect((await store.passages.documentFrequencies(["somerset"])).get("somerset")).toBe(2 * samples[1]!.chunks.length);
      // Replacing and removing at once, too.
      const listed = await store.documents.list();
      await Promise.all([
        ...listed.slice(0, 3).map((record, index) => stores[index]!.documents.remove(record.id)),
        ...versions.slice(0, 3).map((sample, index) => stores[index]!.documents.replace({ ...sample.document, contentHash: `again-${index}`.padEnd(64, "0") }, sample.units, sample.chunks)),
      ]);
      expect((await store.documents.checkIntegrity()).ok).toBe(true);

      // The same file dropped into two folders at once: both writes succeed and one copy is kept.
      const same = somerset();
      const written = await Promise.all(
        stores.map((writer, index) => writer.documents.replace({ ...same.document, sourcePath: `/drop/${index}` }, same.units, same.chunks)),
      );
      const kept = await store.documents.findByHash(same.document.contentHash);
      expect(written.map((record) => record.contentHash)).toEqual(stores.map(() => same.document.contentHash));
      expect(kept === undefined ? [] : [kept.id]).toHaveLength(1);
      expect((await store.documents.checkIntegrity()).ok).toBe(true);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it("reports stem counts, statistics and passage counts that no longer match the passages", async () => {
    const store = await openPostgresStore({ url: database.url, workspaceId: "damaged" });
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const sample = somerset();
      const record = await store.documents.replace(sample.document, sample.units, sample.chunks);
      expect((await store.documents.checkIntegrity()).ok).toBe(true);
      await admin.query("UPDATE library_stems SET passages = passages + 1 WHERE workspace_id = 'damaged' AND stem = 'somerset'");
      await admin.query("UPDATE library_statistics SET chunk_count = chunk_count - 1 WHERE workspace_id = 'damaged'");
      await admin.query("DELETE FROM library_chunks WHERE workspace_id = 'damaged' AND document_id = $1 AND ordinal = 0", [record.id]);
      const report = await store.documents.checkIntegrity();
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual(
        expect.arrayContaining([
          `${sample.document.fileName} (document ${record.id}): expected ${sample.chunks.length} passages, found ${sample.chunks.length - 1}`,
          expect.stringMatching(/^stem "somerset": counted in \d+ passages, found in \d+$/),
          expect.stringMatching(/^library statistics record/),
        ]),
      );
    } finally {
      await admin.end();
      await store.close();
    }
  });

  it("migrates once however many stores open, and keeps the library across opens", async () => {
    const opened = await Promise.all(["m1", "m2", "m3"].map((workspaceId) => openPostgresStore({ url: database.url, workspaceId })));
    const sample = somerset();
    const record = await opened[0]!.documents.replace(sample.document, sample.units, sample.chunks);
    await Promise.all(opened.map((store) => store.close()));
    const again: Store = await openPostgresStore({ url: database.url, workspaceId: "m1" });
    try {
      expect(await again.documents.list()).toEqual([record]);
      const pool = await acquirePostgresPool(database.url);
      try {
        const applied = await pool.query("SELECT component, version FROM hearth_schema_migrations WHERE component LIKE 'library%' ORDER BY component, version");
        expect(applied.rows.filter((row: { component: string }) => row.component === "library")).toEqual(
          libraryMigrations.map((migration) => ({ component: "library", version: migration.version })),
        );
      } finally {
        await releasePostgresPool(database.url);
      }
    } finally {
      await again.close();
    }
    await expect(openPostgresStore({ url: database.url, workspaceId: "no spaces allowed" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});
