/**
 * Market figures computed from data sets' typed tables: children's homes, places, the Ofsted ratings mix and the
 * sector mix per council (Ofsted's provider list), and the looked-after count and rate trend (DfE). Each figure
 * is a table query run now (src/tables), cited by the first matching row, verbatim on the stored sheet, with the
 * query kept so its rows can be opened. The same question-to-query code as `hearth ask` picks table and columns,
 * so nothing here knows one file's layout.
 */
import type { Store } from "../store/types.ts";
import { renderTableRow } from "../chunking/chunk.ts";
import type { QueryPlan } from "../tables/build-query.ts";
import { formatFigure } from "../tables/cell-values.ts";
import { analyseQuestion } from "../tables/question-analysis.ts";
import { runTableQuery } from "../tables/run-query.ts";
import type { QueryResult } from "../tables/run-query.ts";
import { columnIndex } from "../tables/table-data.ts";
import type { TableQuery } from "../tables/table-query.ts";
import { planQuestion } from "../tables/table-answerer.ts";
import { describeFilters } from "../tables/table-rows.ts";
import { tableVocabulary } from "../tables/vocabulary.ts";
import type { FigureField } from "./figures.ts";

export interface ComputedFigure {
  field: FigureField;
  value: string;
  date: string | null;
  file: string;
  page: null;
  /** The first row the figure was computed from, verbatim. */
  quote: string;
  /** How it was computed, and the query whose rows are the evidence. */
  computed: { tableId: number; query: TableQuery; rowCount: number; method: string };
}

async function planFor(store: Store, question: string): Promise<QueryPlan | null> {
  const plan = await planQuestion(analyseQuestion(question), store);
  return plan && !plan.limitation ? plan : null;
}

function figureOf(field: FigureField, plan: QueryPlan, query: TableQuery, result: QueryResult, value: string, date: string | null): ComputedFigure | null {
  const first = result.rows[0];
  if (first === undefined) return null;
  const data = plan.data;
  const measure = query.measure.kind === "count" ? "count of rows" : `${query.measure.kind} of ${query.measure.column}`;
  return {
    field,
    value,
    date,
    file: data.record.fileName,
    page: null,
    quote: renderTableRow(data.rows[first] ?? []).trim(),
    computed: {
      tableId: data.record.id,
      query,
      rowCount: result.rows.length,
      method: `${data.record.fileName}${data.record.sheet ? `, sheet "${data.record.sheet}"` : ""}: ${measure} where ${describeFilters(query)}${query.groupBy ? `, by ${query.groupBy}` : ""}; ${result.rows.length} rows`,
    },
  };
}

function mix(plan: QueryPlan, column: string, field: FigureField): ComputedFigure | null {
  const query: TableQuery = { ...plan.query, groupBy: column, order: "desc" };
  const result = runTableQuery(plan.data, query);
  if (result.groups.length === 0) return null;
  const value = result.groups.map((group) => `${group.key || "not stated"} ${formatFigure(group.value ?? 0)}`).join(", ");
  // Providers without a rating (not yet inspected) form no group; say how many so the mix adds up.
  const all = runTableQuery(plan.data, plan.query).rows.length;
  const unrated = all - result.rows.length;
  return figureOf(field, plan, query, result, unrated > 0 ? `${value}; ${formatFigure(unrated)} with none` : value, null);
}

async function trend(store: Store, question: string, field: FigureField): Promise<ComputedFigure | null> {
  const plan = await planFor(store, question);
  if (!plan?.query.period || plan.query.period.from === undefined) return null;
  const result = runTableQuery(plan.data, plan.query);
  const group = result.groups[0];
  if (!group?.from || !group.to || group.from.value === null || group.to.value === null) return null;
  const change = group.to.value - group.from.value;
  const percent = group.from.value === 0 ? "" : ` (${change >= 0 ? "+" : ""}${formatFigure((change / group.from.value) * 100)}%)`;
  const value = `${formatFigure(group.from.value)} in ${group.from.period} to ${formatFigure(group.to.value)} in ${group.to.period}, ${change >= 0 ? "+" : ""}${formatFigure(change)}${percent}`;
  return figureOf(field, plan, plan.query, result, value, group.to.period);
}

/** The computed figures for one council, in figure-field order; empty when the library holds no such data set. */
export async function computedMarketFigures(store: Store, authority: string): Promise<ComputedFigure[]> {
  if ((await store.tables.list()).length === 0) return [];
  const figures: ComputedFigure[] = [];
  const homes = await planFor(store, `How many children's homes are there in ${authority}?`);
  if (homes && homes.query.measure.kind === "count" && !homes.query.groupBy) {
    const result = runTableQuery(homes.data, homes.query);
    const count = figureOf("childrens_homes", homes, homes.query, result, formatFigure(result.groups[0]?.value ?? 0), null);
    if (count) figures.push(count);
    const places = await planFor(store, `How many places are there in children's homes in ${authority}?`);
    if (places && places.query.measure.kind === "sum" && places.data === homes.data) {
      const placeResult = runTableQuery(places.data, places.query);
      const total = placeResult.groups[0]?.value;
      const figure = total === null || total === undefined ? null : figureOf("childrens_home_places", places, places.query, placeResult, formatFigure(total), null);
      if (figure) figures.push(figure);
    }
    const vocabulary = tableVocabulary();
    const ratingColumn = homes.data.record.columns.find(
      (column) => column.type === "category" && vocabulary.columnHints.some((hint) => hint.pattern.test("rated") && hint.columns.some((name) => column.name.toLowerCase().includes(name))),
    );
    if (ratingColumn && columnIndex(homes.data.record, ratingColumn.name) >= 0) {
      const ratings = mix(homes, ratingColumn.name, "childrens_home_ratings");
      if (ratings) figures.push(ratings);
    }
    if (homes.breakdown) {
      const sectors = mix(homes, homes.breakdown, "childrens_home_sectors");
      if (sectors) figures.push(sectors);
    }
  }
  const count = await trend(store, `How has the number of children looked after in ${authority} changed?`, "looked_after_trend");
  if (count) figures.push(count);
  const rate = await trend(store, `How has the rate of children looked after per 10,000 in ${authority} changed?`, "looked_after_rate_trend");
  if (rate) figures.push(rate);
  return figures;
}
