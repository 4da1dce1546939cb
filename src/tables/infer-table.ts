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

const filledCount = (row: readonly string[]): number => row.filter((cell) => cell.trim().length > 0).length;

/** A row of column names: filled cells are words or years, not the figures of a body row. */
function looksLikeNames(row: readonly string[]): boolean {
  const filled = row.map((cell) => cell.trim()).filter((cell) => cell.length > 0);
  const figures = filled.filter((cell) => parseNumber(cell) !== null && parsePeriod(cell) === null).length;
  return filled.length >= 2 && figures === 0 && filled.every((cell) => cell.length <= 80);
}

/**
 * Dashboard sheets put title blocks and merged group headers above the column names ("RATE" over 1998 to 2014,
 * "2011/12" over Value, Lower CI, Upper CI). When the header the loader found is sparse and a fuller row of names
 * follows within the first rows, that row is the header; the sparse row just above it names groups when the
 * names below repeat (each group's name carried across the merged cells it spans), and is a title line otherwise.
 * Rows moved out of the body stay in the sheet's text; the body rows are unchanged, so quotes stay verbatim.
 */
function findHeader(block: Extract<ContentBlock, { kind: "table" }>): { header: string[]; rows: string[][]; lines: string[] } {
  const width = block.header.length;
  const used = Math.max(
    1,
    block.header.filter((_, column) => block.header[column]?.trim() || block.rows.some((row) => (row[column] ?? "").trim().length > 0)).length,
  );
  const unnamed = (cell: string): boolean => cell.trim().length === 0 || /^Column \d+$/.test(cell);
  const original = block.header.map((cell) => (unnamed(cell) ? "" : cell));
  if (filledCount(original) >= used * 0.6) return { header: block.header, rows: block.rows, lines: [] };
  const candidates = [original, ...block.rows.slice(0, 6)];
  const index = candidates.findIndex(
    (row, at) => at > 0 && at < candidates.length - 1 && filledCount(row) >= used * 0.5 && filledCount(row) > filledCount(original) && looksLikeNames(row),
  );
  if (index <= 0) return { header: block.header, rows: block.rows, lines: [] };
  const names = (candidates[index] as string[]).map((cell) => cell.trim());
  const above = (candidates[index - 1] as string[]).map((cell) => cell.trim());
  const filledNames = names.filter((cell) => cell.length > 0);
  const repeats = new Set(filledNames.map((cell) => cell.toLowerCase())).size < filledNames.length;
  const grouped = repeats && filledCount(above) >= 2 && above.every((cell) => cell.length <= 40);
  let group = "";
  const header = names.map((name, column) => {
    if (grouped && (above[column] ?? "").length > 0) group = above[column] as string;
    const full = grouped && group.length > 0 && name.length > 0 ? `${group} ${name}` : name;
    return full.length > 0 ? full : `Column ${column + 1}`;
  });
  const titleRows = candidates.slice(0, grouped ? index - 1 : index);
  const lines = titleRows
    .map((row) => row.map((cell) => cell.trim()).filter((cell) => cell.length > 0).join(" "))
    // A stray number in a title block (a selector's value) says nothing.
    .filter((line) => /\p{L}{2,}/u.test(line));
  return { header: header.slice(0, width), rows: block.rows.slice(index), lines };
}

function typedTable(
  found: Extract<ContentBlock, { kind: "table" }>,
  unitIndex: number,
  sheet: string | null,
  above: string[],
): NewDataTable | null {
  const { header, rows: foundRows, lines: titleLines } = findHeader(found);
  const block = { ...found, header, rows: foundRows };
  const lines = [...above, ...titleLines];
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

/** The typed tables of a data set (CSV, XLSX) and the well-formed tables of a PDF; none for other formats. */
export function dataTablesOf(document: LoadedDocument): NewDataTable[] {
  if (document.format === "pdf") return pdfTablesOf(document);
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

/** Why a table the PDF layout pass found is not stored as a typed table, or null when it is well formed. */
export function pdfTableFault(block: Extract<ContentBlock, { kind: "table" }>): string | null {
  const limits = tableVocabulary().pdfTables;
  const width = block.header.length;
  // No header row: the columns would have no names to match a question's words against.
  if (width < minimumColumns) return "no header row";
  const header = block.header.map((cell) => cell.trim());
  // A header cell that is empty (beyond a row-label corner), a number or a sentence is a body row or prose read as a table.
  if (header.slice(1).some((cell) => cell.length === 0)) return "empty header cells";
  // Years are fine as column names (a wide table: one column per year); other numbers mean a body row was read as the header.
  const named = (cell: string): boolean => parsePeriod(cell) !== null || (/\p{L}.*\p{L}/u.test(cell) && parseNumber(cell) === null);
  if (header.some((cell, column) => cell.length > limits.maxHeaderLength || (column > 0 || cell.length > 0 ? !named(cell) : false))) {
    return "header cells that are numbers or sentences";
  }
  if (new Set(header.map((cell) => cell.toLowerCase())).size < header.length) return "repeated header names";
  const rows = block.rows.filter((row) => row.some((cell) => cell.trim().length > 0));
  if (rows.length < limits.minimumRows) return "too few rows";
  // Ragged tables: rows whose cells do not fill the columns are wrapped cells, section labels or spanning notes the
  // layout pass could not place; their cells would be read under the wrong column, so such a table is not computed on.
  if (rows.some((row) => row.length !== width)) return "rows with more or fewer cells than the header";
  const filled = rows.filter((row) => row.filter((cell) => cell.trim().length > 0).length >= width - 1).length;
  if (filled < rows.length * limits.filledRowShare) return "ragged rows (cells missing)";
  const columnValues = header.map((_, column) => rows.map((row) => (row[column] ?? "").trim()).filter((cell) => cell.length > 0 && !isMissing(cell)));
  // A table to compute on has numbers: at least one column (beyond the row labels) that is nearly all numbers.
  const numeric = columnValues.slice(1).filter((values) => values.length > 0 && values.filter((cell) => parseNumber(cell) !== null).length >= values.length * limits.numberShare);
  if (numeric.length === 0) return "no column of numbers";
  // A contents page ("Introduction | 3") lines up too: two columns, page numbers that only ever go up.
  const pages = columnValues[1] ?? [];
  if (width === 2 && pages.length >= 3 && pages.every((cell, at) => /^\d{1,3}$/.test(cell) && (at === 0 || Number(cell) >= Number(pages[at - 1])))) {
    return "a table of contents";
  }
  // Long text cells are prose laid out in columns (a two-column page, a quotation box), not a table. Row labels in
  // the first column may be long ("% of children in residential care where the care plan recommends ...").
  if ((columnValues[0] ?? []).some((cell) => cell.length > limits.maxCellLength * 2)) return "cells of prose";
  const texts = columnValues.slice(1).flat().filter((cell) => parseNumber(cell) === null);
  const longCells = texts.filter((cell) => cell.length > limits.maxCellLength).length;
  if (longCells > texts.length * limits.longCellShare) return "cells of prose";
  return null;
}

/**
 * Well-formed PDF tables (a header row, every row filling the columns, a column of numbers) as typed tables, with
 * their page kept through the unit index so a computed figure cites the page it was read from. The caption is the
 * short heading or paragraph just above the table ("Table 3: Children looked after, 2020 to 2024").
 */
function pdfTablesOf(document: LoadedDocument): NewDataTable[] {
  const tables: NewDataTable[] = [];
  const limits = tableVocabulary().pdfTables;
  document.units.forEach((unit, unitIndex) => {
    // The paragraph or heading just above a table may be its caption; it is normalised only when a table follows
    // (a long PDF has thousands of paragraphs and few tables).
    let textAbove: string | null = null;
    for (const block of unit.blocks) {
      if (block.kind === "paragraph" || block.kind === "heading") {
        textAbove = block.text;
        continue;
      }
      if (block.kind !== "table") continue;
      const text = textAbove?.replace(/\s+/g, " ").trim() ?? "";
      const above = text.length > 0 && text.length <= limits.maxCaptionLength ? text : null;
      textAbove = null;
      if (pdfTableFault(block) !== null) continue;
      const lines = [above, block.caption?.trim() ?? null].filter((line): line is string => line !== null && line.length > 0);
      // An empty top-left corner heads the row labels of a wide table (one column per year).
      const header = block.header.map((cell, column) => (column === 0 && cell.trim().length === 0 ? "Row label" : cell.trim()));
      const table = typedTable({ ...block, header }, unitIndex, null, lines);
      if (table) tables.push(table);
    }
  });
  return tables;
}
