/**
 * The rows behind a computed figure: a citation's query validated again against the stored table and run now,
 * so what is shown (web table view, CSV download, `hearth ask --rows`) is recomputed from the table, not copied
 * from the answer. The rows are the evidence.
 */
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { DataColumn, Store } from "../store/types.ts";
import { runTableQuery } from "./run-query.ts";
import type { GroupFigure } from "./run-query.ts";
import { loadTableData } from "./table-data.ts";
import { validateTableQuery } from "./table-query.ts";
import type { TableQuery } from "./table-query.ts";

export interface TableRows {
  tableId: number;
  fileName: string;
  sheet: string | null;
  /** The PDF page the table was read from; null for data sets. */
  page: number | null;
  title: string | null;
  query: TableQuery;
  /** "Local authority is "Somerset", Provision type is "Children's home"". */
  filters: string;
  columns: DataColumn[];
  rows: string[][];
  figures: GroupFigure[];
}

export function describeFilters(query: TableQuery): string {
  if (query.filters.length === 0) return "all rows";
  return query.filters.map((filter) => `${filter.column} is ${filter.values.map((value) => `"${value}"`).join(" or ")}`).join(", ");
}

/** The matching rows of a cited query, or NOT_FOUND when the table is gone (its document removed or replaced). */
export async function openTableRows(store: Store, reference: { tableId: number; query: unknown }): Promise<Result<TableRows>> {
  const data = await loadTableData(store, reference.tableId);
  if (!data) {
    return fail(new HearthError("NOT_FOUND", `table ${reference.tableId} is no longer in the library (the data set was removed or replaced)`, { subject: String(reference.tableId) }));
  }
  const query = validateTableQuery(reference.query, data.record);
  if (!query.ok) return query;
  const result = runTableQuery(data, query.value);
  return ok({
    tableId: data.record.id,
    fileName: data.record.fileName,
    sheet: data.record.sheet,
    page: data.page,
    title: data.record.title,
    query: query.value,
    filters: describeFilters(query.value),
    columns: data.record.columns,
    rows: result.rows.map((row) => data.rows[row] ?? []),
    figures: result.groups,
  });
}

function csvCell(cell: string): string {
  return /[",\r\n]/.test(cell) || /^[=+\-@]/.test(cell) ? `"${(/^[=+\-@]/.test(cell) && !/^-?\d/.test(cell) ? `'${cell}` : cell).replaceAll('"', '""')}"` : cell;
}

/** RFC 4180 CSV (formula-looking cells neutralised for spreadsheets). */
export function rowsToCsv(rows: TableRows): string {
  const lines = [rows.columns.map((column) => csvCell(column.name)).join(","), ...rows.rows.map((row) => row.map(csvCell).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}
