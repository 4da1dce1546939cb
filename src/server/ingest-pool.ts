/**
 * Ingestion off the event loop: uploads and re-ingests run `ingestFile` in worker threads (piscina), with a bounded
 * queue, so that a 500-page PDF or a large spreadsheet never delays sign-ins, answers or /api/health. Each
 * workspace's own queue (workspace-libraries.ts) still lets one ingest at a time write its library; the pool bounds
 * how many workspaces extract at once. The outcome is the same IngestOutcome the CLI gets, its document read back
 * through the server's own connection.
 */
import { availableParallelism } from "node:os";
import type { HearthConfig } from "../config/config.ts";
import { HearthError } from "../errors/hearth-error.ts";
import type { IngestOutcome } from "../ingest/ingest.ts";
import type { Store } from "../store/types.ts";
import type { IngestReply, IngestRequest } from "./ingest-worker-task.ts";
import { createWorkerPool, errorFromWorker, isQueueFull, warmWorkerPool } from "./worker-pool.ts";

export interface IngestPool {
  ingest(path: string, options: { folder: string; store: Store; config: HearthConfig; forgetHashes?: boolean }): Promise<IngestOutcome>;
  /** Ends the worker threads (after the tasks in hand). */
  close(): Promise<void>;
  /** Starts the threads and loads their code now (hearth serve does, so that the first request does not wait). */
  warm(): Promise<void>;
}

export interface IngestPoolOptions {
  /** Worker threads; default: one less than the cores, at most 2 (extraction is memory-hungry). */
  threads?: number;
  /** Files waiting for a thread beyond which new ones fail at once with "busy" rather than pile up. */
  maxQueue?: number;
}

export function createIngestPool({ threads = Math.max(1, Math.min(2, availableParallelism() - 1)), maxQueue = 200 }: IngestPoolOptions = {}): IngestPool {
  // Idle workers go after a minute: each holds a PDF engine and a SQLite connection per workspace.
  const pool = createWorkerPool<IngestRequest, IngestReply>({ name: "ingest", threads, maxQueue, idleTimeoutMs: 60_000 });

  return {
    async ingest(path, { folder, store, config, forgetHashes = false }) {
      let reply: IngestReply;
      try {
        reply = await pool.run({ folder, path, config, forgetHashes });
      } catch (error) {
        const message = isQueueFull(error) ? "the server is busy ingesting other files; upload this one again in a few minutes" : "extraction stopped unexpectedly";
        const fileName = path.split(/[\\/]/).at(-1) ?? path;
        return { status: "failed", path, fileName, error: new HearthError("EXTRACT_FAILED", `${fileName}: ${message}`, { subject: path, cause: error }) };
      }
      if (reply.status === "failed") {
        const error = errorFromWorker(reply.error);
        return { status: "failed", path: reply.path, fileName: reply.fileName, error };
      }
      const document = await store.documents.get(reply.documentId);
      if (!document) {
        const error = new HearthError("STORE_FAILED", `${reply.fileName}: ingested, but the library does not show it`, { subject: reply.path });
        return { status: "failed", path: reply.path, fileName: reply.fileName, error };
      }
      return reply.status === "ingested"
        ? { status: "ingested", path: reply.path, fileName: reply.fileName, document, replaced: reply.replaced, milliseconds: reply.milliseconds }
        : { status: "unchanged", path: reply.path, fileName: reply.fileName, document };
    },
    async close() {
      await pool.close();
    },
    warm: () => warmWorkerPool(pool),
  };
}
