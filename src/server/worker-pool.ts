/**
 * The server's worker-thread pools (piscina), set up one way: the one worker script (server-worker.mjs) that runs a
 * named task, a bounded queue, no inherited Node flags, and a lower priority than the event loop. Used by the
 * ingest pool and the answer pool.
 */
import { Piscina } from "piscina";
import type { ErrorCode } from "../errors/hearth-error.ts";
import { HearthError } from "../errors/hearth-error.ts";

export interface WorkerPoolOptions {
  /** The task server-worker.mjs runs ("ingest", "answer"). */
  name: string;
  threads: number;
  maxQueue: number;
  idleTimeoutMs: number;
}

/** The pools' piscina options (exported so that a test can hold a pool of this shape to first come, first served). */
export function workerPoolOptions({ name, threads, maxQueue, idleTimeoutMs }: WorkerPoolOptions) {
  return {
    filename: new URL("./server-worker.mjs", import.meta.url).href,
    name,
    minThreads: 0,
    maxThreads: threads,
    maxQueue,
    idleTimeout: idleTimeoutMs,
    // The worker loads its own TypeScript loader; the server's flags (a test runner's, say) are not its business,
    // except the profiler's (`node --cpu-prof bin/hearth serve`), so that a profile covers the answer threads too.
    execArgv: process.execArgv.filter((flag) => /^--(cpu|heap)-prof/.test(flag)),
    // Lower priority than the event loop (Linux, macOS): extraction and scoring wait a little, sign-ins and pages do not.
    niceIncrement: 10,
    // First come, first served. Piscina's default puts a queued task that finds every thread busy at the back of
    // the queue, so each finished task sent one waiting task behind all the others: under sustained load (40 users
    // on two servers) the questions so sent back waited about twice as long as the rest.
    stricterFIFO: true,
    // The pool's run- and wait-time histograms: nothing reads them.
    recordTiming: false,
  } satisfies ConstructorParameters<typeof Piscina>[0];
}

export function createWorkerPool<Request, Reply>(options: WorkerPoolOptions): Piscina<Request, Reply> {
  return new Piscina<Request, Reply>(workerPoolOptions(options));
}

/**
 * Starts every thread and loads its code now (hearth serve does, so that the first request does not wait); with
 * `request`, each thread's warm task is given it (the answer threads then also answer built-in questions, see
 * answer-warm-up.ts). Resolves to each thread's reply (undefined where it failed or `signal` stopped it: a running
 * warm task stopped so ends its thread).
 */
export async function warmWorkerPool(pool: Piscina, request?: unknown, signal?: AbortSignal): Promise<unknown[]> {
  return Promise.all(
    Array.from({ length: pool.options.maxThreads }, () => pool.run(request as never, { name: "warm", ...(signal ? { signal } : {}) }).catch(() => undefined)),
  );
}

/** True when the pool refused a task because its queue is full (the caller says "busy, try again"). */
export function isQueueFull(error: unknown): boolean {
  return error instanceof Error && /queue is at limit/i.test(error.message);
}

/** A worker's failure, sent back as plain data, as the typed error it was. */
export function errorFromWorker(error: { code: string; message: string; subject?: string | undefined }): HearthError {
  return new HearthError(error.code as ErrorCode, error.message, error.subject === undefined ? {} : { subject: error.subject });
}
