/**
 * For tests over a small library made on the spot: files written into a new temporary folder and ingested, as
 * `hearth ingest <folder>` would (sorted, real loaders and chunking), into an in-memory SQLite store. `close()`
 * closes the store and deletes the folder. OCR is off: the files are text, CSV or PDFs with a text layer.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { HearthConfig } from "../../src/config/config.ts";
import { loadConfig } from "../../src/config/config.ts";
import type { IngestSummary } from "../../src/ingest/ingest.ts";
import { ingestPaths } from "../../src/ingest/ingest.ts";
import type { SqliteStore } from "../../src/store/sqlite-store.ts";
import { openSqliteStore } from "../../src/store/sqlite-store.ts";

export interface SmallLibrary {
  /** The temporary folder holding the files. */
  folder: string;
  store: SqliteStore;
  /** The configuration the files were ingested with (data folder inside `folder`, hidden from the ingest). */
  config: HearthConfig;
  /** What the ingest reported, one outcome a file. */
  summary: IngestSummary;
  /** Where a file of the library was written. */
  path(name: string): string;
  close(): Promise<void>;
}

/**
 * Writes `files` (file name, or a path relative to the folder, to its text or bytes) and ingests them. `prefix`
 * names the temporary folder, for finding a left-over one.
 */
export async function ingestSmallLibrary(files: Record<string, string | Uint8Array>, { prefix = "hearth-library-" }: { prefix?: string } = {}): Promise<SmallLibrary> {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  const path = (name: string): string => join(folder, name);
  try {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(path(name)), { recursive: true });
      writeFileSync(path(name), content);
    }
    const loaded = loadConfig({ HEARTH_OCR: "off" } as NodeJS.ProcessEnv, { dataDir: path(".data") });
    if (!loaded.ok) throw loaded.error;
    const store = openSqliteStore({ path: ":memory:" });
    const summary = await ingestPaths([folder], { store, config: loaded.value });
    return {
      folder,
      store,
      config: loaded.value,
      summary,
      path,
      async close() {
        await store.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}
