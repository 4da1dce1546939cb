/**
 * The sample corpus's library/ and real/ folders ingested once per `vitest run` and shared: several test files need
 * that library (document identity, the home templates, the PDF characters check), and each ingesting it again cost
 * ~15 s of CPU. The first file that asks ingests it into the run's folder (test/support/corpus-library-global-setup.ts)
 * under a lock; the others wait for it; each gets its own copy, so a file may write to its library freely. Run
 * outside that set-up (no folder provided), a file ingests a library of its own.
 *
 * The library is what `ingestPaths([corpus("library"), corpus("real")])` gives with the default configuration (as
 * the files did themselves): same documents, same order, same passages.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { inject } from "vitest";
import { loadConfig } from "../../src/config/config.ts";
import { ingestPaths } from "../../src/ingest/ingest.ts";
import { openSqliteStore } from "../../src/store/sqlite-store.ts";
import type { SqliteStore } from "../../src/store/sqlite-store.ts";
import { corpus } from "./corpus.ts";

/** The folders in the shared library, in ingest order. */
export const corpusLibraryFolders = ["library", "real"] as const;
const waitLimitMs = 600_000;

async function ingestInto(dataDir: string): Promise<void> {
  const config = loadConfig({}, { dataDir: "/nonexistent-hearth-test" });
  if (!config.ok) throw config.error;
  const store = openSqliteStore({ dataDir });
  try {
    const summary = await ingestPaths(
      corpusLibraryFolders.map((folder) => corpus(folder)),
      { store, config: config.value },
    );
    if (summary.failed > 0 || summary.ingested < 20) {
      const failures = summary.outcomes.filter((outcome) => outcome.status === "failed").map((outcome) => outcome.fileName);
      throw new Error(`the shared corpus library: ${summary.ingested} ingested, ${summary.failed} failed (${failures.join(", ")})`);
    }
  } finally {
    await store.close();
  }
}

/** The folder holding the ingested library (`hearth.db`), built by this process or another. */
async function readyLibrary(): Promise<string> {
  let shared: string | undefined;
  try {
    shared = inject("corpusLibraryFolder");
  } catch {
    shared = undefined;
  }
  if (!shared) {
    const own = mkdtempSync(join(tmpdir(), "hearth-corpus-library-"));
    await ingestInto(own);
    return own;
  }
  const ready = join(shared, "ready");
  const failed = join(shared, "failed");
  try {
    mkdirSync(join(shared, "lock"));
  } catch {
    // Another test file is ingesting it: wait for the outcome.
    const started = Date.now();
    while (!existsSync(ready)) {
      if (existsSync(failed)) throw new Error(readFileSync(failed, "utf8"));
      if (Date.now() - started > waitLimitMs) throw new Error(`the shared corpus library in ${shared} was not ready after ${waitLimitMs / 1000} s`);
      await sleep(200);
    }
    return ready;
  }
  const building = join(shared, "building");
  try {
    await ingestInto(building);
  } catch (error) {
    writeFileSync(failed, error instanceof Error ? (error.stack ?? error.message) : String(error));
    throw error;
  }
  renameSync(building, ready);
  return ready;
}

/** A data folder of its own holding a copy of the shared corpus library (library/ and real/). */
export async function copyOfCorpusLibrary(): Promise<string> {
  const source = await readyLibrary();
  const copy = mkdtempSync(join(tmpdir(), "hearth-library-copy-"));
  cpSync(source, copy, { recursive: true });
  return copy;
}

/** Opens a copy of the shared corpus library; `remove` deletes the copy once the store is closed. */
export async function openCorpusLibraryCopy(): Promise<{ store: SqliteStore; dataDir: string; remove(): void }> {
  const dataDir = await copyOfCorpusLibrary();
  return { store: openSqliteStore({ dataDir }), dataDir, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}
