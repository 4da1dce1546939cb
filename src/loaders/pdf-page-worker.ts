/**
 * Worker thread for long PDFs: opens its own copy of the document and reads pages beside the loader's thread, from
 * the last page back while the loader's thread reads from the first, both counting the pages taken in shared memory
 * until they meet (claimPages), and finds each page's geometry as it reads it. It
 * keeps the pages and replies with what the loader needs of them (`PageRangeSummary`: page numbers, which pages are
 * scans, its share of the document's text statistics) and MuPDF's messages; then, given the whole document's
 * statistics, it lays out its pages and replies with their blocks. Reading, geometry and layout are so split across
 * two cores, and the pages never cross between threads.
 */
import { parentPort, workerData } from "node:worker_threads";
// Before "mupdf": hands MuPDF the object its WebAssembly module fills in (see mupdf-module.ts).
import "./mupdf-module.ts";
import * as mupdf from "mupdf";
import { describeError } from "../errors/hearth-error.ts";
import { textStatsPart } from "./pdf-layout.ts";
import type { DocumentTextStats, TextStatsPart } from "./pdf-layout.ts";
import { claimPages, collecting, layoutPages, looksScanned, readPages } from "./pdf-page-text.ts";
import type { PageLayout, PageRangeText } from "./pdf-page-text.ts";

export interface PageWorkerRequest {
  bytes: Uint8Array;
  /**
   * Pages taken so far, shared with the loader's thread (Int32 0), whether this thread has begun (Int32 1), and the
   * deadline (Float64 1; see sharedPageCounter in pdf-page-worker-thread.ts).
   */
  counter: SharedArrayBuffer;
}

/** What the loader needs of the pages the worker read, without the pages themselves. */
export interface PageRangeSummary {
  /** 1-based numbers of the pages read, each with whether it looks like a scan (OCR, no layout). */
  pages: Array<{ page: number; scanned: boolean }>;
  unreadable: number[];
  firstFailure: string;
  timedOut: boolean;
  stats: TextStatsPart;
}

export type PageWorkerReply =
  | { kind: "pages"; ok: true; result: PageRangeSummary; messages: string[] }
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
    const pageCount = collecting(messages, () => document.countPages());
    const counter = new Int32Array(request.counter, 0, 2);
    const deadline = new Float64Array(request.counter, 8, 1);
    // Said before the first page is taken: the loader's thread, finding no page left, waits for this thread only if
    // it has begun taking pages.
    Atomics.store(counter, 1, 1);
    // From the last page back, while the loader's thread reads from the first page on (see claimPages).
    result = await readPages(document, claimPages(counter, pageCount, "backward"), () => deadline[0] ?? Number.POSITIVE_INFINITY, messages);
  } finally {
    document.destroy();
  }
  const summary: PageRangeSummary = {
    pages: result.pages.map((page) => ({ page: page.page, scanned: looksScanned(page) })),
    unreadable: result.unreadable,
    firstFailure: result.firstFailure,
    timedOut: result.timedOut,
    stats: textStatsPart(result.pages),
  };
  port?.postMessage({ kind: "pages", ok: true, result: summary, messages } satisfies PageWorkerReply);
} catch (error) {
  port?.postMessage({ kind: "pages", ok: false, error: describeError(error), messages } satisfies PageWorkerReply);
}
const read = result;
port?.once("message", (command: PageWorkerCommand) => {
  if (command.kind === "layout" && read !== null) {
    port.postMessage({ kind: "layouts", layouts: layoutPages(read.pages, command.stats, read.geometries) } satisfies PageWorkerReply);
  }
  port.close();
});
