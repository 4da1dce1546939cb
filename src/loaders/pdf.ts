/**
 * PDF loader on MuPDF (WASM): one unit per page, blocks rebuilt from structured text (reading order, tables,
 * headings), and OCR through tesseract for pages that are only a scanned image.
 */
import { availableParallelism } from "node:os";
// Before "mupdf": hands MuPDF the object its WebAssembly module fills in (see mupdf-module.ts).
import "./mupdf-module.ts";
import * as mupdf from "mupdf";
import { HearthError, describeError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import { checkTesseract, ocrTextToBlocks, recognisePng } from "./ocr.ts";
import { combineTextStats, textStatsPart } from "./pdf-layout.ts";
import type { DocumentTextStats } from "./pdf-layout.ts";
import { claimPages, collecting, layoutPages, listedPages, looksScanned, readPages } from "./pdf-page-text.ts";
import type { PageLayout, PageRangeText } from "./pdf-page-text.ts";
import type { PageRangeSummary, PageWorkerCommand } from "./pdf-page-worker.ts";
import { earlyWorkerBytes, pageWorkerUrl, sharedPageCounter, spawnPageWorker, takeEarlyPageWorker } from "./pdf-page-worker-thread.ts";
import type { PageWorkerThread } from "./pdf-page-worker-thread.ts";
import type { ContentBlock, DocumentLoader, DocumentUnit, LoadContext, LoadedDocument } from "./types.ts";

const ocrDpi = 300;
const ocrParallel = 2;
/**
 * From this many pages, a worker thread reads and lays out pages beside this thread (starting the worker and MuPDF in
 * it costs about 0.1 s, paid back from about 80 pages on two cores). Only the compiled build (dist/) uses it: a
 * worker cannot load the TypeScript sources without a loader. Files of `earlyWorkerBytes` or more start it before
 * this thread opens the document (see pdf-page-worker-thread.ts), or find it started at process start.
 */
const parallelPages = 80;

/** A worker thread reading pages beside this one; see pdf-page-worker.ts for the conversation. */
interface PageWorker {
  /** What it read; null when it could not run (this thread reads whatever is missing). */
  pages: Promise<PageRangeSummary | null>;
  /** Lays out its pages with the whole document's statistics; null when it could not. */
  layout(stats: DocumentTextStats): Promise<PageLayout[] | null>;
  stop(): void;
}

function talkTo(thread: PageWorkerThread, messages: string[]): PageWorker {
  const pages = thread.next().then((reply) => {
    if (reply?.kind !== "pages") return null;
    messages.push(...reply.messages);
    return reply.ok ? reply.result : null;
  });
  return {
    pages,
    async layout(stats) {
      const reply = thread.next();
      thread.worker.postMessage({ kind: "layout", stats } satisfies PageWorkerCommand);
      const layouts = await reply;
      return layouts?.kind === "layouts" ? layouts.layouts : null;
    },
    stop: () => void thread.worker.terminate(),
  };
}

export const pdfLoader: DocumentLoader = {
  format: "pdf",
  extensions: [".pdf"],
  sniff(bytes: Uint8Array): boolean {
    return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).includes("%PDF-", 0, "latin1");
  },
  load: loadPdf,
};

async function loadPdf(bytes: Uint8Array, context: LoadContext): Promise<Result<LoadedDocument, HearthError>> {
  const name = context.fileName;
  const subject = context.path;
  if (bytes.length === 0) return fail(new HearthError("FILE_EMPTY", `${name}: the file is empty`, { subject }));
  if (bytes.length > context.limits.maxFileBytes) {
    return fail(new HearthError("FILE_TOO_LARGE", `${name}: the file is larger than ${megabytes(context.limits.maxFileBytes)} MB`, { subject }));
  }
  if (!pdfLoader.sniff(bytes)) {
    return fail(new HearthError("CORRUPT_FILE", `${name}: not a valid PDF (no %PDF- header in the first 1024 bytes)`, { subject }));
  }

  const messages: string[] = [];
  // A long PDF is read by two threads at once, this one from the first page on and a worker (with its own copy of the
  // bytes) from the last page back, each taking a page while a shared count of pages taken (index 0) says some are
  // left (see claimPages); the worker sets index 1 before it takes its first page.
  // The deadline sits in the same shared memory (see sharedPageCounter), where a worker started early reads it.
  const deadlineMs = Date.now() + context.limits.timeoutMs;
  const deadline = (): number => deadlineMs;
  const twoThreads = pageWorkerUrl !== null && availableParallelism() > 1;
  const early = takeEarlyPageWorker(context.path, bytes);
  const shared = early?.counter ?? sharedPageCounter();
  new Float64Array(shared, 8, 1)[0] = deadlineMs;
  const counter = new Int32Array(shared, 0, 2);
  const startPageWorker = (): PageWorker | null =>
    pageWorkerUrl === null ? null : talkTo(spawnPageWorker({ bytes, counter: shared }, pageWorkerUrl), messages);
  let worker = early !== null ? talkTo(early, messages) : twoThreads && bytes.length >= earlyWorkerBytes ? startPageWorker() : null;
  try {
    let document: mupdf.Document;
    try {
      document = collecting(messages, () => mupdf.Document.openDocument(wholeBuffer(bytes), "application/pdf"));
    } catch (error) {
      return fail(new HearthError("CORRUPT_FILE", `${name}: not a valid PDF (${describeError(error)})`, { subject, cause: error }));
    }
    try {
      const start = (pageCount: number): PageWorker | null => {
        worker ??= twoThreads && pageCount >= parallelPages ? startPageWorker() : null;
        return worker;
      };
      return await extract(document, context, deadline, counter, start, messages);
    } catch (error) {
      // Anything MuPDF throws outside a single page (page count, metadata) means the file cannot be read.
      return fail(new HearthError("CORRUPT_FILE", `${name}: could not read the PDF (${describeError(error)})`, { subject, cause: error }));
    } finally {
      document.destroy();
    }
  } finally {
    worker?.stop();
  }
}

/**
 * The ArrayBuffer under `bytes` when they fill it (a file read whole), else `bytes`: MuPDF copies a Uint8Array into a
 * new array before copying it into its own memory, and views an ArrayBuffer in place (one copy of a long PDF less:
 * ~1,900 fresh pages of memory for a 7.6 MB file, on this thread's path to its first page).
 */
export function wholeBuffer(bytes: Uint8Array): Uint8Array | ArrayBuffer {
  return bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes;
}

async function extract(
  document: mupdf.Document,
  context: LoadContext,
  deadline: () => number,
  counter: Int32Array,
  startWorker: (pageCount: number) => PageWorker | null,
  messages: string[],
): Promise<Result<LoadedDocument, HearthError>> {
  const name = context.fileName;
  const subject = context.path;
  const timedOut = (): Result<never, HearthError> =>
    fail(new HearthError("TIMEOUT", `${name}: extraction took longer than ${Math.round(context.limits.timeoutMs / 1000)} s and was stopped`, { subject }));

  if (collecting(messages, () => document.needsPassword())) {
    return fail(new HearthError("ENCRYPTED_FILE", `${name}: the PDF is password-protected; save a copy without the password and add that`, { subject }));
  }
  const pageCount = collecting(messages, () => document.countPages());
  if (pageCount === 0) return fail(new HearthError("CORRUPT_FILE", `${name}: not a valid PDF (no pages found)`, { subject }));
  const warnings: string[] = [];
  const metadataTitle = (document.getMetaData("info:Title") ?? "").trim();

  let worker = startWorker(pageCount);
  const own = await readPages(document, claimPages(counter, pageCount), deadline, messages);
  if (own.timedOut) return timedOut();
  // A worker that has not begun taking pages by now will find none left (this thread took the last): no need to wait
  // for its start-up (a large file of few pages). loadPdf stops it.
  if (worker !== null && Atomics.load(counter, 1) === 0) worker = null;
  const parts: PageRangeText[] = [own];
  const fromWorker = worker ? await worker.pages : null;
  if (fromWorker?.timedOut) return timedOut();
  // Pages the worker took but did not return (it failed): read here.
  const seen = new Set([...own.pages.map((page) => page.page), ...own.unreadable, ...(fromWorker?.pages.map((page) => page.page) ?? []), ...(fromWorker?.unreadable ?? [])]);
  const missing = Array.from({ length: pageCount }, (_, index) => index).filter((index) => !seen.has(index + 1));
  if (missing.length > 0) {
    const rest = await readPages(document, listedPages(missing), deadline, messages);
    if (rest.timedOut) return timedOut();
    parts.push(rest);
  }
  const readHere = parts.flatMap((part) => part.pages);
  const pages = [...readHere.map((page) => ({ page: page.page, scanned: looksScanned(page) })), ...(fromWorker?.pages ?? [])].sort((a, b) => a.page - b.page);
  const failures = [...parts, ...(fromWorker ? [fromWorker] : [])];
  const unreadable = failures.flatMap((part) => part.unreadable).sort((a, b) => a - b);
  // The reason given is the first unreadable page's, whichever thread read it.
  const firstFailing = failures.filter((part) => part.unreadable.length > 0).sort((a, b) => lowest(a.unreadable) - lowest(b.unreadable))[0];
  const firstFailure = firstFailing?.firstFailure ?? "";
  if (unreadable.length > 0) warnings.push(`${name}: ${describePages(unreadable)} could not be read (${firstFailure}) and ${unreadable.length === 1 ? "was" : "were"} skipped`);

  const repair = messages.find((message) => /repair/i.test(message));
  if (repair !== undefined) warnings.push(`${name}: the PDF is damaged and was repaired on reading, so some text may be missing`);

  // Layout needs the whole document's statistics; then each thread lays out the pages it read.
  const stats = combineTextStats([...parts.map((part) => textStatsPart(part.pages)), ...(fromWorker ? [fromWorker.stats] : [])]);
  const workerLayouts = fromWorker && worker ? worker.layout(stats) : null;
  const geometries = new Map(parts.flatMap((part) => [...part.geometries]));
  const layouts = new Map<number, PageLayout>();
  for (const layout of layoutPages(readHere, stats, geometries)) layouts.set(layout.page, layout);
  for (const layout of (await workerLayouts) ?? []) layouts.set(layout.page, layout);
  // Pages the worker read but did not lay out (it failed): read and laid out here.
  const notLaidOut = pages.filter((page) => !page.scanned && !layouts.has(page.page)).map((page) => page.page - 1);
  if (notLaidOut.length > 0) {
    const again = await readPages(document, listedPages(notLaidOut), deadline, messages);
    if (again.timedOut) return timedOut();
    for (const layout of layoutPages(again.pages, stats, again.geometries)) layouts.set(layout.page, layout);
  }

  const units: DocumentUnit[] = [];
  const scanned: number[] = [];
  let previousLast: ContentBlock | undefined;
  let section: string | null = null;
  for (const page of pages) {
    if (page.scanned) {
      scanned.push(page.page);
      previousLast = undefined;
      continue;
    }
    const layout = layouts.get(page.page);
    if (layout === undefined) continue;
    if ("error" in layout) {
      warnings.push(`${name}: page ${page.page} could not be laid out (${layout.error}) and was skipped`);
      continue;
    }
    const blocks = layout.blocks;
    if (blocks.length === 0) continue;
    carryTableHeader(previousLast, blocks);
    previousLast = blocks[blocks.length - 1];
    const firstBlock = blocks[0];
    const unitSection = firstBlock?.kind === "heading" && firstBlock.level <= 2 ? firstBlock.text : section;
    for (const block of blocks) if (block.kind === "heading" && block.level <= 2) section = block.text;
    units.push({ page: page.page, section: unitSection, blocks });
  }
  return await finish(document, context, deadline, { name, subject, pageCount, metadataTitle, warnings, units, scanned, unreadable, firstFailure, stats, timedOut });
}

interface ExtractedPages {
  name: string;
  subject: string;
  pageCount: number;
  metadataTitle: string;
  warnings: string[];
  units: DocumentUnit[];
  scanned: number[];
  unreadable: number[];
  firstFailure: string;
  stats: DocumentTextStats;
  timedOut: () => Result<never, HearthError>;
}

/** OCR of the scanned pages, then the document (or why there is none). */
async function finish(document: mupdf.Document, context: LoadContext, deadline: () => number, extracted: ExtractedPages): Promise<Result<LoadedDocument, HearthError>> {
  const { name, subject, pageCount, metadataTitle, warnings, units, scanned, unreadable, firstFailure, stats, timedOut } = extracted;
  if (scanned.length > 0) {
    const check = context.ocr.enabled ? await checkTesseract(context.ocr.command, context.ocr.language) : null;
    if (check?.available === true) {
      const outcome = await ocrPages(document, scanned, context, deadline, stats.vocabulary);
      if (outcome === "timeout") return timedOut();
      units.push(...outcome.units);
      warnings.push(...outcome.warnings);
    } else {
      const why = check === null ? "OCR is turned off; turn it on to read them" : `${check.reason} to read them`;
      const [have, need] = scanned.length === 1 ? ["has", "needs"] : ["have", "need"];
      warnings.push(`${name}: ${describePages(scanned)} ${have} no text layer and ${need} OCR; ${why}`);
    }
  }
  units.sort((a, b) => (a.page ?? 0) - (b.page ?? 0));

  if (units.length === 0) {
    const reason =
      scanned.length > 0
        ? (warnings.find((warning) => warning.includes(" OCR;")) ?? `${name}: the scanned pages gave no text`)
        : unreadable.length > 0
          ? `${name}: no page could be read (${firstFailure})`
          : `${name}: the PDF has no extractable text`;
    const code = unreadable.length === pageCount ? "CORRUPT_FILE" : "NO_TEXT";
    return fail(new HearthError(code, reason, { subject }));
  }
  const title = usefulTitle(metadataTitle) ?? firstHeading(units);
  return ok({ format: "pdf", title, units, warnings });
}

interface OcrOutcome {
  units: DocumentUnit[];
  warnings: string[];
}

/** OCRs the scanned pages, two tesseract processes at a time; rendering happens between them on this thread. */
async function ocrPages(
  document: mupdf.Document,
  pageNumbers: readonly number[],
  context: LoadContext,
  deadline: () => number,
  vocabulary: ReadonlySet<string>,
): Promise<OcrOutcome | "timeout"> {
  const units: DocumentUnit[] = [];
  const failed: number[] = [];
  let firstFailure = "";
  let next = 0;
  let timedOut = false;
  const worker = async (): Promise<void> => {
    while (!timedOut && next < pageNumbers.length) {
      const pageNumber = pageNumbers[next++];
      if (pageNumber === undefined) break;
      const remaining = deadline() - Date.now();
      if (remaining <= 0) {
        timedOut = true;
        break;
      }
      try {
        const png = collecting([], () => renderPng(document, pageNumber - 1));
        const text = await recognisePng(png, { command: context.ocr.command, language: context.ocr.language, timeoutMs: remaining });
        const blocks = ocrTextToBlocks(text, vocabulary);
        if (blocks.length > 0) units.push({ page: pageNumber, section: null, blocks });
      } catch (error) {
        if (Date.now() >= deadline()) timedOut = true;
        failed.push(pageNumber);
        firstFailure ||= describeError(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(ocrParallel, pageNumbers.length) }, worker));
  if (timedOut) return "timeout";
  const warnings =
    failed.length > 0 ? [`${context.fileName}: OCR failed on ${describePages(failed.sort((a, b) => a - b))} (${firstFailure})`] : [];
  return { units, warnings };
}

function renderPng(document: mupdf.Document, index: number): Uint8Array {
  const page = document.loadPage(index);
  try {
    const scale = ocrDpi / 72;
    const pixmap = page.toPixmap(mupdf.Matrix.scale(scale, scale), mupdf.ColorSpace.DeviceGray, false);
    try {
      // Copy out of WASM memory before the pixmap is freed.
      return new Uint8Array(pixmap.asPNG());
    } finally {
      pixmap.destroy();
    }
  } finally {
    page.destroy();
  }
}

/** A table cut by a page break keeps its header on the next page when the columns match. */
function carryTableHeader(previous: ContentBlock | undefined, blocks: ContentBlock[]): void {
  const first = blocks[0];
  if (previous?.kind !== "table" || first?.kind !== "table" || first.header.length > 0 || previous.header.length === 0) return;
  if (first.rows.every((row) => row.length === previous.header.length)) first.header = [...previous.header];
}

/** Metadata titles are often a file name or "Untitled" left by the authoring tool; those say nothing. */
function usefulTitle(title: string): string | null {
  const cleaned = title.replace(/^Microsoft (?:Word|PowerPoint) - /i, "").trim();
  if (cleaned === "" || /^untitled\b/i.test(cleaned) || /\.(?:html?|docx?|pptx?|xlsx?|pdf|txt|rtf|odt|indd|qxd)$/i.test(cleaned)) return null;
  return cleaned;
}

function firstHeading(units: readonly DocumentUnit[]): string | null {
  for (const block of units[0]?.blocks ?? []) if (block.kind === "heading" && block.level === 1) return block.text;
  return null;
}

function lowest(numbers: readonly number[]): number {
  return numbers.reduce((low, number) => Math.min(low, number), Number.POSITIVE_INFINITY);
}

/** "page 3", "pages 1-4, 7". */
export function describePages(pages: readonly number[]): string {
  const ranges: string[] = [];
  let start = pages[0];
  let end = start;
  for (const page of [...pages.slice(1), Number.NaN]) {
    if (end !== undefined && page === end + 1) {
      end = page;
      continue;
    }
    if (start !== undefined && end !== undefined) ranges.push(start === end ? `${start}` : `${start}-${end}`);
    start = page;
    end = page;
  }
  return `${pages.length === 1 ? "page" : "pages"} ${ranges.join(", ")}`;
}

function megabytes(bytes: number): number {
  return Math.round(bytes / (1024 * 1024));
}
