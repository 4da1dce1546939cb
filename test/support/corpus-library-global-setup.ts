/**
 * Vitest global set-up: a folder for this run's shared corpus library (test/support/corpus-library.ts), handed to
 * every test file through `inject("corpusLibraryFolder")` and removed when the run ends. The first test file that
 * needs the library ingests it there; the others wait for it and copy it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** An empty folder, one per `vitest run`, where the corpus library is ingested once. */
    corpusLibraryFolder: string;
  }
}

export default function setup(project: TestProject): () => void {
  const folder = mkdtempSync(join(tmpdir(), "hearth-corpus-library-"));
  project.provide("corpusLibraryFolder", folder);
  return () => rmSync(folder, { recursive: true, force: true });
}
