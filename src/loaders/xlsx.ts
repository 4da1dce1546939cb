/**
 * XLSX: one unit per worksheet (section = sheet name, no page), holding a table whose header names every
 * column. safe-zip inflates and counts every part first, because exceljs inflates every part itself.
 */
import type ExcelJS from "exceljs";
import type { Cell, CellValue, Worksheet } from "exceljs";
import { HearthError, describeError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import { coreTitle } from "./office-xml.ts";
import { checkOfficeContainer, isOfficeContainerWith, readZipEntries } from "./safe-zip.ts";
import type { ContentBlock, DocumentLoader, DocumentUnit, LoadContext, LoadedDocument } from "./types.ts";

/** Rows read per sheet; beyond this a sheet is a data dump better loaded as CSV. */
export const maxRowsPerSheet = 20_000;
const maxColumnsPerSheet = 1_000;

function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return "";
  const iso = date.toISOString();
  // exceljs gives dates as UTC; a date without a time of day is shown as the date alone.
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.replace(/\.000Z$/, "Z");
}

/** Decimal places a simple number format shows ("0.0%" -> 1), or undefined for General and the like. */
function formatDecimals(format: string): number | undefined {
  const match = /^[#,0]*0(?:\.(0+))?%?$/.exec(format.replace(/\\.|"[^"]*"|_.|\*.|\[[^\]]*\]/g, "").split(";")[0] ?? "");
  return match ? (match[1]?.length ?? 0) : undefined;
}

function formatNumber(value: number, format: string | undefined): string {
  const decimals = format ? formatDecimals(format) : undefined;
  if (format?.includes("%")) {
    return `${decimals === undefined ? String(Number((value * 100).toPrecision(12))) : (value * 100).toFixed(decimals)}%`;
  }
  if (decimals !== undefined) return value.toFixed(decimals);
  // General: drop binary noise such as 0.30000000000000004.
  return String(Number(value.toPrecision(12)));
}

/** A cell value as the sheet displays it: cached formula results, joined rich text, ISO dates. */
export function displayValue(value: CellValue, format?: string): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return formatNumber(value, format);
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return formatDate(value);
  if ("richText" in value) return value.richText.map((run) => run.text).join("");
  if ("error" in value) return value.error;
  if ("formula" in value || "sharedFormula" in value) return value.result === undefined ? "" : displayValue(value.result, format);
  if ("hyperlink" in value) return displayValue(value.text as CellValue, format);
  return "";
}

function cellText(cell: Cell): string {
  // Cells covered by a merge show nothing; the text belongs to the merge's first cell.
  if (cell.isMerged && cell.master.address !== cell.address) return "";
  return displayValue(cell.value, cell.numFmt).replace(/\r\n?/g, "\n").trim();
}

function truncationWarning(fileName: string, sheetName: string, rowCount: number): string {
  return `${fileName}: sheet "${sheetName}" has ${rowCount.toLocaleString("en-GB")} rows; only the first ${maxRowsPerSheet.toLocaleString("en-GB")} were read`;
}

interface SheetTable {
  unit: DocumentUnit | null;
  warning: string | null;
}

function readSheet(sheet: Worksheet, fileName: string): SheetTable {
  const rows: string[][] = [];
  let rowCount = 0;
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      if (column <= maxColumnsPerSheet) cells[column - 1] = cellText(cell);
    });
    const filled = Array.from(cells, (cell) => cell ?? "");
    if (!filled.some((cell) => cell.length > 0)) return;
    rowCount += 1;
    if (rows.length <= maxRowsPerSheet) rows.push(filled);
  });
  if (rows.length === 0) return { unit: null, warning: null };

  // Title and note lines above the table (one value across the row) are paragraphs, not the header.
  // A sheet that never has two values in a row is a list of lines, not a table.
  const blocks: ContentBlock[] = [];
  const lineOf = (row: string[]): string => row.filter((cell) => cell.length > 0).join(" ");
  const headerIndex = rows.findIndex((row) => row.filter((cell) => cell.length > 0).length >= 2);
  if (headerIndex === -1) {
    for (const row of rows.slice(0, maxRowsPerSheet)) blocks.push({ kind: "paragraph", text: lineOf(row) });
    const warning = rowCount > maxRowsPerSheet ? truncationWarning(fileName, sheet.name, rowCount) : null;
    return { unit: { page: null, section: sheet.name, blocks }, warning };
  }
  for (const row of rows.slice(0, headerIndex)) blocks.push({ kind: "paragraph", text: lineOf(row) });

  const tableRows = rows.slice(headerIndex, headerIndex + 1 + maxRowsPerSheet);
  // Keep only the columns that hold something, so dashboards with empty margins stay readable.
  const width = Math.max(...tableRows.map((row) => row.length));
  const usedColumns = Array.from({ length: width }, (_, column) => column).filter((column) =>
    tableRows.some((row) => (row[column] ?? "").length > 0),
  );
  const [headerRow = [], ...dataRows] = tableRows.map((row) => usedColumns.map((column) => row[column] ?? ""));
  const header = headerRow.map((name, index) => (name.length > 0 ? name.replace(/\s+/g, " ") : `Column ${index + 1}`));
  blocks.push({ kind: "table", header, rows: dataRows });

  const warning = rowCount - headerIndex - 1 > maxRowsPerSheet ? truncationWarning(fileName, sheet.name, rowCount) : null;
  return { unit: { page: null, section: sheet.name, blocks }, warning };
}

async function loadXlsx(bytes: Uint8Array, context: LoadContext): Promise<Result<LoadedDocument, HearthError>> {
  const container = checkOfficeContainer(bytes, context, "XLSX");
  if (!container.ok) return container;
  const read = await readZipEntries(bytes, context, { label: "XLSX", inflateAll: true, entryFilter: (name) => name === "docProps/core.xml" });
  if (!read.ok) return read;
  // exceljs takes a quarter of a second to load: only an XLSX ingest pays for it.
  const { default: excel } = await import("exceljs");
  const workbook = new excel.Workbook();
  try {
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // exceljs's own types predate Node's generic Buffer.
    await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  } catch (error) {
    return fail(
      new HearthError("CORRUPT_FILE", `${context.fileName}: not a valid XLSX file (${describeError(error)})`, { subject: context.path, cause: error }),
    );
  }
  const units: DocumentUnit[] = [];
  const warnings: string[] = [];
  for (const sheet of workbook.worksheets) {
    const { unit, warning } = readSheet(sheet, context.fileName);
    if (unit) units.push(unit);
    if (warning) warnings.push(warning);
  }
  if (units.length === 0) {
    return fail(new HearthError("NO_TEXT", `${context.fileName}: every sheet is empty`, { subject: context.path }));
  }
  return ok({ format: "xlsx", title: coreTitle(read.value.get("docProps/core.xml")), units, warnings });
}

export const xlsxLoader: DocumentLoader = {
  format: "xlsx",
  extensions: [".xlsx", ".xlsm"],
  sniff: (bytes) => isOfficeContainerWith(bytes, ["[Content_Types].xml", "xl/"]),
  load: loadXlsx,
};
