/**
 * The structured query over one typed table: filters on column values, a measure (count rows, sum or average of a
 * number column), an optional reporting period (the latest, one period, or the change between two), grouping and
 * ranking. It is data, never SQL: the offline builder and a language model both propose one, and it runs only
 * after `validateTableQuery` has checked it against the table's columns.
 */
import * as z from "zod";
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { DataTableRecord } from "../store/types.ts";
import { columnIndex } from "./table-data.ts";

export const tableFilterSchema = z.object({
  column: z.string().min(1),
  /** A row matches when its cell equals one of these (case-insensitive, trimmed). */
  values: z.array(z.string()).min(1).max(50),
});

export const tableQuerySchema = z.object({
  tableId: z.number().int().positive(),
  filters: z.array(tableFilterSchema).max(12).default([]),
  measure: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("count") }),
    z.object({ kind: z.literal("sum"), column: z.string().min(1) }),
    z.object({ kind: z.literal("average"), column: z.string().min(1) }),
  ]),
  /** A year column: the latest period (per group), one period, or the change from one to another. */
  period: z
    .object({
      column: z.string().min(1),
      at: z.string().optional(),
      from: z.string().optional(),
      to: z.string().optional(),
    })
    .optional(),
  /** Rows whose date (a column of days, such as a registration date) falls from `from` to `to`, ISO days, inclusive. */
  dates: z
    .object({
      column: z.string().min(1),
      from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    })
    .optional(),
  groupBy: z.string().min(1).optional(),
  order: z.enum(["desc", "asc"]).optional(),
  limit: z.number().int().positive().max(500).optional(),
});

export type TableFilter = z.infer<typeof tableFilterSchema>;
export type TableQuery = z.infer<typeof tableQuerySchema>;

function invalid(message: string, subject: string): Result<never> {
  return fail(new HearthError("INVALID_INPUT", message, { subject }));
}

/** Checks a proposed query against the table: every column exists, measures are numbers, periods are years. */
export function validateTableQuery(input: unknown, record: DataTableRecord): Result<TableQuery> {
  const parsed = tableQuerySchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return invalid(`not a table query (${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"})`, "query");
  }
  const query = parsed.data;
  if (query.tableId !== record.id) return invalid(`the query is for table ${query.tableId}, not ${record.id}`, "tableId");
  const names = record.columns.map((column) => column.name).join(", ");
  const known = (name: string, field: string): Result<number> => {
    const index = columnIndex(record, name);
    return index < 0 ? invalid(`${record.fileName} has no column "${name}" (columns: ${names})`, field) : ok(index);
  };
  for (const filter of query.filters) {
    const index = known(filter.column, "filters");
    if (!index.ok) return index;
  }
  if (query.measure.kind !== "count") {
    const index = known(query.measure.column, "measure.column");
    if (!index.ok) return index;
    if (record.columns[index.value]?.type !== "number") return invalid(`column "${query.measure.column}" does not hold numbers`, "measure.column");
  }
  if (query.period) {
    const index = known(query.period.column, "period.column");
    if (!index.ok) return index;
    const column = record.columns[index.value];
    if (column?.type !== "date" || column.unit !== "year") return invalid(`column "${query.period.column}" is not a reporting period`, "period.column");
    if ((query.period.from === undefined) !== (query.period.to === undefined)) return invalid("a change needs both from and to", "period");
  }
  if (query.dates) {
    const index = known(query.dates.column, "dates.column");
    if (!index.ok) return index;
    const column = record.columns[index.value];
    if (column?.type !== "date" || column.unit === "year") return invalid(`column "${query.dates.column}" does not hold dates`, "dates.column");
    if (query.dates.from > query.dates.to) return invalid("the dates run backwards", "dates");
  }
  if (query.groupBy !== undefined) {
    const index = known(query.groupBy, "groupBy");
    if (!index.ok) return index;
  }
  return ok(query);
}
