/**
 * A stored page as pieces the figure extractors read: prose sentences and table rows. Table rows are stored as
 * "cell | cell | cell" lines, the header line first, so each row keeps its column names and the line before the
 * table (often its caption, "Current Position (July 2022)").
 */
import type { UnitText } from "../chunking/types.ts";
import { splitSentences } from "../answer/extractive-answerer.ts";

export interface PagePiece {
  page: number | null;
  section: string | null;
  /** Verbatim text of the page: a sentence, or one row line. */
  text: string;
  isRow: boolean;
  /** The row's cells, trimmed (rows only). */
  cells: string[];
  /** The table's header cells (rows only; the header row itself has none). */
  header: string[] | null;
  /** The line before the table (rows only). */
  caption: string | null;
}

const cellSeparator = " | ";

export function splitCells(line: string): string[] {
  return line.split(cellSeparator).map((cell) => cell.replace(/\s+/g, " ").trim());
}

/** Sentences and rows of one unit, in page order. */
export function pagePieces(unit: UnitText): PagePiece[] {
  const pieces: PagePiece[] = [];
  const lines = unit.text.split("\n");
  let prose: string[] = [];
  let header: string[] | null = null;
  let caption: string | null = null;
  let lastProseLine: string | null = null;
  const flushProse = (): void => {
    if (prose.length === 0) return;
    for (const sentence of splitSentences(prose.join("\n"))) {
      pieces.push({ page: unit.page, section: unit.section, text: sentence, isRow: false, cells: [], header: null, caption: null });
    }
    prose = [];
  };
  for (const line of lines) {
    if (line.includes(cellSeparator)) {
      flushProse();
      const cells = splitCells(line);
      if (header === null) {
        header = cells;
        caption = lastProseLine;
        pieces.push({ page: unit.page, section: unit.section, text: line.trim(), isRow: true, cells, header: null, caption });
      } else {
        pieces.push({ page: unit.page, section: unit.section, text: line.trim(), isRow: true, cells, header, caption });
      }
      continue;
    }
    if (line.trim().length === 0) {
      // A blank line ends a table (the next row line starts a new one, header first).
      header = null;
      prose.push(line);
      continue;
    }
    // A prose line ends the table; a blank line inside prose does not.
    header = null;
    caption = null;
    prose.push(line);
    lastProseLine = line.trim();
  }
  flushProse();
  return pieces;
}
