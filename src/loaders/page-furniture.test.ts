import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contextFor, corpusPath, unitText, withoutCorpus } from "./loader-contract.ts";
import { removePageFurniture } from "./page-furniture.ts";
import { pdfLoader } from "./pdf.ts";
import type { LoadedDocument } from "./types.ts";

const page = (number: number, body: string): LoadedDocument["units"][number] => ({
  page: number,
  section: null,
  blocks: [
    { kind: "paragraph", text: `Inspection of Leeds City local authority children's services ${number} July 2025` },
    { kind: "paragraph", text: body },
    { kind: "paragraph", text: `${number}` },
  ],
});

describe("removePageFurniture", () => {
  it("drops lines repeated at the edges of most pages, numbers and dates aside", () => {
    const document: LoadedDocument = {
      format: "pdf",
      title: null,
      warnings: [],
      units: ["foster care", "residential homes", "kinship care", "secure homes", "supported accommodation"].map((topic, index) =>
        page(index + 1, `This page is about ${topic}.`),
      ),
    };
    const cleaned = removePageFurniture(document);
    for (const unit of cleaned.units) {
      expect(unit.blocks).toHaveLength(1);
      expect(unitText(unit)).toMatch(/^This page is about/);
    }
  });

  it("keeps documents too short to tell furniture from content", () => {
    const document: LoadedDocument = { format: "pdf", title: null, warnings: [], units: [page(1, "Only page.")] };
    expect(removePageFurniture(document)).toBe(document);
  });

  it.skipIf(withoutCorpus())("leaves no running line on a real Ofsted report, and keeps its content", async () => {
    const path = corpusPath("real/ofsted-ilacs_leeds_12-august-2025.pdf");
    const loaded = await pdfLoader.load(new Uint8Array(readFileSync(path)), contextFor(path));
    if (!loaded.ok) throw loaded.error;
    const cleaned = removePageFurniture(loaded.value);
    const firstLines = cleaned.units.map((unit) => unitText(unit).split("\n")[0]?.replace(/\d+/g, "#"));
    const repeats = firstLines.filter((line) => line === firstLines[1]).length;
    expect(repeats).toBeLessThan(cleaned.units.length / 2);
    expect(unitText(cleaned.units[0]!)).toContain("Catherine Heron");
    expect(cleaned.units).toHaveLength(loaded.value.units.length);
  });
});
