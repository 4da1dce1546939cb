import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { docxLoader, htmlToBlocks } from "./docx.ts";
import { contextFor, corpusPath, describeLoaderContract, unitText, withoutCorpus } from "./loader-contract.ts";
import { sampleDocx } from "./sample-documents.ts";
import { defaultLoadLimits } from "./types.ts";
import { buildZip, deflatedEntry, docxBomb, encryptedOfficeHeader } from "./zip-fixtures.ts";

const nottinghamshirePath = corpusPath("formats/Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.docx");
const diagnosticPath = corpusPath("real/D2I_Data_Service_Diagnostic_Template_v1.2_April_2024.docx");
const gigabyte = 1024 * 1024 * 1024;

describeLoaderContract(docxLoader, {
  fixture: sampleDocx,
  samplePath: nottinghamshirePath,
  expectedWords: ["Sufficiency Duty", "Family Networking", "Multidisciplinary Teams", "As Percentage"],
  paged: false,
});

async function load(path: string) {
  const result = await docxLoader.load(new Uint8Array(readFileSync(path)), contextFor(path));
  if (!result.ok) throw result.error;
  return result.value;
}

describe.skipIf(withoutCorpus())("docxLoader on real documents", () => {
  it("keeps the Nottinghamshire title, list items and tables with their headers", async () => {
    const document = await load(nottinghamshirePath);
    expect(document.title).toBe("Sufficiency & Commissioning Strategy for children in Nottinghamshire 2023-25");
    expect(document.units).toHaveLength(1);
    const blocks = document.units[0]?.blocks ?? [];
    expect(blocks[0]).toEqual({ kind: "heading", level: 1, text: "Sufficiency & Commissioning Strategy for children in Nottinghamshire 2023-25" });
    expect(blocks).toContainEqual({ kind: "paragraph", text: "• The most common category of need is abuse and neglect, across all our age cohorts." });
    const position = blocks.find((block) => block.kind === "table" && block.header[0] === "Current Position (July 2022)");
    expect(position?.kind === "table" && position.header).toEqual(["Current Position (July 2022)", "As Percentage", "Actual Number of Young People"]);
    expect(position?.kind === "table" && position.rows[0]).toEqual(["% of children fostered by a relative or friend", "9.1%", "84"]);
  });

  it("reads the D2I template: bold one-line paragraphs become headings, images are skipped", async () => {
    const document = await load(diagnosticPath);
    const blocks = document.units[0]?.blocks ?? [];
    const headings = blocks.filter((block) => block.kind === "heading").map((block) => block.kind === "heading" && block.text);
    expect(headings).toEqual(expect.arrayContaining(["What is Data to Insight?", "What is this document?", "Patterns of data service delivery"]));
    expect(document.title).toBe("D2I Data Service Diagnostic: Template");
    const text = unitText(document.units[0] ?? { blocks: [] });
    expect(text).toContain("Data to Insight (D2I) is the LA-led service for children’s safeguarding data professionals.");
    expect(text).not.toContain("Description automatically generated");
  });
});

describe("docxLoader refusals", () => {
  it("stops a DOCX-shaped 5 GB zip bomb in little memory", async () => {
    const bomb = docxBomb(5 * gigabyte);
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
    const result = await docxLoader.load(bomb, contextFor("/tmp/Quarterly report.docx"));
    clearInterval(sampler);
    expect(Math.max(peakRss, process.memoryUsage().rss)).toBeLessThan(1.5 * gigabyte);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("ZIP_BOMB");
      expect(result.error.message).toBe("Quarterly report.docx: archive inflates beyond the 300 MB limit (zip bomb?)");
    }
  });

  it("obeys configured limits: a normal document fails under an 8 KB inflation limit", async () => {
    const limits = { ...defaultLoadLimits, maxInflatedBytes: 8 * 1024 };
    const sample = await sampleDocx();
    const result = await docxLoader.load(sample.bytes, contextFor(`/tmp/${sample.fileName}`, { limits }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("ZIP_BOMB");
      expect(result.error.message).toContain("Northshire Placement Strategy.docx: archive inflates beyond the 8 KB limit");
    }
  });

  it("names a text file posing as a DOCX", async () => {
    const result = await docxLoader.load(Buffer.from("Minutes of the meeting\n"), contextFor("/tmp/minutes.docx"));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("MISLABELLED_FILE");
      expect(result.error.message).toBe("minutes.docx is not a DOCX file (no ZIP signature)");
    }
  });

  it("reports a password-protected document as encrypted", async () => {
    const result = await docxLoader.load(encryptedOfficeHeader(), contextFor("/tmp/locked.docx"));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("ENCRYPTED_FILE");
      expect(result.error.message).toMatch(/^locked\.docx: password-protected \(encrypted Office file\)/);
    }
  });

  it("fails a ZIP without a Word document as CORRUPT_FILE", async () => {
    const archive = buildZip([deflatedEntry("[Content_Types].xml", "<Types/>"), deflatedEntry("notes.txt", "hello")]);
    expect(docxLoader.sniff(archive)).toBe(false);
    const result = await docxLoader.load(archive, contextFor("/tmp/empty-shell.docx"));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("CORRUPT_FILE");
      expect(result.error.message).toBe("empty-shell.docx: not a valid DOCX file (no word/document.xml)");
    }
  });
});

describe("htmlToBlocks", () => {
  it("maps headings, nested and numbered lists, spanning cells and footnotes", () => {
    const html =
      "<h1>Plan</h1><p><strong>Bold line</strong></p><h2>Aims</h2>" +
      "<ul><li>One<ul><li>One point one</li></ul></li><li>Two<sup><a href=\"#footnote-1\" id=\"footnote-ref-1\">[1]</a></sup></li></ul>" +
      "<ol><li>First</li><li>Second</li></ol>" +
      '<table><tr><td colspan="2"><p>Area</p></td><td>Count</td></tr><tr><td>A</td><td>B</td><td>3</td></tr><tr><td></td><td></td><td></td></tr></table>' +
      '<ol><li id="footnote-1"><p>A note. <a href="#footnote-ref-1">↑</a></p></li></ol>';
    expect(htmlToBlocks(html)).toEqual([
      { kind: "heading", level: 1, text: "Plan" },
      { kind: "paragraph", text: "Bold line" },
      { kind: "heading", level: 2, text: "Aims" },
      { kind: "paragraph", text: "• One" },
      { kind: "paragraph", text: "  • One point one" },
      { kind: "paragraph", text: "• Two[1]" },
      { kind: "paragraph", text: "1. First" },
      { kind: "paragraph", text: "2. Second" },
      { kind: "table", header: ["Area", "", "Count"], rows: [["A", "B", "3"]] },
      { kind: "paragraph", text: "1. A note." },
    ]);
  });

  it("treats short bold paragraphs as headings only when the document has no heading styles", () => {
    expect(htmlToBlocks("<p><strong>Key findings</strong></p><p>Text &amp; more.</p>")).toEqual([
      { kind: "heading", level: 2, text: "Key findings" },
      { kind: "paragraph", text: "Text & more." },
    ]);
  });
});
