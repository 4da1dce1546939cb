/**
 * Tables as tables: the typed tables of a loaded data set (a CSV file, each XLSX sheet). The loaders already found
 * the header below any title rows; here each column gets a type (number, date, category, text) and a unit where
 * the header or the cells state one, and the title and notes lines around the table become its description.
 */
import type { ContentBlock, LoadedDocument } from "../loaders/types.ts";
import { isDataSetFormat } from "../loaders/data-set-format.ts";
import type { DataColumn, DataColumnType, NewDataTable } from "../store/types.ts";
import { isMissing, parseDate, parseNumber, parsePeriod } from "./cell-values.ts";
import { tableVocabulary } from "./vocabulary.ts";

/** A table needs this many rows and columns to be worth querying. */
const minimumRows = 2;
const minimumColumns = 2;

function columnType(name: string, values: string[]): { type: DataColumnType; unit: string | null } {
  const vocabulary = tableVocabulary();
  const present = values.map((value) => value.trim()).filter((value) => !isMissing(value));
  if (present.length === 0) return { type: "text", unit: null };
  const share = (test: (value: string) => boolean): number => present.filter(test).length / present.length;
  const header = name.toLowerCase();
  const headerUnit = vocabulary.units.find((entry) => entry.pattern.test(header))?.unit ?? null;
  if (vocabulary.periodColumn.test(header) && share((value) => parsePeriod(value) !== null) >= vocabulary.columnTypes.dateShare) {
    return { type: "date", unit: "year" };
  }
  if (share((value) => parseNumber(value) !== null) >= vocabulary.columnTypes.numberShare) {
    if (vocabulary.columnTypes.identifier.test(header)) return { type: "text", unit: null };
    const unit = headerUnit ?? (share((value) => value.endsWith("%")) > 0.5 ? "%" : share((value) => value.includes("£")) > 0.5 ? "£" : null);
    return { type: "number", unit };
  }
  if (share((value) => parseDate(value) !== null) >= vocabulary.columnTypes.dateShare) return { type: "date", unit: null };
  const distinct = new Set(present.map((value) => value.toLowerCase())).size;
  const fewEnough = distinct <= vocabulary.columnTypes.categoryMaxDistinct && (distinct <= present.length * vocabulary.columnTypes.categoryMaxShare || present.length <= 20);
  return { type: fewEnough ? "category" : "text", unit: null };
}

/** Rows under the table that hold one value in a wide table are notes ("Source: ...", "c = suppressed"). */
function splitTrailingNotes(rows: string[][], width: number): { body: string[][]; notes: string[] } {
  if (width < 3) return { body: rows, notes: [] };
  let end = rows.length;
  while (end > 0) {
    const filled = (rows[end - 1] ?? []).filter((cell) => cell.trim().length > 0);
    if (filled.length > 1) break;
    end -= 1;
  }
  const notes = rows.slice(end).map((row) => row.filter((cell) => cell.trim().length > 0).join(" ")).filter((line) => line.length > 0);
  return { body: rows.slice(0, end), notes };
}

function typedTable(
  block: Extract<ContentBlock, { kind: "table" }>,
  unitIndex: number,
  sheet: string | null,
  lines: string[],
): NewDataTable | null {
  const { body, notes } = splitTrailingNotes(block.rows, block.header.length);
  if (body.length < minimumRows || block.header.length < minimumColumns) return null;
  const captionLines = (block.caption ?? "").split("\n").map((line) => line.trim()).filter((line) => line.length > 0);
  const before = [...lines, ...captionLines];
  const columns: DataColumn[] = block.header.map((name, index) => ({
    name,
    ...columnType(name, body.map((row) => row[index] ?? "")),
  }));
  const rows = body.map((row) => block.header.map((_, index) => row[index] ?? ""));
  return {
    unitIndex,
    sheet,
    // The title is the first line that says something (a sheet's first cell is sometimes a date stamp).
    title: before.find((line) => (line.match(/\p{L}{2,}/gu) ?? []).length >= 2) ?? null,
    description: [...before, ...notes].join("\n"),
    columns,
    rows,
  };
}

/** The typed tables of a data set (CSV, XLSX); none for other formats. */
export function dataTablesOf(document: LoadedDocument): NewDataTable[] {
  if (!isDataSetFormat(document.format)) return [];
  const tables: NewDataTable[] = [];
  document.units.forEach((unit, unitIndex) => {
    // Paragraphs above a table on the same sheet are its title and notes.
    let lines: string[] = [];
    for (const block of unit.blocks) {
      if (block.kind === "paragraph" || block.kind === "heading") lines.push(block.text.trim());
      if (block.kind !== "table") continue;
      const table = typedTable(block, unitIndex, unit.section, lines);
      if (table) tables.push(table);
      lines = [];
    }
  });
  return tables;
}
