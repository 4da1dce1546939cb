import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { HearthError } from "../errors/hearth-error.ts";
import { latestSchemaVersion, migrate, migrations } from "./sqlite-migrations.ts";
import { buildMatchExpression, databaseFileName, openSqliteStore } from "./sqlite-store.ts";
import type { SqliteStore } from "./sqlite-store.ts";
import { cambridgeshire, describeStoreContract, oddQueryWords, somerset } from "./store-contract.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";

const temporaryDirectories: string[] = [];

function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), "hearth-store-"));
  temporaryDirectories.push(directory);
  return directory;
}

afterAll(() => {
  for (const directory of temporaryDirectories) rmSync(directory, { recursive: true, force: true });
});

describeStoreContract("SQLite in memory", async () => openSqliteStore({ path: ":memory:" }));
describeStoreContract(
  "SQLite file",
  async () => openSqliteStore({ dataDir: join(temporaryDirectory(), "nested", "library") }),
  // A second connection on the same file, as a second CLI process would have.
  async (store) => openSqliteStore({ path: store.location }),
);

function expectStoreFailure(action: () => unknown, message: RegExp): void {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(HearthError);
    expect((error as HearthError).code).toBe("STORE_FAILED");
    expect((error as HearthError).message).toMatch(message);
    return;
  }
  expect.fail("expected a STORE_FAILED error");
}

describe.skipIf(withoutCorpus())("openSqliteStore", () => {
  it("creates the folder and hearth.db with WAL, foreign keys and a busy timeout", async () => {
    const dataDir = join(temporaryDirectory(), "a", "b");
    const store = openSqliteStore({ dataDir });
    expect(store.kind).toBe("sqlite");
    expect(store.location).toBe(join(dataDir, databaseFileName));
    expect(existsSync(join(dataDir, databaseFileName))).toBe(true);
    // The file keeps WAL mode and the schema version; a second connection reads them. (Foreign keys show in the
    // contract's cascades; the busy timeout in "lets two connections share one library".)
    const database = new Database(join(dataDir, databaseFileName), { readonly: true });
    expect(database.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(database.pragma("user_version", { simple: true })).toBe(latestSchemaVersion);
    database.close();
    await store.close();
    await store.close();
  });

  it("re-opens an existing library without migrating again and keeps its data", async () => {
    const dataDir = temporaryDirectory();
    const sample = cambridgeshire();
    const first = openSqliteStore({ dataDir });
    const record = await first.documents.replace(sample.document, sample.units, sample.chunks);
    await first.close();
    for (let round = 0; round < 3; round += 1) {
      const again = openSqliteStore({ dataDir });
      expect(await again.documents.list()).toEqual([record]);
      expect((await again.documents.checkIntegrity()).ok).toBe(true);
      await again.close();
    }
    // migrate() on a current database applies nothing.
    const database = new Database(join(dataDir, databaseFileName));
    expect(migrate(database, "test")).toBe(latestSchemaVersion);
    database.close();
  });

  it("applies later migrations in order, in one transaction", async () => {
    const database = new Database(":memory:");
    const extra = [
      ...migrations,
      { version: latestSchemaVersion + 2, description: "second", sql: "ALTER TABLE probe ADD COLUMN b TEXT;" },
      { version: latestSchemaVersion + 1, description: "first", sql: "CREATE TABLE probe (a TEXT);" },
    ];
    expect(migrate(database, "test", extra)).toBe(latestSchemaVersion + 2);
    expect(database.prepare("SELECT name FROM pragma_table_info('probe')").pluck().all()).toEqual(["a", "b"]);
    // A failing step rolls back every step of that run, version included.
    const failing = [...extra, { version: latestSchemaVersion + 3, description: "ok", sql: "CREATE TABLE later (x);" }, { version: latestSchemaVersion + 4, description: "bad", sql: "NOT SQL" }];
    expect(() => migrate(database, "test", failing)).toThrow();
    expect(database.pragma("user_version", { simple: true })).toBe(latestSchemaVersion + 2);
    expect(database.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'later'").pluck().get()).toBe(0);
    database.close();
  });

  it("lets two connections share one library", async () => {
    const dataDir = temporaryDirectory();
    const writer = openSqliteStore({ dataDir });
    const reader = openSqliteStore({ dataDir });
    const first = cambridgeshire();
    const record = await writer.documents.replace(first.document, first.units, first.chunks);
    expect(await reader.documents.list()).toEqual([record]);
    expect(await reader.passages.searchText({ terms: [{ phrase: ["£2,278"], weight: 1 }], limit: 5 })).toHaveLength(1);
    const second = somerset();
    await reader.documents.replace(second.document, second.units, second.chunks);
    expect(await writer.documents.list()).toHaveLength(2);
    await writer.close();
    await reader.close();
  });

  it("refuses a library written by a newer Hearth", async () => {
    const dataDir = temporaryDirectory();
    await openSqliteStore({ dataDir }).close();
    const database = new Database(join(dataDir, databaseFileName));
    database.pragma(`user_version = ${latestSchemaVersion + 1}`);
    database.close();
    expectStoreFailure(() => openSqliteStore({ dataDir }), /hearth\.db: library schema version \d+ is newer than this Hearth supports/);
  });

  it("refuses a file that is not a database, naming it", async () => {
    const dataDir = temporaryDirectory();
    writeFileSync(join(dataDir, databaseFileName), "this is not an SQLite database, just some text that is long enough".repeat(20));
    expectStoreFailure(() => openSqliteStore({ dataDir }), /hearth\.db: cannot open the library database/);
  });

  it("refuses a data folder it cannot create", async () => {
    const blocker = join(temporaryDirectory(), "file");
    writeFileSync(blocker, "x");
    expectStoreFailure(() => openSqliteStore({ dataDir: join(blocker, "library") }), /cannot create the library folder/);
  });
});

describe.skipIf(withoutCorpus())("SQLite store internals", () => {
  /** A file library holding two documents, and a second raw connection to it for damaging it behind the store's back. */
  async function filledStore(): Promise<{ store: SqliteStore; database: Database.Database }> {
    const dataDir = temporaryDirectory();
    const store = openSqliteStore({ dataDir });
    for (const sample of [cambridgeshire(), somerset()]) await store.documents.replace(sample.document, sample.units, sample.chunks);
    expect((await store.documents.checkIntegrity()).ok).toBe(true);
    const database = new Database(join(dataDir, databaseFileName));
    database.pragma("busy_timeout = 5000");
    return { store, database };
  }

  it("builds MATCH expressions of quoted phrases only", async () => {
    expect(buildMatchExpression([{ phrase: ["£2,278"], weight: 1 }, { phrase: ["55.2%"], weight: 1 }])).toBe('"2 278" OR "55 2"');
    expect(buildMatchExpression([{ phrase: ["NEAR(a", "b)", "AND"], weight: 1 }])).toBe('"near a b and"');
    expect(buildMatchExpression([{ phrase: ['"', "*"], weight: 1 }, { phrase: [], weight: 1 }])).toBeNull();
    expect(buildMatchExpression([{ phrase: ["Foster"], weight: 1 }, { phrase: ["foster"], weight: 2 }])).toBe('"foster"');
    for (const words of oddQueryWords) {
      const expression = buildMatchExpression([{ phrase: words, weight: 1 }]);
      if (expression !== null) expect(expression).toMatch(/^"[^"]+"$/);
    }
  });

  it("reports passages deleted behind the store's back", async () => {
    const { store, database } = await filledStore();
    database.prepare("DELETE FROM chunks WHERE id = (SELECT max(id) FROM chunks)").run();
    const report = await store.documents.checkIntegrity();
    expect(report.ok).toBe(false);
    expect(report.problems.join("\n")).toMatch(/expected \d+ passages, found \d+/);
    database.close();
    await store.close();
  });

  it("reports a full-text index out of step with the passages", async () => {
    const { store, database } = await filledStore();
    database.prepare("INSERT INTO chunks_fts (rowid, text, context) VALUES (999999, 'ghost passage', '')").run();
    const report = await store.documents.checkIntegrity();
    expect(report.ok).toBe(false);
    expect(report.problems.join("\n")).toMatch(/full-text index/);
    database.close();
    await store.close();
  });

  it("reports orphaned passages and units", async () => {
    const { store, database } = await filledStore();
    database.pragma("foreign_keys = OFF");
    database.prepare("DELETE FROM documents WHERE id = (SELECT min(id) FROM documents)").run();
    const report = await store.documents.checkIntegrity();
    expect(report.ok).toBe(false);
    expect(report.problems.join("\n")).toMatch(/passages belong to no document/);
    expect(report.problems.join("\n")).toMatch(/units belong to no document/);
    database.close();
    await store.close();
  });

  it("keeps the full-text index in step when documents cascade away", async () => {
    const { store, database } = await filledStore();
    for (const document of await store.documents.list()) await store.documents.remove(document.id);
    expect(database.prepare("SELECT count(*) FROM chunks_vocab").pluck().get()).toBe(0);
    expect(await store.documents.checkIntegrity()).toEqual({ ok: true, problems: [], documents: 0, chunks: 0 });
    database.close();
    await store.close();
  });

  it("writes thousands of passages and searches them (printing the timings)", async () => {
    const store = openSqliteStore({ dataDir: temporaryDirectory() });
    const sample = cambridgeshire();
    // ~5,000 passages: copies of the real document under different paths.
    const copies = Math.ceil(5000 / sample.chunks.length);
    const started = performance.now();
    for (let copy = 0; copy < copies; copy += 1) {
      await store.documents.replace(
        { ...sample.document, sourcePath: `/library/copy-${copy}.txt`, fileName: `copy-${copy}.txt`, contentHash: `${sample.document.contentHash}-${copy}` },
        sample.units,
        sample.chunks,
      );
    }
    const insertMilliseconds = performance.now() - started;
    const chunkCount = (await store.passages.statistics()).chunkCount;
    expect(chunkCount).toBe(copies * sample.chunks.length);
    const queries = [
      [{ phrase: ["foster"], weight: 1 }, { phrase: ["residential"], weight: 1 }],
      [{ phrase: ["£2,278"], weight: 1 }],
      [{ phrase: ["looked", "after", "children"], weight: 1 }, { phrase: ["placement"], weight: 1 }, { phrase: ["cost"], weight: 1 }],
    ];
    const searchStarted = performance.now();
    const rounds = 20;
    for (let round = 0; round < rounds; round += 1) {
      for (const terms of queries) expect((await store.passages.searchText({ terms, limit: 50 })).length).toBeGreaterThan(0);
    }
    const searchMilliseconds = (performance.now() - searchStarted) / (rounds * queries.length);
    console.log(
      `SQLite store: inserted ${chunkCount} passages in ${insertMilliseconds.toFixed(0)} ms ` +
        `(${Math.round(chunkCount / (insertMilliseconds / 1000))} passages/s); searchText mean ${searchMilliseconds.toFixed(2)} ms`,
    );
    // Speed is measured in npm run bench (docs/benchmarks.md), not asserted here.
    expect((await store.documents.checkIntegrity()).ok).toBe(true);
    await store.close();
  });
});
