/**
 * Renders one PDF page as PNG with mupdf (~110 dpi), the cited quote highlighted. The quote is searched whole
 * first. A table row's quote ("label | £2,278 per week | £2,611 per week") is then found as a row: the visual row
 * of the page (text lines side by side) holding most of its cells, label and figures, and only that row's cells
 * are lit (searching its words alone would light every "per week" on the page). Other quotes that layout breaks up
 * (hyphens, columns) are searched in runs of a few words.
 */
// Before "mupdf": hands MuPDF the object its WebAssembly module fills in (see loaders/mupdf-module.ts).
import "../loaders/mupdf-module.ts";
import * as mupdf from "mupdf";
import { fail, ok, HearthError } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";

const dotsPerInch = 110;
const pieceWords = 5;
/** Longer quotes are cut: a highlight only needs to show where the passage is. */
const maximumQuoteLength = 2000;

type Box = { left: number; top: number; right: number; bottom: number };

function quadBox(quad: mupdf.Quad): Box {
  const xs = [quad[0], quad[2], quad[4], quad[6]];
  const ys = [quad[1], quad[3], quad[5], quad[7]];
  return { left: Math.min(...xs), top: Math.min(...ys), right: Math.max(...xs), bottom: Math.max(...ys) };
}

interface TextLine {
  box: Box;
  text: string;
}

/** Lower case, one kind of apostrophe and dash, single spaces: how cells and lines are compared. */
function comparable(text: string): string {
  return text
    .toLowerCase()
    .replace(/[‘’`]/g, "'")
    .replace(/[‐-―]/g, "-")
    .replace(/\s+/g, " ")
    .trim();
}

/** The page's text lines with their boxes, in reading order. */
function textLines(page: mupdf.Page): TextLine[] {
  const structured = page.toStructuredText("preserve-whitespace");
  try {
    const parsed = JSON.parse(structured.asJSON()) as { blocks?: { lines?: { bbox: { x: number; y: number; w: number; h: number }; text: string }[] }[] };
    return (parsed.blocks ?? []).flatMap((block) =>
      (block.lines ?? []).map((line) => ({
        text: comparable(line.text),
        box: { left: line.bbox.x, top: line.bbox.y, right: line.bbox.x + line.bbox.w, bottom: line.bbox.y + line.bbox.h },
      })),
    );
  } finally {
    structured.destroy();
  }
}

/** Lines side by side (their vertical middles within half a line of each other) form one visual row. */
function visualRows(lines: TextLine[]): TextLine[][] {
  const rows: { middle: number; height: number; lines: TextLine[] }[] = [];
  for (const line of lines) {
    const middle = (line.box.top + line.box.bottom) / 2;
    const height = Math.max(1, line.box.bottom - line.box.top);
    const row = rows.find((candidate) => Math.abs(candidate.middle - middle) <= Math.min(candidate.height, height) / 2);
    if (row) row.lines.push(line);
    else rows.push({ middle, height, lines: [line] });
  }
  return rows.sort((left, right) => left.middle - right.middle).map((row) => row.lines.sort((left, right) => left.box.left - right.box.left));
}

const figurePattern = /\d[\d,.]*/g;

/**
 * The cells of a table-row quote on the page: the visual row that holds the most cells (every figure of the quote
 * among them, and at least half the cells), and within it the lines that hold a cell. Empty when no row fits.
 */
export function findTableRowBoxes(page: mupdf.Page, quote: string): Box[] {
  const cells = quote
    .split(/\s*[|\t]\s*/)
    .map(comparable)
    .filter((cell) => cell.length > 0);
  if (cells.length < 2) return [];
  const figures = cells.join(" ").match(figurePattern) ?? [];
  let best: { lines: TextLine[]; matched: number } | undefined;
  for (const row of visualRows(textLines(page))) {
    const holding = (cell: string): TextLine[] => row.filter((line) => line.text.length > 0 && (line.text.includes(cell) || cell.includes(line.text)));
    const matchedCells = cells.filter((cell) => holding(cell).length > 0);
    const rowText = row.map((line) => line.text).join(" ");
    if (matchedCells.length * 2 < cells.length || !figures.every((figure) => rowText.includes(figure))) continue;
    if (!best || matchedCells.length > best.matched) {
      best = { lines: [...new Set(matchedCells.flatMap(holding))], matched: matchedCells.length };
    }
  }
  return best ? best.lines.map((line) => line.box) : [];
}

/** Boxes (page coordinates) covering `quote` on the page. */
export function findQuoteBoxes(page: mupdf.Page, quote: string): Box[] {
  const text = quote.replace(/\s+/g, " ").trim().slice(0, maximumQuoteLength);
  if (text.length === 0) return [];
  const search = (needle: string): Box[] => page.search(needle, undefined).flatMap((hit) => hit.map(quadBox));
  const whole = text.length <= 200 ? search(text) : [];
  if (whole.length > 0) return whole;
  if (/\s\|\s|\t/.test(quote)) {
    const row = findTableRowBoxes(page, quote);
    if (row.length > 0) return row;
  }
  const words = text.split(" ");
  const boxes: Box[] = [];
  for (let start = 0; start < words.length; start += pieceWords) {
    const piece = words.slice(start, start + pieceWords).join(" ");
    // Very short pieces (one or two letters) match all over the page; they add noise, not help.
    if (piece.replace(/[^\p{L}\p{N}]/gu, "").length < 4) continue;
    boxes.push(...search(piece));
  }
  return boxes;
}

/** Yellow highlighter: keep red and green, damp blue, inside each box. */
function highlight(pixmap: mupdf.Pixmap, boxes: Box[], scale: number): void {
  const pixels = pixmap.getPixels();
  const stride = pixmap.getStride();
  const components = pixmap.getNumberOfComponents() + pixmap.getAlpha();
  const width = pixmap.getWidth();
  const height = pixmap.getHeight();
  const originX = pixmap.getX();
  const originY = pixmap.getY();
  for (const box of boxes) {
    const left = Math.max(0, Math.floor(box.left * scale - originX) - 1);
    const right = Math.min(width, Math.ceil(box.right * scale - originX) + 1);
    const top = Math.max(0, Math.floor(box.top * scale - originY) - 1);
    const bottom = Math.min(height, Math.ceil(box.bottom * scale - originY) + 1);
    for (let y = top; y < bottom; y++) {
      for (let x = left; x < right; x++) {
        const offset = y * stride + x * components;
        pixels[offset + 2] = Math.round((pixels[offset + 2] ?? 0) * 0.35);
      }
    }
  }
}

export interface RenderedPage {
  png: Uint8Array<ArrayBuffer>;
  pageCount: number;
  highlighted: number;
  /** Top of the first highlighted box as a share (0..1) of the image height, so the viewer can scroll to it. */
  highlightTop: number | null;
}

/** `pageNumber` is 1-based; a page out of range fails with NOT_FOUND. */
export function renderPdfPage(bytes: Uint8Array, pageNumber: number, quote: string | undefined): Result<RenderedPage> {
  let document: mupdf.Document | undefined;
  try {
    document = mupdf.Document.openDocument(bytes, "application/pdf");
    const pageCount = document.countPages();
    if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > pageCount) {
      return fail(new HearthError("NOT_FOUND", `Page ${pageNumber} is out of range (the document has ${pageCount} pages)`));
    }
    const page = document.loadPage(pageNumber - 1);
    const scale = dotsPerInch / 72;
    const pixmap = page.toPixmap(mupdf.Matrix.scale(scale, scale), mupdf.ColorSpace.DeviceRGB, false, true);
    const boxes = quote ? findQuoteBoxes(page, quote) : [];
    highlight(pixmap, boxes, scale);
    const imageHeight = pixmap.getHeight();
    const pageTop = page.getBounds()[1] ?? 0;
    const highlightTop =
      boxes.length > 0 && imageHeight > 0
        ? Math.min(1, Math.max(0, (Math.min(...boxes.map((box) => box.top)) - pageTop) * scale / imageHeight))
        : null;
    const png = new Uint8Array(pixmap.asPNG());
    pixmap.destroy();
    page.destroy();
    return ok({ png, pageCount, highlighted: boxes.length, highlightTop });
  } catch (error) {
    return fail(new HearthError("EXTRACT_FAILED", `Could not render page ${pageNumber}`, { cause: error }));
  } finally {
    document?.destroy();
  }
}
