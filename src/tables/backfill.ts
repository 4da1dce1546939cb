/**
 * Libraries ingested before tables were kept: a data set (CSV, XLSX) stored without typed tables gets them from
 * its original file, when that file is still where it was ingested from and has the same bytes. Re-ingesting the
 * file (`hearth ingest`) does the same. A file that moved or changed is left alone: its passages still answer.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { isDataSetFormat } from "../loaders/data-set-format.ts";
import { defaultLoadLimits } from "../loaders/types.ts";
import type { LoadedDocument } from "../loaders/types.ts";
import { libraryDocuments } from "../store/library-documents.ts";
import type { DocumentRecord, Store } from "../store/types.ts";
import { dataTablesOf } from "./infer-table.ts";

/** Documents already tried in this process, so a file that cannot be read is not read again on every question. */
const tried = new WeakMap<Store, Set<number>>();

/** The library version each store was last checked at: the check runs before every question, the work only after a change. */
const checkedAt = new WeakMap<Store, number>();

/** Data-set documents with no typed tables yet. */
export async function documentsWithoutTables(store: Store): Promise<DocumentRecord[]> {
  const withTables = new Set((await store.tables.list()).map((table) => table.documentId));
  return (await libraryDocuments(store)).filter((document) => isDataSetFormat(document.format) && !withTables.has(document.id));
}

/** Stores the typed tables of an already loaded data set (used by ingest for an unchanged file). */
export async function saveTablesOf(store: Store, document: DocumentRecord, loaded: LoadedDocument): Promise<number> {
  const tables = dataTablesOf(loaded);
  if (tables.length > 0) await store.tables.replace(document.id, tables);
  return tables.length;
}

async function loadOriginal(document: DocumentRecord): Promise<LoadedDocument | null> {
  // The loaders (MuPDF among them) load only when a data set lacks its tables: not on every question.
  const { loaderForFile } = await import("../loaders/registry.ts");
  const loader = loaderForFile(document.fileName);
  if (!loader) return null;
  try {
    if (statSync(document.sourcePath).size !== document.byteSize) return null;
    const bytes = new Uint8Array(readFileSync(document.sourcePath));
    if (createHash("sha256").update(bytes).digest("hex") !== document.contentHash) return null;
    const loaded = await loader.load(bytes, {
      path: document.sourcePath,
      fileName: document.fileName,
      limits: defaultLoadLimits,
      ocr: { enabled: false, command: "tesseract", language: "eng" },
    });
    return loaded.ok ? loaded.value : null;
  } catch {
    // The original is gone or unreadable: the document keeps answering from its passages.
    return null;
  }
}

/** Builds missing typed tables from the originals; returns how many documents gained tables. */
export async function backfillDataTables(store: Store): Promise<number> {
  // One version read per question; the document and table lists only when the library changed since the last check.
  const version = await store.version();
  if (checkedAt.get(store) === version) return 0;
  const seen = tried.get(store) ?? new Set<number>();
  tried.set(store, seen);
  let filled = 0;
  for (const document of await documentsWithoutTables(store)) {
    if (seen.has(document.id)) continue;
    seen.add(document.id);
    const loaded = await loadOriginal(document);
    if (loaded && (await saveTablesOf(store, document, loaded)) > 0) filled += 1;
  }
  // The version read before the check: tables written here move it, so the next question checks once more (and
  // finds every document tried).
  checkedAt.set(store, version);
  return filled;
}
