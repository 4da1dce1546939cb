/**
 * What an ingest worker thread does: the same `ingestFile` as the CLI, against its own connection to the
 * workspace's library (SQLite WAL lets the server's connection read beside it), so that extraction (PDF text,
 * spreadsheets, OCR) never holds the server's event loop. The outcome goes back as plain data.
 */
import type { HearthConfig } from "../config/config.ts";
import { ingestFile } from "../ingest/ingest.ts";
import { forgettingHashes } from "./forgetting-hashes.ts";
import { workerStore } from "./worker-stores.ts";

export interface IngestRequest {
  /** The workspace's library folder (holds hearth.db). */
  folder: string;
  path: string;
  config: HearthConfig;
  /** Re-ingest: read the file again even when its bytes are already in the library. */
  forgetHashes: boolean;
}

export type IngestReply =
  | { status: "ingested" | "unchanged"; path: string; fileName: string; documentId: number; replaced: boolean; milliseconds: number }
  | { status: "failed"; path: string; fileName: string; error: { code: string; message: string; subject?: string | undefined } };

export async function runIngest(request: IngestRequest): Promise<IngestReply> {
  const store = await workerStore(request.folder);
  const outcome = await ingestFile(request.path, { store: request.forgetHashes ? forgettingHashes(store) : store, config: request.config });
  if (outcome.status === "failed") {
    return { status: "failed", path: outcome.path, fileName: outcome.fileName, error: { code: outcome.error.code, message: outcome.error.message, subject: outcome.error.subject } };
  }
  return {
    status: outcome.status,
    path: outcome.path,
    fileName: outcome.fileName,
    documentId: outcome.document.id,
    replaced: outcome.status === "ingested" ? outcome.replaced : false,
    milliseconds: outcome.status === "ingested" ? outcome.milliseconds : 0,
  };
}
