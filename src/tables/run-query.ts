/**
 * Runs a validated table query over a table's rows: filter, group, pick the period, measure, rank. Pure and fast
 * (one pass over the rows per step, numbers parsed once per table), so every figure can be recomputed whenever an
 * answer or its rows are shown.
 */
import { formatPeriod, parseDate, parsePeriod } from "./cell-values.ts";
import type { TableData } from "./table-data.ts";
import { columnIndex } from "./table-data.ts";
import type { TableQuery } from "./table-query.ts";

export interface PeriodFigure {
  period: string;
  value: number | null;
  rows: number[];
}

export interface GroupFigure {
  /** The group's value as the table writes it; null without grouping. */
  key: string | null;
  /** The measure (at the latest or named period), or the change from `from` to `to`. */
  value: number | null;
  /** The rows the figure was computed from (both periods for a change). */
  rows: number[];
  /** Rows whose measure cell is empty or suppressed. */
  missing: number;
  /** The period the value is for, when the query has one. */
  period?: string;
  from?: PeriodFigure;
  to?: PeriodFigure;
}

export interface QueryResult {
  query: TableQuery;
  /** Every row that counts towards a figure, in table order (the evidence). */
  rows: number[];
  groups: GroupFigure[];
  /** Groups before the limit was applied. */
  groupCount: number;
}

function measureOf(data: TableData, query: TableQuery, rows: number[]): { value: number | null; missing: number } {
  if (query.measure.kind === "count") return { value: rows.length, missing: 0 };
  const numbers = data.numbers[columnIndex(data.record, query.measure.column)];
  if (!numbers) return { value: null, missing: rows.length };
  let sum = 0;
  let present = 0;
  for (const row of rows) {
    const value = numbers[row] ?? Number.NaN;
    if (Number.isNaN(value)) continue;
    sum += value;
    present += 1;
  }
  if (present === 0) return { value: null, missing: rows.length };
  return { value: query.measure.kind === "sum" ? sum : sum / present, missing: rows.length - present };
}

/** The rows matching every filter (a filter matches any of its values). */
export function filterRows(data: TableData, filters: TableQuery["filters"]): number[] {
  const tests = filters.map((filter) => ({
    keys: data.keys[columnIndex(data.record, filter.column)] ?? [],
    values: new Set(filter.values.map((value) => value.trim().toLowerCase())),
  }));
  const matched: number[] = [];
  for (let row = 0; row < data.rows.length; row += 1) {
    if (tests.every((test) => test.values.has(test.keys[row] ?? ""))) matched.push(row);
  }
  return matched;
}

/** The rows whose date cell falls within the query's dates (cells read as days; other cells never match). */
function withinDates(data: TableData, dates: NonNullable<TableQuery["dates"]>, rows: number[]): number[] {
  const column = columnIndex(data.record, dates.column);
  return rows.filter((row) => {
    const day = parseDate(data.rows[row]?.[column] ?? "");
    return day !== null && day >= dates.from && day <= dates.to;
  });
}

export function runTableQuery(data: TableData, query: TableQuery): QueryResult {
  const filtered = filterRows(data, query.filters);
  const matched = query.dates ? withinDates(data, query.dates, filtered) : filtered;
  const groups = new Map<string, { key: string | null; rows: number[] }>();
  const groupColumn = query.groupBy === undefined ? -1 : columnIndex(data.record, query.groupBy);
  for (const row of matched) {
    const key = groupColumn < 0 ? "" : (data.keys[groupColumn]?.[row] ?? "");
    // Rows with no value in the grouping column (national or regional totals in an LA column) form no group.
    if (groupColumn >= 0 && key.length === 0) continue;
    const group = groups.get(key) ?? { key: groupColumn < 0 ? null : (data.rows[row]?.[groupColumn] ?? "").trim(), rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  const periods = query.period ? data.periods[columnIndex(data.record, query.period.column)] : undefined;
  const at = (rows: number[], period: number): number[] => rows.filter((row) => periods?.[row] === period);
  const figures: GroupFigure[] = [];
  for (const group of groups.values()) {
    if (!query.period || !periods) {
      figures.push({ key: group.key, ...measureOf(data, query, group.rows), rows: group.rows });
      continue;
    }
    if (query.period.from !== undefined && query.period.to !== undefined) {
      const fromPeriod = parsePeriod(query.period.from) ?? Number.NaN;
      const toPeriod = parsePeriod(query.period.to) ?? Number.NaN;
      const fromRows = at(group.rows, fromPeriod);
      const toRows = at(group.rows, toPeriod);
      const from = measureOf(data, query, fromRows);
      const to = measureOf(data, query, toRows);
      const value = from.value === null || to.value === null ? null : to.value - from.value;
      figures.push({
        key: group.key,
        value,
        rows: [...fromRows, ...toRows].sort((left, right) => left - right),
        missing: from.missing + to.missing,
        from: { period: formatPeriod(fromPeriod), value: from.value, rows: fromRows },
        to: { period: formatPeriod(toPeriod), value: to.value, rows: toRows },
      });
      continue;
    }
    let period = query.period.at === undefined ? Number.NaN : (parsePeriod(query.period.at) ?? Number.NaN);
    if (query.period.at === undefined) {
      // The latest period this group has a value for.
      for (const row of group.rows) {
        const value = periods[row] ?? Number.NaN;
        if (!Number.isNaN(value) && (Number.isNaN(period) || value > period)) period = value;
      }
    }
    const rows = at(group.rows, period);
    if (rows.length === 0) continue;
    figures.push({ key: group.key, ...measureOf(data, query, rows), rows, period: formatPeriod(period) });
  }
  if (query.order) {
    const direction = query.order === "desc" ? -1 : 1;
    figures.sort((left, right) => {
      if (left.value === null || right.value === null) return left.value === null ? (right.value === null ? 0 : 1) : -1;
      return direction * (left.value - right.value) || (left.key ?? "").localeCompare(right.key ?? "");
    });
  }
  const rows = [...new Set(figures.flatMap((figure) => figure.rows))].sort((left, right) => left - right);
  return { query, rows, groups: query.limit ? figures.slice(0, query.limit) : figures, groupCount: figures.length };
}
