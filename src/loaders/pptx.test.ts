import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contextFor, corpusPath, describeLoaderContract, unitText, withoutCorpus } from "./loader-contract.ts";
import { samplePptx } from "./sample-documents.ts";
import { pptxLoader } from "./pptx.ts";
import { defaultLoadLimits } from "./types.ts";
import { buildZip, deflatedEntry } from "./zip-fixtures.ts";

const samplePath = corpusPath("library/Somerset Homes and Horizons Members Briefing.pptx");
const markdownPath = corpusPath("formats/Somerset Homes and Horizons Members Briefing.md");

describeLoaderContract(pptxLoader, {
  fixture: samplePptx,
  samplePath,
  expectedWords: ["Devon", "neighbours", "15 minute slots", "Headline risk", "Mitigations"],
  paged: true,
});

/** Compares text without markup, typographic quotes or layout whitespace. */
function normalise(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\\([()])/g, "$1")
    .replace(/\*\*|^\s*[-#%|]+\s*/gm, "")
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\s+/g, " ")
    .trim();
}

async function loadSample() {
  const result = await pptxLoader.load(new Uint8Array(readFileSync(samplePath)), contextFor(samplePath));
  if (!result.ok) throw result.error;
  return result.value;
}

describe.skipIf(withoutCorpus())("pptxLoader on the Somerset briefing", () => {
  it("gives one unit per slide, titled by the slide title", async () => {
    const document = await loadSample();
    expect(document.units).toHaveLength(11);
    expect(document.title).toBe("Homes and Horizons: Somerset Strategic Partnership");
    expect(document.units.map((unit) => unit.section)).toEqual([
      "Homes and Horizons: Somerset Strategic Partnership",
      "Overview",
      "Where are our children in care living?",
      "Why are we doing this?",
      "What will it look like?",
      "Progress to date",
      "Therapeutic Education Proposal",
      "Therapeutic Education provision: Sprint developments",
      "Headline risks and mitigations",
      "Proposed Joint Engagement Strategy",
      "Timelines and Next steps",
    ]);
    expect(document.units[0]?.blocks[0]).toEqual({ kind: "heading", level: 1, text: "Homes and Horizons: Somerset Strategic Partnership" });
  });

  it("puts each fact on the slide it is on", async () => {
    const document = await loadSample();
    const slide = (page: number) => unitText(document.units[page - 1] ?? { blocks: [] });
    expect(slide(3)).toContain("Devon 5");
    expect(slide(2)).toContain("Invite immediate neighbours to the home in 15 minute slots");
    expect(slide(10)).toContain("Invite immediate neighbours to the home in 15 minute slots");
    expect(slide(4)).not.toContain("Devon");
    expect(slide(11)).toContain("Open first homes in early 2023");
  });

  it("keeps one paragraph per text paragraph and the table with its header", async () => {
    const document = await loadSample();
    const overview = document.units[1]?.blocks ?? [];
    expect(overview).toContainEqual({ kind: "paragraph", text: "Exchanged contracts on 2 homes" });
    expect(overview).toContainEqual({ kind: "paragraph", text: "Planning & building work prepped" });
    const table = document.units[8]?.blocks.find((block) => block.kind === "table");
    expect(table?.kind === "table" && table.header).toEqual(["Headline risk", "Mitigations"]);
    expect(table?.kind === "table" && table.rows.map((row) => row[0])).toEqual([
      "Staffing and recruitment",
      "Attracting Higher needs foster carers",
      "School development process",
      "Properties",
      "Fiscal controls to ensure cost effective service developed (essential need to retain focus on our most complex children)",
    ]);
  });

  it("extracts only text that the Markdown version of the deck also has", async () => {
    const document = await loadSample();
    const markdown = normalise(readFileSync(markdownPath, "utf8"));
    for (const unit of document.units) {
      for (const block of unit.blocks) {
        const pieces = block.kind === "table" ? [...block.header, ...block.rows.flat()] : [block.text];
        for (const piece of pieces) expect(markdown, `slide ${unit.page}`).toContain(normalise(piece));
      }
    }
  });
});

const namespaces =
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';
const relationshipType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

function shape(placeholder: string, ...paragraphs: string[]): string {
  const body = paragraphs.map((text) => `<a:p><a:r><a:t>${text}</a:t></a:r></a:p>`).join("");
  return `<p:sp><p:nvSpPr><p:cNvPr id="2" name="x"/><p:cNvSpPr/><p:nvPr>${placeholder}</p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/>${body}</p:txBody></p:sp>`;
}

function slide(...shapes: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><p:sld ${namespaces}><p:cSld><p:spTree>${shapes.join("")}</p:spTree></p:cSld></p:sld>`;
}

/** A deck whose file names run against its presentation order, with speaker notes on the first slide shown. */
function builtDeck(): Buffer {
  return buildZip([
    deflatedEntry("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    deflatedEntry(
      "ppt/presentation.xml",
      `<?xml version="1.0"?><p:presentation ${namespaces}><p:sldIdLst><p:sldId id="256" r:id="rId7"/><p:sldId id="257" r:id="rId3"/></p:sldIdLst></p:presentation>`,
    ),
    deflatedEntry(
      "ppt/_rels/presentation.xml.rels",
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="${relationshipType}/slide" Target="slides/slide1.xml"/><Relationship Id="rId7" Type="${relationshipType}/slide" Target="/ppt/slides/slide2.xml"/></Relationships>`,
    ),
    deflatedEntry("ppt/slides/slide1.xml", slide(shape('<p:ph type="title"/>', "Second &amp; last"), shape("", "Closing words"))),
    deflatedEntry("ppt/slides/slide2.xml", slide(shape('<p:ph type="ctrTitle"/>', "Opening"), shape('<p:ph type="sldNum"/>', "1"), shape("", "Hello &lt;world&gt;"))),
    deflatedEntry(
      "ppt/slides/_rels/slide2.xml.rels",
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="${relationshipType}/notesSlide" Target="../notesSlides/notesSlide9.xml"/></Relationships>`,
    ),
    deflatedEntry(
      "ppt/notesSlides/notesSlide9.xml",
      `<?xml version="1.0"?><p:notes ${namespaces}><p:cSld><p:spTree>${shape('<p:ph type="sldImg"/>')}${shape('<p:ph type="body" idx="1"/>', "Say hello slowly.", "Then pause.")}${shape('<p:ph type="sldNum" idx="5"/>', "1")}</p:spTree></p:cSld></p:notes>`,
    ),
    deflatedEntry("ppt/media/image1.png", Buffer.alloc(2048, 7)),
  ]);
}

describe("pptxLoader on a built deck", () => {
  it("orders slides by the presentation's slide list, not by file name", async () => {
    const result = await pptxLoader.load(builtDeck(), contextFor("/tmp/built.pptx"));
    if (!result.ok) throw result.error;
    expect(result.value.units.map((unit) => [unit.page, unit.section])).toEqual([
      [1, "Opening"],
      [2, "Second & last"],
    ]);
  });

  it("keeps speaker notes without the slide-number placeholder, and decodes entities", async () => {
    const result = await pptxLoader.load(builtDeck(), contextFor("/tmp/built.pptx"));
    if (!result.ok) throw result.error;
    expect(result.value.units[0]?.blocks).toEqual([
      { kind: "heading", level: 1, text: "Opening" },
      { kind: "paragraph", text: "Hello <world>" },
      { kind: "notes", text: "Say hello slowly.\nThen pause." },
    ]);
  });

  it("sniffs a deck but not a workbook or a document", () => {
    expect(pptxLoader.sniff(builtDeck())).toBe(true);
    expect(pptxLoader.sniff(buildZip([deflatedEntry("[Content_Types].xml", "<Types/>"), deflatedEntry("word/document.xml", "<w/>")]))).toBe(false);
  });

  it("fails a text file named .pptx, naming it", async () => {
    const result = await pptxLoader.load(Buffer.from("slide notes\n"), contextFor("/tmp/talk.pptx"));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toBe("talk.pptx is not a PPTX file (no ZIP signature)");
  });

  it("obeys configured limits", async () => {
    const bytes = samplePptx().bytes;
    const limits = { ...defaultLoadLimits, maxInflatedBytes: 1024 };
    const result = await pptxLoader.load(bytes, contextFor("/tmp/deck.pptx", { limits }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("ZIP_BOMB");
  });
});
