/** The data-set vocabulary (vocabulary.json): markers, type thresholds, intent patterns, group nouns, hints. */
import { readFileSync } from "node:fs";
import * as z from "zod";

const patternList = z.array(z.object({ pattern: z.string(), columns: z.array(z.string()) }));

const vocabularySchema = z.object({
  missingMarkers: z.array(z.string()),
  columnTypes: z.object({
    numberShare: z.number().min(0).max(1),
    dateShare: z.number().min(0).max(1),
    categoryMaxDistinct: z.number().int().positive(),
    categoryMaxShare: z.number().min(0).max(1),
    identifierPattern: z.string(),
  }),
  /** What makes a PDF table well formed enough to compute on (see `pdfTableFault`). */
  pdfTables: z.object({
    minimumRows: z.number().int().positive(),
    maxHeaderLength: z.number().int().positive(),
    maxCellLength: z.number().int().positive(),
    maxCaptionLength: z.number().int().positive(),
    filledRowShare: z.number().min(0).max(1),
    numberShare: z.number().min(0).max(1),
    longCellShare: z.number().min(0).max(1),
  }),
  periodColumnPattern: z.string(),
  units: z.array(z.object({ pattern: z.string(), unit: z.string() })),
  intents: z.object({
    count: z.string(),
    sum: z.string(),
    average: z.string(),
    rankDescending: z.string(),
    rankAscending: z.string(),
    change: z.string(),
    compare: z.string(),
    rate: z.string(),
    figure: z.string(),
    mix: z.string(),
    share: z.string(),
  }),
  comparisonJoiners: z.string(),
  geographicColumnPattern: z.string(),
  localAuthorityColumnPattern: z.string(),
  groupNouns: patternList,
  breakdownColumns: z.array(z.string()),
  columnHints: patternList,
  defaultDimensionValues: z.array(z.string()),
  defaultMeasureColumns: z.array(z.string()),
  measureWords: z.array(z.string()),
  maxValueWords: z.number().int().positive(),
  maxPlannedColumns: z.number().int().positive(),
  months: z.string(),
  preferredColumns: z.array(z.string()),
  columnWordAliases: z.record(z.string(), z.string()),
  synonyms: z.array(z.array(z.string()).min(2)),
  levels: z.object({ column: z.string(), national: z.string(), regional: z.string(), local: z.string() }),
  measureStopWords: z.array(z.string()),
});

export interface TableVocabulary {
  missingMarkers: ReadonlySet<string>;
  columnTypes: z.infer<typeof vocabularySchema>["columnTypes"] & { identifier: RegExp };
  pdfTables: z.infer<typeof vocabularySchema>["pdfTables"];
  periodColumn: RegExp;
  units: { pattern: RegExp; unit: string }[];
  intents: Record<keyof z.infer<typeof vocabularySchema>["intents"], RegExp>;
  comparisonJoiners: RegExp;
  /** Columns that name places (LA, region, country): a filter on them alone does not make a question a data question. */
  geographicColumn: RegExp;
  localAuthorityColumn: RegExp;
  groupNouns: { pattern: RegExp; columns: string[] }[];
  breakdownColumns: string[];
  columnHints: { pattern: RegExp; columns: string[] }[];
  defaultDimensionValues: string[];
  /** The number column a long table's "how many" reads when the question names none ("children_count", "number"). */
  defaultMeasureColumns: string[];
  /** Words after which the question names its measure ("average bed occupancy"). */
  measureWords: ReadonlySet<string>;
  /** Cells longer than this are prose (a note in a sheet), not values a question filters on. */
  maxValueWords: number;
  maxPlannedColumns: number;
  /** Month names: a question naming a month the table's dates do not name asks about another date. */
  months: RegExp;
  /** Where a value stands in several columns ("Inadequate" in every Ofsted judgement), these columns come first. */
  preferredColumns: string[];
  /** Question words for words of column names ("left" -> "leavers_fte"), on Porter stems. */
  columnWordAliases: ReadonlyMap<string, string>;
  /** Groups of names for one thing in data sets' own words (file-name acronyms such as CSWW), beside the glossary. */
  synonyms: string[][];
  levels: z.infer<typeof vocabularySchema>["levels"];
  measureStopWords: ReadonlySet<string>;
}

let cached: TableVocabulary | undefined;

export function tableVocabulary(): TableVocabulary {
  if (cached) return cached;
  const raw = vocabularySchema.parse(JSON.parse(readFileSync(new URL("./vocabulary.json", import.meta.url), "utf8")));
  const regex = (source: string): RegExp => new RegExp(source, "iu");
  cached = {
    missingMarkers: new Set(raw.missingMarkers.map((marker) => marker.toLowerCase())),
    columnTypes: { ...raw.columnTypes, identifier: regex(raw.columnTypes.identifierPattern) },
    pdfTables: raw.pdfTables,
    periodColumn: regex(raw.periodColumnPattern),
    units: raw.units.map((entry) => ({ pattern: regex(entry.pattern), unit: entry.unit })),
    intents: Object.fromEntries(Object.entries(raw.intents).map(([key, source]) => [key, regex(source)])) as TableVocabulary["intents"],
    comparisonJoiners: regex(raw.comparisonJoiners),
    geographicColumn: regex(raw.geographicColumnPattern),
    localAuthorityColumn: regex(raw.localAuthorityColumnPattern),
    groupNouns: raw.groupNouns.map((entry) => ({ pattern: regex(entry.pattern), columns: entry.columns })),
    breakdownColumns: raw.breakdownColumns,
    columnHints: raw.columnHints.map((entry) => ({ pattern: regex(entry.pattern), columns: entry.columns })),
    defaultDimensionValues: raw.defaultDimensionValues,
    defaultMeasureColumns: raw.defaultMeasureColumns,
    measureWords: new Set(raw.measureWords),
    maxValueWords: raw.maxValueWords,
    maxPlannedColumns: raw.maxPlannedColumns,
    months: new RegExp(raw.months, "giu"),
    preferredColumns: raw.preferredColumns,
    columnWordAliases: new Map(Object.entries(raw.columnWordAliases)),
    synonyms: raw.synonyms,
    levels: raw.levels,
    measureStopWords: new Set(raw.measureStopWords),
  };
  return cached;
}
