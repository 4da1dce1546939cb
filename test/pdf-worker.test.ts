/**
 * The compiled PDF loader reads a long PDF in two halves, the second in a worker thread (src/loaders/pdf.ts): its
 * output must be exactly what the single-threaded source loader gives. Runs where dist/ is built and current
 * (after `npm ci` or `npm run build`); skips, saying so, otherwise.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pdfLoader } from "../src/loaders/pdf.ts";
import { defaultLoadLimits } from "../src/loaders/types.ts";
import { repositoryRoot } from "./support/corpus.ts";
import { temporaryDirectory } from "./support/run-hearth.ts";

const stamp = join(repositoryRoot, "dist", "build-stamp.json");
function distIsCurrent(): boolean {
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  const newer = readdirSync(join(repositoryRoot, "src"), { recursive: true, withFileTypes: true }).some(
    (entry) => entry.isFile() && !entry.name.endsWith(".test.ts") && statSync(join(entry.parentPath, entry.name)).mtimeMs > built,
  );
  return !newer;
}
const skip = !distIsCurrent();
if (skip) console.warn("skipped: dist/ is missing or older than src/ (npm run build) for the compiled PDF loader test");

async function longPdf(pages: number): Promise<Buffer> {
  const { default: PDFDocument } = await import("pdfkit");
  const document = new PDFDocument({ size: "A4", margin: 56 });
  const parts: Buffer[] = [];
  document.on("data", (part: Buffer) => parts.push(part));
  const finished = new Promise((resolve) => document.on("end", resolve));
  for (let page = 1; page <= pages; page++) {
    if (page > 1) document.addPage();
    document.fontSize(16).text(`Section ${page}: placements review`).moveDown().fontSize(11);
    document.text(`Page ${page} records that ${page * 3} children were placed within 20 miles, at a weekly cost of £${2000 + page} per placement.`);
  }
  document.end();
  await finished;
  return Buffer.concat(parts);
}

describe.skipIf(skip)("the compiled PDF loader on a long PDF", () => {
  it("gives the same pages and text with the worker thread as the source loader without it", async () => {
    const path = join(temporaryDirectory(), "long review.pdf");
    writeFileSync(path, await longPdf(120));
    const context = { path, fileName: "long review.pdf", limits: defaultLoadLimits, ocr: { enabled: false, command: "tesseract", language: "eng" } };
    const fromSource = await pdfLoader.load(new Uint8Array(await import("node:fs").then((fs) => fs.readFileSync(path))), context);
    if (!fromSource.ok) throw fromSource.error;
    const script = `
      import { readFileSync } from "node:fs";
      const { pdfLoader } = await import(${JSON.stringify(new URL("../dist/loaders/pdf.js", import.meta.url).href)});
      const context = ${JSON.stringify(context)};
      const result = await pdfLoader.load(new Uint8Array(readFileSync(context.path)), context);
      process.stdout.write(JSON.stringify(result.ok ? result.value : { error: result.error.message }));`;
    const compiled = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })) as unknown;
    expect(fromSource.value.units).toHaveLength(120);
    expect(compiled).toEqual(JSON.parse(JSON.stringify(fromSource.value)));
  }, 120_000);
});
