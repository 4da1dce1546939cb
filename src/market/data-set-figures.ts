/**
 * Figures from data sets about many authorities: DfE statistics downloaded as CSV or a spreadsheet, one row per
 * local authority (and, in the long "tidy" layout DfE publishes, per measure and year). The header names the
 * columns; a row is read only when one column names an English LA and another holds the figure, so a national or
 * regional row, a suppressed cell ("c", "x", "z") or a row about "children starting to be looked after" is never
 * taken for a count of children in care. The latest period per authority wins; the quote is the row as stored.
 */
import type { ExtractedFigure } from "./figures.ts";
import { resolveLocalAuthority } from "./local-authority-names.ts";
import type { PagePiece } from "./page-pieces.ts";

export interface DataSetFigure extends ExtractedFigure {
  authority: string;
}

function normalise(header: string): string {
  return header.toLowerCase().replace(/[_\s]+/g, " ").trim();
}

const authorityHeader = /^(la name|local authority( name)?|la|authority( name)?|upper tier la name|council)$/;
const measureHeader = /^(population type|measure|indicator|description|characteristic|category|variable|metric)$/;
const valueHeader = /^(children count|number|count|value|total|number of children)$/;
const periodHeader = /^(time period|year|period|date|as at|reporting year)$/;
/** A measure (long layout) or a column (wide layout) that counts the children an authority looks after. */
const childrenInCare = /\b(children looked after|looked[- ]after children|children in care|cla)\b/;
/** Flows and rates are other measures: starting, ceasing, per 10,000, percentages. */
const notACount = /\b(start\w*|ceas\w*|left|leaving|rate|per 10,?000|percent\w*|%|proportion|change|aged|age|adopt\w*|placement|missing)\b/;
const number = /^\d{1,3}(,\d{3})+$|^\d+$/;

/** "2025" -> 2025; "202425" (a DfE financial year) -> 2025; "2024/25" -> 2025. */
function periodYear(period: string): number {
  const compact = /^(\d{4})(\d{2})$/.exec(period);
  if (compact) return Number(compact[1]) + 1;
  const slashed = /^(\d{4})\s*[/-]\s*(\d{2})$/.exec(period);
  if (slashed) return Number(slashed[1]) + 1;
  const year = /\b(19|20)\d{2}\b/.exec(period);
  return year ? Number(year[0]) : 0;
}

/** The date a count stands for: "31 March 2025" when the measure says "on 31 March", else the period as written. */
function dateOf(period: string | undefined, measure: string): string | null {
  if (!period) return null;
  if (/31 march/i.test(measure) && periodYear(period) > 0) return `31 March ${periodYear(period)}`;
  return period;
}

interface Columns {
  authority: number;
  period: number;
  /** Long layout: the measure column and the value column. */
  measure: number;
  value: number;
  /** Wide layout: a column that is itself the count. */
  countColumn: number;
}

function columnsOf(header: string[]): Columns | undefined {
  const names = header.map(normalise);
  const authority = names.findIndex((name) => authorityHeader.test(name));
  if (authority < 0) return undefined;
  const measure = names.findIndex((name) => measureHeader.test(name));
  const value = names.findIndex((name) => valueHeader.test(name));
  const countColumn = names.findIndex((name) => childrenInCare.test(name) && !notACount.test(name));
  if ((measure < 0 || value < 0) && countColumn < 0) return undefined;
  return { authority, period: names.findIndex((name) => periodHeader.test(name)), measure, value, countColumn };
}

/** Children in care per authority from the rows of data-set tables (latest period each). */
export function dataSetFigures(pieces: PagePiece[]): DataSetFigure[] {
  const latest = new Map<string, { figure: DataSetFigure; year: number }>();
  let columnsFor: string[] | null = null;
  let columns: Columns | undefined;
  for (const piece of pieces) {
    if (!piece.isRow || !piece.header) continue;
    if (piece.header !== columnsFor) {
      columnsFor = piece.header;
      columns = columnsOf(piece.header);
    }
    if (!columns) continue;
    const cells = piece.cells;
    const authorityCell = cells[columns.authority] ?? "";
    if (authorityCell.length === 0) continue;
    const authority = resolveLocalAuthority(authorityCell);
    // The cell must be the authority's name, not a sentence that mentions one.
    if (!authority || authorityCell.length > authority.length + 12) continue;
    const period = columns.period >= 0 ? cells[columns.period] : undefined;
    let value: string | undefined;
    let measure = "";
    if (columns.measure >= 0 && columns.value >= 0) {
      measure = cells[columns.measure] ?? "";
      if (childrenInCare.test(measure.toLowerCase()) && !notACount.test(measure.toLowerCase())) value = cells[columns.value];
    }
    if (value === undefined && columns.countColumn >= 0) {
      measure = piece.header[columns.countColumn] ?? "";
      value = cells[columns.countColumn];
    }
    if (value === undefined || !number.test(value)) continue;
    const year = period ? periodYear(period) : 0;
    const previous = latest.get(authority);
    if (previous && previous.year >= year) continue;
    latest.set(authority, {
      year,
      figure: { authority, field: "children_in_care", value, date: dateOf(period, measure), page: piece.page, quote: piece.text },
    });
  }
  return [...latest.values()].map((entry) => entry.figure);
}
