/**
 * Starting the PDF page worker (pdf-page-worker.ts) and talking to it, including the one place that owns an *early*
 * worker: `hearth ingest big.pdf` starts it at process start (bin/hearth, before the CLI's modules load and the store
 * opens), so MuPDF's instantiation in the worker and its opening of the document (~0.2-0.3 s) overlap the main
 * thread's start-up instead of following it; the loader then takes it (`takeEarlyPageWorker`) when it loads that file,
 * or starts one itself as before when there is none. Only Node built-ins are imported here, and the command-line
 * reader (which imports nothing): bin/hearth loads this file on its own, before everything else.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { commandWords } from "../config/command-line.ts";
import type { PageWorkerReply, PageWorkerRequest } from "./pdf-page-worker.ts";

/**
 * A file this large is very likely long enough for the worker (the corpus runs 4-35 KB a page; 80 pages of that are
 * 0.3-2.8 MB), so the worker starts before this thread opens the document (opening a long PDF, repairing its
 * cross-reference table, takes ~0.15 s): its own start-up and open then overlap this thread's. Smaller files start
 * it once the page count says so. At 1 MB, a 32-page 1.7 MB file took 534-712 ms instead of 376-449 ms on a busy
 * machine: a worker that begins taking pages of a short file costs more than it saves.
 */
export const earlyWorkerBytes = 4 * 1024 * 1024;
/** Only the compiled build (dist/) has a worker: a worker cannot load the TypeScript sources without a loader. */
export const pageWorkerUrl = import.meta.url.endsWith(".js") ? new URL("./pdf-page-worker.js", import.meta.url) : null;

/**
 * The memory both threads share: Int32 0 counts pages taken, Int32 1 says the worker has begun taking pages (see
 * claimPages), and Float64 1 (bytes 8-15) holds the deadline in epoch milliseconds (Infinity until the loader, which
 * knows the configured timeout, sets it: an early worker starts before the configuration is read).
 */
export function sharedPageCounter(): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(16);
  new Float64Array(buffer, 8, 1)[0] = Number.POSITIVE_INFINITY;
  return buffer;
}

/** A started page worker and its replies, kept in order from its start (none is lost before anyone asks). */
export interface PageWorkerThread {
  worker: Worker;
  counter: SharedArrayBuffer;
  /** The next reply; null once the worker has ended (failed or exited). */
  next(): Promise<PageWorkerReply | null>;
}

/**
 * The bytes in memory both threads share: the same pages, where a plain array would be serialised into the message
 * and copied out again in the worker (two copies of a long PDF, ~4,000 fresh pages of memory for a 7.6 MB file).
 */
export function sharedBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  shared.set(bytes);
  return shared;
}

/** A file's bytes read straight into shared memory (see sharedBytes). */
function readShared(path: string): Uint8Array {
  const descriptor = openSync(path, "r");
  try {
    const bytes = new Uint8Array(new SharedArrayBuffer(fstatSync(descriptor).size));
    let read = 0;
    while (read < bytes.length) {
      const count = readSync(descriptor, bytes, read, bytes.length - read, read);
      if (count === 0) return bytes.subarray(0, read); // shorter than its size said: changed while read
      read += count;
    }
    return bytes;
  } finally {
    closeSync(descriptor);
  }
}

export function spawnPageWorker(request: PageWorkerRequest, url: URL): PageWorkerThread {
  const worker = new Worker(url, { workerData: { ...request, bytes: sharedBytes(request.bytes) } satisfies PageWorkerRequest });
  const replies: PageWorkerReply[] = [];
  const waiting: Array<(reply: PageWorkerReply | null) => void> = [];
  let ended = false;
  worker.on("message", (reply: PageWorkerReply) => {
    const resolve = waiting.shift();
    if (resolve) resolve(reply);
    else replies.push(reply);
  });
  const end = (): void => {
    ended = true;
    for (const resolve of waiting.splice(0)) resolve(null);
  };
  worker.once("error", end);
  worker.once("exit", end);
  return {
    worker,
    counter: request.counter,
    next: () => {
      const reply = replies.shift();
      if (reply !== undefined) return Promise.resolve(reply);
      if (ended) return Promise.resolve(null);
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}

interface EarlyPageWorker {
  path: string;
  bytes: Uint8Array;
  thread: PageWorkerThread;
}

/**
 * Kept on the global object, not in a module variable: bin/hearth loads this file unbundled while the CLI runs a
 * bundle holding its own copy of it, and both must see the same worker.
 */
const earlyKey = Symbol.for("hearth.early-pdf-page-worker");
type EarlyHolder = { [earlyKey]?: EarlyPageWorker };

/**
 * The file `hearth ingest` will load first when it is a PDF long enough for the worker: the first path after the
 * command word `ingest`, when it names a file ending in .pdf of at least `earlyWorkerBytes`. Null otherwise (another
 * command, a folder, a short or other file: those start no early worker).
 */
export function earlyPdfOf(argv: readonly string[]): string | null {
  const [command, first] = commandWords(argv);
  if (command !== "ingest" || first === undefined || !first.toLowerCase().endsWith(".pdf")) return null;
  try {
    const info = statSync(first);
    return info.isFile() && info.size >= earlyWorkerBytes ? resolve(first) : null;
  } catch {
    return null;
  }
}

/**
 * Starts the page worker on the PDF that `hearth ingest` (argv) will load first, when there is one (see earlyPdfOf),
 * the build has a worker and the machine has a second core. Returns whether it started one. The worker does not keep
 * the process alive until the loader takes it (a run that never loads the file, e.g. unchanged, just ends).
 */
export function startEarlyPageWorker(argv: readonly string[], url: URL | null = pageWorkerUrl): boolean {
  if (url === null || availableParallelism() < 2) return false;
  const path = earlyPdfOf(argv);
  if (path === null) return false;
  try {
    const bytes = readShared(path);
    if (!Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).includes("%PDF-", 0, "latin1")) return false;
    const thread = spawnPageWorker({ bytes, counter: sharedPageCounter() }, url);
    thread.worker.unref();
    discardEarlyPageWorker();
    (globalThis as EarlyHolder)[earlyKey] = { path, bytes, thread };
    return true;
  } catch {
    return false; // the loader starts its own worker as before
  }
}

/**
 * The early worker, when it was started on this file (same path, same bytes: the loader's own read is what counts);
 * it is then the caller's, kept alive while it runs. An early worker started on another file is stopped.
 */
export function takeEarlyPageWorker(path: string, bytes: Uint8Array): PageWorkerThread | null {
  const holder = globalThis as EarlyHolder;
  const early = holder[earlyKey];
  if (early === undefined) return null;
  delete holder[earlyKey];
  if (early.path !== resolve(path) || !Buffer.from(early.bytes.buffer, early.bytes.byteOffset, early.bytes.byteLength).equals(bytes)) {
    void early.thread.worker.terminate();
    return null;
  }
  early.thread.worker.ref();
  return early.thread;
}

/** Stops an early worker nobody took (the file was unchanged, failed before loading, or was not loaded). */
export function discardEarlyPageWorker(): void {
  const holder = globalThis as EarlyHolder;
  const early = holder[earlyKey];
  delete holder[earlyKey];
  if (early !== undefined) void early.thread.worker.terminate();
}

/** Whether an early worker is waiting to be taken (for tests). */
export function earlyPageWorkerWaiting(): string | null {
  return (globalThis as EarlyHolder)[earlyKey]?.path ?? null;
}
