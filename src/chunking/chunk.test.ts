import { describe, expect, it } from "vitest";
import type { LoadedDocument } from "../loaders/types.ts";
import { chunkDocument, renderTableRow } from "./chunk.ts";

const sentence = (index: number): string =>
  `Sentence ${index} explains how the local authority commissions residential placements for looked after children.`;

const document: LoadedDocument = {
  format: "pdf",
  title: "Test strategy",
  warnings: [],
  units: [
    {
      page: 1,
      section: null,
      blocks: [
        { kind: "heading", level: 1, text: "Context" },
        { kind: "paragraph", text: Array.from({ length: 20 }, (_, index) => sentence(index)).join(" ") },
        { kind: "heading", level: 2, text: "Unit Costs" },
        {
          kind: "table",
          header: ["Type of Placement", "Cambridgeshire Unit Cost", "Average Unit Cost"],
          rows: Array.from({ length: 40 }, (_, index) => [`Placement type ${index}`, `£${2000 + index} per week`, `£${2500 + index} per week`]),
        },
      ],
    },
    {
      page: 2,
      section: null,
      blocks: [{ kind: "paragraph", text: "A short paragraph on page two about foster care." }],
    },
  ],
};

describe("chunkDocument", () => {
  const { units, chunks } = chunkDocument(document);

  it("keeps one canonical text per unit, with its page", () => {
    expect(units.map((unit) => unit.page)).toEqual([1, 2]);
    expect(units[0]?.text).toContain("Context");
  });

  it("never lets a passage span two pages, and offsets point into the page text", () => {
    for (const chunk of chunks) {
      const unit = units.find((candidate) => candidate.page === chunk.page);
      expect(unit).toBeDefined();
      if (chunk.kind === "text") expect(unit?.text.slice(chunk.start, chunk.end)).toBe(chunk.text);
      expect(chunk.end).toBeLessThanOrEqual(unit?.text.length ?? 0);
      expect(chunk.start).toBeGreaterThanOrEqual(0);
    }
    expect(chunks.filter((chunk) => chunk.page === 2)).toHaveLength(1);
  });

  it("splits long text near the target size at sentence boundaries", () => {
    const textChunks = chunks.filter((chunk) => chunk.kind === "text" && chunk.page === 1);
    expect(textChunks.length).toBeGreaterThan(2);
    for (const chunk of textChunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(1200);
      expect(chunk.text.trimEnd()).toMatch(/[.!?]$/);
    }
  });

  it("repeats the table header row with every table piece", () => {
    const tablePieces = chunks.filter((chunk) => chunk.kind === "table");
    expect(tablePieces.length).toBeGreaterThan(1);
    const header = renderTableRow(["Type of Placement", "Cambridgeshire Unit Cost", "Average Unit Cost"]);
    // The first piece opens with the heading just above the table, then the header row.
    expect(tablePieces[0]?.text.startsWith(`Unit Costs\n\n${header}\n`)).toBe(true);
    for (const piece of tablePieces.slice(1)) expect(piece.text.startsWith(`${header}\n`)).toBe(true);
    const allRows = tablePieces.flatMap((piece) => piece.text.replace(/^Unit Costs\n\n/, "").split("\n").slice(1));
    expect(allRows).toHaveLength(40);
  });

  it("keeps the heading path, carried across pages", () => {
    const table = chunks.find((chunk) => chunk.kind === "table");
    expect(table?.headingPath).toEqual(["Context", "Unit Costs"]);
    expect(table?.section).toBe("Unit Costs");
    const pageTwo = chunks.find((chunk) => chunk.page === 2);
    expect(pageTwo?.headingPath).toEqual(["Context", "Unit Costs"]);
  });

  it("numbers passages in document order", () => {
    expect(chunks.map((chunk) => chunk.ordinal)).toEqual(chunks.map((_, index) => index));
  });

  it("labels UK regulation paragraphs so that a search for the regulation number finds them", () => {
    const regulations: LoadedDocument = {
      format: "pdf",
      title: "The Children's Homes (England) Regulations 2015",
      warnings: [],
      units: [
        {
          page: 32,
          section: null,
          blocks: [
            { kind: "heading", level: 2, text: "Independent person: visits and reports" },
            { kind: "paragraph", text: "44.—(1) The registered person must ensure that an independent person visits the children's home at least once each month." },
            { kind: "paragraph", text: "45.—(1) The registered person must complete a review of the quality of care at least once every 6 months." },
          ],
        },
      ],
    };
    const result = chunkDocument(regulations);
    expect(result.chunks.map((chunk) => chunk.section)).toEqual(["Regulation 44", "Regulation 45"]);
    expect(result.chunks[0]?.headingPath).toEqual(["Independent person: visits and reports", "Regulation 44"]);
    expect(result.units[0]?.text).not.toContain("Regulation 44");
    expect(result.chunks[1]?.text).toMatch(/^45\.—\(1\)/);
  });
});
