/**
 * Reading pages of an open MuPDF document into plain `PdfPageText` (lines with boxes and fonts), and laying them out
 * once the whole document's text statistics are known. Shared by the PDF loader and its worker thread
 * (pdf-page-worker.ts), which reads and lays out part of a long PDF's pages in parallel.
 */
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import * as mupdf from "mupdf";
import { describeError } from "../errors/hearth-error.ts";
import { layoutPage, pageTextFromJson } from "./pdf-layout.ts";
import type { DocumentTextStats, PdfPageText } from "./pdf-layout.ts";
import type { ContentBlock } from "./types.ts";

/** MuPDF's own warnings (broken xref, missing fonts) go to the load that caused them, not to stderr. */
let mupdfMessages: string[] | null = null;
mupdf.setLog({
  error: (message) => mupdfMessages?.push(message),
  warning: (message) => mupdfMessages?.push(message),
});

/** Runs a synchronous MuPDF call, collecting the messages it logs. */
export function collecting<T>(messages: string[], action: () => T): T {
  mupdfMessages = messages;
  try {
    return action();
  } finally {
    mupdfMessages = null;
  }
}

export function readPage(document: mupdf.Document, index: number): PdfPageText {
  const page = document.loadPage(index);
  try {
    const [x0, y0, x1, y1] = page.getBounds();
    const text = page.toStructuredText("preserve-whitespace,preserve-images");
    try {
      return pageTextFromJson(text.asJSON(), index + 1, x1 - x0, y1 - y0);
    } finally {
      text.destroy();
    }
  } finally {
    page.destroy();
  }
}

export interface PageRangeText {
  pages: PdfPageText[];
  /** 1-based numbers of pages MuPDF could not read. */
  unreadable: number[];
  firstFailure: string;
  timedOut: boolean;
}

/**
 * Reads the pages `nextIndex` hands out (0-based; undefined when none is left), stopping at the deadline. Two threads
 * reading one long PDF share a page counter (`claimPages`), so each takes the next unread page when it is free and
 * neither waits for the other at the end.
 */
export async function readPages(document: mupdf.Document, nextIndex: () => number | undefined, deadline: number, messages: string[]): Promise<PageRangeText> {
  const result: PageRangeText = { pages: [], unreadable: [], firstFailure: "", timedOut: false };
  let read = 0;
  for (let index = nextIndex(); index !== undefined; index = nextIndex()) {
    if (Date.now() > deadline) {
      result.timedOut = true;
      break;
    }
    // MuPDF is synchronous; let other work (progress output, other requests, the worker's reply) run now and then.
    if (read > 0 && read % 25 === 0) await yieldToEventLoop();
    read++;
    try {
      result.pages.push(collecting(messages, () => readPage(document, index)));
    } catch (error) {
      result.unreadable.push(index + 1);
      result.firstFailure ||= describeError(error);
    }
  }
  return result;
}

/** Hands out page indices 0 to pageCount - 1 from a counter in shared memory (`Int32Array` over a SharedArrayBuffer). */
export function claimPages(counter: Int32Array, pageCount: number): () => number | undefined {
  return () => {
    const index = Atomics.add(counter, 0, 1);
    return index < pageCount ? index : undefined;
  };
}

/** Hands out the given page indices in order. */
export function listedPages(indices: readonly number[]): () => number | undefined {
  let position = 0;
  return () => indices[position++];
}

/** Pages with fewer visible characters than this, and an image, are treated as scans (OCR, no layout). */
const scannedPageCharacters = 20;

export function looksScanned(page: PdfPageText): boolean {
  return page.characters < scannedPageCharacters && page.hasImage;
}

/** One page's blocks, or why it could not be laid out. */
export type PageLayout = { page: number; blocks: ContentBlock[] } | { page: number; error: string };

/** Lays out each page that is not a scan; a page that throws is reported, not fatal. */
export function layoutPages(pages: readonly PdfPageText[], stats: DocumentTextStats): PageLayout[] {
  const layouts: PageLayout[] = [];
  for (const page of pages) {
    if (looksScanned(page)) continue;
    try {
      layouts.push({ page: page.page, blocks: layoutPage(page, stats) });
    } catch (error) {
      layouts.push({ page: page.page, error: describeError(error) });
    }
  }
  return layouts;
}
