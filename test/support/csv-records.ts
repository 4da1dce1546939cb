/**
 * Expected figures for the data-set tests, computed independently of the code under test: a CSV read with
 * csv-parse and plain objects, and figures written as the answers write them.
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";

export type CsvRecord = { [column: string]: string };

/** Rows of a CSV as objects, the header found as the first row naming `firstColumn`. */
export function recordsOf(path: string, firstColumn: string): CsvRecord[] {
  const rows = parse(readFileSync(path, "utf8").replace(/^\uFEFF/, ""), { relax_column_count: true, skip_empty_lines: true }) as string[][];
  const headerIndex = rows.findIndex((row) => (row[0] ?? "").trim() === firstColumn);
  const header = (rows[headerIndex] ?? []).map((name) => name.replace(/\s+/g, " ").trim());
  return rows.slice(headerIndex + 1).map((row) => Object.fromEntries(header.map((name, index) => [name, (row[index] ?? "").trim()])));
}

/** A figure as the answers print it (en-GB grouping, at most two decimals). */
export const figure = (value: number): string => value.toLocaleString("en-GB", { maximumFractionDigits: 2 });
