/**
 * The compiled PDF loader reads a long PDF's pages on two threads, this one and a worker (src/loaders/pdf.ts): its
 * output (every page's blocks: text, page numbers, headings, tables, sections; the title and warnings) must be exactly
 * what the single-threaded source loader gives, on a PDF built here and on the longest real report of the corpus
 * (132 pages with tables, when ../shared/corpus is present). Runs where dist/ is built and current (after `npm ci`
 * or `npm run build`); skips, saying so, otherwise.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { pdfLoader } from "../src/loaders/pdf.ts";
import { defaultLoadLimits } from "../src/loaders/types.ts";
import { corpus, corpusAvailable } from "./support/corpus.ts";
import { temporaryDirectory } from "./support/run-hearth.ts";
import { distIsCurrent } from "./support/compiled-build.ts";
import { longPdf as longPdfOf } from "./support/long-pdf.ts";

const skip = !distIsCurrent();
if (skip) console.warn("skipped: dist/ is missing or older than src/ (npm run build) for the compiled PDF loader test");

const longPdf = (pages: number): Promise<Buffer> =>
  longPdfOf(pages, (page) => ({
    heading: `Section ${page}: placements review`,
    text: `Page ${page} records that ${page * 3} children were placed within 20 miles, at a weekly cost of £${2000 + page} per placement.`,
  }));

/** The PDF at `path` through the compiled loader in a child process (where the worker thread is used). */
function loadCompiled(context: object): unknown {
  const script = `
    import { readFileSync } from "node:fs";
    const { pdfLoader } = await import(${JSON.stringify(new URL("../dist/loaders/pdf.js", import.meta.url).href)});
    const context = ${JSON.stringify(context)};
    const result = await pdfLoader.load(new Uint8Array(readFileSync(context.path)), context);
    process.stdout.write(JSON.stringify(result.ok ? result.value : { error: result.error.message }));`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })) as unknown;
}

const contextFor = (path: string) => ({ path, fileName: basename(path), limits: defaultLoadLimits, ocr: { enabled: false, command: "tesseract", language: "eng" } });

describe.skipIf(skip)("the compiled PDF loader on a long PDF", () => {
  it("gives the same pages and text with the worker thread as the source loader without it", async () => {
    const path = join(temporaryDirectory(), "long review.pdf");
    writeFileSync(path, await longPdf(120));
    const context = contextFor(path);
    const fromSource = await pdfLoader.load(new Uint8Array(readFileSync(path)), context);
    if (!fromSource.ok) throw fromSource.error;
    expect(fromSource.value.units).toHaveLength(120);
    expect(loadCompiled(context)).toEqual(JSON.parse(JSON.stringify(fromSource.value)));
  }, 120_000);

  it.skipIf(!corpusAvailable)("gives the same passages, pages, headings and tables for a 132-page real report", async () => {
    const path = corpus("real/needs_assessment_of_vulnerable_and_looked_after_children___full_report.pdf");
    const context = contextFor(path);
    const fromSource = await pdfLoader.load(new Uint8Array(readFileSync(path)), context);
    if (!fromSource.ok) throw fromSource.error;
    const blocks = fromSource.value.units.flatMap((unit) => unit.blocks);
    // The comparison covers every kind of block the layout makes, not only paragraphs.
    expect(fromSource.value.units.length).toBeGreaterThan(100);
    expect(blocks.some((block) => block.kind === "table")).toBe(true);
    expect(blocks.some((block) => block.kind === "heading")).toBe(true);
    expect(loadCompiled(context)).toEqual(JSON.parse(JSON.stringify(fromSource.value)));
  }, 120_000);

  it("gives the same output when the file is large enough for the worker to start before the document is opened", async () => {
    // Over 4 MB (earlyWorkerBytes in src/loaders/pdf.ts): trailing spaces after %%EOF, which readers ignore.
    const path = join(temporaryDirectory(), "long padded review.pdf");
    writeFileSync(path, Buffer.concat([await longPdf(90), Buffer.alloc(4.5 * 1024 * 1024, " ")]));
    const context = contextFor(path);
    const fromSource = await pdfLoader.load(new Uint8Array(readFileSync(path)), context);
    if (!fromSource.ok) throw fromSource.error;
    expect(fromSource.value.units).toHaveLength(90);
    expect(loadCompiled(context)).toEqual(JSON.parse(JSON.stringify(fromSource.value)));
  }, 120_000);
});
