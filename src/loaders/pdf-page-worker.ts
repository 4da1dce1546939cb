/**
 * Worker thread for long PDFs: opens its own copy of the document and reads pages beside the loader's thread, each
 * taking the next unread page from a counter in shared memory. It replies with the pages it read (`PageRangeText`)
 * and MuPDF's messages; then, given the whole document's text statistics, it lays out those pages too and replies
 * with their blocks, so both the reading and the layout are split across two cores.
 */
import { parentPort, workerData } from "node:worker_threads";
import * as mupdf from "mupdf";
import { describeError } from "../errors/hearth-error.ts";
import type { DocumentTextStats } from "./pdf-layout.ts";
import { claimPages, collecting, layoutPages, readPages } from "./pdf-page-text.ts";
import type { PageLayout, PageRangeText } from "./pdf-page-text.ts";

export interface PageWorkerRequest {
  bytes: Uint8Array;
  pageCount: number;
  /** Next page index to read, shared with the loader's thread (one Int32). */
  counter: SharedArrayBuffer;
  deadline: number;
}

export type PageWorkerReply =
  | { kind: "pages"; ok: true; result: PageRangeText; messages: string[] }
  | { kind: "pages"; ok: false; error: string; messages: string[] }
  | { kind: "layouts"; layouts: PageLayout[] };

/** What the loader sends once it has every page: the statistics to lay out with, or nothing more to do. */
export type PageWorkerCommand = { kind: "layout"; stats: DocumentTextStats } | { kind: "stop" };

const request = workerData as PageWorkerRequest;
const port = parentPort;
const messages: string[] = [];
let result: PageRangeText | null = null;
try {
  const document = collecting(messages, () => mupdf.Document.openDocument(request.bytes, "application/pdf"));
  try {
    result = await readPages(document, claimPages(new Int32Array(request.counter), request.pageCount), request.deadline, messages);
  } finally {
    document.destroy();
  }
  port?.postMessage({ kind: "pages", ok: true, result, messages } satisfies PageWorkerReply);
} catch (error) {
  port?.postMessage({ kind: "pages", ok: false, error: describeError(error), messages } satisfies PageWorkerReply);
}
const pages = result?.pages ?? [];
port?.once("message", (command: PageWorkerCommand) => {
  if (command.kind === "layout") port.postMessage({ kind: "layouts", layouts: layoutPages(pages, command.stats) } satisfies PageWorkerReply);
  port.close();
});
