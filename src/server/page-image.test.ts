import { readFileSync } from "node:fs";
// Before "mupdf": hands MuPDF the object its WebAssembly module fills in (see loaders/mupdf-module.ts).
import "../loaders/mupdf-module.ts";
import * as mupdf from "mupdf";
import { describe, expect, it } from "vitest";
import { corpus, withoutCorpus } from "../../test/support/corpus.ts";
import { findQuoteBoxes, renderPdfPage } from "./page-image.ts";

const cambridgeshire = "library/Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf";

describe.skipIf(withoutCorpus())("page image highlight", () => {
  it("lights only the cited table row's cells, not every 'per week' on the page", () => {
    const bytes = readFileSync(corpus(cambridgeshire));
    const document = mupdf.Document.openDocument(new Uint8Array(bytes), "application/pdf");
    try {
      const page = document.loadPage(3);
      // The extractive answerer's quote of the row (cells joined by " | ").
      const boxes = findQuoteBoxes(page, "In-house Residential Children's Homes | £2,278 per week | £2,611 per week");
      expect(boxes).toHaveLength(3);
      const tops = boxes.map((box) => Math.round(box.top));
      expect(Math.max(...tops) - Math.min(...tops)).toBeLessThanOrEqual(2);
      // Those three cells are the row holding £2,278: the label at the left, the two figures to its right.
      const row = page.search("£2,278 per week", undefined).flat();
      expect(row.length).toBeGreaterThan(0);
      expect(Math.round(Math.min(...boxes.map((box) => box.left)))).toBeLessThan(100);
      // Another row is found as itself, not as the first row that shares its words.
      const other = findQuoteBoxes(page, "External Residential Children's Homes | £3,290 per week | £2,774 per week");
      expect(other).toHaveLength(3);
      expect(Math.round(other[0]?.top ?? 0)).toBeGreaterThan(Math.max(...tops));
      // A row whose figures are not on the page is not "found" from its words alone.
      expect(findQuoteBoxes(page, "In-house Residential Children's Homes | £9,999 per week | £1,111 per week").length).not.toBe(3);
      page.destroy();
    } finally {
      document.destroy();
    }
    const rendered = renderPdfPage(new Uint8Array(bytes), 4, "In-house Residential Children's Homes | £2,278 per week | £2,611 per week");
    expect(rendered.ok && rendered.value.highlighted).toBe(3);
    expect(rendered.ok && rendered.value.highlightTop).toBeGreaterThan(0.3);
  });
});
