/**
 * LA market intelligence: for each local authority the library holds documents about, the figures a provider
 * wants (children in care, placement mix, unit costs, planned provision, commissioning, action plan leads), each
 * with its file, page and verbatim quote. Fields no document states are reported as not found.
 */
import { createQuoteVerifier } from "../answer/verify-quote.ts";
import { describeSourceAuthority } from "../authority/source-authority.ts";
import type { DocumentRecord, Store } from "../store/types.ts";
import type { FigureField } from "./figures.ts";
import { dataSetFigures } from "./data-set-figures.ts";
import { computedMarketFigures } from "./data-set-market.ts";
import type { ComputedFigure } from "./data-set-market.ts";
import { extractFigures, fieldLabels, figureFields, findFullDate, tableLabel } from "./figures.ts";
import { libraryIdentities } from "../identity/document-identity.ts";
import { resolveLocalAuthority } from "./local-authority-names.ts";
import { pagePieces } from "./page-pieces.ts";
import { isDataSetFormat } from "../loaders/data-set-format.ts";

export interface MarketFigure {
  field: FigureField;
  value: string;
  date: string | null;
  file: string;
  page: number | null;
  quote: string;
  /** Set for a figure computed from a data set's table: the query whose rows are the evidence, and how. */
  computed?: ComputedFigure["computed"];
}

export interface LocalAuthorityProfile {
  name: string;
  documents: { id: number; fileName: string }[];
  /** Found figures only, grouped by field in `figureFields` order, newest document first within a field. */
  figures: MarketFigure[];
}


/** The LA each document in the library is about (documents about no single LA are left out). */
export async function localAuthorityDocuments(store: Store): Promise<Map<string, DocumentRecord[]>> {
  const byAuthority = new Map<string, DocumentRecord[]>();
  // Data sets about many authorities are read by column (data-set-figures.ts), not as one LA's document.
  // Every identity in a few reads, once per library version (not two settings per document).
  const identified = (await (await libraryIdentities(store)).all()).filter(({ document }) => !isDataSetFormat(document.format));
  for (const { document, identity } of identified) {
    // The council the document's identity names (its first page, or a `hearth tag --about`).
    const name = identity.about;
    if (!name) continue;
    const list = byAuthority.get(name) ?? [];
    list.push(document);
    byAuthority.set(name, list);
  }
  return byAuthority;
}

async function documentYear(store: Store, document: DocumentRecord): Promise<number> {
  return (await describeSourceAuthority(store, document)).year ?? 0;
}

const presentTense = /\b(currently|at present|now|at the time of (the )?(inspection|visit))\b/i;

interface DataSetEntry {
  document: DocumentRecord;
  figure: MarketFigure;
}

/** Figures per authority from the data sets in the library (DfE statistics), each row quote checked. */
async function dataSetEntries(store: Store): Promise<Map<string, DataSetEntry[]>> {
  const verifier = createQuoteVerifier(store);
  const byAuthority = new Map<string, DataSetEntry[]>();
  const dataSets = (await store.documents.list()).filter((document) => isDataSetFormat(document.format));
  const unitTexts = await store.documents.unitTexts(dataSets.map((document) => document.id));
  await verifier.load(dataSets.map((document) => document.id));
  for (const document of dataSets) {
    const pieces = (unitTexts.get(document.id) ?? []).flatMap((unit) => pagePieces(unit));
    for (const figure of dataSetFigures(pieces)) {
      const span = verifier.verify(document.id, figure.page, figure.quote);
      if (!span) continue;
      const list = byAuthority.get(figure.authority) ?? [];
      list.push({
        document,
        figure: { field: figure.field, value: figure.value, date: figure.date, file: document.fileName, page: figure.page, quote: span.quote },
      });
      byAuthority.set(figure.authority, list);
    }
  }
  return byAuthority;
}

async function profileFor(store: Store, name: string, documents: DocumentRecord[], dataSets: DataSetEntry[]): Promise<LocalAuthorityProfile> {
  const verifier = createQuoteVerifier(store);
  const years = new Map(await Promise.all(documents.map(async (document) => [document.id, await documentYear(store, document)] as const)));
  const ordered = [...documents].sort((left, right) => (years.get(right.id) ?? 0) - (years.get(left.id) ?? 0));
  const unitTexts = await store.documents.unitTexts(ordered.map((document) => document.id));
  await verifier.load(ordered.map((document) => document.id));
  const figures: MarketFigure[] = [];
  for (const document of ordered) {
    const units = unitTexts.get(document.id) ?? [];
    const pieces = units.flatMap((unit) => pagePieces(unit));
    for (const figure of extractFigures(pieces)) {
      // The quote must stand on the cited page exactly (whitespace aside); it becomes the page's own text.
      const span = verifier.verify(document.id, figure.page, figure.quote);
      if (!span) continue;
      // "The local authority is currently caring for 1,827 children": as at the date the document carries.
      let date = figure.date;
      if (date === null && presentTense.test(figure.quote)) {
        const dated = findFullDate(units[0]?.text.slice(0, 800) ?? "");
        if (dated) date = `${dated}, date of the document`;
      }
      figures.push({ field: figure.field, value: figure.value, date, file: document.fileName, page: figure.page, quote: span.quote });
    }
  }
  // The authority's own documents first; national statistics after them (sort is stable).
  figures.push(...dataSets.map((entry) => entry.figure));
  // Figures computed from data sets' tables (homes, places, ratings and sector mix, looked-after trends), each
  // cited by its first row, checked on the stored sheet like any quote.
  const computed = await computedMarketFigures(store, name);
  const tableDocuments: DocumentRecord[] = [];
  const [allDocuments, tables] = computed.length > 0 ? await Promise.all([store.documents.list(), store.tables.list()]) : [[], []];
  await verifier.load(tables.filter((table) => computed.some((figure) => figure.computed.tableId === table.id)).map((table) => table.documentId));
  for (const figure of computed) {
    const document = allDocuments.find((candidate) => candidate.fileName === figure.file && tables.some((table) => table.id === figure.computed.tableId && table.documentId === candidate.id));
    if (!document || !verifier.verify(document.id, null, figure.quote)) continue;
    figures.push(figure);
    if (!tableDocuments.some((known) => known.id === document.id)) tableDocuments.push(document);
  }
  const order = new Map(figureFields.map((field, index) => [field, index]));
  figures.sort((left, right) => (order.get(left.field) ?? 0) - (order.get(right.field) ?? 0));
  const sources = [...ordered, ...dataSets.map((entry) => entry.document), ...tableDocuments].filter(
    (document, index, all) => all.findIndex((other) => other.id === document.id) === index,
  );
  return { name, documents: sources.map((document) => ({ id: document.id, fileName: document.fileName })), figures };
}

/**
 * Profiles of every LA the library holds documents about (or only those named, which may also be LAs that only a
 * data set mentions), in alphabetical order.
 */
export async function buildLaProfiles(store: Store, names?: string[]): Promise<LocalAuthorityProfile[]> {
  const wanted = names?.map((name) => resolveLocalAuthority(name) ?? name.trim());
  const dataSets = await dataSetEntries(store);
  const byAuthority = await localAuthorityDocuments(store);
  for (const name of wanted ?? []) {
    const known = [...dataSets.keys()].find((authority) => authority.toLowerCase() === name.toLowerCase());
    if (known && !byAuthority.has(known)) byAuthority.set(known, []);
  }
  const profiles: LocalAuthorityProfile[] = [];
  for (const [name, documents] of byAuthority) {
    if (wanted && !wanted.some((want) => want.toLowerCase() === name.toLowerCase())) continue;
    profiles.push(await profileFor(store, name, documents, dataSets.get(name) ?? []));
  }
  profiles.sort((left, right) => left.name.localeCompare(right.name));
  return profiles;
}

/** One LA's profile, or undefined when the library holds no document about it. */
export async function buildLaProfile(store: Store, name: string): Promise<LocalAuthorityProfile | undefined> {
  return (await buildLaProfiles(store, [name]))[0];
}

export const notFound = "not found";

export interface ComparisonFigure {
  field: string;
  value: string;
  date: string | null;
  file: string;
  page: number | null;
  quote: string;
}

export interface AuthorityComparison {
  authorities: { name: string; figures: ComparisonFigure[] }[];
}

/**
 * The `la compare --json` shape: every authority lists every field, found figures with their source, and a
 * "not found" entry (no file, page or quote) for each field no document states.
 */
export function compareAuthorities(profiles: LocalAuthorityProfile[]): AuthorityComparison {
  return {
    authorities: profiles.map((profile) => ({
      name: profile.name,
      figures: figureFields.flatMap((field): ComparisonFigure[] => {
        const found = profile.figures.filter((figure) => figure.field === field);
        if (found.length === 0) return [{ field, value: notFound, date: null, file: "", page: null, quote: "" }];
        return found.map((figure) => ({ field, value: figure.value, date: figure.date, file: figure.file, page: figure.page, quote: figure.quote }));
      }),
    })),
  };
}

function where(figure: { file: string; page: number | null }): string {
  return figure.page === null ? figure.file : `${figure.file}, p. ${figure.page}`;
}

function markdownCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();
}

/** A table across LAs: one row per field, one column per LA; each cell's figures carry their page. */
export function comparisonMarkdown(comparison: AuthorityComparison): string {
  const names = comparison.authorities.map((authority) => authority.name);
  const lines = [`| Figure | ${names.map(markdownCell).join(" | ")} |`, `| --- | ${names.map(() => "---").join(" | ")} |`];
  for (const field of figureFields) {
    const cells = comparison.authorities.map((authority) => {
      const figures = authority.figures.filter((figure) => figure.field === field && figure.value !== notFound);
      if (figures.length === 0) return "*not found*";
      return figures
        .map((figure) => {
          const label = tableLabel(field, figure.quote);
          return `${label ? `${markdownCell(label)}: ` : ""}${markdownCell(figure.value)}${figure.date ? ` (${markdownCell(figure.date)})` : ""} — ${markdownCell(where(figure))}`;
        })
        .join("<br>");
    });
    lines.push(`| ${fieldLabels[field]} | ${cells.join(" | ")} |`);
  }
  return `${lines.join("\n")}\n`;
}

function csvCell(text: string | number | null): string {
  const value = text === null ? "" : String(text);
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One line per figure (long format), including the not-found ones, so a spreadsheet can pivot it. */
export function comparisonCsv(comparison: AuthorityComparison): string {
  const lines = ["authority,field,label,value,date,file,page,quote"];
  for (const authority of comparison.authorities) {
    for (const figure of authority.figures) {
      const label = fieldLabels[figure.field as FigureField] ?? figure.field;
      lines.push(
        [authority.name, figure.field, label, figure.value, figure.date, figure.file, figure.page, figure.quote.replace(/\s+/g, " ").trim()]
          .map(csvCell)
          .join(","),
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/** A profile as readable text: every field, its figures with file, page and quote, or "not found". */
export function profileText(profile: LocalAuthorityProfile): string {
  const lines = [`# ${profile.name}`, "", `Documents: ${profile.documents.map((document) => document.fileName).join("; ")}`, ""];
  for (const field of figureFields) {
    const figures = profile.figures.filter((figure) => figure.field === field);
    if (figures.length === 0) {
      lines.push(`${fieldLabels[field]}: not found`);
      continue;
    }
    lines.push(`${fieldLabels[field]}:`);
    for (const figure of figures) {
      const label = tableLabel(field, figure.quote);
      lines.push(`  - ${label ? `${label}: ` : ""}${figure.value}${figure.date ? ` (${figure.date})` : ""} — ${where(figure)}`);
      if (figure.computed) lines.push(`      computed: ${figure.computed.method}; first row:`);
      lines.push(`      “${figure.quote.replace(/\s+/g, " ").trim()}”`);
    }
  }
  return `${lines.join("\n")}\n`;
}
