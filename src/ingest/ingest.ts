/**
 * The ingest pipeline: walk paths, read each file once, identify it by content hash, load, chunk and write it to
 * the store in one transaction. One bad file never stops the batch; each gets one clear reason.
 */
import { createHash } from "node:crypto";
import { readFile, readdir, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { chunkDocument } from "../chunking/chunk.ts";
import { chunkingVersion } from "../chunking/chunking-version.ts";
import type { HearthConfig } from "../config/config.ts";
import { HearthError, describeError } from "../errors/hearth-error.ts";
import { joinContinuations } from "../loaders/join-continuations.ts";
import { removePageFurniture } from "../loaders/page-furniture.ts";
import { withoutReplacementCharacters } from "../loaders/unmappable-glyphs.ts";
import { recordDocumentIdentity } from "../identity/document-identity.ts";
import { describeContent, loaderForFile, supportedExtensions } from "../loaders/registry.ts";
import type { DocumentLoader, LoadedDocument } from "../loaders/types.ts";
import { chunkedBySetting } from "../store/content-settings.ts";
import { startPassageTermsWorkerFor } from "../store/passage-terms-thread.ts";
import type { DocumentRecord, Store } from "../store/types.ts";
import { documentsWithoutTables, saveTablesOf } from "../tables/backfill.ts";
import { dataTablesOf } from "../tables/infer-table.ts";

export type IngestOutcome =
  | {
      status: "ingested";
      path: string;
      fileName: string;
      document: DocumentRecord;
      replaced: boolean;
      /** The file was unchanged but read again: an older version of Hearth chunked it (src/chunking/chunking-version.ts). */
      rechunked: boolean;
      milliseconds: number;
    }
  | { status: "unchanged"; path: string; fileName: string; document: DocumentRecord }
  | { status: "failed"; path: string; fileName: string; error: HearthError };

export interface IngestEvents {
  /** Called once the file list is known. */
  onPlanned?(files: string[]): void;
  onStart?(path: string): void;
  onOutcome?(outcome: IngestOutcome): void;
  onWarning?(path: string, warning: string): void;
}

export interface IngestDependencies {
  store: Store;
  config: HearthConfig;
  loaders?: readonly DocumentLoader[];
}

export interface IngestSummary {
  outcomes: IngestOutcome[];
  ingested: number;
  unchanged: number;
  failed: number;
}

/** Expands folders recursively (sorted, hidden files skipped) into the files Hearth can read. */
export async function collectFiles(paths: string[]): Promise<{ files: string[]; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = async (directory: string): Promise<void> => {
    const entries = await readdir(directory, { withFileTypes: true });
    entries.sort((left, right) => left.name.localeCompare(right.name));
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const full = join(directory, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && loaderForFile(entry.name)) files.push(full);
    }
  };
  for (const path of paths) {
    const absolute = resolve(path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) missing.push(absolute);
    else if (info.isDirectory()) await walk(absolute);
    else files.push(absolute);
  }
  return { files, missing };
}

export async function ingestPaths(
  paths: string[],
  dependencies: IngestDependencies,
  events: IngestEvents = {},
): Promise<IngestSummary> {
  const { files, missing } = await collectFiles(paths);
  events.onPlanned?.([...files, ...missing]);
  const outcomes: IngestOutcome[] = [];
  const record = (outcome: IngestOutcome): void => {
    outcomes.push(outcome);
    events.onOutcome?.(outcome);
  };
  for (const path of missing) {
    record({
      status: "failed",
      path,
      fileName: basename(path),
      error: new HearthError("FILE_NOT_FOUND", `${basename(path)}: no such file or folder (${path})`, { subject: path }),
    });
  }
  for (const path of files) {
    events.onStart?.(path);
    record(await ingestFile(path, dependencies, events));
  }
  return {
    outcomes,
    ingested: outcomes.filter((outcome) => outcome.status === "ingested").length,
    unchanged: outcomes.filter((outcome) => outcome.status === "unchanged").length,
    failed: outcomes.filter((outcome) => outcome.status === "failed").length,
  };
}

// Kept by the store with the document, and deleted with it (src/store/content-settings.ts).
export { chunkedBySetting };

/** Whether the library's copy of these bytes was chunked by an older version of Hearth, so reads them again. */
export async function chunkedByOlderVersion(store: Store, contentHash: string): Promise<boolean> {
  return ((await store.settings.get(chunkedBySetting(contentHash))) ?? 1) < chunkingVersion;
}

/** The characters of a loaded document's text (headings, paragraphs, notes, table cells). */
function textCharacters(document: LoadedDocument): number {
  let characters = 0;
  for (const unit of document.units) {
    for (const block of unit.blocks) {
      if (block.kind === "table") {
        for (const row of block.rows) for (const cell of row) characters += cell.length;
      } else characters += block.text.length;
    }
  }
  return characters;
}

/**
 * Ingests one file. `content`, when given, is the file's bytes already in hand (a queued job's upload: the worker
 * may run on a machine where `path` does not exist); `path` is then only the name the document is recorded under.
 */
export async function ingestFile(
  path: string,
  dependencies: IngestDependencies,
  events: IngestEvents = {},
  content?: Uint8Array,
): Promise<IngestOutcome> {
  const { store, config } = dependencies;
  const fileName = basename(path);
  const started = performance.now();
  const failed = (error: HearthError): IngestOutcome => ({ status: "failed", path, fileName, error });
  try {
    const loader = loaderForFile(fileName, dependencies.loaders);
    if (!loader) {
      return failed(
        new HearthError(
          "UNSUPPORTED_FORMAT",
          `${fileName}: unsupported file type (Hearth reads ${supportedExtensions.join(", ")})`,
          { subject: path },
        ),
      );
    }
    const info = content ? { size: content.byteLength } : await stat(path);
    if (info.size === 0) return failed(new HearthError("FILE_EMPTY", `${fileName}: the file is empty`, { subject: path }));
    if (info.size > config.limits.maxFileBytes) {
      const limit = Math.round(config.limits.maxFileBytes / 1024 / 1024);
      return failed(
        new HearthError("FILE_TOO_LARGE", `${fileName}: ${Math.round(info.size / 1024 / 1024)} MB is over the ${limit} MB limit`, {
          subject: path,
        }),
      );
    }
    const bytes = content ?? new Uint8Array(await readFile(path));
    const contentHash = createHash("sha256").update(bytes).digest("hex");
    const known = await store.documents.findByHash(contentHash);
    // The same file at the same place, chunked by an older version of Hearth: read it again (once) for today's passages.
    const chunkedBefore = known !== undefined && known.sourcePath === path && (await chunkedByOlderVersion(store, contentHash));
    if (known && !chunkedBefore) {
      // A data set ingested before typed tables were kept gets them now (re-ingest is the backfill).
      if ((await documentsWithoutTables(store)).some((document) => document.id === known.id)) {
        const loaded = await loader.load(bytes, { path, fileName, limits: config.limits, ocr: config.ocr });
        if (loaded.ok) await saveTablesOf(store, known, loaded.value);
      }
      return { status: "unchanged", path, fileName, document: known };
    }

    if (!loader.sniff(bytes)) {
      return failed(
        new HearthError(
          "MISLABELLED_FILE",
          `${fileName}: named as ${loader.format.toUpperCase()} but the content is ${describeContent(bytes)}`,
          { subject: path },
        ),
      );
    }
    const loaded = await loader.load(bytes, {
      path,
      fileName,
      limits: config.limits,
      ocr: config.ocr,
    });
    if (!loaded.ok) return failed(loaded.error);
    for (const warning of loaded.value.warnings) events.onWarning?.(path, warning);
    // A long document's passages are counted per stem in the SQLite store's worker while the store writes their rows
    // (src/store/passage-terms-thread.ts); started now, the worker's start-up overlaps the chunking (the PDF page
    // worker is done by now: a core is free).
    if (store.kind === "sqlite") startPassageTermsWorkerFor(textCharacters(loaded.value));

    const { units, chunks } = chunkDocument(joinContinuations(removePageFurniture(withoutReplacementCharacters(loaded.value))));
    if (chunks.length === 0) {
      const reason = loaded.value.warnings[0] ?? "no readable text was found";
      return failed(new HearthError("NO_TEXT", reason.startsWith(fileName) ? reason : `${fileName}: ${reason}`, { subject: path }));
    }
    const replaced = (await store.documents.findByPath(path)).length > 0;
    const document = await store.documents.replace(
      {
        fileName,
        sourcePath: path,
        contentHash,
        format: loader.format,
        title: loaded.value.title,
        byteSize: info.size,
        warnings: loaded.value.warnings,
      },
      units,
      chunks,
      dataTablesOf(loaded.value),
    );
    await store.settings.set(chunkedBySetting(contentHash), chunkingVersion);
    // Who wrote it and which council it is about, read from its first pages (kept beside any `hearth tag`).
    await recordDocumentIdentity(store, document, units);
    return { status: "ingested", path, fileName, document, replaced, rechunked: chunkedBefore, milliseconds: performance.now() - started };
  } catch (error) {
    // Anything unexpected still becomes one line about this file; the batch goes on.
    const wrapped =
      error instanceof HearthError
        ? error
        : new HearthError("EXTRACT_FAILED", `${fileName}: could not be read (${describeError(error)})`, {
            subject: path,
            cause: error,
          });
    return failed(wrapped);
  }
}
