/**
 * Reading pages of an open MuPDF document into plain `PdfPageText` (lines with boxes and fonts). Shared by the PDF
 * loader and its worker thread (pdf-page-worker.ts), which reads the second half of a long PDF in parallel.
 */
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import * as mupdf from "mupdf";
import { describeError } from "../errors/hearth-error.ts";
import { pageTextFromJson } from "./pdf-layout.ts";
import type { PdfPageText } from "./pdf-layout.ts";

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

/** Reads pages `from` (inclusive) to `to` (exclusive), 0-based, stopping at the deadline. */
export async function readPages(document: mupdf.Document, from: number, to: number, deadline: number, messages: string[]): Promise<PageRangeText> {
  const result: PageRangeText = { pages: [], unreadable: [], firstFailure: "", timedOut: false };
  for (let index = from; index < to; index++) {
    if (Date.now() > deadline) {
      result.timedOut = true;
      break;
    }
    // MuPDF is synchronous; let other work (progress output, other requests, the worker's reply) run now and then.
    if (index > from && (index - from) % 25 === 0) await yieldToEventLoop();
    try {
      result.pages.push(collecting(messages, () => readPage(document, index)));
    } catch (error) {
      result.unreadable.push(index + 1);
      result.firstFailure ||= describeError(error);
    }
  }
  return result;
}
