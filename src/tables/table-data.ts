/**
 * A stored table read for querying: rows from the store, numbers and periods parsed once per column, cached per
 * store by table id (ids are never reused, so a cached table cannot go stale; a replaced document gets new ids).
 */
import type { DataTableRecord, Store } from "../store/types.ts";
import { parseNumber, parsePeriod } from "./cell-values.ts";

export interface TableData {
  record: DataTableRecord;
  rows: string[][];
  /** Lower-cased trimmed cells per column, for filters. */
  keys: string[][];
  /** Parsed numbers of number columns (NaN where missing); null for other columns. */
  numbers: (Float64Array | null)[];
  /** Parsed periods of year columns (NaN where missing); null for other columns. */
  periods: (Float64Array | null)[];
  /** The PDF page a table was read from (its citation's page); null for data sets (CSV, XLSX sheets). */
  page: number | null;
}

const caches = new WeakMap<Store, Map<number, TableData>>();

export function buildTableData(record: DataTableRecord, rows: string[][], page: number | null = null): TableData {
  const width = record.columns.length;
  const keys: string[][] = Array.from({ length: width }, () => new Array<string>(rows.length));
  const numbers: (Float64Array | null)[] = record.columns.map((column) => (column.type === "number" ? new Float64Array(rows.length) : null));
  const periods: (Float64Array | null)[] = record.columns.map((column) => (column.type === "date" && column.unit === "year" ? new Float64Array(rows.length) : null));
  rows.forEach((row, rowIndex) => {
    for (let column = 0; column < width; column += 1) {
      const cell = (row[column] ?? "").trim();
      (keys[column] as string[])[rowIndex] = cell.toLowerCase();
      const numberColumn = numbers[column];
      if (numberColumn) numberColumn[rowIndex] = parseNumber(cell) ?? Number.NaN;
      const periodColumn = periods[column];
      if (periodColumn) periodColumn[rowIndex] = parsePeriod(cell) ?? Number.NaN;
    }
  });
  return { record, rows, keys, numbers, periods, page };
}

/** The page of a table read from a PDF (data sets have none), through its unit index. */
async function pageOf(store: Store, record: DataTableRecord): Promise<number | null> {
  if (!record.fileName.toLowerCase().endsWith(".pdf")) return null;
  const document = await store.documents.get(record.documentId);
  if (document?.format !== "pdf") return null;
  const units = (await store.documents.unitTexts([record.documentId])).get(record.documentId) ?? [];
  return units.find((unit) => unit.index === record.unitIndex)?.page ?? null;
}

/** The table with its rows, or undefined when the id is unknown (the document was removed). */
export async function loadTableData(store: Store, tableId: number): Promise<TableData | undefined> {
  let cache = caches.get(store);
  if (!cache) {
    cache = new Map();
    caches.set(store, cache);
  }
  const cached = cache.get(tableId);
  if (cached) return cached;
  const record = await store.tables.get(tableId);
  if (!record) return undefined;
  const data = buildTableData(record, await store.tables.rows(tableId), await pageOf(store, record));
  cache.set(tableId, data);
  return data;
}

export function columnIndex(record: DataTableRecord, name: string): number {
  const exact = record.columns.findIndex((column) => column.name === name);
  if (exact >= 0) return exact;
  const lower = name.trim().toLowerCase();
  return record.columns.findIndex((column) => column.name.toLowerCase() === lower);
}
