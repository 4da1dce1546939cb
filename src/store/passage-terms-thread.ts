/**
 * Counting a long document's passages per stem on another core while the writing thread inserts its rows: after a
 * long PDF's last page, the SQLite write is the main thread's largest serial step (~0.28 s for 506 pages, about half
 * of it tokenising and stemming), with the PDF page worker done and a core idle. The writer hands the passages to the
 * passage-terms worker before its transaction, inserts the document, units, passages and index rows, then takes the
 * counts (waiting, inside the transaction, only if the worker is not done) and saves them as it would its own. The
 * counts are `countPassageStems`, the same counter the writer runs itself (passage-terms.ts), so the store holds
 * exactly the same rows either way.
 *
 * Only the compiled build (dist/) has the worker: a worker cannot load the TypeScript sources without a loader. The
 * worker starts once ingest has loaded a long document (`startPassageTermsWorkerFor`, so its start-up overlaps the
 * chunking), else with the first write that needs it, and stays for later ones, never keeping the process alive.
 */
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { MessageChannel, Worker, receiveMessageOnPort } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import * as z from "zod";
import { packPassages } from "./passage-terms.ts";
import type { PackedPassages, StemCounts } from "./passage-terms.ts";

const settings = z
  .object({
    /** Documents with fewer passages are counted by the writer (the worker's start costs more than it saves). */
    fromPassages: z.number().int().nonnegative(),
    /**
     * A loaded document with this many characters of text will likely have `fromPassages` passages (the 506-page
     * benchmark PDF: 1.25 million characters, 2,145 passages): ingest starts the worker once it has loaded one, so
     * that the worker's start-up overlaps the chunking instead of the write.
     */
    startFromCharacters: z.number().int().nonnegative(),
    /**
     * How long the writer waits for a worker that has not started yet (its modules failed to load, or a busy machine
     * is slow to start a thread) before counting itself; the writer cannot see a failed start while it waits.
     */
    startMilliseconds: z.number().int().positive(),
    /** How long the writer waits for a started worker's counts before counting itself (a stuck worker). */
    waitMilliseconds: z.number().int().positive(),
  })
  .parse(JSON.parse(readFileSync(new URL("./passage-terms-thread.json", import.meta.url), "utf8")));

export interface PassageTermsRequest {
  id: number;
  passages: PackedPassages;
  /** Int32 0 is set to 1 once the reply has been posted. */
  done: SharedArrayBuffer;
}

export type PassageTermsReply = { id: number; ok: true; counts: StemCounts } | { id: number; ok: false; error: string };

export const passageTermsWorkerUrl = import.meta.url.endsWith(".js") ? new URL("./passage-terms-worker.js", import.meta.url) : null;

interface PassageTermsThread {
  worker: Worker;
  replies: MessagePort;
  /** Int32 0 is set to 1 by the worker once its modules are loaded and it listens. */
  started: Int32Array;
  lastId: number;
}

/** What the worker is given at its start. */
export interface PassageTermsWorkerData {
  replies: MessagePort;
  started: SharedArrayBuffer;
}

/** The worker once started; null once it failed (the writer then counts itself, as in the sources). */
let thread: PassageTermsThread | null | undefined;

function startThread(url: URL): PassageTermsThread | null {
  try {
    // A worker whose file is missing would fail only once this thread waits for it: not started at all.
    if (!existsSync(url)) return null;
    const channel = new MessageChannel();
    const started = new SharedArrayBuffer(4);
    const worker = new Worker(url, {
      workerData: { replies: channel.port2, started } satisfies PassageTermsWorkerData,
      transferList: [channel.port2],
      // The worker is plain compiled JavaScript: flags for the parent's own code (`--input-type=module -e`, a loader)
      // would stop it starting; only profiling flags travel, as in the answer threads.
      execArgv: process.execArgv.filter((flag) => /^--(cpu|heap)-prof/.test(flag)),
    });
    worker.unref();
    channel.port1.unref();
    const running: PassageTermsThread = { worker, replies: channel.port1, started: new Int32Array(started), lastId: 0 };
    const failed = (): void => {
      if (thread === running) thread = null;
    };
    worker.once("error", failed);
    worker.once("exit", failed);
    return running;
  } catch {
    return null;
  }
}

function usable(url: URL | null): url is URL {
  return url !== null && thread !== null && availableParallelism() >= 2;
}

/**
 * Starts the worker ahead of a write of a document with `characters` characters of text, when that many make the
 * worker worth it and there is one to start; the write then finds it ready. Returns whether a worker is running.
 */
export function startPassageTermsWorkerFor(characters: number, url: URL | null = passageTermsWorkerUrl): boolean {
  if (!usable(url) || characters < settings.startFromCharacters) return false;
  thread ??= startThread(url);
  return thread !== null;
}

/** Counts handed to the worker, to be taken (once) inside the write. */
export interface PendingStemCounts {
  /** The counts, waiting for the worker if need be; null when it failed or took too long (count them yourself). */
  take(): StemCounts | null;
}

/**
 * Hands these passages to the passage-terms worker when they are enough to be worth it and there is a worker (the
 * compiled build, a second core); null otherwise (the caller counts them itself).
 */
export function countPassageStemsInWorker(
  passages: Array<{ text: string; context: string }>,
  url: URL | null = passageTermsWorkerUrl,
): PendingStemCounts | null {
  if (!usable(url) || passages.length < settings.fromPassages) return null;
  thread ??= startThread(url);
  const current = thread;
  if (current === null) return null;
  const id = ++current.lastId;
  const done = new SharedArrayBuffer(4);
  try {
    current.worker.postMessage({ id, passages: packPassages(passages), done } satisfies PassageTermsRequest);
  } catch {
    return null;
  }
  return {
    take: () => {
      const notStarted = Atomics.wait(current.started, 0, 0, settings.startMilliseconds) === "timed-out";
      if (notStarted || Atomics.wait(new Int32Array(done), 0, 0, settings.waitMilliseconds) === "timed-out") {
        // A worker that does not start or answer in time is not asked again in this process.
        if (thread === current) thread = null;
        void current.worker.terminate();
        return null;
      }
      // Replies to earlier requests whose write failed before taking them are passed over.
      for (let received = receiveMessageOnPort(current.replies); received !== undefined; received = receiveMessageOnPort(current.replies)) {
        const reply = received.message as PassageTermsReply;
        if (reply.id === id) return reply.ok ? reply.counts : null;
      }
      return null;
    },
  };
}
