/**
 * OCR for scanned pages through the `tesseract` command-line tool (Debian: apt-get install tesseract-ocr).
 * The caller renders the page to PNG; this module writes it to a private temporary folder, runs tesseract and
 * turns its output into paragraphs.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { joinLines, normaliseSpaces } from "./pdf-layout.ts";
import type { ContentBlock } from "./types.ts";

const run = promisify(execFile);

export type TesseractCheck = { available: true } | { available: false; reason: string };

const checks = new Map<string, Promise<TesseractCheck>>();

/** Whether `command` runs and knows every language in `language` ("eng", "eng+fra"); asked once per pair. */
export function checkTesseract(command: string, language: string): Promise<TesseractCheck> {
  const key = `${command}\u0000${language}`;
  let check = checks.get(key);
  if (check === undefined) {
    check = probe(command, language);
    checks.set(key, check);
  }
  return check;
}

/** Whether tesseract runs (and, when a language is given, has its data). */
export async function tesseractAvailable(command: string, language?: string): Promise<boolean> {
  return (await checkTesseract(command, language ?? "")).available;
}

async function probe(command: string, language: string): Promise<TesseractCheck> {
  try {
    const { stdout, stderr } = await run(command, ["--list-langs"], { timeout: 10_000 });
    // tesseract prints a heading line, then one language per line (older builds write the list to stderr).
    const known = new Set(`${stdout}\n${stderr}`.split(/\r?\n/).map((line) => line.trim()));
    const missing = language.split("+").filter((name) => name !== "" && !known.has(name));
    if (missing.length > 0) {
      return { available: false, reason: `tesseract has no language data for ${missing.join(", ")} (install tesseract-ocr-${missing[0]})` };
    }
    return { available: true };
  } catch {
    return { available: false, reason: `tesseract was not found (${command}); install tesseract-ocr (apt-get install tesseract-ocr)` };
  }
}

export interface OcrOptions {
  command: string;
  language: string;
  timeoutMs: number;
}

/** Runs tesseract on one PNG image and returns its plain text. Throws when tesseract fails or runs too long. */
export async function recognisePng(png: Uint8Array, options: OcrOptions): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "hearth-ocr-"));
  try {
    const imagePath = join(folder, "page.png");
    await writeFile(imagePath, png);
    const { stdout } = await run(options.command, [imagePath, "stdout", "-l", options.language], {
      timeout: Math.max(1_000, options.timeoutMs),
      maxBuffer: 16 * 1024 * 1024,
      encoding: "utf8",
      // Pages are read several at a time, one tesseract each: one thread apiece. Left to itself, each tesseract starts
      // an OpenMP thread per core that spins while waiting, which on two cores doubled the CPU time OCR took
      // (ocr.test.ts: 31 s of CPU, 15 s with the limit) for no faster result.
      // eslint-disable-next-line no-restricted-properties -- the child's environment, passed on as execFile would; not configuration
      env: { ...process.env, OMP_THREAD_LIMIT: "1" },
    });
    return stdout;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

const pageNumberOnly = /^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|\/)\s*\d{1,4})?$/i;

/** Splits OCR output into paragraphs at blank lines, joining wrapped lines and dropping bare page numbers. */
export function ocrTextToBlocks(text: string, vocabulary: ReadonlySet<string> = new Set()): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  for (const paragraph of text.replace(/\f/g, "\n").split(/\n\s*\n/)) {
    const lines = paragraph
      .split("\n")
      .map(normaliseSpaces)
      .filter((line) => line !== "");
    const joined = joinLines(lines, vocabulary);
    if (joined === "" || pageNumberOnly.test(joined)) continue;
    blocks.push({ kind: "paragraph", text: joined });
  }
  return blocks;
}
