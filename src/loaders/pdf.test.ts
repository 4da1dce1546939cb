import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contextFor, corpusPath, describeLoaderContract, unitText } from "./loader-contract.ts";
import { samplePdf } from "./sample-documents.ts";
import { withoutCorpus } from "./loader-contract.ts";
import { describePages, pdfLoader } from "./pdf.ts";
import { joinLines } from "./pdf-layout.ts";
import type { ContentBlock, LoadContext, LoadedDocument } from "./types.ts";
import { defaultLoadLimits } from "./types.ts";

const cambridgeshire = corpusPath("library/Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf");
const nottinghamshire = corpusPath("library/Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf");
const dfeGuide = corpusPath("real/Guide_to_Children_s_Home_Standards_inc_quality_standards_Version__1.17_FINAL.pdf");
const twoColumnPaper = corpusPath("robustness/tracemonkey.pdf");

describeLoaderContract(pdfLoader, {
  fixture: samplePdf,
  samplePath: cambridgeshire,
  expectedWords: ["Looked After Children", "£2,278 per week", "Cambridgeshire Unit Cost", "Placement"],
  paged: true,
});

async function load(path: string, overrides: Partial<LoadContext> = {}): Promise<LoadedDocument> {
  const result = await pdfLoader.load(new Uint8Array(readFileSync(path)), contextFor(path, overrides));
  if (!result.ok) throw result.error;
  return result.value;
}

function pageBlocks(document: LoadedDocument, page: number): ContentBlock[] {
  const unit = document.units.find((candidate) => candidate.page === page);
  if (unit === undefined) throw new Error(`no unit for page ${page}`);
  return unit.blocks;
}

function pageText(document: LoadedDocument, page: number): string {
  return unitText({ blocks: pageBlocks(document, page) });
}

describe.skipIf(withoutCorpus())("pdfLoader on the library PDFs", () => {
  it("keeps one unit per page with the metadata title", async () => {
    const cambs = await load(cambridgeshire);
    const notts = await load(nottinghamshire);
    expect(cambs.units.map((unit) => unit.page)).toEqual(Array.from({ length: 32 }, (_, index) => index + 1));
    expect(notts.units).toHaveLength(18);
    expect(cambs.title).toBe("Cambridgeshire Placement Strategy for Looked After Children 2011-2015");
    expect(cambs.warnings).toEqual([]);
  });

  it("rebuilds the unit-cost table on Cambridgeshire page 4 with its header", async () => {
    const document = await load(cambridgeshire);
    const tables = pageBlocks(document, 4).filter((block) => block.kind === "table");
    expect(tables).toHaveLength(1);
    const table = tables[0];
    if (table?.kind !== "table") throw new Error("expected a table");
    expect(table.header).toEqual(["Type of Placement", "Cambridgeshire Unit Cost", "Average Unit Cost"]);
    expect(table.rows).toContainEqual(["In-house Residential Children's Homes", "£2,278 per week", "£2,611 per week"]);
    expect(table.rows).toHaveLength(4);
  });

  it("merges cells that wrap onto several lines (Cambridgeshire page 30 members table)", async () => {
    const document = await load(cambridgeshire);
    const table = pageBlocks(document, 30).find((block) => block.kind === "table");
    if (table?.kind !== "table") throw new Error("expected a table on page 30");
    expect(table.header).toEqual(["Name", "Role"]);
    expect(table.rows).toContainEqual(["Hannah Woodhouse", "Project Sponsor"]);
    expect(table.rows).toContainEqual([
      "Niki Clemo",
      "Lead for Social Care Workstreams in action plan and complementary transformation of Social Care to unit model",
    ]);
  });

  it("reads centred, two-line table headers over their columns (Nottinghamshire pages 5 and 15)", async () => {
    const document = await load(nottinghamshire);
    const position = pageBlocks(document, 5).find((block) => block.kind === "table");
    if (position?.kind !== "table") throw new Error("expected a table on page 5");
    expect(position.header).toEqual(["Current Position (July 2022)", "As Percentage", "Actual Number of Young People"]);
    expect(position.rows).toContainEqual(["% of foster placements that are external", "57.7%", "303"]);
    const plan = pageBlocks(document, 15).find((block) => block.kind === "table" && block.header.includes("Who"));
    if (plan?.kind !== "table") throw new Error("expected the action plan table on page 15");
    expect(plan.header).toEqual(["Desired Outcome", "Action(s)", "Who", "When?"]);
    expect(plan.rows[0]?.[3]).toBe("By 2024");
  });

  it("joins paragraphs MuPDF splits into blocks, and finds headings", async () => {
    const document = await load(cambridgeshire);
    const blocks = pageBlocks(document, 4);
    expect(blocks[0]).toEqual({ kind: "heading", level: expect.any(Number), text: "Context" });
    expect(pageText(document, 4)).toContain("it is timely to consider the services we provide");
    const notts = await load(nottinghamshire);
    expect(pageText(notts, 4)).toContain("55.2% are in unrelated foster care");
    expect(pageBlocks(notts, 10)).toContainEqual({ kind: "heading", level: expect.any(Number), text: "Mainstream Residential Care" });
  });

  it("puts a text box MuPDF lists last back in reading order (DfE guide page 20)", async () => {
    const text = pageText(await load(dfeGuide), 20);
    const order = ["The text of the regulation", "7.—(1) The children’s views", "(e) ensure that the views", "Explanation of terms in the regulation"];
    const positions = order.map((phrase) => text.indexOf(phrase));
    for (const position of positions) expect(position).toBeGreaterThanOrEqual(0);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // A wrapped regulation line is one paragraph with its hanging indent.
    expect(text).toContain("affecting the children’s care and welfare and their lives.");
  });

  it("reads a two-column page left column first, under its full-width header", async () => {
    const text = pageText(await load(twoColumnPaper), 1);
    const order = ["Trace-based Just-in-Time", "Abstract", "1. Introduction", "We present a trace-based compilation technique"];
    const positions = order.map((phrase) => text.indexOf(phrase));
    for (const position of positions) expect(position).toBeGreaterThanOrEqual(0);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("drops bare page numbers and running footers", async () => {
    const document = await load(dfeGuide);
    expect(pageBlocks(document, 8).some((block) => block.kind === "paragraph" && block.text === "8")).toBe(false);
    const report = await load(corpusPath("real/ofsted-ilacs_kent_02-february-2026.pdf"));
    expect(pageText(report, 2)).toContain("Experienced and committed leaders");
    expect(pageText(report, 2)).not.toContain("Inspection of Kent local authority children’s services 3 to 7 November 2025");
  });
});

describe("pdfLoader failures", () => {
  it("reports a password-protected PDF", async () => {
    const { default: PDFDocument } = await import("pdfkit");
    const locked = new PDFDocument({ userPassword: "secret", ownerPassword: "owner" });
    const parts: Buffer[] = [];
    locked.on("data", (part: Buffer) => parts.push(part));
    const finished = new Promise((resolve) => locked.on("end", resolve));
    locked.text("Board minutes");
    locked.end();
    await finished;
    const result = await pdfLoader.load(new Uint8Array(Buffer.concat(parts)), contextFor("/tmp/locked minutes.pdf"));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("ENCRYPTED_FILE");
      expect(result.error.message).toContain("locked minutes.pdf: ");
      expect(result.error.message).toContain("password-protected");
    }
  });

  it("reports a PDF with a header but no objects as corrupt, with MuPDF's reason", async () => {
    const result = await pdfLoader.load(new Uint8Array(Buffer.from(`%PDF-1.7\n${"x".repeat(3000)}`, "latin1")), contextFor("/tmp/broken.pdf"));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("CORRUPT_FILE");
      expect(result.error.message).toMatch(/^broken\.pdf: not a valid PDF \(.+\)$/);
    }
  });

  it.skipIf(withoutCorpus())("reports a corrupt PDF with MuPDF's reason and keeps the cause", async () => {
    const path = corpusPath("robustness/poppler-742-0-fuzzed.pdf");
    const result = await pdfLoader.load(new Uint8Array(readFileSync(path)), contextFor(path));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("CORRUPT_FILE");
      expect(result.error.message).toMatch(/^poppler-742-0-fuzzed\.pdf: not a valid PDF \(.+\)$/);
      expect(result.error.cause).toBeDefined();
    }
  });

  it("stops with TIMEOUT when the time limit has passed", async () => {
    const sample = await samplePdf();
    const result = await pdfLoader.load(sample.bytes, contextFor(`/tmp/${sample.fileName}`, { limits: { ...defaultLoadLimits, timeoutMs: -1 } }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("TIMEOUT");
  });

  it("refuses bytes that are not a PDF, naming the file", async () => {
    const result = await pdfLoader.load(new TextEncoder().encode("hello, not a pdf"), contextFor("/tmp/notes.pdf"));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toBe("notes.pdf: not a valid PDF (no %PDF- header in the first 1024 bytes)");
  });
});

describe("PDF text helpers", () => {
  it("removes line-end hyphens inside words but keeps real compounds", () => {
    expect(joinLines(["the commis-", "sioning plan"], new Set())).toBe("the commissioning plan");
    expect(joinLines(["a family-", "based placement"], new Set(["family-based"]))).toBe("a family-based placement");
    expect(joinLines(["semi-", "independent"], new Set())).toBe("semi-independent");
    expect(joinLines(["Total", "£2,278 – per week"], new Set())).toBe("Total £2,278 – per week");
  });

  it("describes page lists compactly", () => {
    expect(describePages([1, 2, 3, 4, 7])).toBe("pages 1-4, 7");
    expect(describePages([5])).toBe("page 5");
  });
});
