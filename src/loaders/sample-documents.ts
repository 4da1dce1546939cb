/**
 * Test support: small documents of every format, built in memory by the libraries Hearth already uses (pdfkit,
 * docx, exceljs) or written out (PPTX parts through zip-fixtures, HTML, Markdown, CSV, text), so the loader tests
 * run on a clone without ../shared. Each states the same facts, so a test can look for the same words in all.
 * Only tests import this file.
 */
// Before MuPDF is imported below: hands it the object its WebAssembly module fills in (see mupdf-module.ts).
import "./mupdf-module.ts";
import { buildZip, deflatedEntry } from "./zip-fixtures.ts";
import { pdfkitPdf } from "./pdf-fixtures.ts";

export interface SampleDocument {
  fileName: string;
  bytes: Uint8Array;
  /** Words the loaded text must contain. */
  expectedWords: string[];
}

const title = "Northshire Placement Strategy 2024-27";
const facts = [
  "The weekly cost of an in-house residential placement is £2,278 per week.",
  "The council plans to open two new children's homes by 2026 to reduce placements at a distance.",
  "Recruitment and retention of residential staff remains the main workforce pressure.",
];
const costs: [string, string, string][] = [
  ["In-house residential", "£2,278", "£2,611"],
  ["External residential", "£3,290", "£2,774"],
  ["Independent fostering", "£838", "£877"],
];
const expectedWords = ["Northshire Placement Strategy", "£2,278 per week", "two new children's homes", "External residential"];

/** A three-page PDF: a title and the facts on page 1, a cost table on page 2, workforce on page 3. */
export async function samplePdf(): Promise<SampleDocument> {
  const bytes = await pdfkitPdf({ size: "A4", margin: 56, info: { Title: title } }, (document) => {
    document.font("Helvetica-Bold").fontSize(20).text(title);
    document.moveDown().font("Helvetica").fontSize(11).text(facts[0] ?? "").moveDown().text(facts[1] ?? "");
    document.addPage().font("Helvetica-Bold").fontSize(14).text("Unit costs");
    let y = document.y + 12;
    for (const [index, row] of [["Type of placement", "Northshire", "Average"], ...costs].entries()) {
      document.font(index === 0 ? "Helvetica-Bold" : "Helvetica").fontSize(11);
      row.forEach((cell, column) => document.text(cell, 56 + column * 170, y, { width: 160, lineBreak: false }));
      y += 18;
    }
    document.addPage().font("Helvetica-Bold").fontSize(14).text("Workforce", 56, 56).font("Helvetica").fontSize(11).moveDown().text(facts[2] ?? "");
  });
  return { fileName: "Northshire Placement Strategy.pdf", bytes, expectedWords };
}

/** A DOCX with a heading, paragraphs and the cost table. */
export async function sampleDocx(): Promise<SampleDocument> {
  const { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow } = await import("docx");
  const cell = (text: string): InstanceType<typeof TableCell> => new TableCell({ children: [new Paragraph(text)] });
  const document = new Document({
    title,
    sections: [
      {
        children: [
          new Paragraph({ text: title, heading: HeadingLevel.HEADING_1 }),
          ...facts.map((fact) => new Paragraph(fact)),
          new Paragraph({ text: "Unit costs", heading: HeadingLevel.HEADING_2 }),
          new Table({ rows: [["Type of placement", "Northshire", "Average"], ...costs].map((row) => new TableRow({ children: row.map(cell) })) }),
        ],
      },
    ],
  });
  return { fileName: "Northshire Placement Strategy.docx", bytes: new Uint8Array(await Packer.toBuffer(document)), expectedWords };
}

/** An XLSX with the cost table on one sheet and the facts on another. */
export async function sampleXlsx(): Promise<SampleDocument> {
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  workbook.title = title;
  const sheet = workbook.addWorksheet("Unit costs");
  sheet.addRow(["Type of placement", "Northshire", "Average"]);
  for (const row of costs) sheet.addRow(row);
  const notes = workbook.addWorksheet("Notes");
  notes.addRow(["Note"]);
  for (const fact of [title, ...facts]) notes.addRow([fact]);
  const buffer = await workbook.xlsx.writeBuffer();
  return { fileName: "Northshire Placement Strategy.xlsx", bytes: new Uint8Array(buffer as ArrayBuffer), expectedWords };
}

const pptxNamespaces =
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';
const relationshipType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const escapeXml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function pptxShape(placeholder: string, ...paragraphs: string[]): string {
  const body = paragraphs.map((text) => `<a:p><a:r><a:t>${escapeXml(text)}</a:t></a:r></a:p>`).join("");
  return `<p:sp><p:nvSpPr><p:cNvPr id="2" name="x"/><p:cNvSpPr/><p:nvPr>${placeholder}</p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/>${body}</p:txBody></p:sp>`;
}

function pptxSlide(...shapes: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><p:sld ${pptxNamespaces}><p:cSld><p:spTree>${shapes.join("")}</p:spTree></p:cSld></p:sld>`;
}

/** A two-slide PPTX: the title and facts, then the costs as bullet text. */
export function samplePptx(): SampleDocument {
  const bytes = buildZip([
    deflatedEntry(
      "[Content_Types].xml",
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>',
    ),
    deflatedEntry(
      "ppt/presentation.xml",
      `<?xml version="1.0"?><p:presentation ${pptxNamespaces}><p:sldIdLst><p:sldId id="256" r:id="rId2"/><p:sldId id="257" r:id="rId3"/></p:sldIdLst></p:presentation>`,
    ),
    deflatedEntry(
      "ppt/_rels/presentation.xml.rels",
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="${relationshipType}/slide" Target="slides/slide1.xml"/><Relationship Id="rId3" Type="${relationshipType}/slide" Target="slides/slide2.xml"/></Relationships>`,
    ),
    deflatedEntry("ppt/slides/slide1.xml", pptxSlide(pptxShape('<p:ph type="ctrTitle"/>', title), pptxShape("", ...facts))),
    deflatedEntry(
      "ppt/slides/slide2.xml",
      pptxSlide(pptxShape('<p:ph type="title"/>', "Unit costs"), pptxShape("", ...costs.map(([kind, cost, average]) => `${kind}: ${cost} per week (average ${average})`))),
    ),
  ]);
  return { fileName: "Northshire Placement Strategy.pptx", bytes: new Uint8Array(bytes), expectedWords };
}

const tableRows = (cells: string[][], tag: "td" | "th"): string => cells.map((row) => `<tr>${row.map((cell) => `<${tag}>${cell}</${tag}>`).join("")}</tr>`).join("");

export function sampleHtml(): SampleDocument {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${facts
    .map((fact) => `<p>${fact}</p>`)
    .join("")}<h2>Unit costs</h2><table>${tableRows([["Type of placement", "Northshire", "Average"]], "th")}${tableRows(costs, "td")}</table></body></html>`;
  return { fileName: "Northshire Placement Strategy.html", bytes: new Uint8Array(Buffer.from(html, "utf8")), expectedWords };
}

export function sampleMarkdown(): SampleDocument {
  const markdown = [
    `# ${title}`,
    "",
    ...facts.flatMap((fact) => [fact, ""]),
    "## Unit costs",
    "",
    "| Type of placement | Northshire | Average |",
    "| --- | --- | --- |",
    ...costs.map((row) => `| ${row.join(" | ")} |`),
    "",
  ].join("\n");
  return { fileName: "Northshire Placement Strategy.md", bytes: new Uint8Array(Buffer.from(markdown, "utf8")), expectedWords };
}

export function sampleCsv(): SampleDocument {
  const csv = [`${title}: unit costs per week`, "Type of placement,Northshire,Average", ...costs.map((row) => row.map((cell) => `"${cell}"`).join(","))].join("\n");
  return { fileName: "Northshire unit costs.csv", bytes: new Uint8Array(Buffer.from(`${csv}\n`, "utf8")), expectedWords: ["Northshire", "£2,278", "External residential"] };
}

export function sampleText(): SampleDocument {
  const text = [title, "", ...facts, "", ...costs.map(([kind, cost]) => `${kind}: ${cost} per week`)].join("\n");
  return { fileName: "Northshire Placement Strategy.txt", bytes: new Uint8Array(Buffer.from(`${text}\n`, "utf8")), expectedWords: ["Northshire Placement Strategy", "£2,278 per week", "two new children's homes", "External residential"] };
}

/**
 * A "scanned" PDF: each page of the sample PDF rendered to an image by MuPDF and placed, alone, on a page of a new
 * PDF, so there is no text layer and only OCR can read it.
 */
export async function sampleScannedPdf(): Promise<SampleDocument> {
  const [{ default: PDFDocument }, mupdf, source] = await Promise.all([import("pdfkit"), import("mupdf"), samplePdf()]);
  const original = mupdf.Document.openDocument(source.bytes, "application/pdf");
  const images: Buffer[] = [];
  try {
    for (let index = 0; index < original.countPages(); index++) {
      const page = original.loadPage(index);
      const pixmap = page.toPixmap(mupdf.Matrix.scale(200 / 72, 200 / 72), mupdf.ColorSpace.DeviceGray, false);
      images.push(Buffer.from(pixmap.asPNG()));
      pixmap.destroy();
      page.destroy();
    }
  } finally {
    original.destroy();
  }
  const scanned = new PDFDocument({ size: "A4", margin: 0, autoFirstPage: false });
  const parts: Buffer[] = [];
  scanned.on("data", (part: Buffer) => parts.push(part));
  const finished = new Promise<void>((resolve) => scanned.on("end", () => resolve()));
  for (const image of images) scanned.addPage().image(image, 0, 0, { width: scanned.page.width, height: scanned.page.height });
  scanned.end();
  await finished;
  return { fileName: "Northshire Placement Strategy (scanned).pdf", bytes: new Uint8Array(Buffer.concat(parts)), expectedWords: ["Northshire Placement Strategy", "2,278"] };
}
