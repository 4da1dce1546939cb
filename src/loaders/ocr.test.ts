import { describe, expect, it } from "vitest";
import { contextFor, unitText } from "./loader-contract.ts";
import { checkTesseract, ocrTextToBlocks, tesseractAvailable } from "./ocr.ts";
import { pdfLoader } from "./pdf.ts";
import { sampleScannedPdf } from "./sample-documents.ts";

// The corpus's real scan (formats/, Cambridgeshire pages 3-6) is read through OCR once a run, where the CLI ingests
// formats/ (test/cli-library.test.ts: its pages 1-4, their words, no warning); tesseract costs ~12 s of CPU for it.
const built = await sampleScannedPdf();
const builtPath = `/tmp/${built.fileName}`;
const tesseract = await checkTesseract("tesseract", "eng");
if (!tesseract.available) console.warn(`OCR test skipped: ${tesseract.reason}`);

describe("OCR of scanned PDF pages", () => {
  it.skipIf(!tesseract.available)("reads a built scan's three pages with their page numbers", async () => {
    const result = await pdfLoader.load(built.bytes, contextFor(builtPath, { ocr: { enabled: true, command: "tesseract", language: "eng" } }));
    if (!result.ok) throw result.error;
    expect(result.value.units.map((unit) => unit.page)).toEqual([1, 2, 3]);
    const text = result.value.units.map(unitText).join("\n");
    for (const phrase of built.expectedWords) expect(text).toContain(phrase);
    expect(unitText(result.value.units[2] ?? { blocks: [] })).toContain("Workforce");
  }, 120_000);

  it("fails with NO_TEXT naming the pages when OCR is turned off", async () => {
    const result = await pdfLoader.load(built.bytes, contextFor(builtPath));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("NO_TEXT");
      expect(result.error.message).toBe(
        "Northshire Placement Strategy (scanned).pdf: pages 1-3 have no text layer and need OCR; OCR is turned off; turn it on to read them",
      );
    }
  });

  it("says how to install tesseract when the command is missing", async () => {
    const result = await pdfLoader.load(built.bytes, contextFor(builtPath, { ocr: { enabled: true, command: "/nonexistent/tesseract", language: "eng" } }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("NO_TEXT");
      expect(result.error.message).toContain("pages 1-3 have no text layer");
      expect(result.error.message).toContain("install tesseract-ocr (apt-get install tesseract-ocr)");
    }
    expect(await tesseractAvailable("/nonexistent/tesseract")).toBe(false);
  });

  it.skipIf(!tesseract.available)("names a missing language pack", async () => {
    const check = await checkTesseract("tesseract", "zzz");
    expect(check).toEqual({ available: false, reason: "tesseract has no language data for zzz (install tesseract-ocr-zzz)" });
  });

  it("splits OCR output into paragraphs, joining wrapped lines and dropping page numbers", () => {
    const text = "Savings Targets\n\nThis combination of a higher number of Looked After Children and a\nhigh level of spend on placements commis-\nsioned.\n\n  12  \n\f";
    expect(ocrTextToBlocks(text)).toEqual([
      { kind: "paragraph", text: "Savings Targets" },
      { kind: "paragraph", text: "This combination of a higher number of Looked After Children and a high level of spend on placements commissioned." },
    ]);
  });
});
