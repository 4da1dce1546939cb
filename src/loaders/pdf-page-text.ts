/**
 * Reading pages of an open MuPDF document into plain `PdfPageText` (lines with boxes and fonts), and laying them out
 * once the whole document's text statistics are known. Shared by the PDF loader and its worker thread
 * (pdf-page-worker.ts), which reads and lays out part of a long PDF's pages in parallel.
 */
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
// Before "mupdf": hands MuPDF the object its WebAssembly module fills in (see mupdf-module.ts).
import { mupdfModule } from "./mupdf-module.ts";
import * as mupdf from "mupdf";
import { describeError } from "../errors/hearth-error.ts";
import { layoutGeometry, pageGeometry, pageTextFromJson } from "./pdf-layout.ts";
import { pageTextFromStructuredText } from "./pdf-stext-reader.ts";
import type { DocumentTextStats, PageGeometry, PdfPageText } from "./pdf-layout.ts";
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

/**
 * Runs `action` with MuPDF's ICC colour management off. Structured text records each character's colour, which the
 * loader never reads; converting it through ICC profiles (building a Little CMS transform for the page's colour
 * spaces) was ~5% of MuPDF's time per page on the 506-page benchmark file, and MuPDF's plain conversion gives the
 * same text, lines and boxes (docs/benchmarks.md, "issue 10, sixth stop"). Switched back on at once: rendering
 * (OCR's page images, the server's page previews) keeps ICC colours.
 */
function withoutColourManagement<T>(action: () => T): T {
  mupdf.disableICC();
  try {
    return action();
  } finally {
    mupdf.enableICC();
  }
}

/** MuPDF's module for reading structured text without JSON, or why pages go through `asJSON()` (mupdf-module.ts). */
const structuredText = mupdfModule();

/** How this thread reads pages' text: "structured text", or "JSON" and why (for tests and diagnostics). */
export function pageTextReader(): { kind: "structured text" } | { kind: "JSON"; reason: string } {
  return "module" in structuredText ? { kind: "structured text" } : { kind: "JSON", reason: structuredText.reason };
}

export function readPage(document: mupdf.Document, index: number): PdfPageText {
  const page = document.loadPage(index);
  try {
    const [x0, y0, x1, y1] = page.getBounds();
    const text = withoutColourManagement(() => page.toStructuredText("preserve-whitespace,preserve-images"));
    try {
      const direct = "module" in structuredText ? pageTextFromStructuredText(structuredText.module, text.pointer, index + 1, x1 - x0, y1 - y0) : null;
      return direct ?? pageTextFromJson(text.asJSON(), index + 1, x1 - x0, y1 - y0);
    } finally {
      text.destroy();
    }
  } finally {
    page.destroy();
  }
}

export interface PageRangeText {
  pages: PdfPageText[];
  /**
   * Each page's geometry, found as it was read (see `pageGeometry`), or why it could not be: null for a scan or a
   * page without text.
   */
  geometries: Map<number, PageGeometry | { error: string } | null>;
  /** 1-based numbers of pages MuPDF could not read, in the order they were tried. */
  unreadable: number[];
  /** Why the lowest-numbered unreadable page could not be read. */
  firstFailure: string;
  timedOut: boolean;
}

/**
 * Reads the pages `nextIndex` hands out (0-based; undefined when none is left), stopping at the deadline (asked before
 * each page: a worker started early learns it from shared memory once the loader knows it), and finds
 * each page's geometry as it goes. Two threads reading one long PDF share a count of pages taken (`claimPages`), so
 * each takes its next page (one from the front, one from the back) while any is left and neither waits for the other
 * at the end; the geometry is part of what they share that way.
 */
export async function readPages(document: mupdf.Document, nextIndex: () => number | undefined, deadline: () => number, messages: string[]): Promise<PageRangeText> {
  const result: PageRangeText = { pages: [], geometries: new Map(), unreadable: [], firstFailure: "", timedOut: false };
  let read = 0;
  for (let index = nextIndex(); index !== undefined; index = nextIndex()) {
    if (Date.now() > deadline()) {
      result.timedOut = true;
      break;
    }
    // MuPDF is synchronous; let other work (progress output, other requests, the worker's reply) run now and then.
    if (read > 0 && read % 25 === 0) await yieldToEventLoop();
    read++;
    let page: PdfPageText;
    try {
      page = collecting(messages, () => readPage(document, index));
    } catch (error) {
      // The reason kept is the lowest page's, whichever way this thread goes through the pages.
      const reason = describeError(error);
      const lowest = result.unreadable.every((unreadable) => unreadable > index + 1);
      if (reason !== "" && (lowest || result.firstFailure === "")) result.firstFailure = reason;
      result.unreadable.push(index + 1);
      continue;
    }
    result.pages.push(page);
    try {
      result.geometries.set(page.page, looksScanned(page) ? null : pageGeometry(page));
    } catch (error) {
      result.geometries.set(page.page, { error: describeError(error) });
    }
  }
  return result;
}

/**
 * Hands out page indices 0 to pageCount - 1 to two threads sharing a count of pages taken (Int32 0 of `counter`, an
 * `Int32Array` over a SharedArrayBuffer): "forward" from the first page, "backward" from the last. A page is taken
 * only while the count says some are left, so the two runs meet without overlapping and together cover every page.
 * Each thread so reads a run of neighbouring pages rather than every other page: a long PDF is often several
 * documents joined, and MuPDF loads each one's fonts, character maps and colour spaces once per thread that reads
 * one of its pages (in its own WASM instance), so alternate pages had both threads load nearly everything.
 */
export function claimPages(counter: Int32Array, pageCount: number, direction: "forward" | "backward" = "forward"): () => number | undefined {
  let taken = 0;
  return () => {
    if (Atomics.add(counter, 0, 1) >= pageCount) return undefined;
    const index = direction === "forward" ? taken : pageCount - 1 - taken;
    taken++;
    return index;
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

/**
 * Lays out each page that is not a scan, from the geometry found when it was read (found now when there is none);
 * a page that throws is reported, not fatal.
 */
export function layoutPages(
  pages: readonly PdfPageText[],
  stats: DocumentTextStats,
  geometries: ReadonlyMap<number, PageGeometry | { error: string } | null> = new Map(),
): PageLayout[] {
  const layouts: PageLayout[] = [];
  for (const page of pages) {
    if (looksScanned(page)) continue;
    try {
      const geometry = geometries.has(page.page) ? geometries.get(page.page) : pageGeometry(page);
      if (geometry !== null && geometry !== undefined && "error" in geometry) {
        layouts.push({ page: page.page, error: geometry.error });
        continue;
      }
      layouts.push({ page: page.page, blocks: geometry ? layoutGeometry(page, geometry, stats) : [] });
    } catch (error) {
      layouts.push({ page: page.page, error: describeError(error) });
    }
  }
  return layouts;
}
