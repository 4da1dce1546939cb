/**
 * Worker thread for long PDFs: opens its own copy of the document and reads a range of its pages, so a second core
 * extracts while the loader's thread reads the first half. Replies with a `PageRangeText` and MuPDF's messages.
 */
import { parentPort, workerData } from "node:worker_threads";
import * as mupdf from "mupdf";
import { describeError } from "../errors/hearth-error.ts";
import { collecting, readPages } from "./pdf-page-text.ts";

export interface PageWorkerRequest {
  bytes: Uint8Array;
  from: number;
  to: number;
  deadline: number;
}

const request = workerData as PageWorkerRequest;
const messages: string[] = [];
try {
  const document = collecting(messages, () => mupdf.Document.openDocument(request.bytes, "application/pdf"));
  try {
    const result = await readPages(document, request.from, request.to, request.deadline, messages);
    parentPort?.postMessage({ ok: true, result, messages });
  } finally {
    document.destroy();
  }
} catch (error) {
  parentPort?.postMessage({ ok: false, error: describeError(error), messages });
}
