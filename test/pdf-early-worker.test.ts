/**
 * `hearth ingest long.pdf` starts the PDF page worker at process start, before the CLI's modules load and the store
 * opens (bin/hearth, src/loaders/pdf-page-worker-thread.ts); the loader takes it for that file. Which runs start one,
 * that the loader takes it (and gives the same document as the one-thread source loader), and that one started on
 * another file is stopped, not used. The worker itself runs where dist/ is built and current; those tests skip
 * otherwise.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { pdfLoader } from "../src/loaders/pdf.ts";
import { earlyPdfOf, earlyWorkerBytes, startEarlyPageWorker } from "../src/loaders/pdf-page-worker-thread.ts";
import { defaultLoadLimits } from "../src/loaders/types.ts";
import { corpus, corpusAvailable, repositoryRoot } from "./support/corpus.ts";
import { runHearth, temporaryDirectory } from "./support/run-hearth.ts";
import { distIsCurrent } from "./support/compiled-build.ts";
import { longPdf as longPdfOf } from "./support/long-pdf.ts";

const folder = temporaryDirectory();
/** Over earlyWorkerBytes: trailing spaces after %%EOF, which readers ignore. */
const padding = Buffer.alloc(earlyWorkerBytes + 512 * 1024, " ");

const longPdf = (pages: number): Promise<Buffer> =>
  longPdfOf(pages, (page) => ({
    heading: `Section ${page}: sufficiency review`,
    text: `Page ${page} records ${page * 2} children placed out of area at £${3000 + page} a week.`,
  }));

describe("which runs start the page worker at process start", () => {
  const big = join(folder, "big review.pdf");
  const small = join(folder, "small review.pdf");
  const bigText = join(folder, "big notes.txt");
  mkdirSync(join(folder, "library.pdf"), { recursive: true });
  writeFileSync(big, Buffer.concat([Buffer.from("%PDF-1.4\n"), padding]));
  writeFileSync(small, "%PDF-1.4\n");
  writeFileSync(bigText, padding);
  const argv = (...words: string[]): string[] => ["node", "hearth", ...words];

  it("names the first file of `hearth ingest` when it is a PDF of earlyWorkerBytes or more", () => {
    expect(earlyPdfOf(argv("ingest", big))).toBe(resolve(big));
    expect(earlyPdfOf(argv("--data", join(folder, "data"), "ingest", "--json", big, small))).toBe(resolve(big));
  });

  it("names none for a short PDF, another kind of file, a folder, or another command", () => {
    expect(earlyPdfOf(argv("ingest", small, big))).toBeNull();
    expect(earlyPdfOf(argv("ingest", bigText))).toBeNull();
    expect(earlyPdfOf(argv("ingest", join(folder, "library.pdf")))).toBeNull();
    expect(earlyPdfOf(argv("ingest", join(folder, "missing.pdf")))).toBeNull();
    expect(earlyPdfOf(argv("search", big))).toBeNull();
    expect(earlyPdfOf(argv("--data", "ingest", "search", big))).toBeNull();
  });

  it("starts nothing from the sources (no compiled worker) nor for a run that names no long PDF", () => {
    expect(startEarlyPageWorker(argv("ingest", big))).toBe(false);
    expect(startEarlyPageWorker(argv("ingest", small), new URL("../dist/loaders/pdf-page-worker.js", import.meta.url))).toBe(false);
    expect(startEarlyPageWorker(argv("ingest", bigText), new URL("../dist/loaders/pdf-page-worker.js", import.meta.url))).toBe(false);
  });
});

const skip = !distIsCurrent();
if (skip) console.warn("skipped: dist/ is missing or older than src/ (npm run build) for the early PDF worker test");

const contextFor = (path: string) => ({ path, fileName: basename(path), limits: defaultLoadLimits, ocr: { enabled: false, command: "tesseract", language: "eng" } });

/**
 * In a child process, as bin/hearth does: starts the early worker for `hearth ingest <startedOn>`, waits (so the
 * worker has replied before anyone asks: no reply may be lost), then loads `loaded` with the compiled loader.
 */
function loadAfterEarlyStart(startedOn: string, loaded: string): { started: boolean; waitingBefore: string | null; waitingAfter: string | null; value: unknown } {
  const module = (file: string): string => JSON.stringify(new URL(`../dist/loaders/${file}`, import.meta.url).href);
  const script = `
    import { readFileSync } from "node:fs";
    const early = await import(${module("pdf-page-worker-thread.js")});
    const started = early.startEarlyPageWorker(["node", "hearth", "ingest", ${JSON.stringify(startedOn)}]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const waitingBefore = early.earlyPageWorkerWaiting();
    const { pdfLoader } = await import(${module("pdf.js")});
    const context = ${JSON.stringify(contextFor(loaded))};
    const result = await pdfLoader.load(new Uint8Array(readFileSync(context.path)), context);
    const waitingAfter = early.earlyPageWorkerWaiting();
    process.stdout.write(JSON.stringify({ started, waitingBefore, waitingAfter, value: result.ok ? result.value : { error: result.error.message } }));`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })) as ReturnType<typeof loadAfterEarlyStart>;
}

describe.skipIf(skip)("the page worker started at process start", () => {
  it("is taken by the loader for its file, which loads exactly as the one-thread source loader does", async () => {
    const path = join(folder, "long padded review.pdf");
    writeFileSync(path, Buffer.concat([await longPdf(90), padding]));
    const fromSource = await pdfLoader.load(new Uint8Array(readFileSync(path)), contextFor(path));
    if (!fromSource.ok) throw fromSource.error;
    expect(fromSource.value.units).toHaveLength(90);
    const run = loadAfterEarlyStart(path, path);
    expect(run).toMatchObject({ started: true, waitingBefore: resolve(path), waitingAfter: null });
    expect(run.value).toEqual(JSON.parse(JSON.stringify(fromSource.value)));
  }, 120_000);

  it("is stopped, not used, when the loader reads another file", async () => {
    const startedOn = join(folder, "started on.pdf");
    const other = join(folder, "other review.pdf");
    writeFileSync(startedOn, Buffer.concat([await longPdf(3), padding]));
    writeFileSync(other, await longPdf(5));
    const fromSource = await pdfLoader.load(new Uint8Array(readFileSync(other)), contextFor(other));
    if (!fromSource.ok) throw fromSource.error;
    const run = loadAfterEarlyStart(startedOn, other);
    expect(run).toMatchObject({ started: true, waitingBefore: resolve(startedOn), waitingAfter: null });
    expect(run.value).toEqual(JSON.parse(JSON.stringify(fromSource.value)));
  }, 120_000);

  it.skipIf(!corpusAvailable)("leaves `hearth ingest` through bin/hearth storing what the in-process CLI stores", async () => {
    // A real 66-page framework, made long enough for the early start by the padding.
    const path = join(folder, "padded national framework.pdf");
    writeFileSync(path, Buffer.concat([readFileSync(corpus("real/Childrens_Social_Care_National_Framework__Dec_2023.pdf")), padding]));
    const child = spawnSync(process.execPath, [join(repositoryRoot, "bin", "hearth"), "--data", join(folder, "bin-data"), "ingest", "--json", path], {
      encoding: "utf8",
      env: { ...process.env, HEARTH_OCR: "off" },
    });
    expect(child.stderr).toBe("");
    const viaBin = JSON.parse(child.stdout) as unknown;
    const inProcess = await runHearth(["ingest", "--json", path], { data: join(folder, "in-process-data") });
    expect(viaBin).toMatchObject({ ingested: 1, failed: 0 });
    expect(viaBin).toEqual(JSON.parse(inProcess.stdout));
  }, 120_000);
});
