/**
 * The structured-text reader must give exactly what the JSON path gives (`pageTextFromJson(text.asJSON(), ...)`, what
 * the loader read before it): on every page of every PDF of the corpus (damaged ones too), on a PDF built here with
 * bold and regular fonts, fractional sizes, text across the page's left edge, rotated text, an image and non-ASCII
 * characters, and on hand-written PDFs whose characters or font names the JSON printer escapes or the reader leaves to
 * JSON.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
// Before "mupdf": hands MuPDF the object its WebAssembly module fills in (see mupdf-module.ts).
import { mupdfModule } from "./mupdf-module.ts";
import type { MupdfModule } from "./mupdf-module.ts";
import * as mupdf from "mupdf";
import { describe, expect, it } from "vitest";
import { corpus, withoutCorpus } from "../../test/support/corpus.ts";
import { pageTextFromJson } from "./pdf-layout.ts";
import type { PdfPageText } from "./pdf-layout.ts";
import { pageTextReader, readPage } from "./pdf-page-text.ts";
import { pageTextFromStructuredText } from "./pdf-stext-reader.ts";
import { pdfFromObjects, pdfkitPdf } from "./pdf-fixtures.ts";

function loadedModule(): MupdfModule {
  const handle = mupdfModule();
  if (!("module" in handle)) throw new Error(handle.reason);
  return handle.module;
}

interface PageComparison {
  page: number;
  json: PdfPageText;
  /** The reader's result; null where it left the page to the JSON path. */
  direct: PdfPageText | null;
  /** What the loader's readPage gives. */
  read: PdfPageText;
}

/** Both paths over every page MuPDF can read; a page MuPDF cannot load or structure is skipped (both paths fail alike). */
function comparePages(bytes: Uint8Array): PageComparison[] {
  const module = loadedModule();
  const comparisons: PageComparison[] = [];
  let document: mupdf.Document;
  try {
    document = mupdf.Document.openDocument(bytes, "application/pdf");
  } catch {
    return comparisons;
  }
  try {
    let pageCount = 0;
    try {
      pageCount = document.countPages();
    } catch {
      return comparisons;
    }
    for (let index = 0; index < pageCount; index++) {
      let page: mupdf.Page;
      let text: mupdf.StructuredText;
      let bounds: number[];
      try {
        page = document.loadPage(index);
      } catch {
        continue;
      }
      try {
        bounds = page.getBounds();
        text = page.toStructuredText("preserve-whitespace,preserve-images");
      } catch {
        page.destroy();
        continue;
      }
      const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = bounds;
      try {
        let json: PdfPageText | null = null;
        let failure = "";
        try {
          json = pageTextFromJson(text.asJSON(), index + 1, x1 - x0, y1 - y0);
        } catch (error) {
          failure = String(error);
        }
        const direct = pageTextFromStructuredText(module, text.pointer, index + 1, x1 - x0, y1 - y0);
        // The JSON path failing on a page would make the loader call it unreadable: the reader must not read it.
        if (json === null) expect(direct, `page ${index + 1}: the JSON path failed (${failure})`).toBeNull();
        else comparisons.push({ page: index + 1, json, direct, read: readPage(document, index) });
      } finally {
        text.destroy();
        page.destroy();
      }
    }
  } finally {
    document.destroy();
  }
  return comparisons;
}

function expectSame(comparisons: readonly PageComparison[], label: string): void {
  for (const { page, json, direct, read } of comparisons) {
    if (direct !== null) expect(direct, `${label}, page ${page}`).toStrictEqual(json);
    expect(read, `${label}, page ${page} through readPage`).toStrictEqual(json);
  }
}

/** A PNG of a small gradient, from MuPDF, for pdfkit to place. */
function smallPng(): Buffer {
  const pixmap = new mupdf.Pixmap(mupdf.ColorSpace.DeviceRGB, [0, 0, 24, 16], false);
  try {
    pixmap.clear(200);
    return Buffer.from(pixmap.asPNG());
  } finally {
    pixmap.destroy();
  }
}

/** pdfkit: regular and bold fonts, sizes with fractions, text beyond the left edge, rotated text, an image, non-ASCII. */
function builtPdf(): Promise<Uint8Array> {
  return pdfkitPdf({ size: "A4", margin: 50 }, (document) => {
    document.font("Helvetica-Bold").fontSize(21.7).text("Café strategy — “children’s homes” 2024–25");
    document.font("Helvetica").fontSize(10.5).text("A paragraph with naïve façade, £2,278 per week, 5 × 3 ≠ 15… • and ½ an hour; ");
    document.font("Times-Roman").fontSize(9.2).text("Serif body text in several lines: ".repeat(6));
    document.font("Times-Bold").fontSize(13.96).text("Bold serif heading", 50, 400);
    document.font("Courier").fontSize(8.4).text('Quotes " and backslashes \\ in monospaced text', 50, 430);
    // MuPDF drops characters wholly outside the page; "W" straddles its left edge.
    document.font("Helvetica").fontSize(12).text("Wide line from beyond the left edge", -3.4, 460, { lineBreak: false });
    document.save().rotate(-30, { origin: [300, 600] }).font("Helvetica-Oblique").fontSize(11.3).text("Rotated text", 300, 600, { lineBreak: false }).restore();
    document.addPage().image(smallPng(), 100, 100, { width: 240 }).font("Helvetica").fontSize(10).text("Caption under the image", 100, 300);
    document.addPage().image(smallPng(), 0, 0, { width: 595, height: 842 });
  });
}

/**
 * A one-page PDF showing "ABB" in a simple font: named `baseFont` (a PDF name, #-escapes allowed), with `differences`
 * giving code "A" a glyph name, or a ToUnicode map giving "A" the UTF-16 `unicode` (hex) and "B" a plain "b".
 */
function handWrittenPdf(font: { baseFont?: string; unicode?: string; differences?: string }): Uint8Array {
  const map = [
    "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Test-UCS def /CMapType 2 def",
    "1 begincodespacerange <00> <FF> endcodespacerange",
    `2 beginbfchar <41> <${font.unicode ?? "0041"}> <42> <0062> endbfchar`,
    "endcmap CMapName currentdict /CMap defineresource pop end end",
  ].join("\n");
  const content = "BT /F1 14 Tf 40 120 Td (ABB) Tj ET";
  const encoding = font.differences === undefined ? "" : ` /Encoding << /Type /Encoding /Differences [65 ${font.differences}] >>`;
  const toUnicode = font.unicode === undefined ? "" : " /ToUnicode 6 0 R";
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    `<< /Type /Font /Subtype /Type1 /BaseFont ${font.baseFont ?? "/Helvetica"}${encoding}${toUnicode} >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    `<< /Length ${map.length} >>\nstream\n${map}\nendstream`,
  ];
  return pdfFromObjects(objects);
}

describe("the structured-text reader against the JSON path", () => {
  it("is what this thread reads pages with (MuPDF's module was handed over before MuPDF loaded)", () => {
    expect(pageTextReader()).toEqual({ kind: "structured text" });
    // And Emscripten instantiated MuPDF through the handle's instantiateWasm (it calls that whenever it is set).
    expect(typeof (globalThis as Record<string, unknown> & { $libmupdf_wasm_Module?: { instantiateWasm?: unknown } }).$libmupdf_wasm_Module?.instantiateWasm).toBe("function");
  });

  it("gives the same lines on a PDF with bold and regular fonts, several sizes, an image and non-ASCII text", async () => {
    const comparisons = comparePages(await builtPdf());
    expect(comparisons.map((comparison) => comparison.page)).toEqual([1, 2, 3]);
    // Every page is read directly: a reader that always left the page to JSON would pass the comparison.
    expect(comparisons.every((comparison) => comparison.direct !== null)).toBe(true);
    expectSame(comparisons, "built PDF");
    const [first, second, third] = comparisons.map((comparison) => comparison.json);
    const lines = first?.lines ?? [];
    expect(lines.find((line) => line.text.startsWith("Café strategy"))).toMatchObject({ bold: true, size: 21 });
    expect(lines.find((line) => line.text.startsWith("A paragraph with naïve"))).toMatchObject({ bold: false, size: 10 });
    expect(lines.find((line) => line.text === "Bold serif heading")).toMatchObject({ bold: true, size: 13 });
    expect(lines.find((line) => line.text.startsWith("Quotes \" and backslashes \\"))).toMatchObject({ bold: false, size: 8 });
    // Truncated towards zero, as C's (int) does: a box starting at -3.4 starts at -3, not -4.
    expect(lines.find((line) => line.text.startsWith("Wide line"))?.x0).toBe(-3);
    expect(lines.some((line) => line.text === "Rotated text")).toBe(true);
    expect(first?.hasImage).toBe(false);
    expect(second?.hasImage).toBe(true);
    expect(second?.lines.map((line) => line.text)).toEqual(["Caption under the image"]);
    expect(third).toMatchObject({ hasImage: true, lines: [], characters: 0 });
  });

  it.each([
    // [case, font, read directly, the line's text, bold]
    ["a character outside the basic plane", { unicode: "D83DDE00" }, true, "\u{1F600}bb", false],
    ["an accented letter", { unicode: "00E9" }, true, "ébb", false],
    ["a quote, which JSON escapes", { unicode: "0022" }, true, '"bb', false],
    ["a backslash, which JSON escapes", { unicode: "005C" }, true, "\\bb", false],
    ["a control character (\\u0007 in JSON)", { differences: "/uni0007" }, true, "\u0007BB", false],
    ["another control character (\\u001f in JSON)", { differences: "/uni001F" }, true, "\u001fBB", false],
    ["a lone surrogate (three U+FFFD through JSON, then a bullet): left to JSON", { unicode: "D800" }, false, "• bb", false],
    ["a font name with a quote", { baseFont: "/Helv#22tica-Bold" }, true, "ABB", true],
    ["a font name outside ASCII, which the printer escapes: left to JSON", { baseFont: "/Helv#C3#A9tica-Bold" }, false, "ABB", true],
  ] as const)("reads a line with %s as the JSON path does", (_case, font, direct, text, bold) => {
    const comparisons = comparePages(handWrittenPdf(font));
    expect(comparisons).toHaveLength(1);
    expectSame(comparisons, _case);
    expect(comparisons[0]?.direct !== null, "read directly").toBe(direct);
    expect(comparisons[0]?.json.lines.map((line) => [line.text, line.bold])).toEqual([[text, bold]]);
  });

  it("fails on a page where the JSON path fails (a font name with a control character, printed as \\x01)", () => {
    const bytes = handWrittenPdf({ baseFont: "/Helv#01tica" });
    // comparePages checks that the reader gives null where asJSON's output does not parse.
    expect(comparePages(bytes)).toEqual([]);
    const document = mupdf.Document.openDocument(bytes, "application/pdf");
    try {
      expect(() => readPage(document, 0)).toThrow(SyntaxError);
    } finally {
      document.destroy();
    }
  });
});

describe.skipIf(withoutCorpus())("the structured-text reader on the corpus", () => {
  const folders = ["library", "real", "dev2/docs", "formats", "robustness"];
  // Vitest runs a skipped block's body to collect its tests: without the corpus there is no folder to list.
  const files = withoutCorpus() ? [] : folders.flatMap((folder) =>
    readdirSync(corpus(folder))
      .filter((name) => name.toLowerCase().endsWith(".pdf"))
      .sort()
      .map((name) => join(folder, name)),
  );

  it.each(files)("gives the JSON path's lines on every page of %s, reading each page directly", (file) => {
    const comparisons = comparePages(new Uint8Array(readFileSync(corpus(file))));
    expectSame(comparisons, file);
    // No corpus page needs the JSON path (the reader's speed on real files, which the comparison alone would not see).
    expect(comparisons.filter((comparison) => comparison.direct === null).map((comparison) => comparison.page), file).toEqual([]);
  });
});
