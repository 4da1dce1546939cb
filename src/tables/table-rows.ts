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

/** "Registration date in 2023", "Registration date between 2021 and 2024", or the days themselves. */
export function describeDates(dates: NonNullable<TableQuery["dates"]>): string {
  const from = /^(\d{4})-01-01$/.exec(dates.from)?.[1];
  const to = /^(\d{4})-12-31$/.exec(dates.to)?.[1];
  if (from && to) return from === to ? `${dates.column} in ${from}` : `${dates.column} between ${from} and ${to}`;
  return `${dates.column} from ${dates.from} to ${dates.to}`;
}

export function describeFilters(query: Pick<TableQuery, "filters" | "dates">): string {
  const parts = query.filters.map((filter) => `${filter.column} is ${filter.values.map((value) => `"${value}"`).join(" or ")}`);
  if (query.dates) parts.push(describeDates(query.dates));
  return parts.length === 0 ? "all rows" : parts.join(", ");
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
