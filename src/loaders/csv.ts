/**
 * CSV and TSV: parsed with csv-parse (quotes, embedded line breaks, ragged rows), the delimiter detected from
 * the first 64 KB. Output is one unit holding ONE table block whose rows keep their header names, so the
 * chunker can write each row as "Header: value; Header2: value2". Title and note rows that government
 * statistics files put above the header become the table's caption.
 */
import { parse } from "csv-parse/sync";
import { HearthError, describeError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import { decodeText, looksLikeText } from "./decode-text.ts";
import type { ContentBlock, DocumentLoader, LoadContext, LoadedDocument } from "./types.ts";

const candidateDelimiters = [",", ";", "\t", "|"] as const;
/** How much text the delimiter detection parses. */
const sampleChars = 64 * 1024;
/** How many leading rows may be title or notes before the header row. */
const maxPrefaceRows = 20;

function parseRows(text: string, delimiter: string, onSkip?: () => void): string[][] {
  return parse(text, {
    delimiter,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    trim: true,
    ...(onSkip ? { on_skip: () => void onSkip() } : {}),
  });
}

/** The delimiter that splits the sample into the most consistent rows of two or more columns. */
export function detectDelimiter(text: string): string {
  const sample = text.slice(0, sampleChars);
  let best: { delimiter: string; share: number; width: number } = { delimiter: ",", share: 0, width: 1 };
  for (const delimiter of candidateDelimiters) {
    let rows: string[][];
    try {
      rows = parseRows(sample, delimiter);
    } catch {
      // This delimiter does not fit the sample; the others are tried.
      continue;
    }
    if (rows.length === 0) continue;
    const counts = new Map<number, number>();
    for (const row of rows) counts.set(row.length, (counts.get(row.length) ?? 0) + 1);
    const [width, count] = [...counts.entries()].reduce((most, entry) => (entry[1] > most[1] ? entry : most));
    if (width < 2) continue;
    const share = count / rows.length;
    if (share > best.share || (share === best.share && width > best.width)) best = { delimiter, share, width };
  }
  return best.delimiter;
}

function nonEmptyCount(row: readonly string[]): number {
  return row.filter((cell) => cell.length > 0).length;
}

/** The first row that fills at least half the used columns: rows above it are a title or notes. */
function headerRowIndex(rows: readonly string[][]): number {
  const used = new Set<number>();
  for (const row of rows.slice(0, 200)) row.forEach((cell, column) => cell.length > 0 && used.add(column));
  const needed = Math.max(2, Math.ceil(used.size / 2));
  const index = rows.slice(0, maxPrefaceRows).findIndex((row) => nonEmptyCount(row) >= needed);
  return index === -1 ? 0 : index;
}

export function tableFromRows(rows: string[][]): { table: ContentBlock & { kind: "table" }; preface: string[] } {
  const headerIndex = headerRowIndex(rows);
  const preface = rows
    .slice(0, headerIndex)
    .map((row) => row.filter((cell) => cell.length > 0).join(" "))
    .filter((line) => line.length > 0);
  const headerRow = rows[headerIndex] ?? [];
  const body = rows.slice(headerIndex + 1).filter((row) => nonEmptyCount(row) > 0);
  const width = Math.max(headerRow.length, ...body.map((row) => row.length));
  // Keep only columns that have a name or a value somewhere (exports often pad every row with empty cells).
  const keep: number[] = [];
  for (let column = 0; column < width; column += 1) {
    if ((headerRow[column] ?? "").length > 0 || body.some((row) => (row[column] ?? "").length > 0)) keep.push(column);
  }
  const header = keep.map((column) => (headerRow[column] ?? "").replace(/\s+/g, " ").trim() || `Column ${column + 1}`);
  const tableRows = body.map((row) => keep.map((column) => row[column] ?? ""));
  const caption = preface.join("\n");
  return { table: { kind: "table", header, rows: tableRows, ...(caption.length > 0 ? { caption } : {}) }, preface };
}

async function loadCsv(bytes: Uint8Array, context: LoadContext): Promise<Result<LoadedDocument, HearthError>> {
  const decoded = decodeText(bytes, context);
  if (!decoded.ok) return decoded;
  const text = decoded.value.text;
  if (text.trim().length === 0) {
    return fail(new HearthError("NO_TEXT", `${context.fileName}: no text (only whitespace)`, { subject: context.path }));
  }
  const delimiter = detectDelimiter(text);
  let skipped = 0;
  let rows: string[][];
  try {
    rows = parseRows(text, delimiter, () => {
      skipped += 1;
    });
  } catch (error) {
    return fail(
      new HearthError("CORRUPT_FILE", `${context.fileName}: not a readable CSV (${describeError(error)})`, {
        subject: context.path,
        cause: error,
      }),
    );
  }
  if (rows.every((row) => nonEmptyCount(row) === 0)) {
    return fail(new HearthError("NO_TEXT", `${context.fileName}: no values in the CSV`, { subject: context.path }));
  }
  const { table, preface } = tableFromRows(rows);
  const warnings = skipped > 0 ? [`${context.fileName}: skipped ${skipped} malformed row${skipped === 1 ? "" : "s"}`] : [];
  return ok({
    format: "csv",
    title: preface[0] ?? null,
    units: [{ page: null, section: null, blocks: [table] }],
    warnings,
  });
}

export const csvLoader: DocumentLoader = {
  format: "csv",
  extensions: [".csv", ".tsv"],
  sniff: looksLikeText,
  load: loadCsv,
};
