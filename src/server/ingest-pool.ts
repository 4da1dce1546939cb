/**
 * Ingestion off the event loop: the server's consumer of the job queue (ingest-consumer.ts) runs each claimed job's
 * work (src/ingest/ingest-job.ts, the same code as `hearth worker`) in worker threads (piscina), so that a 500-page
 * PDF or a large spreadsheet never delays sign-ins, answers or /api/health. The pool bounds how many jobs extract
 * at once; the queue lets one job at a time write a workspace's library.
 */
import { availableParallelism } from "node:os";
import type { IngestJobResult } from "../ingest/ingest-job.ts";
import type { IngestReply, IngestRequest } from "./ingest-worker-task.ts";
import { createWorkerPool, warmWorkerPool } from "./worker-pool.ts";

export interface IngestPool {
  /** Threads, i.e. how many jobs may run at once. */
  readonly threads: number;
  /** Runs one job's work in a thread; rejects when the thread fails (the job is then retried). */
  run(request: IngestRequest): Promise<IngestJobResult>;
  /** Ends the worker threads (after the tasks in hand). */
  close(): Promise<void>;
  /** Starts the threads and loads their code now (hearth serve does, so that the first request does not wait). */
  warm(): Promise<void>;
}

export interface IngestPoolOptions {
  /** Worker threads; default: one less than the cores, at most 2 (extraction is memory-hungry). */
  threads?: number;
  /** Tasks waiting for a thread beyond which new ones are refused (the consumer never queues more than `threads`). */
  maxQueue?: number;
}

export function createIngestPool({ threads = Math.max(1, Math.min(2, availableParallelism() - 1)), maxQueue = 200 }: IngestPoolOptions = {}): IngestPool {
  // Idle workers go after a minute: each holds a PDF engine and a SQLite connection per workspace.
  const pool = createWorkerPool<IngestRequest, IngestReply>({ name: "ingest", threads, maxQueue, idleTimeoutMs: 60_000 });
  return {
    threads,
    run: (request) => pool.run(request),
    async close() {
      await pool.close();
    },
    async warm() {
      await warmWorkerPool(pool);
    },
  };
}
