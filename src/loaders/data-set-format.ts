/**
 * Data sets: spreadsheets and CSV files, one table of many rows (DfE statistics, Ofsted's provider list) about
 * many subjects at once. Search, answers and LA profiles read them by row and column, not as one document's prose.
 */
import type { DocumentFormat } from "./types.ts";

export function isDataSetFormat(format: DocumentFormat | string): boolean {
  return format === "csv" || format === "xlsx";
}
