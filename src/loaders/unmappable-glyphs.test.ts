import { describe, expect, it } from "vitest";
import { contextFor } from "./loader-contract.ts";
import { pdfLoader } from "./pdf.ts";
import type { LoadedDocument } from "./types.ts";
import { pdfFromObjects } from "./pdf-fixtures.ts";
import { mapUnmappableGlyphs, withoutReplacementCharacters } from "./unmappable-glyphs.ts";

/**
 * A one-page PDF whose font maps character codes to glyph names that have no Unicode value of their own:
 * "A" draws /uniF0B7 (the Symbol-font bullet, a private-use code point) and "B" draws /g0042, which MuPDF can only
 * report as U+FFFD. Written byte by byte so the test controls exactly what the text layer says.
 */
function pdfWithUnmappedGlyphs(lines: string[]): Uint8Array {
  const content = lines.map((line, index) => `BT /F1 12 Tf 72 ${720 - index * 20} Td (${line}) Tj ET`).join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [65 /uniF0B7 /g0042] >> >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  return pdfFromObjects(objects);
}

const allText = (document: LoadedDocument): string =>
  document.units
    .flatMap((unit) => unit.blocks)
    .map((block) => (block.kind === "table" ? [block.caption ?? "", ...block.header, ...block.rows.flat()].join(" ") : block.text))
    .join("\n");

describe("unmappable glyphs", () => {
  it("turns a symbol-font bullet or U+FFFD that opens a line into a bullet", () => {
    expect(mapUnmappableGlyphs("\uFFFD We will provide better support")).toBe("• We will provide better support");
    expect(mapUnmappableGlyphs("\uF0B7 Auto-populated data")).toBe("• Auto-populated data");
    expect(mapUnmappableGlyphs("\uF0A7The Adoption and Children Act 2002")).toBe("• The Adoption and Children Act 2002");
    expect(mapUnmappableGlyphs(" \uF0B7 ")).toBe("•");
  });

  it("drops what cannot be mapped, reading it as a space only where the line has no spaces of its own", () => {
    expect(mapUnmappableGlyphs("Overview\uFFFDof\uFFFDthe\uFFFDTechnology")).toBe("Overview of the Technology");
    expect(mapUnmappableGlyphs("Abstract\uFFFD")).toBe("Abstract");
    expect(mapUnmappableGlyphs("the of\uFFFDce is open")).toBe("the ofce is open");
    expect(mapUnmappableGlyphs("\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD")).toBe("");
    expect(mapUnmappableGlyphs("plain text, £2,278 per week")).toBe("plain text, £2,278 per week");
  });

  it("leaves no U+FFFD in any block of any format", () => {
    const cleaned = withoutReplacementCharacters({
      format: "docx",
      title: "Strategy \uFFFD2024",
      warnings: [],
      units: [
        {
          page: null,
          section: null,
          blocks: [
            { kind: "paragraph", text: "caf\uFFFD and more" },
            { kind: "table", header: ["Cost\uFFFD"], rows: [["\uFFFD£900"]], caption: "Table\uFFFD1" },
          ],
        },
      ],
    });
    expect(allText(cleaned)).not.toContain("\uFFFD");
    expect(cleaned.title).toBe("Strategy 2024");
    expect(allText(cleaned)).toContain("£900");
  });

  it("a PDF whose bullets are symbol glyphs loads with '•' and no U+FFFD or private-use characters", async () => {
    const bytes = pdfWithUnmappedGlyphs(["A We will provide better support to those leaving care", "B Ensure we are providing homes", "Costs rose 5%BB"]);
    const result = await pdfLoader.load(bytes, contextFor("/tmp/bullets.pdf"));
    if (!result.ok) throw result.error;
    const text = allText(result.value);
    expect(text).toContain("• We will provide better support to those leaving care");
    expect(text).toContain("• Ensure we are providing homes");
    expect(text).toContain("Costs rose 5%");
    expect(text).not.toMatch(/[\uE000-\uF8FF\uFFFD]/u);
  });
});
