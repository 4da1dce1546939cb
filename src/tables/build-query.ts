/**
 * Question to query, offline: which stored table a question is about, and the structured query that answers it.
 * Filters come from category values the question names (council names through the LA list and its aliases,
 * regions, provision types, ratings, sectors), matched on Porter stems, glossary synonyms and one-letter typos;
 * the measure from a number column the question names (or a count of rows); the period from the years named (the
 * latest otherwise); grouping from "which council ..." nouns. Nothing here knows any one data set: the words and
 * weights are in vocabulary.json.
 */
import { stems, stopWords } from "../retrieval/tokenize.ts";
import type { DataColumn } from "../store/types.ts";
import { formatPeriod, parseDate } from "./cell-values.ts";
import type { QuestionAnalysis, QuestionToken } from "./question-analysis.ts";
import { filterRows } from "./run-query.ts";
import type { TableData } from "./table-data.ts";
import type { TableFilter, TableQuery } from "./table-query.ts";
import { tableVocabulary } from "./vocabulary.ts";

export interface QueryPlan {
  data: TableData;
  query: TableQuery;
  /** How strongly the question points at this table (compared across tables). */
  score: number;
  /** What a reader must be told: the measure chosen, values taken for the question's words, ambiguous names. */
  notes: string[];
  /** Set when this is the table the question is about but it cannot answer: said instead of a figure. */
  limitation?: string;
  /** A category column to break a count down by (sector), when the question does not filter on it. */
  breakdown?: string;
  /** "What proportion of Somerset's homes are private": the whole the part is a share of. */
  share?: { filter: TableFilter; whole: TableQuery };
  /** "The ratings mix of homes in Kent": every group's count and share of the whole, not a ranking. */
  mix?: boolean;
  /** "Blackpool compared with England": the same measure for the wider area the question names. */
  companion?: { label: string; query: TableQuery };
}

interface DistinctValue {
  display: string;
  key: string;
  count: number;
  stems: string[];
}

interface ColumnValues {
  column: number;
  values: DistinctValue[];
}

const valueIndexes = new WeakMap<TableData, ColumnValues[]>();

/** Stems of a value or column name, without possessive "s" (so "childrens homes" meets "Children's home"). */
function nameStems(text: string): string[] {
  return stems(text.replace(/_/g, " ")).filter((part) => part !== "s");
}

function categoryValues(data: TableData): ColumnValues[] {
  const cached = valueIndexes.get(data);
  if (cached) return cached;
  const index: ColumnValues[] = [];
  data.record.columns.forEach((column, columnNumber) => {
    // Text columns (provider names, owners) are matched too, but only on values of two or more words.
    if (column.type !== "category" && column.type !== "text") return;
    const counts = new Map<string, DistinctValue>();
    const keys = data.keys[columnNumber] ?? [];
    keys.forEach((key, row) => {
      if (key.length === 0) return;
      const entry = counts.get(key);
      if (entry) entry.count += 1;
      else counts.set(key, { display: (data.rows[row]?.[columnNumber] ?? "").trim(), key, count: 1, stems: [] });
    });
    const values = [...counts.values()];
    for (const value of values) value.stems = nameStems(value.display);
    const maxWords = tableVocabulary().maxValueWords;
    index.push({
      column: columnNumber,
      values: values.filter(
        (value) =>
          value.stems.length <= maxWords &&
          (column.type === "category" || value.stems.filter((part) => !stopWords.has(part)).length >= 2) &&
          value.stems.some((part) => !stopWords.has(part) && !/^\d+$/.test(part)),
      ),
    });
  });
  valueIndexes.set(data, index);
  return index;
}

function editDistanceAtMostOne(left: string, right: string): boolean {
  if (left === right) return true;
  if (Math.abs(left.length - right.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < left.length && j < right.length) {
    if (left[i] === right[j]) {
      i += 1;
      j += 1;
      continue;
    }
    edits += 1;
    if (edits > 1) return false;
    if (left.length > right.length) i += 1;
    else if (right.length > left.length) j += 1;
    else {
      i += 1;
      j += 1;
    }
  }
  return edits + (left.length - i) + (right.length - j) <= 1;
}

function sameWord(questionStem: string, valueStem: string): boolean {
  if (questionStem === valueStem) return true;
  return questionStem.length >= 5 && valueStem.length >= 5 && editDistanceAtMostOne(questionStem, valueStem);
}

const stemPositions = new WeakMap<readonly QuestionToken[], Map<string, number[]>>();

/**
 * The positions of the question's tokens that are the same word as `stem`, in order, kept per question: the values
 * of a table share few first words ("children" opens thousands of a provider list's), and each was compared with
 * every token of the question again for every value, in every table.
 */
function positionsOfStem(tokens: readonly QuestionToken[], stem: string): number[] {
  let byStem = stemPositions.get(tokens);
  if (!byStem) stemPositions.set(tokens, (byStem = new Map()));
  let positions = byStem.get(stem);
  if (!positions) {
    positions = [];
    for (const [at, token] of tokens.entries()) if (sameWord(token.stem, stem)) positions.push(at);
    byStem.set(stem, positions);
  }
  return positions;
}

/** Positions where `sequence` stands in the question's unconsumed tokens, contiguous; null when it does not. */
function findSequence(tokens: QuestionToken[], sequence: string[], consumed: ReadonlySet<number>): number[] | null {
  if (sequence.length === 0) return null;
  // Only where its first word stands (the same check as the loop's first step, made once per word and question).
  for (const start of positionsOfStem(tokens, sequence[0] ?? "")) {
    if (start + sequence.length > tokens.length) break;
    let fits = true;
    for (let offset = 0; offset < sequence.length; offset += 1) {
      const token = tokens[start + offset];
      if (!token || consumed.has(start + offset) || !sameWord(token.stem, sequence[offset] ?? "")) {
        fits = false;
        break;
      }
    }
    if (fits) return sequence.map((_, offset) => start + offset);
  }
  return null;
}

/** A synonym group's variants as joined text, made once per group (locateValue runs per candidate value per table). */
const joinedVariants = new WeakMap<readonly (readonly string[])[], ReadonlySet<string>>();

function variantsOf(group: readonly (readonly string[])[]): ReadonlySet<string> {
  let joined = joinedVariants.get(group);
  if (!joined) joinedVariants.set(group, (joined = new Set(group.map((variant) => variant.join(" ")))));
  return joined;
}

/** Where a value stands in the question, directly or as another variant of a glossary group the question names. */
function locateValue(analysis: QuestionAnalysis, value: string[], consumed: ReadonlySet<number>): number[] | null {
  const direct = findSequence(analysis.tokens, value, consumed);
  if (direct) return direct;
  if (analysis.synonyms.length === 0) return null;
  const joined = value.join(" ");
  for (const group of analysis.synonyms) {
    if (!variantsOf(group).has(joined)) continue;
    for (const variant of group) {
      const found = findSequence(analysis.tokens, variant, consumed);
      if (found) return found;
    }
  }
  return null;
}

interface ValueMatch {
  column: number;
  value: DistinctValue;
  positions: number[];
  partial: boolean;
  geographic: boolean;
}

function columnMatchesAny(column: DataColumn, candidates: readonly string[]): boolean {
  const name = column.name.toLowerCase().replace(/_/g, " ");
  return candidates.some((candidate) => {
    const wanted = candidate.toLowerCase().replace(/_/g, " ");
    return name === wanted || name.includes(wanted);
  });
}

function hintedColumns(analysis: QuestionAnalysis): string[] {
  return tableVocabulary().columnHints.filter((hint) => hint.pattern.test(analysis.text)).flatMap((hint) => hint.columns);
}

/** Picks one column for a value several columns hold: a hinted column, then the one where it is most common. */
function bestColumnFor(data: TableData, candidates: ValueMatch[], hints: string[]): ValueMatch | undefined {
  return [...candidates].sort((left, right) => {
    const leftHinted = columnMatchesAny(data.record.columns[left.column] as DataColumn, hints) ? 1 : 0;
    const rightHinted = columnMatchesAny(data.record.columns[right.column] as DataColumn, hints) ? 1 : 0;
    const preferred = tableVocabulary().preferredColumns;
    const leftPreferred = columnMatchesAny(data.record.columns[left.column] as DataColumn, preferred) ? 1 : 0;
    const rightPreferred = columnMatchesAny(data.record.columns[right.column] as DataColumn, preferred) ? 1 : 0;
    return rightHinted - leftHinted || rightPreferred - leftPreferred || right.value.count - left.value.count || left.column - right.column;
  })[0];
}

function nearestNames(wanted: string, names: readonly string[], count = 5): string[] {
  const target = wanted.toLowerCase();
  const score = (name: string): number => {
    const lower = name.toLowerCase();
    if (lower.includes(target) || target.includes(lower)) return 0;
    let common = 0;
    while (common < Math.min(lower.length, target.length) && lower[common] === target[common]) common += 1;
    const shared = new Set(nameStems(name)).size > 0 ? nameStems(name).filter((part) => nameStems(wanted).includes(part)).length : 0;
    return 10 - common - 3 * shared;
  };
  return [...names].sort((left, right) => score(left) - score(right) || left.localeCompare(right)).slice(0, count);
}

function tableWords(data: TableData): Set<string> {
  const found = new Set<string>();
  const add = (text: string): void => {
    for (const part of nameStems(text)) found.add(part);
  };
  add(data.record.fileName.replace(/\.[a-z0-9]+$/i, ""));
  add(data.record.title ?? "");
  add(data.record.description.slice(0, 2000));
  add(data.record.sheet ?? "");
  for (const column of data.record.columns) add(column.name);
  for (const entry of categoryValues(data)) {
    if (entry.values.length <= 60) for (const value of entry.values) for (const part of value.stems) found.add(part);
  }
  return found;
}

const tableWordCache = new WeakMap<TableData, Set<string>>();

function wordsOfTable(data: TableData): Set<string> {
  let cached = tableWordCache.get(data);
  if (!cached) {
    cached = tableWords(data);
    tableWordCache.set(data, cached);
  }
  return cached;
}

/** Words a question needs no column for: function words, question words and measure words. */
function isScaffolding(token: QuestionToken): boolean {
  const vocabulary = tableVocabulary();
  // Years are periods; other numbers ("aged 12 to 15") are content the table must hold.
  return stopWords.has(token.word) || vocabulary.measureStopWords.has(token.word) || /^(19|20)\d{2}$/.test(token.word) || (token.word.length < 2 && !/^\d$/.test(token.word));
}

/** The uncovered words right after a measure word ("average bed occupancy" -> bed occupancy), for naming a missing column. */
function measurePhrase(analysis: QuestionAnalysis, uncovered: Set<number>): string | null {
  const positions = [...uncovered].sort((left, right) => left - right);
  if (positions.length === 0 || positions.length > 3) return null;
  const first = positions[0] as number;
  const last = positions[positions.length - 1] as number;
  if (last - first + 1 !== positions.length) return null;
  // Only "of"/"the" may stand between the measure word and the phrase.
  let before = first - 1;
  while (before >= 0 && ["of", "the", "a"].includes(analysis.tokens[before]?.word ?? "")) before -= 1;
  if (before < 0 || !tableVocabulary().measureWords.has(analysis.tokens[before]?.word ?? "")) return null;
  return analysis.tokens
    .slice(first, last + 1)
    .map((token) => token.word)
    .join(" ");
}

function periodColumnOf(data: TableData): number {
  return data.record.columns.findIndex((column) => column.type === "date" && column.unit === "year");
}

function periodsOf(data: TableData, column: number): number[] {
  const values = new Set<number>();
  for (const value of data.periods[column] ?? []) if (!Number.isNaN(value)) values.add(value);
  return [...values].sort((left, right) => left - right);
}

interface IndexedValue {
  column: number;
  value: DistinctValue;
}

const firstWordIndexes = new WeakMap<TableData, Map<string, IndexedValue[]>>();

/** Values by their first stem, so a question is checked only against values that could start in it. */
function firstWordIndex(data: TableData): Map<string, IndexedValue[]> {
  let index = firstWordIndexes.get(data);
  if (index) return index;
  index = new Map();
  for (const entry of categoryValues(data)) {
    for (const value of entry.values) {
      const first = value.stems[0];
      if (first === undefined) continue;
      const list = index.get(first) ?? [];
      list.push({ column: entry.column, value });
      index.set(first, list);
    }
  }
  firstWordIndexes.set(data, index);
  return index;
}

const distinctiveByEntry = new WeakMap<ColumnValues, Map<DistinctValue, string[]>>();

/** A value's stems that no other value of its column has, and no stop word (made once per column, not per question). */
function distinctiveStems(entry: ColumnValues, value: DistinctValue): string[] {
  let byValue = distinctiveByEntry.get(entry);
  if (!byValue) distinctiveByEntry.set(entry, (byValue = new Map()));
  let distinctive = byValue.get(value);
  if (!distinctive) {
    const others = entry.values.filter((other) => other !== value).flatMap((other) => other.stems);
    distinctive = value.stems.filter((part) => !stopWords.has(part) && !others.includes(part));
    byValue.set(value, distinctive);
  }
  return distinctive;
}

const keysByOpeningWord = new WeakMap<TableData, Map<number, Map<string, Map<string, number>>>>();
const openingBoundary = /[\s,.]/;

/**
 * The row keys of a column that open with this word (then a space, comma or full stop, or nothing), each with its
 * count, in row order. Grouped once per column by their opening word: each capitalised word of each question scanned
 * every row of every text column of every table. A word holding such a character itself is looked for row by row.
 */
function keysOpeningWith(data: TableData, columnNumber: number, word: string): ReadonlyMap<string, number> {
  const keys = data.keys[columnNumber] ?? [];
  if (openingBoundary.test(word) || word.length === 0) {
    const values = new Map<string, number>();
    for (const key of keys) {
      if (key.startsWith(word) && (key.length === word.length || openingBoundary.test(key[word.length] ?? ""))) values.set(key, (values.get(key) ?? 0) + 1);
    }
    return values;
  }
  let byColumn = keysByOpeningWord.get(data);
  if (!byColumn) keysByOpeningWord.set(data, (byColumn = new Map()));
  let byWord = byColumn.get(columnNumber);
  if (!byWord) {
    byWord = new Map();
    for (const key of keys) {
      const end = key.search(openingBoundary);
      const opening = end < 0 ? key : key.slice(0, end);
      let values = byWord.get(opening);
      if (!values) byWord.set(opening, (values = new Map()));
      values.set(key, (values.get(key) ?? 0) + 1);
    }
    byColumn.set(columnNumber, byWord);
  }
  return byWord.get(word) ?? noKeys;
}
const noKeys: ReadonlyMap<string, number> = new Map();

const indexEntryLists = new WeakMap<Map<string, IndexedValue[]>, [string, IndexedValue[]][]>();
const nearByIndex = new WeakMap<Map<string, IndexedValue[]>, Map<string, number[]>>();

/** A first-word index's entries in its order, made once per table. */
function indexEntries(index: Map<string, IndexedValue[]>): [string, IndexedValue[]][] {
  let entries = indexEntryLists.get(index);
  if (!entries) indexEntryLists.set(index, (entries = [...index]));
  return entries;
}

/**
 * The positions (in `indexEntries`) of the first words of five letters or more within one edit of a question's word,
 * kept per table and word: every question compared each of its words with every first word of every table (300 on
 * average here, thousands in a provider list). Bounded: emptied past a few thousand words.
 */
function firstWordsNear(index: Map<string, IndexedValue[]>, entries: [string, IndexedValue[]][], start: string): number[] {
  let byStart = nearByIndex.get(index);
  if (!byStart) nearByIndex.set(index, (byStart = new Map()));
  let near = byStart.get(start);
  if (!near) {
    near = [];
    for (const [at, [key]] of entries.entries()) if (key.length >= 5 && editDistanceAtMostOne(start, key)) near.push(at);
    if (byStart.size >= 5_000) byStart.clear();
    byStart.set(start, near);
  }
  return near;
}

/** The values whose first word stands in the question (or a one-letter typo of it, or a synonym's), longest first. */
function candidateValues(data: TableData, analysis: QuestionAnalysis): IndexedValue[] {
  const index = firstWordIndex(data);
  const starts = new Set<string>(analysis.tokens.map((token) => token.stem));
  for (const group of analysis.synonyms) for (const variant of group) if (variant[0]) starts.add(variant[0]);
  const found = new Set<IndexedValue>();
  for (const start of starts) for (const candidate of index.get(start) ?? []) found.add(candidate);
  const fuzzy = [...starts].filter((start) => start.length >= 5);
  if (fuzzy.length > 0) {
    // The first words one edit from a start are kept per table and word; taken in the index's order, as a pass
    // over every first word would find them, so the values found are the same.
    const entries = indexEntries(index);
    const near = [...new Set(fuzzy.flatMap((start) => firstWordsNear(index, entries, start)))].sort((left, right) => left - right);
    for (const at of near) {
      const [key, list] = entries[at]!;
      if (starts.has(key)) continue;
      for (const candidate of list) found.add(candidate);
    }
  }
  return [...found].sort((left, right) => right.value.stems.length - left.value.stems.length);
}

const councilLookups = new WeakMap<ColumnValues, { byKey: Map<string, DistinctValue>; byCouncilKey: Map<string, DistinctValue> }>();

/**
 * A column's values by key and by council key (the first value of each, as a search of the values in order finds
 * it), made once per column: every question naming a council looked each value's council key up again, in every
 * table, which was most of the planner's time on a library of a few dozen tables.
 */
function councilLookup(entry: ColumnValues): { byKey: Map<string, DistinctValue>; byCouncilKey: Map<string, DistinctValue> } {
  let lookup = councilLookups.get(entry);
  if (lookup) return lookup;
  lookup = { byKey: new Map(), byCouncilKey: new Map() };
  for (const value of entry.values) {
    if (!lookup.byKey.has(value.key)) lookup.byKey.set(value.key, value);
    const plain = councilKey(value.key);
    if (!lookup.byCouncilKey.has(plain)) lookup.byCouncilKey.set(plain, value);
  }
  councilLookups.set(entry, lookup);
  return lookup;
}

/** A council's name without the forms data sets add or drop ("City of", "County", "Council"). */
function councilKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/,\s*(city|county) of$/, "")
    .replace(/^(city|county) of\s+/, "")
    .replace(/^county\s+/, "")
    .replace(/\s+(county|city|borough|metropolitan borough)?\s*council$/, "")
    .trim();
}

/**
 * The column of days a question's year is read against: the date column whose name the question uses
 * ("registered" for Registration date, "inspected" for Latest full inspection date; the words are consumed), else
 * the table's only date column when the year cannot be the table's own date (not in its title). Null when none fits.
 */
function dateColumnFor(analysis: QuestionAnalysis, data: TableData, consumed: Set<number>, yearOutsideTitle: boolean): { column: number; named: boolean } | null {
  const columns = data.record.columns;
  const candidates = columns.flatMap((column, index) => (column.type === "date" && column.unit !== "year" ? [index] : []));
  if (candidates.length === 0) return null;
  // Word forms of one root: "registered" and "registration" share their first five letters.
  const sameRoot = (word: string, part: string): boolean => word.length >= 5 && part.length >= 5 && word.slice(0, 5) === part.slice(0, 5);
  let best: { column: number; positions: number[] } | null = null;
  for (const column of candidates) {
    const words = (columns[column] as DataColumn).name
      .toLowerCase()
      .split(/[^\p{L}]+/u)
      .filter((word) => word.length >= 5 && word !== "latest");
    const positions = analysis.tokens.flatMap((token, position) =>
      !consumed.has(position) && !isScaffolding(token) && words.some((word) => sameRoot(token.word, word) || sameWord(token.stem, word)) ? [position] : [],
    );
    if (positions.length > 0 && (!best || positions.length > best.positions.length)) best = { column, positions };
  }
  const chosen = best ? { column: best.column, named: true } : yearOutsideTitle && candidates.length === 1 ? { column: candidates[0] as number, named: false } : null;
  // A year the column holds no day of ("at the 2017 inspection" in a list whose latest inspections run 2019 to
  // 2025) is about another source, not a count of none.
  if (!chosen || !analysis.years.every((year) => yearsOfDates(data, chosen.column).has(year))) return null;
  if (best) for (const position of best.positions) consumed.add(position);
  return chosen;
}

const dateYears = new WeakMap<TableData, Map<number, Set<number>>>();

/** The years a column of days covers (cached per table and column). */
function yearsOfDates(data: TableData, column: number): Set<number> {
  const byColumn = dateYears.get(data) ?? new Map<number, Set<number>>();
  dateYears.set(data, byColumn);
  let years = byColumn.get(column);
  if (!years) {
    years = new Set<number>();
    for (const row of data.rows) {
      const day = parseDate(row[column] ?? "");
      if (day) years.add(Number(day.slice(0, 4)));
    }
    byColumn.set(column, years);
  }
  return years;
}

/**
 * What the steps of `planForTable` share: the question, the table, and what the steps before have matched. Each step
 * is its own function: as one function of 21 KB of bytecode the plan took V8's optimizing compiler about a second a
 * time, on a background thread, and every new object shape a question brought threw the code away and compiled it
 * again; at 1M passages that was 1-3 s of a core in every 95 searches, taken from PostgreSQL on a 2-core machine
 * (docs/benchmarks.md, issue 14 nineteenth stop).
 */
interface Planning {
  readonly analysis: QuestionAnalysis;
  readonly data: TableData;
  readonly columns: readonly DataColumn[];
  /** The table's category columns' distinct values. */
  readonly index: ColumnValues[];
  /** Column names the question's words hint at. */
  readonly hints: string[];
  /** Positions of the question's tokens a step has explained. */
  readonly consumed: Set<number>;
  readonly matches: ValueMatch[];
  readonly notes: string[];
  /** How strongly the question points at this table. */
  score: number;
  /** Matches that are not places: what the question asks about rather than where. */
  substantive: number;
  readonly trace: ((reason: string) => void) | undefined;
}

/** "top 5", "per 10,000": numbers that shape the query, not values to find. */
function shapingNumbers(analysis: QuestionAnalysis): Set<number> {
  const consumed = new Set<number>();
  analysis.tokens.forEach((token, position) => {
    const previous = analysis.tokens[position - 1]?.word ?? "";
    if (/^\d+$/.test(token.word) && (/^(top|bottom|first|per)$/.test(previous) || (previous === "10" && token.word === "000") || (/^\d+$/.test(previous) && analysis.tokens[position - 2]?.word === "per"))) {
      consumed.add(position);
    }
  });
  return consumed;
}

/**
 * The table's period column, and the column of days a year is read against where it has none; null when the question
 * names a year or a month the table cannot be about (no period column, not in its title).
 */
function readPeriods(planning: Planning): { periodColumnIndex: number; dateColumn: { column: number; named: boolean } | null } | null {
  const { analysis, data, columns, consumed, notes, index } = planning;
  const vocabulary = tableVocabulary();
  const record = data.record;
  const periodColumnIndex = columns.findIndex((column) => column.type === "date" && column.unit === "year");
  const about0 = `${record.fileName} ${record.title ?? ""}`.toLowerCase();
  const yearOutsideTitle = analysis.years.some((year) => !about0.includes(String(year)));
  // "registered in 2023": a year read against a column of days, the one the question names (or the only one).
  const dateColumn = periodColumnIndex < 0 && analysis.years.length > 0 ? dateColumnFor(analysis, data, consumed, yearOutsideTitle) : null;
  if (periodColumnIndex < 0 && yearOutsideTitle && !dateColumn) {
    planning.trace?.("names a year; the table has no periods");
    return null;
  }
  if (dateColumn && !dateColumn.named) {
    notes.push(`The question names no date column; the year is read against ${(columns[dateColumn.column] as DataColumn).name}.`);
  }
  const months = [...analysis.text.toLowerCase().matchAll(vocabulary.months)].map((match) => match[0]);
  if (months.length > 0) {
    const datedText = `${about0} ${index.flatMap((entry) => (entry.values.length <= 12 ? entry.values.map((value) => value.key) : [])).join(" ")}`;
    if (months.some((month) => !new RegExp(`\\b${month}`, "i").test(datedText))) {
      planning.trace?.("names a month the table's dates do not");
      return null;
    }
  }
  return { periodColumnIndex, dateColumn };
}

/**
 * 1. Councils, through the LA list (aliases, longer names first): the table's council columns, and the councils named
 * that it does not hold; null when a council is named that the table neither holds nor is about.
 */
function matchCouncils(planning: Planning): { laColumns: ColumnValues[]; missingAuthorities: string[] } | null {
  const { analysis, data, columns, index, hints, consumed, matches, notes } = planning;
  const vocabulary = tableVocabulary();
  const record = data.record;
  const laColumns = index.filter((entry) => vocabulary.localAuthorityColumn.test((columns[entry.column] as DataColumn).name.toLowerCase()));
  const about = `${record.fileName} ${record.title ?? ""} ${record.description.slice(0, 600)}`.toLowerCase();
  const placeColumns = index.filter((entry) => vocabulary.geographicColumn.test((columns[entry.column] as DataColumn).name.toLowerCase()));
  if (analysis.authorities.length > 0 && placeColumns.length === 0 && !analysis.authorities.some((authority) => about.includes(authority.name.toLowerCase()))) {
    // A question about a council cannot be answered by a table that names no councils (nor is about this one).
    planning.trace?.("names a council; the table has no place column");
    return null;
  }
  const missingAuthorities: string[] = [];
  for (const authority of analysis.authorities) {
    const key = authority.name.toLowerCase();
    const plain = councilKey(key);
    const candidates: ValueMatch[] = [];
    for (const entry of index) {
      // "Bristol, City of" and "Kingston upon Hull, City of" (DfE), "Durham" (Ofsted) for the LA list's names.
      const { byKey, byCouncilKey } = councilLookup(entry);
      const value = byKey.get(key) ?? byCouncilKey.get(plain);
      if (value) {
        candidates.push({ column: entry.column, value, positions: [], partial: false, geographic: true });
      }
    }
    const positions = analysis.tokens.flatMap((token, position) => (token.at >= authority.at && token.at < authority.end ? [position] : []));
    for (const position of positions) consumed.add(position);
    const chosen = bestColumnFor(data, candidates, [...hints, ...laColumns.map((entry) => (columns[entry.column] as DataColumn).name)]);
    if (!chosen) {
      if (laColumns.length > 0) missingAuthorities.push(authority.name);
      // Places of another kind (districts, wards) and no council column: a council the table neither holds nor is
      // about is another source's subject ("Somerset children in care" is not a sum over West Sussex's districts).
      else if (!about.includes(key)) {
        planning.trace?.(`names ${authority.name}; the table neither holds nor is about it`);
        return null;
      }
      continue;
    }
    matches.push({ ...chosen, positions });
    planning.score += 2;
    if (authority.longer.length > 0) {
      notes.push(`"${authority.name}" is taken as the council ${authority.name}, not ${authority.longer.join(" or ")} (the LA list names them apart).`);
    }
  }
  return { laColumns, missingAuthorities };
}

/**
 * 2. Grouping (before values, so "council" is not read as a sector called Local Authority): "which council", "top 5
 * councils", "by region". The column grouped by, or -1.
 */
function matchGrouping(planning: Planning, wantsMix: boolean): number {
  const { analysis, columns, consumed } = planning;
  const vocabulary = tableVocabulary();
  // A mix ("the sector mix of homes in Kent") breaks a place's rows down by what they are, not by place.
  const byOrder = wantsMix
    ? [...vocabulary.groupNouns].sort((left, right) => Number(left.columns.some((name) => vocabulary.geographicColumn.test(name))) - Number(right.columns.some((name) => vocabulary.geographicColumn.test(name))))
    : vocabulary.groupNouns;
  // "Which provider type ...": the head of the words after "which" is the noun (type, not provider).
  const which = /^\s*(?:which|what)\s+(\S+(?:\s+\S+)?)/i.exec(analysis.text);
  const whichStart = which ? (which.index ?? 0) + which[0].length - (which[1]?.length ?? 0) : -1;
  const whichEnd = which ? (which.index ?? 0) + which[0].length : -1;
  const inWhich = (noun: { pattern: RegExp }): number => {
    const found = noun.pattern.exec(analysis.text);
    return found && found.index >= whichStart && found.index < whichEnd ? found.index : -1;
  };
  const headed = which ? [...byOrder].filter((noun) => inWhich(noun) >= 0).sort((left, right) => inWhich(right) - inWhich(left)) : [];
  const nouns = [...headed, ...byOrder.filter((noun) => !headed.includes(noun))];
  for (const noun of nouns) {
    const found = noun.pattern.exec(analysis.text);
    if (!found) continue;
    // The column the noun names best: an exact name in the noun's order, then one containing it; never a code column.
    const eligible = (column: DataColumn): boolean => column.type !== "number" && !vocabulary.columnTypes.identifier.test(column.name.toLowerCase());
    const normal = (name: string): string => name.toLowerCase().replace(/_/g, " ").trim();
    const exact = noun.columns.map((name) => columns.findIndex((column) => eligible(column) && normal(column.name) === normal(name))).find((index) => index >= 0);
    const candidate = exact ?? columns.findIndex((column) => eligible(column) && columnMatchesAny(column, noun.columns));
    if (candidate >= 0) {
      analysis.tokens.forEach((token, position) => {
        if (token.at >= (found.index ?? 0) && token.at < (found.index ?? 0) + found[0].length) consumed.add(position);
      });
      planning.score += 1;
      return candidate;
    }
  }
  return -1;
}

/** 3. Other values the question names, longest first. */
function matchValues(planning: Planning): void {
  const { analysis, data, columns, hints, consumed, matches } = planning;
  const vocabulary = tableVocabulary();
  const byValue = new Map<string, ValueMatch[]>();
  const ordered = candidateValues(data, analysis);
  for (const { column, value } of ordered) {
    if (matches.some((match) => match.column === column && match.value.key === value.key)) continue;
    const positions = locateValue(analysis, value.stems, consumed);
    if (!positions) continue;
    const key = `${value.key}|${positions.join(",")}`;
    const list = byValue.get(key) ?? [];
    const namesCouncil = analysis.authorities.some((authority) => value.key.includes(authority.name.toLowerCase()));
    list.push({ column, value, positions, partial: false, geographic: namesCouncil || vocabulary.geographicColumn.test((columns[column] as DataColumn).name.toLowerCase()) });
    byValue.set(key, list);
  }
  // Overlapping matches (one span matching several values or columns): keep the longest, then the best column.
  const candidates = [...byValue.values()]
    .map((list) => bestColumnFor(data, list, hints) as ValueMatch)
    .sort((left, right) => right.positions.length - left.positions.length || right.value.count - left.value.count);
  for (const match of candidates) {
    if (match.positions.some((position) => consumed.has(position))) continue;
    for (const position of match.positions) consumed.add(position);
    matches.push(match);
    planning.score += 2 + match.positions.length;
    if (!match.geographic) planning.substantive += 1;
  }
}

/** 4. A number column the question names ("places", "rate", "agency rate"), best matched first: -1 for none. */
function matchMeasure(planning: Planning): { column: number; score: number; positions: number[] } {
  const { analysis, columns, hints, consumed } = planning;
  const vocabulary = tableVocabulary();
  let measureColumn = -1;
  let measureScore = 0;
  let measurePositions: number[] = [];
  columns.forEach((column, columnNumber) => {
    if (column.type !== "number" || /^column \d+$/i.test(column.name)) return;
    const parts = nameStems(column.name).filter((part) => !stopWords.has(part));
    if (parts.length === 0) return;
    const used = new Set<number>();
    for (const part of parts) {
      const aliases = vocabulary.columnWordAliases;
      // An alias stands for the column only on its own: "beds in ..." is places, "bed occupancy" is not.
      const aliasAlone = (at: number): boolean => {
        const next = analysis.tokens[at + 1];
        // A council after it ("left Kent") stands apart from it as much as a function word does.
        return next === undefined || isScaffolding(next) || consumed.has(at + 1);
      };
      const position = analysis.tokens.findIndex(
        (token, at) =>
          !consumed.has(at) && !used.has(at) && !isScaffolding(token) && (sameWord(token.stem, part) || (aliases.get(token.stem) === part && aliasAlone(at))),
      );
      if (position >= 0) used.add(position);
    }
    const hintBonus = columnMatchesAny(columns[columnNumber] as DataColumn, hints) ? 0.5 : 0;
    const value = used.size + hintBonus - (parts.length - used.size) * 0.01;
    if (used.size > 0 && value > measureScore) {
      measureScore = value;
      measurePositions = [...used];
      measureColumn = columnNumber;
    }
  });
  if (measureColumn >= 0) {
    const parts = nameStems((columns[measureColumn] as DataColumn).name);
    analysis.tokens.forEach((token, position) => {
      const next = analysis.tokens[position + 1];
      const alone = next === undefined || isScaffolding(next);
      if (!consumed.has(position) && !isScaffolding(token) && parts.some((part) => sameWord(token.stem, part) || (alone && vocabulary.columnWordAliases.get(token.stem) === part))) {
        consumed.add(position);
      }
    });
    planning.score += 2 * Math.floor(measureScore);
    planning.substantive += 1;
  }
  return { column: measureColumn, score: measureScore, positions: measurePositions };
}

/**
 * 5. A dimension value the question names in part ("net gain", "ceased to be looked after"): two or more of its
 * words. Whether one was named.
 */
function matchDimensionValues(planning: Planning): boolean {
  const { analysis, index, consumed, matches } = planning;
  let dimensionNamed = false;
  for (const entry of index) {
    if (entry.values.length < 1 || entry.values.length > 12 || matches.some((match) => match.column === entry.column)) continue;
    let best: { value: DistinctValue; positions: number[] } | undefined;
    for (const value of entry.values) {
      const positions: number[] = [];
      // The question must name what sets this value apart ("ceasing"), not only what all of them share ("children").
      const distinctive = distinctiveStems(entry, value);
      if (!distinctive.some((part) => analysis.tokens.some((token) => sameWord(token.stem, part)))) continue;
      for (const part of value.stems) {
        if (stopWords.has(part)) continue;
        const position = analysis.tokens.findIndex((token, at) => !consumed.has(at) && !positions.includes(at) && !isScaffolding(token) && sameWord(token.stem, part));
        if (position >= 0) positions.push(position);
      }
      const content = value.stems.filter((part) => !stopWords.has(part)).length;
      // Half its words, or its opening words as a phrase ("net gain" for "Net gain of children by responsible LA").
      const opening = value.stems.length >= 2 && analysis.tokens.some((token, at) => sameWord(token.stem, value.stems[0] as string) && sameWord(analysis.tokens[at + 1]?.stem ?? "", value.stems[1] as string));
      if (positions.length >= 2 && (positions.length * 2 >= content || opening) && (!best || positions.length > best.positions.length)) best = { value, positions };
    }
    if (!best) continue;
    for (const position of best.positions) consumed.add(position);
    dimensionNamed = true;
    matches.push({ column: entry.column, value: best.value, positions: best.positions, partial: true, geographic: false });
    planning.score += 1 + best.positions.length;
    planning.substantive += 1;
  }
  return dimensionNamed;
}

/** 6. A lone head word ("homes") for a common multi-word value ("Children's home") of a short list nothing else matched. */
function matchLoneHeadWords(planning: Planning): void {
  const { analysis, columns, index, consumed, matches, notes } = planning;
  for (const [position, token] of analysis.tokens.entries()) {
    if (consumed.has(position) || isScaffolding(token)) continue;
    let best: ValueMatch | undefined;
    for (const entry of index) {
      if (entry.values.length > 30 || matches.some((match) => match.column === entry.column)) continue;
      // Unnamed columns of a dashboard sheet, and short tables, are no vocabulary to read a lone word by.
      if (/^column \d+$/i.test((columns[entry.column] as DataColumn).name)) continue;
      const total = entry.values.reduce((sum, value) => sum + value.count, 0);
      if (total < 20) continue;
      for (const value of entry.values) {
        if (value.stems.length < 2 || value.stems.length > 4 || value.stems[value.stems.length - 1] !== token.stem || value.count < total * 0.1) continue;
        if (!best || value.count > best.value.count) best = { column: entry.column, value, positions: [position], partial: true, geographic: false };
      }
    }
    if (best) {
      consumed.add(position);
      matches.push(best);
      planning.score += 1;
      planning.substantive += 1;
      notes.push(`"${token.word}" is taken as ${(columns[best.column] as DataColumn).name} = ${best.value.display}.`);
    }
  }
}

/**
 * 6b. A capitalised name the question uses for an organisation ("Cambian"): every value of a long list of names that
 * starts with that word ("Cambian Childcare Limited", "Cambian Signpost Limited").
 */
function matchOrganisationNames(planning: Planning): void {
  const { analysis, data, columns, consumed, matches, notes } = planning;
  const vocabulary = tableVocabulary();
  for (const [position, token] of analysis.tokens.entries()) {
    if (consumed.has(position) || isScaffolding(token) || token.at === 0 || token.word.length < 4) continue;
    const original = analysis.text.slice(token.at, token.at + token.word.length);
    if (!/^\p{Lu}/u.test(original) || wordsOfTable(data).has(token.stem)) continue;
    let best: { column: number; values: ReadonlyMap<string, number> } | undefined;
    columns.forEach((column, columnNumber) => {
      if ((column.type !== "category" && column.type !== "text") || vocabulary.columnTypes.identifier.test(column.name.toLowerCase())) return;
      if (vocabulary.geographicColumn.test(column.name.toLowerCase()) || matches.some((match) => match.column === columnNumber)) return;
      const values = keysOpeningWith(data, columnNumber, token.word);
      if (values.size === 0 || values.size > 50) return;
      const total = [...values.values()].reduce((sum, count) => sum + count, 0);
      if (!best || total > [...best.values.values()].reduce((sum, count) => sum + count, 0)) best = { column: columnNumber, values };
    });
    if (!best) continue;
    const chosen = best;
    consumed.add(position);
    const keys = data.keys[chosen.column] ?? [];
    const displays = [...chosen.values.keys()].map((key) => (data.rows[keys.indexOf(key)]?.[chosen.column] ?? key).trim());
    for (const display of displays) {
      matches.push({ column: chosen.column, value: { display, key: display.toLowerCase(), count: chosen.values.get(display.toLowerCase()) ?? 0, stems: [token.stem] }, positions: [position], partial: true, geographic: false });
    }
    planning.score += 2;
    planning.substantive += 1;
    notes.push(`"${original}" is taken as ${(columns[chosen.column] as DataColumn).name} = ${displays.map((display) => `"${display}"`).join(" or ")}.`);
  }
}

/**
 * "How many homes are there in Somerset, and how many are private?": the value after the second question breaks the
 * count down (53, of them 51 Private) rather than narrowing it. Its column, taken out of the matches.
 */
function compoundSplit(planning: Planning): string | undefined {
  const { analysis, columns, matches } = planning;
  const compound = /\band how many (?:of (?:them|these|those) )?(?:are|were|is)\b/i.exec(analysis.text);
  if (!compound) return undefined;
  const later = matches.filter((match) => !match.geographic && (analysis.tokens[match.positions[0] ?? 0]?.at ?? 0) > compound.index);
  const first = later[0];
  if (first && later.every((match) => match.column === first.column) && matches.length > later.length) {
    for (const match of later) matches.splice(matches.indexOf(match), 1);
    return (columns[first.column] as DataColumn).name;
  }
  return undefined;
}

/**
 * 7. The filters, one per column matched; two places in one column joined by "and" / "vs" are a comparison, grouped
 * by that column. Null when two places are named but not compared.
 */
function filtersAndComparison(planning: Planning): { filters: TableFilter[]; comparisonColumn: number } | null {
  const { analysis, columns, matches } = planning;
  const vocabulary = tableVocabulary();
  const filters: TableFilter[] = [];
  const byColumn = new Map<number, ValueMatch[]>();
  for (const match of matches) byColumn.set(match.column, [...(byColumn.get(match.column) ?? []), match]);
  let comparisonColumn = -1;
  for (const [column, list] of byColumn) {
    if (list.length >= 2 && list.every((match) => match.geographic)) {
      const sorted = [...list].sort((left, right) => (left.positions[0] ?? 0) - (right.positions[0] ?? 0));
      const joined = sorted.slice(1).every((match, offset) => {
        const previous = sorted[offset] as ValueMatch;
        const gapStart = analysis.tokens[previous.positions[previous.positions.length - 1] ?? 0];
        const gapEnd = analysis.tokens[match.positions[0] ?? 0];
        if (!gapStart || !gapEnd) return false;
        const between = analysis.text.slice(gapStart.at + gapStart.word.length, gapEnd.at).replace(/['’]s\b/g, "");
        return vocabulary.comparisonJoiners.test(between);
      });
      // "Somerset children placed in Devon" names two councils but compares nothing: not a question for a table.
      if (!joined) {
        planning.trace?.("two places named but not compared");
        return null;
      }
      comparisonColumn = column;
    }
    filters.push({ column: (columns[column] as DataColumn).name, values: [...new Set(list.map((match) => match.value.display))] });
  }
  return { filters, comparisonColumn };
}

/**
 * What the question asks that this table has nothing for: the positions of its words the table does not hold. A
 * capitalised word one letter from a council's name ("Sothend") is a misspelt council instead: added to
 * `missingAuthorities`, to be named with the nearest councils, never read as England.
 */
function uncoveredWords(planning: Planning, laColumns: readonly ColumnValues[], missingAuthorities: string[]): Set<number> {
  const { analysis, data, consumed, matches } = planning;
  const tableVocab = wordsOfTable(data);
  const synonymCovered = (token: QuestionToken): boolean =>
    analysis.synonyms.some((group) => group.some((variant) => variant.includes(token.stem)) && group.some((variant) => variant.every((part) => tableVocab.has(part))));
  const uncovered = new Set<number>();
  const hintWords = tableVocabulary().columnHints.map((hint) => hint.pattern);
  analysis.tokens.forEach((token, position) => {
    if (consumed.has(position) || isScaffolding(token)) return;
    if (tableVocab.has(token.stem) || synonymCovered(token) || hintWords.some((pattern) => pattern.test(token.word))) return;
    uncovered.add(position);
  });
  if (laColumns.length > 0 && !matches.some((match) => match.geographic)) {
    const councils = (laColumns[0] as ColumnValues).values;
    for (const position of [...uncovered]) {
      const token = analysis.tokens[position];
      if (!token || token.at === 0 || token.word.length < 4) continue;
      const original = analysis.text.slice(token.at, token.at + token.word.length);
      if (!/^\p{Lu}\p{Ll}/u.test(original)) continue;
      // One letter away from a council's first word: a misspelling, not another word ("Northeast" is not "North ...").
      const like = (value: DistinctValue): boolean => {
        const first = value.key.split(/[\s,-]+/)[0] ?? "";
        return first.length >= 5 && first !== token.word && editDistanceAtMostOne(token.word, first);
      };
      if (councils.some(like)) {
        missingAuthorities.push(original);
        uncovered.delete(position);
      }
    }
  }
  return uncovered;
}

/** The plan that names the table the question is about and says what it cannot answer, instead of a figure. */
function limitationPlan(planning: Planning, filters: TableFilter[], limitation: string): QueryPlan {
  return {
    data: planning.data,
    query: { tableId: planning.data.record.id, filters, measure: { kind: "count" } },
    score: planning.score,
    notes: planning.notes,
    limitation,
  };
}

/**
 * Whether the table explains the question: "accepted", a limitation plan (the question's measure is missing from a
 * table it is about), or null (the question is about something else).
 */
function coverageVerdict(
  planning: Planning,
  found: { filters: TableFilter[]; groupColumn: number; dimensionNamed: boolean; periodColumnIndex: number; uncovered: Set<number> },
  measure: { column: number; score: number; positions: number[] },
): "accepted" | QueryPlan | null {
  const { analysis, columns, matches } = planning;
  const { filters, groupColumn, dimensionNamed, periodColumnIndex, uncovered } = found;
  const intents = analysis.intents;
  // "occupancy rate": a word the table does not have, right before the one word that named the measure column,
  // names another measure ("rate" alone is not "rate_per_10000" here).
  if (measure.positions.length === 1 && uncovered.has((measure.positions[0] as number) - 1)) {
    planning.trace?.(`the measure is qualified by a word the column does not have: ${analysis.tokens[(measure.positions[0] as number) - 1]?.word}`);
    return null;
  }
  const quantitative =
    intents.count || intents.sum || intents.average || intents.rankAscending || intents.rankDescending || intents.change || intents.compare || intents.rate || intents.figure || intents.share || intents.mix;
  // Without a quantity word ("What was Blackpool's net gain in 2024?") the question must name a measure.
  const lookup = !quantitative;
  // A ranking needs a value or a measure the question names: "the most children's homes", "the highest rate".
  // "Which provider type is most common": a count of rows by the column the question names is the figure asked for.
  const evidence = planning.substantive > 0 || (groupColumn >= 0 && (measure.column >= 0 || /\b(most|least) common\b|\bcommonest\b/i.test(analysis.text)));
  // A measure word with a place and a year ("the caseload in Blackpool in 2023") asks for a figure as surely.
  const placeAndYear = analysis.years.length > 0 && periodColumnIndex >= 0 && matches.some((match) => match.geographic);
  if (lookup && !(measure.score >= 2 || dimensionNamed || (measure.score > 0.5 && placeAndYear))) {
    planning.trace?.("no quantity asked and no measure named");
    return null;
  }
  // "How much is the fee": money the table does not hold.
  if (analysis.shape.wantsMoney && !(measure.column >= 0 && (columns[measure.column] as DataColumn).unit === "£")) {
    planning.trace?.("asks about money; no money column named");
    return null;
  }
  if (!evidence) {
    planning.trace?.("nothing but places matched");
    return null;
  }
  // A table should explain the question: one stray word is tolerated, more mean the question is about something else.
  const covered = analysis.tokens.filter((token, position) => !isScaffolding(token) && !uncovered.has(position)).length;
  if (uncovered.size > 0) {
    const phrase = measurePhrase(analysis, uncovered);
    const strong = matches.some((match) => !match.geographic && !match.partial) && (intents.average || intents.sum || intents.count || intents.rate);
    if (strong && phrase && (intents.average || intents.sum || intents.rate || measure.column < 0)) {
      const names = columns.map((column) => column.name);
      const near = nearestNames(phrase, names, 6);
      return limitationPlan(planning, filters, `${describeSource(planning.data)} has no column for ${phrase}; the nearest columns are ${near.join(", ")} (all ${names.length} columns: ${names.join(", ")}).`);
    }
    // One stray word is tolerated; a named measure column or two named values earn one more each.
    const tolerated = 1 + (measure.column >= 0 ? 1 : 0) + (planning.substantive >= 2 ? 1 : 0);
    if (uncovered.size > tolerated || covered < (measure.column >= 0 ? 1 : 2)) {
      planning.trace?.(
        `(tolerated ${tolerated}, covered ${covered}, measure ${measure.column}) words the table has nothing for: ${[...uncovered].map((position) => analysis.tokens[position]?.word).join(", ")}`,
      );
      return null;
    }
  }
  return "accepted";
}

/** 8. Periods: the years named (a change between two), or the latest; a limitation plan when a year named is absent. */
function periodOf(planning: Planning, filters: TableFilter[], periodColumn: number): { period: TableQuery["period"] } | QueryPlan {
  const { analysis, data, columns } = planning;
  if (periodColumn < 0) return { period: undefined };
  const periodName = (columns[periodColumn] as DataColumn).name;
  const available = periodsOf(data, periodColumn);
  const named = [...new Set(analysis.years)].map((year) => available.find((value) => Math.floor(value) === year) ?? Number.NaN);
  const absent = [...new Set(analysis.years)].filter((_, position) => Number.isNaN(named[position]));
  if (absent.length > 0 && available.length > 0) {
    return limitationPlan(
      planning,
      filters,
      `${describeSource(data)} has no rows for ${absent.join(" or ")}; its ${periodName} column covers ${formatPeriod(available[0] as number)} to ${formatPeriod(available[available.length - 1] as number)}.`,
    );
  }
  const years = named.filter((value) => !Number.isNaN(value)).sort((left, right) => left - right);
  if (years.length >= 2) return { period: { column: periodName, from: formatPeriod(years[0] as number), to: formatPeriod(years[years.length - 1] as number) } };
  if (analysis.intents.change && available.length >= 2) {
    const from = years[0] ?? (available[0] as number);
    const to = available[available.length - 1] as number;
    return { period: from === to ? { column: periodName, at: formatPeriod(to) } : { column: periodName, from: formatPeriod(from), to: formatPeriod(to) } };
  }
  if (years.length === 1) return { period: { column: periodName, at: formatPeriod(years[0] as number) } };
  return { period: { column: periodName } };
}

/**
 * 9. The measure when the question names none: a long table (one row per measure and period) read by "how many" sums
 * its count column; a rate question reads a rate or value column first. -1 for a count of rows.
 */
function defaultMeasureColumn(planning: Planning, periodColumn: number): number {
  const { analysis, columns, notes } = planning;
  if (periodColumn < 0) return -1;
  const vocabulary = tableVocabulary();
  const numberColumns = columns.flatMap((column, columnNumber) => (column.type === "number" ? [columnNumber] : []));
  const order = analysis.intents.rate ? ["rate", "value", ...vocabulary.defaultMeasureColumns] : vocabulary.defaultMeasureColumns;
  const preferred = order
    .map((name) => numberColumns.find((columnNumber) => columnMatchesAny(columns[columnNumber] as DataColumn, [name])))
    .find((columnNumber) => columnNumber !== undefined);
  const chosen = preferred ?? (numberColumns.length === 1 ? numberColumns[0] : undefined);
  if (chosen === undefined) return -1;
  notes.push(`The question names no measure column; ${(columns[chosen] as DataColumn).name} is used.`);
  return chosen;
}

/**
 * "What proportion of children's homes in Somerset are private?": the last value named is the part; null when the
 * table does not list the part or the whole.
 */
function shareOf(planning: Planning, query: TableQuery): QueryPlan["share"] | null {
  const { columns, matches } = planning;
  const part = [...matches].filter((match) => !match.geographic).sort((left, right) => (right.positions[0] ?? 0) - (left.positions[0] ?? 0))[0];
  const partColumn = part ? (columns[part.column] as DataColumn).name : undefined;
  const partFilter = query.filters.find((filter) => filter.column === partColumn);
  // The whole must be things the table lists ("children's homes in Somerset"), not only a place.
  const wholeNamed = matches.filter((match) => !match.geographic && match !== part).length > 0;
  if (!part || !partFilter || !wholeNamed) {
    planning.trace?.("asks for a share of something the table does not list");
    return null;
  }
  return { filter: partFilter, whole: { ...query, filters: query.filters.filter((filter) => filter !== partFilter) } };
}

/** "Blackpool ... compared to England": the council's figure beside the wider area's, on the same measure. */
function companionOf(planning: Planning, query: TableQuery, groupColumn: number): QueryPlan["companion"] {
  const { analysis, data, columns, matches } = planning;
  const vocabulary = tableVocabulary();
  const councilFilter = matches.find((match) => match.geographic && vocabulary.localAuthorityColumn.test((columns[match.column] as DataColumn).name.toLowerCase()));
  const wider = matches.find((match) => match.geographic && match !== councilFilter && match.column !== councilFilter?.column);
  if (!((analysis.intents.compare || /\bcompared?\b/i.test(analysis.text)) && councilFilter && wider && groupColumn < 0)) return undefined;
  const levelName = columns.find((column) => column.name.toLowerCase().replace(/_/g, " ") === vocabulary.levels.column)?.name;
  const widerName = (columns[wider.column] as DataColumn).name;
  const level = /region/i.test(widerName) ? vocabulary.levels.regional : vocabulary.levels.national;
  const levelIndex = levelName ? columns.findIndex((column) => column.name === levelName) : -1;
  const levelDisplay = levelIndex >= 0 ? data.rows[(data.keys[levelIndex] ?? []).indexOf(level)]?.[levelIndex] : undefined;
  const filtersForWider = query.filters
    .filter((filter) => filter.column !== (columns[councilFilter.column] as DataColumn).name && filter.column !== levelName)
    .concat(levelName && levelDisplay ? [{ column: levelName, values: [levelDisplay] }] : []);
  return { label: wider.value.display, query: { ...query, filters: filtersForWider } };
}

/** The plan for one table, or null when the question is not about it. */
export function planForTable(analysis: QuestionAnalysis, data: TableData, trace?: (reason: string) => void): QueryPlan | null {
  const vocabulary = tableVocabulary();
  const record = data.record;
  const intents = analysis.intents;
  const asksWhich = /\b(which|what)\s+(\w+\s+){1,2}(has|have|had|is|was|are|were|with)\b|\b(by|each|per|every)\s+(council|local authority|la|authority|region|area|sector|type|provider|organisation)\b/i.test(
    analysis.text,
  );
  // Who, where, why and "what does X mean" ask for words, not figures.
  if (/^\s*(who|whom|whose|where|why)\b/i.test(analysis.text) || /\bwhat does\b.*\bmean\b|\bmeaning of\b|\bdefin(e|ition)\b/i.test(analysis.text)) {
    trace?.("asks for a name, a place, a reason or a meaning");
    return null;
  }
  if (record.columns.length > vocabulary.maxPlannedColumns) {
    trace?.(`a lookup block of ${record.columns.length} columns, not a table questions are asked of`);
    return null;
  }
  const planning: Planning = {
    analysis,
    data,
    columns: record.columns,
    consumed: shapingNumbers(analysis),
    notes: [],
    hints: hintedColumns(analysis),
    index: categoryValues(data),
    matches: [],
    score: 0,
    substantive: 0,
    trace,
  };
  const { columns, notes } = planning;

  const periods = readPeriods(planning);
  if (!periods) return null;
  const { periodColumnIndex, dateColumn } = periods;
  const councils = matchCouncils(planning);
  if (!councils) return null;
  const { laColumns, missingAuthorities } = councils;
  const wantsRanking = intents.rankDescending || intents.rankAscending || analysis.topCount !== null;
  const wantsMix = intents.mix && !wantsRanking;
  let groupColumn = wantsRanking || asksWhich || wantsMix ? matchGrouping(planning, wantsMix) : -1;
  matchValues(planning);
  const namedMeasure = matchMeasure(planning);
  let measureColumn = namedMeasure.column;
  const dimensionNamed = matchDimensionValues(planning);
  matchLoneHeadWords(planning);
  matchOrganisationNames(planning);
  const splitColumn = compoundSplit(planning);

  const compared = filtersAndComparison(planning);
  if (!compared) return null;
  const { filters, comparisonColumn } = compared;
  if (groupColumn < 0 && (/^\s*which\s+\w+/i.test(analysis.text) || (wantsRanking && comparisonColumn < 0)) && !/^\s*which\s+(of|one)\b/i.test(analysis.text)) {
    trace?.("asks which one of something the table has no column for");
    return null;
  }
  if (comparisonColumn >= 0 && groupColumn < 0) groupColumn = comparisonColumn;
  if (wantsMix && groupColumn < 0) {
    trace?.("asks for a mix by something the table has no column for");
    return null;
  }

  const uncovered = uncoveredWords(planning, laColumns, missingAuthorities);
  const verdict = coverageVerdict(planning, { filters, groupColumn, dimensionNamed, periodColumnIndex, uncovered }, namedMeasure);
  if (verdict !== "accepted") return verdict;

  // Councils the question names that this table does not hold.
  if (missingAuthorities.length > 0 && laColumns.length > 0) {
    const laColumn = laColumns[0] as ColumnValues;
    const near = missingAuthorities.map((name) => `${name} (nearest: ${nearestNames(name, laColumn.values.map((value) => value.display), 3).join(", ")})`);
    return limitationPlan(planning, filters, `${describeSource(data)} has no rows for ${near.join("; ")} in its ${(columns[laColumn.column] as DataColumn).name} column.`);
  }

  const periodColumn = periodColumnOf(data);
  const periodFound = periodOf(planning, filters, periodColumn);
  if ("data" in periodFound) return periodFound;
  const { period } = periodFound;
  let dates: TableQuery["dates"];
  if (dateColumn) {
    const years = [...new Set(analysis.years)].sort((left, right) => left - right);
    dates = { column: (columns[dateColumn.column] as DataColumn).name, from: `${years[0]}-01-01`, to: `${years[years.length - 1]}-12-31` };
  }
  if (measureColumn < 0) measureColumn = defaultMeasureColumn(planning, periodColumn);
  let measure: TableQuery["measure"];
  if (measureColumn >= 0) {
    const name = (columns[measureColumn] as DataColumn).name;
    measure = intents.average ? { kind: "average", column: name } : { kind: "sum", column: name };
  } else measure = { kind: "count" };

  const query: TableQuery = {
    tableId: record.id,
    filters,
    measure,
    ...(period ? { period } : {}),
    ...(dates ? { dates } : {}),
    ...(groupColumn >= 0 ? { groupBy: (columns[groupColumn] as DataColumn).name } : {}),
  };
  if (groupColumn >= 0) {
    query.order = intents.rankAscending && !intents.rankDescending ? "asc" : "desc";
    query.limit = comparisonColumn >= 0 ? 10 : wantsMix ? 20 : Math.min(analysis.topCount ?? 5, 20);
  }

  pinDimensions(analysis, data, query, notes, periodColumn);

  let share: QueryPlan["share"];
  if (intents.share && measure.kind === "count" && groupColumn < 0 && !splitColumn) {
    const found = shareOf(planning, query);
    if (!found) return null;
    share = found;
  }
  const companion = companionOf(planning, query, groupColumn);

  const breakdown =
    measure.kind === "count" && groupColumn < 0 && splitColumn
      ? splitColumn
      : measure.kind === "count" && groupColumn < 0
      ? columns.find(
          (column, columnNumber) =>
            column.type === "category" && !filters.some((filter) => filter.column === column.name) && columnMatchesAny(column, vocabulary.breakdownColumns) && columnNumber !== periodColumn,
        )?.name
      : undefined;
  const mix = wantsMix && groupColumn >= 0 && comparisonColumn < 0 && measure.kind === "count";
  return {
    data,
    query,
    score: planning.score + (measureColumn >= 0 ? 1 : 0),
    notes,
    ...(breakdown ? { breakdown } : {}),
    ...(companion ? { companion } : {}),
    ...(share ? { share } : {}),
    ...(mix ? { mix } : {}),
  };
}

/**
 * Long tables (DfE statistics) hold several measures and levels in one column each ("Children looked after on 31
 * March" beside "ceasing"; National, Regional, Local authority rows). A sum over them would add unlike things, so
 * each such column gets one value: the one the question names, the geographic level the filters imply, or the
 * stock measure ("on 31 March"); the choice is stated.
 */
function pinDimensions(analysis: QuestionAnalysis, data: TableData, query: TableQuery, notes: string[], periodColumn: number): void {
  const vocabulary = tableVocabulary();
  const columns = data.record.columns;
  const levelColumn = columns.findIndex((column) => column.name.toLowerCase().replace(/_/g, " ") === vocabulary.levels.column);
  if (periodColumn < 0 && levelColumn < 0) return;
  const filtered = (name: string): boolean => query.filters.some((filter) => filter.column === name);
  if (levelColumn >= 0 && !filtered((columns[levelColumn] as DataColumn).name)) {
    const filterColumns = query.filters.map((filter) => filter.column.toLowerCase());
    const groupName = query.groupBy?.toLowerCase() ?? "";
    const local = filterColumns.some((name) => vocabulary.localAuthorityColumn.test(name)) || vocabulary.localAuthorityColumn.test(groupName);
    const regional = !local && (filterColumns.some((name) => /region/.test(name)) || /region/.test(groupName));
    const wanted = local ? vocabulary.levels.local : regional ? vocabulary.levels.regional : vocabulary.levels.national;
    const values = new Set(data.keys[levelColumn] ?? []);
    if (values.has(wanted)) {
      const display = data.rows[(data.keys[levelColumn] ?? []).indexOf(wanted)]?.[levelColumn] ?? wanted;
      query.filters.push({ column: (columns[levelColumn] as DataColumn).name, values: [display] });
    }
  }
  const questionStems = new Set(analysis.tokens.map((token) => token.stem));
  for (let round = 0; round < 6; round += 1) {
    const rows = filterRows(data, query.filters);
    const candidates = columns
      .map((column, columnNumber) => ({ column, columnNumber }))
      .filter(({ column, columnNumber }) => column.type === "category" && columnNumber !== periodColumn && !filtered(column.name) && column.name !== query.groupBy);
    let pinned = false;
    for (const { column, columnNumber } of candidates) {
      const keys = data.keys[columnNumber] ?? [];
      const distinct = new Map<string, number>();
      for (const row of rows) {
        const key = keys[row] ?? "";
        if (key.length > 0) distinct.set(key, (distinct.get(key) ?? 0) + 1);
      }
      if (distinct.size < 2 || distinct.size > 12) continue;
      // Only a column that repeats the same council-and-period rows is a dimension (not, say, a sector of homes).
      const periods = data.periods[periodColumn];
      const groupIndex = query.groupBy ? columns.findIndex((other) => other.name === query.groupBy) : -1;
      const seen = new Map<string, string>();
      let varies = false;
      for (const row of rows) {
        const combination = `${periods ? periods[row] : ""}|${groupIndex >= 0 ? data.keys[groupIndex]?.[row] : ""}`;
        const key = keys[row] ?? "";
        const before = seen.get(combination);
        if (before === undefined) seen.set(combination, key);
        else if (before !== key) {
          varies = true;
          break;
        }
      }
      if (!varies) continue;
      const options = [...distinct.keys()];
      const display = (key: string): string => data.rows[rows.find((row) => keys[row] === key) ?? 0]?.[columnNumber]?.trim() ?? key;
      const overlap = (key: string): number => nameStems(key).filter((part) => !stopWords.has(part) && questionStems.has(part)).length;
      const ranked = [...options].sort((left, right) => overlap(right) - overlap(left));
      let chosen = ranked[0] as string;
      let reason = "the one the question names";
      if (overlap(chosen) === 0 || (ranked[1] !== undefined && overlap(ranked[1]) === overlap(chosen))) {
        const tied = overlap(chosen) === 0 ? options : ranked.filter((key) => overlap(key) === overlap(chosen));
        const preferred = tied.find((key) => vocabulary.defaultDimensionValues.some((word) => key.includes(word)));
        chosen = preferred ?? (tied.sort((left, right) => (distinct.get(right) ?? 0) - (distinct.get(left) ?? 0))[0] as string);
        reason = preferred ? "the stock figure, as the question names none of them" : "the most common, as the question names none of them";
      }
      query.filters.push({ column: column.name, values: [display(chosen)] });
      const others = options.filter((key) => key !== chosen).map(display);
      notes.push(`Measure used: ${column.name} = "${display(chosen)}" (${reason}; the table also has ${others.map((other) => `"${other}"`).join(", ")}).`);
      pinned = true;
      break;
    }
    if (!pinned) return;
  }
}

/** "provider_at_march_2025.csv" or "West-Sussex....xlsx, sheet Foo". */
export function describeSource(data: TableData): string {
  return `${data.record.fileName}${data.record.sheet ? `, sheet "${data.record.sheet}"` : ""}${data.page !== null ? `, page ${data.page}` : ""}`;
}

/** The best plan over every table, or null when no table fits the question. */
export function planQuery(analysis: QuestionAnalysis, tables: readonly TableData[]): QueryPlan | null {
  let best: QueryPlan | null = null;
  const questionStems = new Set(analysis.tokens.map((token) => token.stem));
  for (const data of tables) {
    const plan = planForTable(analysis, data);
    if (!plan) continue;
    // A question naming the file or its title ("the provider list", "workforce") leans towards it.
    const named = nameStems(`${data.record.fileName.replace(/\.[a-z0-9]+$/i, "")} ${data.record.title ?? ""} ${data.record.sheet ?? ""}`).filter(
      (part) => !stopWords.has(part) && questionStems.has(part),
    ).length;
    const scored = { ...plan, score: plan.score + 0.5 * named - (plan.limitation ? 1 : 0) };
    if (!best || scored.score > best.score) best = scored;
  }
  return best;
}
