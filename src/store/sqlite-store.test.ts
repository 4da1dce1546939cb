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

describeStoreContract("SQLite in memory", () => openSqliteStore({ path: ":memory:" }));
describeStoreContract("SQLite file", () => openSqliteStore({ dataDir: join(temporaryDirectory(), "nested", "library") }));

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
  it("creates the folder and hearth.db with WAL, foreign keys and a busy timeout", () => {
    const dataDir = join(temporaryDirectory(), "a", "b");
    const store = openSqliteStore({ dataDir });
    const database = store.databaseForTests();
    expect(existsSync(join(dataDir, databaseFileName))).toBe(true);
    expect(database.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(database.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(database.pragma("busy_timeout", { simple: true })).toBe(5000);
    expect(database.pragma("synchronous", { simple: true })).toBe(1);
    expect(database.pragma("user_version", { simple: true })).toBe(latestSchemaVersion);
    store.close();
    store.close();
  });

  it("re-opens an existing library without migrating again and keeps its data", () => {
    const dataDir = temporaryDirectory();
    const sample = cambridgeshire();
    const first = openSqliteStore({ dataDir });
    const record = first.replaceDocument(sample.document, sample.units, sample.chunks);
    first.close();
    for (let round = 0; round < 3; round += 1) {
      const again = openSqliteStore({ dataDir });
      expect(again.databaseForTests().pragma("user_version", { simple: true })).toBe(latestSchemaVersion);
      expect(again.listDocuments()).toEqual([record]);
      expect(again.checkIntegrity().ok).toBe(true);
      again.close();
    }
    // migrate() on a current database applies nothing.
    const database = new Database(join(dataDir, databaseFileName));
    expect(migrate(database, "test")).toBe(latestSchemaVersion);
    database.close();
  });

  it("applies later migrations in order, in one transaction", () => {
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

  it("lets two connections share one library", () => {
    const dataDir = temporaryDirectory();
    const writer = openSqliteStore({ dataDir });
    const reader = openSqliteStore({ dataDir });
    const first = cambridgeshire();
    const record = writer.replaceDocument(first.document, first.units, first.chunks);
    expect(reader.listDocuments()).toEqual([record]);
    expect(reader.searchText({ terms: [{ phrase: ["£2,278"], weight: 1 }], limit: 5 })).toHaveLength(1);
    const second = somerset();
    reader.replaceDocument(second.document, second.units, second.chunks);
    expect(writer.listDocuments()).toHaveLength(2);
    writer.close();
    reader.close();
  });

  it("refuses a library written by a newer Hearth", () => {
    const dataDir = temporaryDirectory();
    openSqliteStore({ dataDir }).close();
    const database = new Database(join(dataDir, databaseFileName));
    database.pragma(`user_version = ${latestSchemaVersion + 1}`);
    database.close();
    expectStoreFailure(() => openSqliteStore({ dataDir }), /hearth\.db: library schema version \d+ is newer than this Hearth supports/);
  });

  it("refuses a file that is not a database, naming it", () => {
    const dataDir = temporaryDirectory();
    writeFileSync(join(dataDir, databaseFileName), "this is not an SQLite database, just some text that is long enough".repeat(20));
    expectStoreFailure(() => openSqliteStore({ dataDir }), /hearth\.db: cannot open the library database/);
  });

  it("refuses a data folder it cannot create", () => {
    const blocker = join(temporaryDirectory(), "file");
    writeFileSync(blocker, "x");
    expectStoreFailure(() => openSqliteStore({ dataDir: join(blocker, "library") }), /cannot create the library folder/);
  });
});

describe.skipIf(withoutCorpus())("SQLite store internals", () => {
  function filledStore(): SqliteStore {
    const store = openSqliteStore({ path: ":memory:" });
    for (const sample of [cambridgeshire(), somerset()]) store.replaceDocument(sample.document, sample.units, sample.chunks);
    expect(store.checkIntegrity().ok).toBe(true);
    return store;
  }

  it("builds MATCH expressions of quoted phrases only", () => {
    expect(buildMatchExpression([{ phrase: ["£2,278"], weight: 1 }, { phrase: ["55.2%"], weight: 1 }])).toBe('"2 278" OR "55 2"');
    expect(buildMatchExpression([{ phrase: ["NEAR(a", "b)", "AND"], weight: 1 }])).toBe('"near a b and"');
    expect(buildMatchExpression([{ phrase: ['"', "*"], weight: 1 }, { phrase: [], weight: 1 }])).toBeNull();
    expect(buildMatchExpression([{ phrase: ["Foster"], weight: 1 }, { phrase: ["foster"], weight: 2 }])).toBe('"foster"');
    for (const words of oddQueryWords) {
      const expression = buildMatchExpression([{ phrase: words, weight: 1 }]);
      if (expression !== null) expect(expression).toMatch(/^"[^"]+"$/);
    }
  });

  it("reports passages deleted behind the store's back", () => {
    const store = filledStore();
    const database = store.databaseForTests();
    database.prepare("DELETE FROM chunks WHERE id = (SELECT max(id) FROM chunks)").run();
    const report = store.checkIntegrity();
    expect(report.ok).toBe(false);
    expect(report.problems.join("\n")).toMatch(/expected \d+ passages, found \d+/);
    store.close();
  });

  it("reports a full-text index out of step with the passages", () => {
    const store = filledStore();
    const database = store.databaseForTests();
    database.prepare("INSERT INTO chunks_fts (rowid, text, context) VALUES (999999, 'ghost passage', '')").run();
    const report = store.checkIntegrity();
    expect(report.ok).toBe(false);
    expect(report.problems.join("\n")).toMatch(/full-text index/);
    store.close();
  });

  it("reports orphaned passages and units", () => {
    const store = filledStore();
    const database = store.databaseForTests();
    database.pragma("foreign_keys = OFF");
    database.prepare("DELETE FROM documents WHERE id = (SELECT min(id) FROM documents)").run();
    const report = store.checkIntegrity();
    expect(report.ok).toBe(false);
    expect(report.problems.join("\n")).toMatch(/passages belong to no document/);
    expect(report.problems.join("\n")).toMatch(/units belong to no document/);
    store.close();
  });

  it("keeps the full-text index in step when documents cascade away", () => {
    const store = filledStore();
    const database = store.databaseForTests();
    for (const document of store.listDocuments()) store.removeDocument(document.id);
    expect(database.prepare("SELECT count(*) FROM chunks_vocab").pluck().get()).toBe(0);
    expect(store.checkIntegrity()).toEqual({ ok: true, problems: [], documents: 0, chunks: 0 });
    store.close();
  });

  it("writes thousands of passages and searches them (printing the timings)", () => {
    const store = openSqliteStore({ dataDir: temporaryDirectory() });
    const sample = cambridgeshire();
    // ~5,000 passages: copies of the real document under different paths.
    const copies = Math.ceil(5000 / sample.chunks.length);
    const started = performance.now();
    for (let copy = 0; copy < copies; copy += 1) {
      store.replaceDocument(
        { ...sample.document, sourcePath: `/library/copy-${copy}.txt`, fileName: `copy-${copy}.txt`, contentHash: `${sample.document.contentHash}-${copy}` },
        sample.units,
        sample.chunks,
      );
    }
    const insertMilliseconds = performance.now() - started;
    const chunkCount = store.statistics().chunkCount;
    expect(chunkCount).toBe(copies * sample.chunks.length);
    const queries = [
      [{ phrase: ["foster"], weight: 1 }, { phrase: ["residential"], weight: 1 }],
      [{ phrase: ["£2,278"], weight: 1 }],
      [{ phrase: ["looked", "after", "children"], weight: 1 }, { phrase: ["placement"], weight: 1 }, { phrase: ["cost"], weight: 1 }],
    ];
    const searchStarted = performance.now();
    const rounds = 20;
    for (let round = 0; round < rounds; round += 1) {
      for (const terms of queries) expect(store.searchText({ terms, limit: 50 }).length).toBeGreaterThan(0);
    }
    const searchMilliseconds = (performance.now() - searchStarted) / (rounds * queries.length);
    console.log(
      `SQLite store: inserted ${chunkCount} passages in ${insertMilliseconds.toFixed(0)} ms ` +
        `(${Math.round(chunkCount / (insertMilliseconds / 1000))} passages/s); searchText mean ${searchMilliseconds.toFixed(2)} ms`,
    );
    // Speed is measured in npm run bench (docs/benchmarks.md), not asserted here.
    expect(store.checkIntegrity().ok).toBe(true);
    store.close();
  });
});
