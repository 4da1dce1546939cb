/**
 * Worker thread that counts a document's passages per stem (`countPassageStems`) while the writing thread inserts
 * the document's rows (passage-terms-thread.ts). It replies on the port it was given, then raises the request's flag,
 * so the writer, which waits inside its transaction, can take the reply synchronously.
 */
import { parentPort, workerData } from "node:worker_threads";
import { countPassageStems, unpackPassages } from "./passage-terms.ts";
import type { PassageTermsReply, PassageTermsRequest, PassageTermsWorkerData } from "./passage-terms-thread.ts";

const { replies, started } = workerData as PassageTermsWorkerData;

parentPort?.on("message", (request: PassageTermsRequest) => {
  let reply: PassageTermsReply;
  try {
    reply = { id: request.id, ok: true, counts: countPassageStems(unpackPassages(request.passages)) };
  } catch (error) {
    reply = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  replies.postMessage(reply);
  const done = new Int32Array(request.done);
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
});

// Said once this module runs (its imports loaded): the writer waits only so long for a worker that has not started.
const startedFlag = new Int32Array(started);
Atomics.store(startedFlag, 0, 1);
Atomics.notify(startedFlag, 0);
