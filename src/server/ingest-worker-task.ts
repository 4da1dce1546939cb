/**
 * What an ingest worker thread does: the same ingest job code as `hearth worker` (src/ingest/ingest-job.ts), against
 * its own connection to the workspace's library (SQLite WAL lets the server's connection read beside it), so that
 * extraction (PDF text, spreadsheets, OCR) never holds the server's event loop. The result goes back as plain data.
 */
import type { HearthConfig } from "../config/config.ts";
import type { IngestJobPayload, IngestJobResult } from "../ingest/ingest-job.ts";
import { runIngestJob } from "../ingest/ingest-job.ts";
import { workerLibrary } from "./worker-stores.ts";

export interface IngestRequest {
  config: HearthConfig;
  workspaceId: string;
  payload: IngestJobPayload;
  bytes: Uint8Array;
}

export type IngestReply = IngestJobResult;

export async function runIngest(request: IngestRequest): Promise<IngestReply> {
  const library = await workerLibrary(request.config, request.workspaceId);
  return runIngestJob(library.store, request.config, request.payload, request.bytes, library.folder);
}
