/**
 * Renders one PDF page as PNG with mupdf (~110 dpi), the cited quote highlighted. The quote is searched whole
 * first; when layout breaks it up (hyphens, columns), it is searched in runs of a few words instead.
 */
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

/** Boxes (page coordinates) covering `quote` on the page. */
export function findQuoteBoxes(page: mupdf.Page, quote: string): Box[] {
  const text = quote.replace(/\s+/g, " ").trim().slice(0, maximumQuoteLength);
  if (text.length === 0) return [];
  const search = (needle: string): Box[] => page.search(needle, undefined).flatMap((hit) => hit.map(quadBox));
  const whole = text.length <= 200 ? search(text) : [];
  if (whole.length > 0) return whole;
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
