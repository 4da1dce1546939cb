/**
 * With a language model configured, the model may propose the table query for a data-set question the offline
 * builder could not read. It sees the tables' schemas (columns, types, units, the values of short category
 * columns) and the question, and replies with JSON only. The reply is never SQL and never runs as given: it is
 * parsed, checked with zod against the chosen table (`validateTableQuery`), and every filter value must be a
 * value of its column; anything else is refused and the question goes on to the passage answerer.
 */
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { LanguageModel } from "../providers/types.ts";
import type { QueryPlan } from "./build-query.ts";
import type { TableData } from "./table-data.ts";
import { columnIndex } from "./table-data.ts";
import { validateTableQuery } from "./table-query.ts";

/** Values listed per category column in the prompt; longer lists are cut with a count. */
const valuesShown = 40;
/** Tables described in one prompt at most (the ones most likely first). */
const tablesShown = 12;

export const modelQuerySystemPrompt = [
  "You turn a question about data tables into one JSON query over one table. Reply with JSON only, no prose, no code fences.",
  'Shape: {"tableId": <id>, "filters": [{"column": "<column name>", "values": ["<value as listed>"]}], "measure": {"kind": "count"} or {"kind": "sum" | "average", "column": "<number column>"}, "period": {"column": "<year column>", "at": "<year>"} or {"column": "<year column>", "from": "<year>", "to": "<year>"} or {"column": "<year column>"} for the latest, "groupBy": "<column>", "order": "desc" | "asc", "limit": <n>}.',
  "Use only column names and values exactly as listed. Filters match whole cell values. Leave out fields you do not need.",
  'If no listed table can answer the question, reply {"none": true}. Never write SQL.',
].join("\n");

function describeTable(data: TableData): string {
  const lines = [`Table ${data.record.id}: ${data.record.fileName}${data.record.sheet ? `, sheet "${data.record.sheet}"` : ""}${data.record.title ? ` (${data.record.title})` : ""}, ${data.record.rowCount} rows`];
  data.record.columns.forEach((column, index) => {
    let detail = `${column.type}${column.unit ? `, ${column.unit}` : ""}`;
    if (column.type === "category") {
      const values = [...new Set((data.rows.map((row) => (row[index] ?? "").trim()).filter((value) => value.length > 0)))];
      detail += `; values: ${values.slice(0, valuesShown).map((value) => JSON.stringify(value)).join(", ")}${values.length > valuesShown ? ` and ${values.length - valuesShown} more` : ""}`;
    }
    lines.push(`- ${JSON.stringify(column.name)} (${detail})`);
  });
  return lines.join("\n");
}

/** The user message: the schemas, then the question between delimiters (it is data, not instructions). */
export function modelQueryPrompt(question: string, tables: readonly TableData[]): string {
  return `${tables.slice(0, tablesShown).map(describeTable).join("\n\n")}\n\n<<<QUESTION\n${question.replace(/<<<|>>>/g, "")}\nQUESTION>>>`;
}

function firstJsonObject(text: string): unknown {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start) return undefined;
  try {
    return JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
}

/** Checks a model's reply: a query that fits one of the tables, with filter values the table holds. */
export function checkProposedQuery(reply: string, tables: readonly TableData[]): Result<QueryPlan | null> {
  const parsed = firstJsonObject(reply);
  if (parsed === undefined || typeof parsed !== "object" || parsed === null) {
    return fail(new HearthError("PROVIDER_BAD_RESPONSE", "the model's table query is not JSON", { subject: "query" }));
  }
  if ("none" in parsed && (parsed as { none: unknown }).none === true) return ok(null);
  const tableId = (parsed as { tableId?: unknown }).tableId;
  const data = tables.find((table) => table.record.id === tableId);
  if (!data) return fail(new HearthError("INVALID_INPUT", `the model named table ${String(tableId)}, which is not one it was shown`, { subject: "tableId" }));
  const query = validateTableQuery(parsed, data.record);
  if (!query.ok) return query;
  for (const filter of query.value.filters) {
    const keys = new Set(data.keys[columnIndex(data.record, filter.column)] ?? []);
    const unknown = filter.values.filter((value) => !keys.has(value.trim().toLowerCase()));
    if (unknown.length > 0) {
      return fail(new HearthError("INVALID_INPUT", `column "${filter.column}" has no value ${unknown.map((value) => `"${value}"`).join(", ")}`, { subject: "filters" }));
    }
  }
  return ok({ data, query: query.value, score: 0, notes: ["The query was proposed by the language model and checked against the table before it ran."] });
}

/** Asks the model for a query; null when it proposes none or its proposal does not pass the checks. */
export async function proposeTableQuery(
  model: LanguageModel,
  question: string,
  tables: readonly TableData[],
  options: { signal?: AbortSignal; onRejected?: (reason: string) => void } = {},
): Promise<QueryPlan | null> {
  if (tables.length === 0) return null;
  const generated = await model.generate(
    { system: modelQuerySystemPrompt, messages: [{ role: "user", content: modelQueryPrompt(question, tables) }], maxTokens: 400, temperature: 0 },
    options.signal ? { signal: options.signal } : {},
  );
  if (!generated.ok) {
    options.onRejected?.(generated.error.message);
    return null;
  }
  const checked = checkProposedQuery(generated.value.text, tables);
  if (!checked.ok) {
    options.onRejected?.(checked.error.message);
    return null;
  }
  return checked.value;
}
