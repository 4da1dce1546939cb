/**
 * Reads a page's MuPDF structured text into `PdfPageText` through the WebAssembly module's exported accessors
 * (mupdf-module.ts), without JSON. `asJSON()` had MuPDF print the page as JSON, mupdf.js decode that UTF-8 and
 * `JSON.parse` build an object per line and block before the loader kept a few fields: about a quarter of the reading
 * phase of a long PDF (docs/benchmarks.md, "issue 10, eighth stop"). This walk gives exactly the lines
 * `pageTextFromJson(text.asJSON(), ...)` gives, by following what MuPDF's JSON printer (`fz_print_stext_page_as_json`)
 * writes:
 * - every top-level block counts towards a line's block index; an image block says the page has an image;
 * - a line's box is its bbox with x0 and y0, and the float (single precision) width and height, each cast to int
 *   (truncated towards zero); its size is its first character's size cast to int, its font its first character's
 *   (MuPDF keeps a line's style in its first character), bold where MuPDF or the font's name says so;
 * - its text is its characters, which JSON escaping (quotes, backslashes, control characters as \u00XX) and decoding
 *   give back unchanged.
 * Where the printer's output is not certain to be that (a block of another kind, a number outside int's range or not
 * finite, NUL, a surrogate or a code point past U+10FFFF, a font name outside printable ASCII, which the printer
 * escapes in its own way: as \x01, which JSON.parse rejects, for a control character, a character without a font),
 * the reader returns null and the caller takes the JSON path for that page, so the result is the same either way,
 * failures included. Tests compare both paths on every page of the corpus, on a PDF built with pdfkit and on
 * hand-written PDFs for each of these cases.
 */
import type { MupdfModule } from "./mupdf-module.ts";
import { isBoldFont, lineText } from "./pdf-layout.ts";
import type { PdfLine, PdfPageText } from "./pdf-layout.ts";

/** `fz_stext_block` types (MuPDF's FZ_STEXT_BLOCK_TEXT and FZ_STEXT_BLOCK_IMAGE). */
const textBlock = 0;
const imageBlock = 1;
/** Code units handed to String.fromCharCode at once (well under any engine's argument limit). */
const codeUnitsPerCall = 8192;

/** C's `(int)value` for a float the printer casts, or null where C's result is not defined (NaN, infinite, too big). */
function cast(value: number): number | null {
  const truncated = Math.trunc(value);
  // `| 0` turns -0 (from -0.5) into the 0 JSON gives.
  return truncated >= -2147483648 && truncated <= 2147483647 ? truncated | 0 : null;
}

/** A rectangle as the printer writes it (x, y, width, height), from the four floats at `pointer`; null as in `cast`. */
function printedBox(heap: Float32Array, pointer: number): { x: number; y: number; width: number; height: number } | null {
  const at = pointer >> 2;
  const x0 = heap[at] ?? Number.NaN;
  const y0 = heap[at + 1] ?? Number.NaN;
  const x1 = heap[at + 2] ?? Number.NaN;
  const y1 = heap[at + 3] ?? Number.NaN;
  const x = cast(x0);
  const y = cast(y0);
  // The C subtraction is in single precision; rounding the exact double difference to single gives the same float.
  const width = cast(Math.fround(x1 - x0));
  const height = cast(Math.fround(y1 - y0));
  return x === null || y === null || width === null || height === null ? null : { x, y, width, height };
}

/** A font's name when every byte is printable ASCII (the printer writes those as they are), else null. */
function printableName(heap: Uint8Array, pointer: number): string | null {
  let name = "";
  for (let at = pointer; ; at++) {
    const byte = heap[at] ?? 0;
    if (byte === 0) return name;
    if (byte < 0x20 || byte > 0x7e) return null;
    name += String.fromCharCode(byte);
  }
}

function fromCodeUnits(codeUnits: number[]): string {
  if (codeUnits.length <= codeUnitsPerCall) return String.fromCharCode(...codeUnits);
  let text = "";
  for (let start = 0; start < codeUnits.length; start += codeUnitsPerCall) text += String.fromCharCode(...codeUnits.slice(start, start + codeUnitsPerCall));
  return text;
}

/**
 * The page's lines from MuPDF's structured text page at `stextPage` (the `pointer` of a mupdf.StructuredText), or
 * null where only the JSON path is certain to give the same (see above).
 */
export function pageTextFromStructuredText(module: MupdfModule, stextPage: number, page: number, width: number, height: number): PdfPageText | null {
  const lines: PdfLine[] = [];
  let hasImage = false;
  let characters = 0;
  const boldByFont = new Map<number, boolean>();
  const codeUnits: number[] = [];
  let blockIndex = 0;
  for (let block = module._wasm_stext_page_get_first_block(stextPage); block !== 0; block = module._wasm_stext_block_get_next(block), blockIndex++) {
    const type = module._wasm_stext_block_get_type(block);
    if (type !== textBlock && type !== imageBlock) return null;
    if (printedBox(module.HEAPF32, module._wasm_stext_block_get_bbox(block)) === null) return null;
    if (type === imageBlock) {
      hasImage = true;
      continue;
    }
    for (let line = module._wasm_stext_block_get_first_line(block); line !== 0; line = module._wasm_stext_line_get_next(line)) {
      const box = printedBox(module.HEAPF32, module._wasm_stext_line_get_bbox(line));
      if (box === null) return null;
      const first = module._wasm_stext_line_get_first_char(line);
      // The printer writes no font for a line without characters, and its text is "": dropped, as in the JSON path.
      if (first === 0) continue;
      const size = cast(module._wasm_stext_char_get_size(first));
      const origin = module._wasm_stext_char_get_origin(first) >> 2;
      if (size === null || cast(module.HEAPF32[origin] ?? Number.NaN) === null || cast(module.HEAPF32[origin + 1] ?? Number.NaN) === null) return null;
      const font = module._wasm_stext_char_get_font(first);
      if (font === 0) return null;
      let bold = boldByFont.get(font);
      if (bold === undefined) {
        const name = printableName(module.HEAPU8, module._wasm_font_get_name(font));
        if (name === null) return null;
        bold = isBoldFont(module._wasm_font_is_bold(font) !== 0, name);
        boldByFont.set(font, bold);
      }
      codeUnits.length = 0;
      for (let char = first; char !== 0; char = module._wasm_stext_char_get_next(char)) {
        const codePoint = module._wasm_stext_char_get_c(char);
        // The printer writes a surrogate as three bytes that decode to three U+FFFD, and one past U+10FFFF as U+FFFD;
        // it escapes control characters (\u0007), which decode back; NUL is not seen from MuPDF, so not assumed.
        if (codePoint < 1 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return null;
        if (codePoint < 0x10000) codeUnits.push(codePoint);
        else codeUnits.push(0xd800 + ((codePoint - 0x10000) >> 10), 0xdc00 + ((codePoint - 0x10000) & 0x3ff));
      }
      const text = lineText(fromCodeUnits(codeUnits));
      if (text === "") continue;
      characters += text.length;
      lines.push({ x0: box.x, y0: box.y, x1: box.x + box.width, y1: box.y + box.height, text, size, bold, block: blockIndex });
    }
  }
  return { page, width, height, lines, hasImage, characters };
}
