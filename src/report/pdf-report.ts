/**
 * The session report as an A4 PDF (pdfkit). DejaVu Sans is embedded when installed
 * (Debian: fonts-dejavu-core) so every character survives; without it the report falls back to
 * the built-in Helvetica, whose WinAnsi encoding still covers £ – “ ” ’.
 */
import { textWithNotes } from "../answer/answer-notes.ts";
import { existsSync } from "node:fs";
import PDFDocument from "pdfkit";
import type { Session, SessionExchange } from "../answer/types.ts";
import type { ReportOptions } from "./report-text.ts";
import {
  headerLine,
  noSourcesLine,
  orderedCitations,
  questionHeading,
  quoteLine,
  reportTitle,
  responseHeading,
  sourceLine,
  sourcesHeading,
} from "./report-text.ts";
import { parseResponse, spansText } from "./response-blocks.ts";
import type { InlineSpan, ResponseBlock } from "./response-blocks.ts";

export interface PdfFontFiles {
  regular: string;
  bold: string;
  italic: string;
  boldItalic: string;
}

export interface PdfReportOptions extends ReportOptions {
  /** TrueType files to embed; when any is missing the built-in Helvetica family is used. */
  fonts?: PdfFontFiles;
}

const dejaVuDirectory = "/usr/share/fonts/truetype/dejavu";
export const defaultPdfFonts: PdfFontFiles = {
  regular: `${dejaVuDirectory}/DejaVuSans.ttf`,
  bold: `${dejaVuDirectory}/DejaVuSans-Bold.ttf`,
  italic: `${dejaVuDirectory}/DejaVuSans-Oblique.ttf`,
  boldItalic: `${dejaVuDirectory}/DejaVuSans-BoldOblique.ttf`,
};
const helvetica: PdfFontFiles = {
  regular: "Helvetica",
  bold: "Helvetica-Bold",
  italic: "Helvetica-Oblique",
  boldItalic: "Helvetica-BoldOblique",
};

const bodySize = 10.5;
const headingSizes = { title: 18, section: 14, theme: 12 } as const;
const indentStep = 14;
const cellPadding = 4;
const mutedColour = "#555555";

// Windows-1252 characters above 0x7F that are not Latin-1: what the built-in fonts can show besides Latin-1.
const winAnsiExtras = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");

function winAnsiCharacter(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return code === 0x0a || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || winAnsiExtras.has(character);
}

/**
 * Built-in fonts write raw WinAnsi bytes, so other characters would come out as garbage: drop accents
 * where that leaves a WinAnsi letter (ł stays "?", ő becomes "o") and show "?" for the rest.
 */
export function toWinAnsi(text: string): string {
  let result = "";
  for (const character of text) {
    if (winAnsiCharacter(character)) {
      result += character;
      continue;
    }
    const base = character.normalize("NFKD").replace(/\p{M}/gu, "");
    result += base !== "" && [...base].every(winAnsiCharacter) ? base : "?";
  }
  return result;
}

/** Which font files a report will embed: the given (or DejaVu) files if all exist, else Helvetica. */
export function resolvePdfFonts(fonts: PdfFontFiles = defaultPdfFonts): { files: PdfFontFiles; embedded: boolean } {
  const all = [fonts.regular, fonts.bold, fonts.italic, fonts.boldItalic];
  return all.every((path) => existsSync(path)) ? { files: fonts, embedded: true } : { files: helvetica, embedded: false };
}

export function renderPdfReport(session: Session, options: PdfReportOptions = {}): Promise<Buffer> {
  const title = reportTitle(session);
  const document = new PDFDocument({
    size: "A4",
    margins: { top: 56, bottom: 64, left: 56, right: 56 },
    bufferPages: true,
    info: { Title: title, Creator: "Hearth" },
  });
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    document.on("data", (chunk: Buffer) => chunks.push(chunk));
    document.on("end", () => resolve(Buffer.concat(chunks)));
    document.on("error", reject);
  });

  const fonts = resolvePdfFonts(options.fonts);
  const writer = new PdfWriter(document, fonts.files, fonts.embedded ? (text) => text : toWinAnsi);
  writer.heading(title, headingSizes.title);
  writer.paragraph([{ text: headerLine(session, options), bold: false, italic: true }], { size: 9, colour: mutedColour });
  session.exchanges.forEach((exchange, index) => {
    if (index > 0) document.addPage();
    writeExchange(writer, exchange);
  });
  writer.pageNumbers();
  document.end();
  return finished;
}

function writeExchange(writer: PdfWriter, exchange: SessionExchange): void {
  const { answer } = exchange;
  writer.heading(questionHeading, headingSizes.section);
  writer.paragraph([{ text: answer.question.trim(), bold: false, italic: false }]);
  writer.heading(responseHeading, headingSizes.section);
  for (const block of parseResponse(textWithNotes(answer))) writer.block(block);
  writer.heading(sourcesHeading, headingSizes.theme);
  const citations = orderedCitations(answer.citations);
  if (citations.length === 0) writer.listItem([{ text: noSourcesLine, bold: false, italic: false }], 0, null);
  for (const citation of citations) {
    writer.listItem([{ text: sourceLine(citation), bold: false, italic: false }], 0, null);
    writer.paragraph([{ text: quoteLine(citation), bold: false, italic: true }], { indent: 2 * indentStep, colour: mutedColour });
  }
}

/** Keeps the cursor and fonts in one place; every call writes at the left margin plus an indent. */
class PdfWriter {
  private readonly document: PDFKit.PDFDocument;
  private readonly fonts: PdfFontFiles;
  private readonly encode: (text: string) => string;
  private previousBlock: ResponseBlock["kind"] | null = null;

  constructor(document: PDFKit.PDFDocument, fonts: PdfFontFiles, encode: (text: string) => string) {
    this.document = document;
    this.fonts = fonts;
    this.encode = encode;
  }

  private get left(): number {
    return this.document.page.margins.left;
  }

  private get width(): number {
    const page = this.document.page;
    return page.width - page.margins.left - page.margins.right;
  }

  private get bottom(): number {
    return this.document.page.height - this.document.page.margins.bottom;
  }

  private font(span: { bold: boolean; italic: boolean }): string {
    if (span.bold) return span.italic ? this.fonts.boldItalic : this.fonts.bold;
    return span.italic ? this.fonts.italic : this.fonts.regular;
  }

  /** Starts a new page when less than `height` points are left, so headings stay with their text. */
  private ensureSpace(height: number): void {
    if (this.document.y + height > this.bottom) this.document.addPage();
  }

  block(block: ResponseBlock): void {
    // A little air after a list, which is set tighter than paragraphs.
    if (this.previousBlock === "list-item" && block.kind !== "list-item") this.document.moveDown(0.3);
    this.previousBlock = block.kind;
    switch (block.kind) {
      case "heading":
        this.heading(spansText(block.spans), block.level <= 3 ? headingSizes.theme : bodySize + 0.5);
        return;
      case "paragraph":
        this.paragraph(block.spans, block.quoted ? { indent: 2 * indentStep, colour: mutedColour } : {});
        return;
      case "list-item":
        this.listItem(block.spans, block.level, block.marker);
        return;
      case "table":
        this.table(block.header, block.rows);
        return;
      case "rule":
        this.rule();
    }
  }

  heading(text: string, size: number): void {
    this.ensureSpace(size * 4);
    this.document.moveDown(0.4);
    this.document.fillColor("black").font(this.fonts.bold).fontSize(size);
    this.document.text(this.encode(text), this.left, this.document.y, { width: this.width });
    this.document.moveDown(0.3);
  }

  paragraph(spans: readonly InlineSpan[], style: { indent?: number; size?: number; colour?: string } = {}): void {
    const size = style.size ?? bodySize;
    this.ensureSpace(size * 1.5);
    const indent = style.indent ?? 0;
    this.spans(spans, this.left + indent, this.document.y, this.width - indent, size, style.colour ?? "black");
    this.document.moveDown(0.4);
  }

  listItem(spans: readonly InlineSpan[], level: number, marker: string | null): void {
    this.ensureSpace(bodySize * 1.5);
    const markerWidth = marker === null ? indentStep : indentStep + 8;
    const textLeft = this.left + (level + 1) * indentStep + (markerWidth - indentStep);
    const top = this.document.y;
    this.document.fillColor("black").font(this.fonts.regular).fontSize(bodySize);
    this.document.text(this.encode(marker ?? "•"), textLeft - markerWidth + 2, top, { lineBreak: false });
    this.spans(spans, textLeft, top, this.left + this.width - textLeft, bodySize, "black");
    this.document.moveDown(0.2);
  }

  table(header: InlineSpan[][], rows: InlineSpan[][][]): void {
    const columnCount = Math.max(header.length, ...rows.map((row) => row.length), 1);
    const widths = this.columnWidths([header, ...rows], columnCount);
    this.document.moveDown(0.2);
    [header, ...rows].forEach((row, rowIndex) => {
      const cells = Array.from({ length: columnCount }, (_, index) =>
        (row[index] ?? []).map((span) => ({ ...span, bold: span.bold || rowIndex === 0 })),
      );
      const height =
        Math.max(...cells.map((cell, index) => this.textHeight(cell, (widths[index] ?? 0) - 2 * cellPadding, bodySize))) +
        2 * cellPadding;
      this.ensureSpace(height);
      const top = this.document.y;
      let x = this.left;
      cells.forEach((cell, index) => {
        const width = widths[index] ?? 0;
        this.document.lineWidth(0.5).strokeColor("#888888").rect(x, top, width, height).stroke();
        this.spans(cell, x + cellPadding, top + cellPadding, width - 2 * cellPadding, bodySize, "black");
        x += width;
      });
      this.document.y = top + height;
    });
    this.document.x = this.left;
    this.document.moveDown(0.5);
  }

  rule(): void {
    this.ensureSpace(12);
    const y = this.document.y + 4;
    this.document.lineWidth(0.5).strokeColor("#999999").moveTo(this.left, y).lineTo(this.left + this.width, y).stroke();
    this.document.y = y + 8;
  }

  /** "Page n of m" centred in every page's bottom margin. */
  pageNumbers(): void {
    const range = this.document.bufferedPageRange();
    for (let index = range.start; index < range.start + range.count; index += 1) {
      this.document.switchToPage(index);
      const page = this.document.page;
      const bottomMargin = page.margins.bottom;
      // Writing inside the margin would otherwise make pdfkit start a new page.
      page.margins.bottom = 0;
      this.document.fillColor(mutedColour).font(this.fonts.regular).fontSize(9);
      this.document.text(`Page ${index + 1} of ${range.count}`, page.margins.left, page.height - 40, {
        width: this.width,
        align: "center",
        lineBreak: false,
      });
      page.margins.bottom = bottomMargin;
    }
  }

  /** Column widths in proportion to their longest cell, none narrower than a short word. */
  private columnWidths(rows: InlineSpan[][][], columnCount: number): number[] {
    this.document.font(this.fonts.bold).fontSize(bodySize);
    const natural = Array.from({ length: columnCount }, (_, index) =>
      Math.max(
        40,
        ...rows.map((row) => Math.min(this.document.widthOfString(this.encode(spansText(row[index] ?? []))) + 2 * cellPadding + 2, this.width)),
      ),
    );
    const total = natural.reduce((sum, width) => sum + width, 0);
    const scale = total > this.width ? this.width / total : 1;
    return natural.map((width) => width * scale);
  }

  private textHeight(spans: readonly InlineSpan[], width: number, size: number): number {
    // Measured in bold, the wider face, so mixed runs never overflow their cell.
    this.document.font(this.fonts.bold).fontSize(size);
    return this.document.heightOfString(this.encode(spansText(spans)) || " ", { width });
  }

  private spans(spans: readonly InlineSpan[], x: number, y: number, width: number, size: number, colour: string): void {
    const pieces = spans.length > 0 ? spans : [{ text: " ", bold: false, italic: false }];
    this.document.fillColor(colour);
    pieces.forEach((span, index) => {
      const continued = index < pieces.length - 1;
      this.document.font(this.font(span)).fontSize(size);
      const text = this.encode(span.text);
      if (index === 0) this.document.text(text, x, y, { width, continued });
      else this.document.text(text, { continued });
    });
    this.document.x = this.left;
  }
}
