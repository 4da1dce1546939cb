/**
 * The session report as a Word document (docx package): real headings, bulleted lists and tables
 * rather than Markdown characters, so it can be edited and restyled in Word.
 */
import { textWithNotes } from "../answer/answer-notes.ts";
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import type { ParagraphChild } from "docx";
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
import { parseResponse } from "./response-blocks.ts";
import type { InlineSpan, ResponseBlock } from "./response-blocks.ts";

// A4 with one-inch margins, in twentieths of a point.
const pageWidth = 11906;
const pageHeight = 16838;
const pageMargin = 1440;
const contentWidth = pageWidth - 2 * pageMargin;
const indentStep = 360;

export async function renderDocxReport(session: Session, options: ReportOptions = {}): Promise<Buffer> {
  const children: Array<Paragraph | Table> = [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(reportTitle(session))] }),
    new Paragraph({ children: [new TextRun({ text: headerLine(session, options), italics: true, color: "555555", size: 18 })] }),
  ];
  session.exchanges.forEach((exchange, index) => children.push(...exchangeContent(exchange, index > 0)));

  const document = new Document({
    title: reportTitle(session),
    creator: "Hearth",
    sections: [
      {
        properties: {
          page: {
            size: { width: pageWidth, height: pageHeight },
            margin: { top: pageMargin, bottom: pageMargin, left: pageMargin, right: pageMargin },
          },
        },
        footers: { default: pageNumberFooter() },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}

function exchangeContent(exchange: SessionExchange, startsNewPage: boolean): Array<Paragraph | Table> {
  const { answer } = exchange;
  const content: Array<Paragraph | Table> = [
    new Paragraph({ heading: HeadingLevel.HEADING_2, pageBreakBefore: startsNewPage, children: [new TextRun(questionHeading)] }),
    ...answer.question
      .trim()
      .split(/\n\s*\n/)
      .map((text) => new Paragraph({ children: textRuns({ text: text.trim(), bold: false, italic: false }) })),
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(responseHeading)] }),
    ...parseResponse(textWithNotes(answer)).map(blockContent),
    new Paragraph({ heading: HeadingLevel.HEADING_3, children: [new TextRun(sourcesHeading)] }),
  ];
  const citations = orderedCitations(answer.citations);
  if (citations.length === 0) content.push(new Paragraph({ bullet: { level: 0 }, children: [new TextRun(noSourcesLine)] }));
  for (const citation of citations) {
    content.push(
      new Paragraph({ bullet: { level: 0 }, children: [new TextRun(sourceLine(citation))] }),
      new Paragraph({
        indent: { left: 2 * indentStep },
        spacing: { after: 120 },
        children: [new TextRun({ text: quoteLine(citation), italics: true })],
      }),
    );
  }
  return content;
}

function blockContent(block: ResponseBlock): Paragraph | Table {
  switch (block.kind) {
    case "heading":
      // RESPONSE is Heading 2, so the answer's own headings sit below it.
      return new Paragraph({
        heading: block.level <= 3 ? HeadingLevel.HEADING_3 : HeadingLevel.HEADING_4,
        children: block.spans.flatMap(textRuns),
      });
    case "paragraph":
      return new Paragraph({
        indent: block.quoted ? { left: 2 * indentStep } : undefined,
        children: block.spans.flatMap(textRuns),
      });
    case "list-item":
      if (block.marker === null) return new Paragraph({ bullet: { level: Math.min(block.level, 8) }, children: block.spans.flatMap(textRuns) });
      // Numbered items keep the number the answer gave them, with a hanging indent like a Word list.
      return new Paragraph({
        indent: { left: (block.level + 2) * indentStep, hanging: indentStep },
        children: [new TextRun(`${block.marker}\t`), ...block.spans.flatMap(textRuns)],
      });
    case "table":
      return tableContent(block.header, block.rows);
    case "rule":
      return new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: "999999", space: 1 } }, children: [] });
  }
}

function tableContent(header: InlineSpan[][], rows: InlineSpan[][][]): Table {
  const columnCount = Math.max(header.length, ...rows.map((row) => row.length), 1);
  const columnWidth = Math.floor(contentWidth / columnCount);
  const cellsOf = (cells: InlineSpan[][], bold: boolean): TableCell[] =>
    Array.from({ length: columnCount }, (_, index) => {
      const spans = (cells[index] ?? []).map((span) => ({ ...span, bold: span.bold || bold }));
      return new TableCell({
        width: { size: columnWidth, type: WidthType.DXA },
        margins: { top: 40, bottom: 40, left: 80, right: 80 },
        children: [new Paragraph({ children: spans.flatMap(textRuns) })],
      });
    });
  return new Table({
    width: { size: columnWidth * columnCount, type: WidthType.DXA },
    columnWidths: Array.from({ length: columnCount }, () => columnWidth),
    rows: [
      new TableRow({ tableHeader: true, children: cellsOf(header, true) }),
      ...rows.map((row) => new TableRow({ children: cellsOf(row, false) })),
    ],
  });
}

/** One run per line of a span; Word needs an explicit break where the text had "\n". */
function textRuns(span: InlineSpan): ParagraphChild[] {
  return span.text.split("\n").map(
    (line, index) => new TextRun({ text: line, bold: span.bold, italics: span.italic, break: index > 0 ? 1 : undefined }),
  );
}

function pageNumberFooter(): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: ["Page ", PageNumber.CURRENT, " of ", PageNumber.TOTAL_PAGES], size: 18 })],
      }),
    ],
  });
}
