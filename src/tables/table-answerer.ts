/**
 * Answers with provenance over data sets: the figure first, then how it was computed (file, sheet, filters,
 * measure, period, row count) and what was chosen for the reader. The citation carries the query, so the rows it
 * matched can be opened (web table view and CSV, `hearth ask --rows`) and every figure recomputed from the stored
 * table; its quote is the first matching row, verbatim text of the stored sheet.
 */
import type { Answer, Citation } from "../answer/types.ts";
import { renderTableRow } from "../chunking/chunk.ts";
import type { DataColumn, Store } from "../store/types.ts";
import type { LanguageModel } from "../providers/types.ts";
import { stems } from "../retrieval/tokenize.ts";
import { backfillDataTables } from "./backfill.ts";
import { proposeTableQuery } from "./model-query.ts";
import { planQuery } from "./build-query.ts";
import { describeSource } from "./build-query.ts";
import type { QueryPlan } from "./build-query.ts";
import { formatFigure } from "./cell-values.ts";
import { analyseQuestion } from "./question-analysis.ts";
import type { QuestionAnalysis } from "./question-analysis.ts";
import { runTableQuery } from "./run-query.ts";
import type { GroupFigure, QueryResult } from "./run-query.ts";
import type { TableData } from "./table-data.ts";
import { columnIndex, loadTableData } from "./table-data.ts";
import type { TableQuery } from "./table-query.ts";
import { describeFilters } from "./table-rows.ts";

export interface TableAnswerer {
  /** A computed answer when the question is about a stored table, or null to let the passage answerer answer. */
  answer(question: string): Promise<Answer | null>;
}

/** Every stored table, loaded (and cached) for querying. */
export async function loadAllTables(store: Store): Promise<TableData[]> {
  const records = await store.tables.list();
  const loaded = await Promise.all(records.map((record) => loadTableData(store, record.id)));
  return loaded.filter((data): data is TableData => data !== undefined);
}

function sourceName(data: TableData): string {
  const title = data.record.title?.trim();
  return title && title.length <= 160 ? `${title} (${describeSource(data)})` : describeSource(data);
}

function filtersText(query: Pick<TableQuery, "filters" | "dates">): string {
  return describeFilters(query);
}

function unitOf(data: TableData, query: TableQuery): string {
  if (query.measure.kind === "count") return "";
  const column = data.record.columns[columnIndex(data.record, query.measure.column)] as DataColumn | undefined;
  const unit = column?.unit;
  if (!unit || unit === "£") return "";
  return unit === "%" ? "%" : ` ${unit}`;
}

function money(data: TableData, query: TableQuery): string {
  if (query.measure.kind === "count") return "";
  return data.record.columns[columnIndex(data.record, query.measure.column)]?.unit === "£" ? "£" : "";
}

function figureText(data: TableData, query: TableQuery, value: number | null): string {
  return value === null ? "no value (suppressed or empty)" : `${money(data, query)}${formatFigure(value)}${unitOf(data, query)}`;
}

function measureText(query: TableQuery): string {
  switch (query.measure.kind) {
    case "count":
      return "number of rows";
    case "sum":
      return `${query.measure.column}`;
    case "average":
      return `average ${query.measure.column}`;
  }
}

function methodText(data: TableData, query: TableQuery, result: QueryResult): string {
  const parts = [
    `file ${describeSource(data)}`,
    `filters: ${filtersText(query)}`,
    `measure: ${query.measure.kind === "count" ? "count of rows" : `${query.measure.kind} of ${query.measure.column}`}`,
  ];
  if (query.period) {
    parts.push(
      query.period.from !== undefined
        ? `period: ${query.period.column} ${query.period.from} and ${query.period.to}`
        : query.period.at !== undefined
          ? `period: ${query.period.column} ${query.period.at}`
          : `period: the latest ${query.period.column}`,
    );
  }
  if (query.groupBy) parts.push(`grouped by ${query.groupBy}${query.order ? `, ${query.order === "desc" ? "highest" : "lowest"} first` : ""}`);
  // Grouped rows are those with a value in the grouping column; the headline names the rows without one.
  parts.push(`${result.rows.length} row${result.rows.length === 1 ? "" : "s"}${query.groupBy ? ` with a ${query.groupBy} value` : ""}`);
  const missing = result.groups.reduce((total, group) => total + group.missing, 0);
  if (missing > 0) parts.push(`${missing} with no value (suppressed or empty) left out`);
  return `How it was computed: ${parts.join("; ")}.`;
}

function changeText(data: TableData, query: TableQuery, figure: GroupFigure): string {
  const from = figure.from;
  const to = figure.to;
  if (!from || !to) return "";
  if (from.value === null || to.value === null || figure.value === null) {
    return `${from.period}: ${figureText(data, query, from.value)}; ${to.period}: ${figureText(data, query, to.value)}`;
  }
  const direction = figure.value > 0 ? "a rise of" : figure.value < 0 ? "a fall of" : "no change,";
  const percent = from.value !== 0 ? ` (${figure.value > 0 ? "+" : ""}${formatFigure((figure.value / Math.abs(from.value)) * 100)}%)` : "";
  return `from ${figureText(data, query, from.value)} in ${from.period} to ${figureText(data, query, to.value)} in ${to.period}, ${direction} ${figureText(data, query, Math.abs(figure.value))}${figure.value === 0 ? "" : percent}`;
}

/** Each period's value between `from` and `to`, for a trend line. */
function trendText(data: TableData, query: TableQuery): string {
  if (!query.period || query.period.from === undefined || query.period.to === undefined) return "";
  const periods = data.periods[columnIndex(data.record, query.period.column)];
  if (!periods) return "";
  const from = Number.parseFloat(query.period.from);
  const to = Number.parseFloat(query.period.to);
  const all = [...new Set([...periods].filter((value) => !Number.isNaN(value) && value >= from && value <= to + 0.99))].sort((left, right) => left - right);
  if (all.length <= 2 || all.length > 12) return "";
  const series = all.map((value) => {
    const result = runTableQuery(data, { ...query, period: { column: query.period?.column ?? "", at: String(value) } });
    const figure = result.groups[0];
    return `${figure?.period ?? value}: ${figureText(data, query, figure?.value ?? null)}`;
  });
  return ` Year by year: ${series.join(", ")}.`;
}

function breakdownText(data: TableData, plan: QueryPlan, result: QueryResult): string {
  if (!plan.breakdown) return "";
  const column = columnIndex(data.record, plan.breakdown);
  const counts = new Map<string, number>();
  for (const row of result.rows) {
    const value = (data.rows[row]?.[column] ?? "").trim() || "not stated";
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  if (counts.size < 2 && result.rows.length > 0) {
    const [only] = [...counts.keys()];
    return `, all of them ${only}`;
  }
  const parts = [...counts.entries()].sort((left, right) => right[1] - left[1]).map(([value, count]) => `${formatFigure(count)} ${value}`);
  return `, of them ${parts.join(", ")} (${plan.breakdown})`;
}

/** The answer sentence: the figure first. */
function headline(plan: QueryPlan, result: QueryResult): string {
  const { data, query } = plan;
  const source = sourceName(data);
  const filters = filtersText(query);
  const groups = result.groups;
  if (groups.length === 0) return `${source} has no rows where ${filters}.`;
  if (query.groupBy && plan.mix) {
    const whole = runTableQuery(data, { ...query, groupBy: undefined, order: undefined, limit: undefined }).rows.length;
    const listed = groups.map((group) => `${group.key}: ${formatFigure(group.value ?? 0)}${whole > 0 ? ` (${formatFigure(((group.value ?? 0) / whole) * 100)}%)` : ""}`).join("; ");
    const unstated = whole - result.rows.length;
    const more = result.groupCount > groups.length ? `; ${result.groupCount - groups.length} more ${query.groupBy} values not shown` : "";
    return `${source} lists ${formatFigure(whole)} row${whole === 1 ? "" : "s"} where ${filters}; by ${query.groupBy}: ${listed}${more}${unstated > 0 ? `; ${formatFigure(unstated)} with no ${query.groupBy} value` : ""} [1].`;
  }
  if (query.groupBy) {
    const isChange = query.period?.from !== undefined;
    const listed = groups
      .map((group) => `${group.key}: ${isChange ? changeText(data, query, group) : figureText(data, query, group.value)}${!isChange && group.period ? ` (${group.period})` : ""}`)
      .join("; ");
    const lead = groups[0] as GroupFigure;
    const comparing = query.filters.some((filter) => filter.column === query.groupBy && filter.values.length >= 2);
    if (comparing && groups.length === 2 && !isChange) {
      const [first, second] = groups as [GroupFigure, GroupFigure];
      const gap = first.value !== null && second.value !== null ? first.value - second.value : null;
      const gapText = gap === null ? "" : gap === 0 ? `; they are the same` : `; ${first.key} is higher by ${figureText(data, query, gap)}`;
      return `${measureText(query)} where ${filters}: ${listed} [1]${gapText}.`;
    }
    const verb = query.order === "asc" ? "the lowest" : "the highest";
    const others = result.groupCount > groups.length ? ` (top ${groups.length} of ${result.groupCount} ${query.groupBy} values)` : "";
    return `${lead.key} has ${verb} ${measureText(query)} where ${filters}: ${listed}${others} [1].`;
  }
  const figure = groups[0] as GroupFigure;
  if (plan.share && figure.value !== null) {
    const whole = runTableQuery(data, plan.share.whole).groups[0]?.value ?? 0;
    const percent = whole > 0 ? `${formatFigure((figure.value / whole) * 100)}%` : "no share (no rows)";
    const part = plan.share.filter;
    const wholeRows = runTableQuery(data, plan.share.whole).rows;
    const partColumn = columnIndex(data.record, part.column);
    const empty = wholeRows.filter((row) => (data.rows[row]?.[partColumn] ?? "").trim().length === 0).length;
    const emptyText = empty > 0 ? `; ${formatFigure(empty)} of them have no ${part.column} value` : "";
    return `${percent} [1]: ${formatFigure(figure.value)} of the ${formatFigure(whole)} rows where ${filtersText(plan.share.whole)} also have ${part.column} ${part.values.map((value) => `"${value}"`).join(" or ")}${emptyText} (${source}).`;
  }
  if (query.period?.from !== undefined) {
    return `${measureText(query)} where ${filters} went ${changeText(data, query, figure)} [1].${trendText(data, query)}`;
  }
  if (query.measure.kind === "count") {
    const at = figure.period ? ` in ${figure.period}` : "";
    return `${source} lists ${formatFigure(figure.value ?? 0)} row${figure.value === 1 ? "" : "s"} where ${filters}${at} [1]${breakdownText(data, plan, result)}.`;
  }
  const at = figure.period ? ` in ${figure.period}` : "";
  const across = figure.rows.length > 1 ? ` (${query.measure.kind === "sum" ? "total" : "average"} across ${figure.rows.length} rows)` : "";
  return `${measureText(query)} where ${filters}${at}: ${figureText(data, query, figure.value)}${across} [1].`;
}

function citationFor(data: TableData, query: TableQuery, rows: number[], rowCount: number): Citation {
  const first = rows[0];
  const cells = first === undefined ? data.record.columns.map((column) => column.name) : (data.rows[first] ?? []);
  return {
    n: 1,
    file: data.record.fileName,
    page: data.page,
    section: data.record.sheet,
    // Trimmed as the page text is: a row ending in empty cells ends "| " when rendered alone.
    quote: renderTableRow(cells).trim(),
    table: { tableId: data.record.id, query: query as unknown as Record<string, unknown>, rowCount },
  };
}

/** The answer for a plan, computed from the table now. */
export function composeTableAnswer(question: string, plan: QueryPlan): Answer {
  const { data, query } = plan;
  if (plan.limitation) {
    return {
      question,
      answer: `${plan.limitation} [1]${plan.notes.length > 0 ? `\n\n${plan.notes.join(" ")}` : ""}`,
      citations: [citationFor(data, query, [], 0)],
      mode: "extractive",
      refused: true,
    };
  }
  const result = runTableQuery(data, query);
  const lines = [headline(plan, result), "", methodText(data, query, result)];
  const citations = [citationFor(data, query, result.rows, result.rows.length)];
  if (plan.companion) {
    const wider = runTableQuery(data, plan.companion.query);
    const figure = wider.groups[0];
    if (figure && wider.rows.length > 0) {
      const own = result.groups[0]?.value;
      const gap = own !== null && own !== undefined && figure.value !== null ? own - figure.value : null;
      lines[0] = `${lines[0]} ${plan.companion.label}: ${figureText(data, query, figure.value)}${figure.period ? ` (${figure.period})` : ""} [2]${gap === null ? "" : gap === 0 ? ", the same" : `, a difference of ${figureText(data, query, Math.abs(gap))} (${gap > 0 ? "higher" : "lower"} where first named)`}.`;
      lines.push(methodText(data, plan.companion.query, wider).replace("How it was computed:", `For ${plan.companion.label}:`));
      citations.push({ ...citationFor(data, plan.companion.query, wider.rows, wider.rows.length), n: 2 });
    }
  }
  if (plan.notes.length > 0) lines.push("", ...plan.notes);
  if (data.record.description.trim().length > 0 && /suppress|rounded|not shown|confidential/i.test(data.record.description)) {
    lines.push("", `The table's notes: ${data.record.description.split("\n").filter((line) => /suppress|rounded|not shown|confidential|exclude/i.test(line)).join(" ")}`);
  }
  return {
    question,
    answer: lines.join("\n"),
    citations,
    mode: "extractive",
    refused: result.rows.length === 0,
  };
}

export async function planQuestion(analysis: QuestionAnalysis, store: Store): Promise<QueryPlan | null> {
  const tables = await loadAllTables(store);
  if (tables.length === 0) return null;
  return planQuery(analysis, tables);
}

export function createTableAnswerer({ store }: { store: Store }): TableAnswerer {
  return {
    async answer(question) {
      const plan = await planQuestion(analyseQuestion(question), store);
      return plan ? composeTableAnswer(question, plan) : null;
    },
  };
}

/**
 * The hook the answer services use: a data-set question is answered from its table, anything else by `fallback`.
 * Data sets ingested before typed tables were kept are filled in from their files first (once per process).
 */
export async function prepareTables(store: Store): Promise<void> {
  await backfillDataTables(store);
}

export function withTableAnswers(
  store: Store,
  fallback: { answer(question: string): Promise<Answer> },
): { answer(question: string): Promise<Answer> } {
  const tables = createTableAnswerer({ store });
  return {
    async answer(question) {
      return (await tables.answer(question)) ?? fallback.answer(question);
    },
  };
}

/** A question asking for a count, total, average, ranking, trend or comparison: worth a model's query proposal. */
export function asksForFigures(analysis: QuestionAnalysis): boolean {
  const intents = analysis.intents;
  if (/^\s*(who|whom|whose|where|why)\b/i.test(analysis.text)) return false;
  return intents.count || intents.sum || intents.average || intents.rankAscending || intents.rankDescending || intents.change || intents.compare || intents.rate || intents.share || intents.mix;
}

/**
 * The answer services' hook: the offline query builder first; then, when a model may see the question (see
 * `allowModel`), the model's proposed query, checked against the table before it runs; null otherwise.
 */
export async function answerFromTables(
  store: Store,
  question: string,
  model: LanguageModel | null,
  options: { signal?: AbortSignal; onRejected?: (reason: string) => void } = {},
): Promise<Answer | null> {
  await prepareTables(store);
  // Loaded once for the offline plan and the model's proposal; a library without tables has nothing to compute.
  const tables = await loadAllTables(store);
  if (tables.length === 0) return null;
  const analysis = analyseQuestion(question);
  const plan = planQuery(analysis, tables);
  if (plan) return composeTableAnswer(question, plan);
  if (!model || !asksForFigures(analysis)) return null;
  // Only data sets (CSV, XLSX) are offered to the model: a PDF's tables are also in its passages, which the grounded
  // answer quotes with their page, so a query proposal for them would cost every figure question a second model call.
  const dataSets = tables.filter((data) => data.page === null);
  if (dataSets.length === 0) return null;
  // The most likely tables first: those sharing words with the question.
  const questionStems = new Set(analysis.tokens.map((token) => token.stem));
  const ranked = [...dataSets].sort((left, right) => overlapOf(right, questionStems) - overlapOf(left, questionStems));
  const proposed = await proposeTableQuery(model, question, ranked, options);
  return proposed ? composeTableAnswer(question, proposed) : null;
}

function overlapOf(data: TableData, questionStems: ReadonlySet<string>): number {
  const text = `${data.record.fileName} ${data.record.title ?? ""} ${data.record.columns.map((column) => column.name).join(" ")}`;
  return stems(text.replace(/_/g, " ")).filter((part) => questionStems.has(part)).length;
}
