/**
 * The offline answerer: no model, only the library. It searches, splits the best passages into sentences and
 * table rows, scores each by how much of the question it covers and whether it has the shape the question wants
 * (a figure, a name, a date, a list), and composes a direct answer with supporting points. Every sentence of the
 * answer is a piece of page text with a numbered citation whose quote has been checked against its page. Broad
 * questions get a briefing grouped by theme; questions the library cannot answer get an honest refusal.
 */
import { readFileSync } from "node:fs";
import * as z from "zod";
import type { Concept, ConceptForm } from "../retrieval/query.ts";
import { positionsOutsideTerms } from "../retrieval/query.ts";
import type { SearchResult, Searcher } from "../retrieval/search.ts";
import { citedProvisionLabels, titleHoldsTerm } from "../retrieval/search.ts";
import { cachedStems, contentStems, stems, stopWords, words } from "../retrieval/tokenize.ts";
import { createTextCache } from "../retrieval/text-cache.ts";
import { findLocalAuthorities, longerNamesContaining } from "../market/local-authority-names.ts";
import type { Store } from "../store/types.ts";
import type { BriefingKind, QuestionShape } from "./question-type.ts";
import { classifyQuestion, shapeFit } from "./question-type.ts";
import { canBeHeader, cellSeparator, renderRow } from "./table-row.ts";
import type { SourceRank, Theme as BriefingTheme } from "./briefing.ts";
import { briefingSettings, briefingThemes, broadWords, inLeadOrder, isFragment } from "./briefing.ts";
import type { QuestionAnalysis } from "./question-analysis.ts";
import { analyseQuestion, loadQuestionWords, negatedStems, questionFocusRuns } from "./question-analysis.ts";
import { getProfile } from "../profile/organisation-profile.ts";
import { libraryAuthorities } from "../authority/source-authority.ts";
import { libraryDocuments } from "../store/library-documents.ts";
import type { Answer, Citation } from "./types.ts";
import type { PagedCopy, QuoteVerifier } from "./verify-quote.ts";
import { createPagedCopyFinder, createQuoteVerifier, locateQuote, pagesToRead } from "./verify-quote.ts";
import { isDataSetFormat } from "../loaders/data-set-format.ts";
import { libraryTitleStems } from "./library-titles.ts";
import { boundedMemo } from "../text/bounded-memo.ts";

export interface ExtractiveAnswererDependencies {
  store: Store;
  searcher: Searcher;
  /** Replaces the weights of answer-weights.json (npm run tune tries candidates this way). */
  weights?: AnswerWeights;
}

export interface RankedEvidence {
  file: string;
  page: number | null;
  quote: string;
  coverage: number;
  /** How well it fits the kind of answer the question wants (0 to 1). */
  fit: number;
  score: number;
}

export interface ExtractiveAnswerer {
  answer(question: string): Promise<Answer>;
  /** How the question is read: what is searched, its shape, corrections and words set aside. */
  analyse(question: string): Promise<QuestionAnalysis>;
  /** The sentences and rows the answerer weighed for a question, best first (for `--explain` and tuning). */
  explain(question: string, limit?: number): Promise<RankedEvidence[]>;
}

export const refusalSentence = "The library does not hold an answer to this question.";

/** A sentence or table row from a passage, with what the answer shows and what the citation quotes. */
interface Evidence {
  result: SearchResult;
  /** Verbatim text of the passage (a sentence, or a table row line). */
  quote: string;
  /** What the answer shows: the sentence with whitespace tidied, or a row as "Header: value; ...". */
  display: string;
  isRow: boolean;
  stems: readonly string[];
  coverage: number;
  /** How well it has the shape the question wants (a figure, a name ...), 0 to 1. */
  fit: number;
  score: number;
  /** Its shape marks it as the answer (a term's defining sentence, a bullet under a heading asking the question). */
  leads: boolean;
}

/** Weights and thresholds, from answer-weights.json beside this file (fitted by `npm run tune`). */
const answerWeightsSchema = z.object({
  scoring: z.object({
    coverage: z.number(),
    fit: z.number(),
    retrieval: z.number(),
    shapeMiss: z.number(),
    countMissFloor: z.number(),
    negatedWord: z.number().min(0).max(1),
    askedCell: z.object({ sameUnit: z.number(), otherUnit: z.number(), noFigure: z.number() }),
  }),
  thresholds: z.object({
    passages: z.number(),
    passagesPerPage: z.number(),
    minimumCoverage: z.number(),
    partialMinimumCoverage: z.number(),
    definitionDocuments: z.number(),
    partialMaximumUncovered: z.number(),
    directMaximumUncovered: z.number(),
    maximumAbsentShare: z.number(),
    supportShare: z.number(),
    supportMinimumCoverage: z.number(),
    maxSupportingPoints: z.number(),
    provisionMinimumCoverage: z.number().min(0).max(1),
    duplicateOverlap: z.number(),
    longSentence: z.number(),
    longPage: z.number(),
    dataSetRows: z.number(),
    commonInRows: z.number(),
    dataSetSample: z.number(),
    listItems: z.number(),
    listHeadingShare: z.number().min(0).max(1),
    placeGapWords: z.number().int().min(0),
    headNounCredit: z.number().min(0).max(1),
  }),
});

export type AnswerWeights = z.infer<typeof answerWeightsSchema>;

let defaultAnswerWeights: AnswerWeights | undefined;

export function loadAnswerWeights(): AnswerWeights {
  defaultAnswerWeights ??= answerWeightsSchema.parse(JSON.parse(readFileSync(new URL("./answer-weights.json", import.meta.url), "utf8")));
  return defaultAnswerWeights;
}

const tuning = loadAnswerWeights().thresholds;

const noStems: ReadonlySet<string> = new Set();

/**
 * A pattern for the longer LA names that hold an LA the question names, or null when there are none. Global, and
 * shared: used only with replace and search, which leave its lastIndex as they found it. Kept by question text:
 * each scoring of a question's passages asks again (a few times per answer).
 */
const shadowingNames: (questionText: string) => RegExp | null = boundedMemo(shadowingPattern, 500);

function shadowingPattern(questionText: string): RegExp | null {
  const longer = findLocalAuthorities(questionText).flatMap((name) => longerNamesContaining(name));
  if (longer.length === 0) return null;
  const alternatives = longer.sort((left, right) => right.length - left.length).map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/[\s-]+/g, "[\\s_-]+"));
  return new RegExp(`(?<![\\p{L}])(?:${alternatives.join("|")})(?![\\p{L}])`, "giu");
}

// ---------------------------------------------------------------------------------------------------------------
// Splitting passages into sentences and rows

const bulletStart = /^\s*(?:[•●○■□▪◦‣►▶✓✔➢➤*·◼◾\u2460-\u2473]|[-–—](?=\s)|\(?\d{1,2}[.)](?=\s)|\(?[a-z][.)](?=\s))\s*/u;
const sentenceBoundary = /(?<=[.!?])["'”’)]?\s+(?=["'“‘(£•]?[A-Z0-9])/g;
const abbreviations = new Set(["e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "no", "st", "vs", "approx", "cllr", "prof", "fig", "para"]);

/** Splits a text passage into sentence spans (verbatim substrings), following paragraph, line and bullet breaks. */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    // Lines wrapped inside a paragraph join; a bullet, a line after a full stop, or a short heading-like line break.
    const lines = block.split("\n");
    const segments: string[] = [];
    let current = "";
    let previous = "";
    for (const line of lines) {
      const trimmed = line.trim();
      if (trimmed.length === 0) continue;
      const breaks =
        current.length === 0 ||
        bulletStart.test(trimmed) ||
        /[.!?:;]["'”’)]?$/.test(previous) ||
        (previous.length < 60 &&
          !/(,|\b(and|or|the|of|to|for|in|with|a|an|by|on|at|from))$/i.test(previous) &&
          /^[A-Z0-9“"‘'(£]/.test(trimmed));
      if (breaks && current.length > 0) {
        segments.push(current);
        current = line;
      } else {
        current = current.length > 0 ? `${current}\n${line}` : line;
      }
      previous = trimmed;
    }
    if (current.length > 0) segments.push(current);
    for (const segment of segments) sentences.push(...splitSegment(segment));
  }
  return sentences
    .map((sentence) => sentence.replace(bulletStart, "").replace(/^Speaker notes:\s*/, "").trim())
    .filter((sentence) => words(sentence).length >= 3);
}

function splitSegment(segment: string): string[] {
  const pieces: string[] = [];
  let from = 0;
  for (const match of segment.matchAll(sentenceBoundary)) {
    const at = match.index ?? 0;
    const before = segment.slice(from, at);
    const lastWord = (before.match(/([A-Za-z.]+)\.["'”’)]?$/)?.[1] ?? "").toLowerCase();
    // "e.g. The", "Dr. Smith", "J. Smith": an abbreviation or initial, not the end of a sentence.
    if (abbreviations.has(lastWord) || /^[a-z]$/i.test(lastWord)) continue;
    pieces.push(before);
    from = at + match[0].length;
  }
  pieces.push(segment.slice(from));
  return pieces.flatMap((piece) => (piece.length > tuning.longSentence ? piece.split(/(?<=;)\s+/) : [piece]));
}

function tidy(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

export { renderRow } from "./table-row.ts";

export interface Piece {
  quote: string;
  display: string;
  isRow: boolean;
  /** Column names of a row, as context for matching. */
  header: string | null;
}

/** A table of contents ("Action Plan | 27" ...): each row a title and a page number, in page order. */
function isContentsTable(lines: string[]): boolean {
  const rows = lines.filter((line) => line.includes(cellSeparator)).map((line) => line.split(cellSeparator).map((cell) => cell.trim()));
  // A header row ("Section | Page") heads the list.
  if (rows.length > 0 && !/^\d{1,3}$/.test(rows[0]?.[1] ?? "")) rows.shift();
  if (rows.length < 3 || !rows.every((cells) => cells.length === 2 && /^\d{1,3}$/.test(cells[1] ?? ""))) return false;
  const pages = rows.map((cells) => Number(cells[1]));
  return pages.every((page, index) => index === 0 || page >= pages[index - 1]!);
}

// A passage's pieces depend on its kind and text alone: split once, shared by every answer that scores it.
const prosePieces = createTextCache<readonly Piece[]>(2_000_000);
const tablePieces = createTextCache<readonly Piece[]>(2_000_000);

function piecesOf(result: SearchResult): readonly Piece[] {
  return result.kind === "table" ? tablePieces.get(result.text, (text) => Object.freeze(splitPieces("table", text))) : prosePieces.get(result.text, (text) => Object.freeze(splitPieces(result.kind, text)));
}

function splitPieces(kind: SearchResult["kind"], text: string): Piece[] {
  const result = { kind, text };
  if (result.kind === "table" && result.text.includes(cellSeparator)) {
    const lines = result.text.split("\n").filter((line) => line.trim().length > 0);
    // A contents page points to answers; it holds none (its page numbers are not figures).
    if (isContentsTable(lines)) return [];
    const firstRow = lines.findIndex((line) => line.includes(cellSeparator));
    // A first row too long to name columns is a row of data (a glossary table without a header row): no header then.
    const headerIndex = firstRow >= 0 && canBeHeader(lines[firstRow] ?? "") ? firstRow : -1;
    const header = headerIndex >= 0 ? (lines[headerIndex] ?? null) : null;
    const pieces: Piece[] = [];
    lines.forEach((line, index) => {
      if (index === headerIndex) return;
      // Lines above the first row (a heading such as "Lead inspector: …" opening the passage) are prose.
      if (index < firstRow || !line.includes(cellSeparator)) {
        for (const sentence of splitSentences(line)) pieces.push({ quote: sentence, display: tidy(sentence), isRow: false, header: null });
        return;
      }
      const quote = line.trim();
      if (words(quote).length === 0) return;
      // The untrimmed line keeps a trailing empty cell, so the row lines up with its column names.
      pieces.push({ quote, display: renderRow(header, line), isRow: true, header });
    });
    // A table with a header only (or one row) still says something: offer its first line.
    if (pieces.length === 0 && header) pieces.push({ quote: header.trim(), display: renderRow(null, header), isRow: true, header: null });
    return pieces;
  }
  return splitSentences(result.text).map((sentence) => ({ quote: sentence, display: tidy(sentence), isRow: false, header: null }));
}

// ---------------------------------------------------------------------------------------------------------------
// Scoring

/** Endings Porter stemming leaves that still make the same word ("weekli" and "week", "annual" and "annu", "children" and "child"). */
const looseEndings = new Set(["li", "i", "e", "s", "al", "ly", "ren"]);

function sameStem(left: string, right: string): boolean {
  if (left === right) return true;
  const [short, long] = left.length <= right.length ? [left, right] : [right, left];
  return short.length >= 4 && long.startsWith(short) && looseEndings.has(long.slice(short.length));
}

function containsSequence(haystack: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0) return false;
  outer: for (let start = 0; start + needle.length <= haystack.length; start++) {
    for (let offset = 0; offset < needle.length; offset++) {
      if (!sameStem(haystack[start + offset] ?? "", needle[offset] ?? "")) continue outer;
    }
    return true;
  }
  return false;
}

/**
 * Whether a text's stems hold a form, remembered for the shared (frozen) stem arrays of cachedStems: a sentence or
 * page scored again for the next question about the same subject is not scanned again for the same forms.
 */
const foundForms = new WeakMap<readonly string[], Map<string, boolean>>();
const formKeys = new WeakMap<readonly string[], string>();

function holdsForm(textStems: readonly string[], formStems: readonly string[]): boolean {
  if (!Object.isFrozen(textStems)) return containsSequence(textStems, formStems);
  let found = foundForms.get(textStems);
  // Bounded per text: a sentence met by many different questions keeps the forms of the latest ones.
  if (!found || found.size > 1_000) foundForms.set(textStems, (found = new Map()));
  let key = formKeys.get(formStems);
  if (key === undefined) formKeys.set(formStems, (key = formStems.join(" ")));
  let holds = found.get(key);
  if (holds === undefined) found.set(key, (holds = containsSequence(textStems, formStems)));
  return holds;
}

/** holdsForm, not counting a one-word form's stem where it stands inside a term the question keeps it out of ("Looked After"). */
function holdsFormOutsideTerms(textStems: readonly string[], form: ConceptForm): boolean {
  if (!form.notWithin) return holdsForm(textStems, form.stems);
  if (!holdsForm(textStems, form.stems)) return false;
  const at = textStems.flatMap((stem, index) => (sameStem(stem, form.stems[0] ?? "") ? [index] : []));
  return positionsOutsideTerms(textStems, form, at).length > 0;
}

/** Whether a heading holds the last word of a term of several words the question wrote ("manager" of "registered manager"). */
function headNounInHeadings(concept: Concept, headingStems: readonly string[]): boolean {
  return concept.kind === "term" && concept.forms.some((form) => form.original && form.stems.length > 1 && headingStems.includes(form.stems.at(-1) ?? ""));
}

function conceptFoundIn(concept: Concept, textStems: readonly string[]): number {
  let credit = 0;
  for (const form of concept.forms) {
    if (holdsFormOutsideTerms(textStems, form)) credit = Math.max(credit, form.original ? 1 : 0.85);
  }
  return credit;
}

/**
 * A term of three or more words held by a title or heading with a few of the question's own words set between its
 * words: "Inspection of Blackpool local authority children's services" is an "inspection of local authority children's
 * services" (ILACS) of Blackpool for a question about Blackpool, but not one of Westmorland and Furness for a question
 * about that council (the inspected council's name is set into the title).
 */
export function conceptInTitle(concept: Concept, placeStems: readonly string[], questionStems: ReadonlySet<string>, gapWords: number): number {
  let credit = 0;
  for (const form of concept.forms) {
    if (form.stems.length < 3 || gapWords === 0) continue;
    if (titleHoldsTerm(placeStems, form.stems, gapWords, (stem) => questionStems.has(stem))) credit = Math.max(credit, form.original ? 1 : 0.85);
  }
  return credit;
}

export interface WeightedConcept {
  concept: Concept;
  weight: number;
}

function inverseDocumentFrequency(total: number, frequency: number): number {
  return Math.log(1 + (total - frequency + 0.5) / (frequency + 0.5));
}

/**
 * How many passages hold a form. The store's contract speaks of "terms"; ask with both the words and the stems
 * and take the larger count, so this holds whichever the index keeps.
 */
async function formFrequencies(store: Store, concepts: Concept[]): Promise<Map<ConceptForm, number>> {
  const keys = new Set<string>();
  for (const concept of concepts) {
    for (const form of concept.forms) {
      keys.add(form.words.join(" "));
      keys.add(form.stems.join(" "));
    }
  }
  const counts = keys.size > 0 ? await store.passages.documentFrequencies([...keys]) : new Map<string, number>();
  const result = new Map<ConceptForm, number>();
  for (const concept of concepts) {
    for (const form of concept.forms) {
      result.set(form, Math.max(counts.get(form.words.join(" ")) ?? 0, counts.get(form.stems.join(" ")) ?? 0));
    }
  }
  return result;
}

/** Concepts weighted by rarity in the library, like the searcher does; figures weigh more. */
async function weighConcepts(store: Store, concepts: Concept[]): Promise<{ weighted: WeightedConcept[]; frequencies: Map<ConceptForm, number> }> {
  const frequencies = await formFrequencies(store, concepts);
  const total = Math.max(1, (await store.passages.statistics()).chunkCount);
  const weighted = concepts.map((concept) => {
    // Rarity halfway between the question's own wording and the commonest variant: "weekly cost" is not rare because
    // the library writes "per week", yet "residential care" is not as common as its variant "residential".
    const commonest = Math.max(0, ...concept.forms.map((form) => frequencies.get(form) ?? 0));
    const asAsked = Math.max(0, ...concept.forms.filter((form) => form.original).map((form) => frequencies.get(form) ?? 0));
    const base = (inverseDocumentFrequency(total, commonest) + inverseDocumentFrequency(total, asAsked)) / 2;
    return { concept, weight: (concept.kind === "figure" ? base + 2 : base) * concept.weightFactor };
  });
  return { weighted, frequencies };
}

/** Credit each concept earns from where a passage sits: its file, title and headings (0.6) or the rest of its page (0.45). */
type ContextCredits = number[];

/** Share of the weighted concepts a piece covers: in the piece itself, its row header, or its context. */
function coverageOf(piece: Piece, pieceStems: readonly string[], contextCredits: ContextCredits, concepts: WeightedConcept[], headerCredit = 0.8): number {
  const headerStems = piece.header ? cachedStems(piece.header) : [];
  let covered = 0;
  let total = 0;
  concepts.forEach(({ concept, weight }, index) => {
    total += weight;
    let credit = conceptFoundIn(concept, pieceStems);
    if (credit < headerCredit && headerStems.length > 0) credit = Math.max(credit, headerCredit * conceptFoundIn(concept, headerStems));
    covered += Math.max(credit, contextCredits[index] ?? 0) * weight;
  });
  return total > 0 ? covered / total : 0;
}

interface Scorer {
  score(
    results: SearchResult[],
    concepts: WeightedConcept[],
    shape: QuestionShape,
    documentPenalty?: (documentId: number) => number,
  ): Evidence[];
  contextCredits(result: SearchResult, concepts: WeightedConcept[]): ContextCredits;
}

function createScorer(verifier: QuoteVerifier, { scoring, thresholds: tuning }: AnswerWeights): Scorer {
  // Pages can be long (a spreadsheet is one unit), so each page's stems are made once, and each concept is looked
  // for once per page rather than once per sentence.
  const pageStems = new Map<string, string[]>();
  const pageFinds = new Map<string, number>();
  const pageKey = (result: SearchResult): string => {
    const text = verifier.pageText(result.documentId, result.page);
    // A very long unit (a whole spreadsheet or page-less document) is no "page": the passage is its own context.
    return text.length > tuning.longPage ? `${result.documentId}:${result.page ?? ""}#${result.chunkId}` : `${result.documentId}:${result.page ?? ""}`;
  };
  const stemsOfPage = (result: SearchResult, key: string): string[] => {
    let page = pageStems.get(key);
    if (!page) {
      const text = verifier.pageText(result.documentId, result.page);
      page = stems(text.length > tuning.longPage || text.length === 0 ? result.text : text);
      if (pageStems.size > 200) pageStems.clear();
      pageStems.set(key, page);
    }
    return page;
  };
  // In a data set (thousands of rows), a word most rows hold ("Children's home", "Social Care" in every row's
  // link) says nothing about one row: only the words that set a row apart count towards answering a question.
  const commonByTable = new Map<string, ReadonlySet<string>>();
  const commonStemsOf = (result: SearchResult): ReadonlySet<string> => {
    if (!isDataSetFormat(result.format)) return noStems;
    const key = `${result.documentId}:${result.page ?? ""}:${result.section ?? ""}`;
    let common = commonByTable.get(key);
    if (!common) {
      const rows = verifier
        .pageText(result.documentId, result.page)
        .split("\n")
        .filter((line) => line.includes(" | "));
      const counts = new Map<string, number>();
      const step = Math.max(1, Math.floor(rows.length / tuning.dataSetSample));
      let sampled = 0;
      for (let index = 1; index < rows.length; index += step) {
        sampled++;
        for (const stem of new Set(stems(rows[index]!))) counts.set(stem, (counts.get(stem) ?? 0) + 1);
      }
      common =
        rows.length < tuning.dataSetRows ? noStems : new Set([...counts].filter(([, count]) => count >= sampled * tuning.commonInRows).map(([stem]) => stem));
      commonByTable.set(key, common);
    }
    return common;
  };
  /** Context credits with other LAs' longer names taken out of the file name, headings and passage first. */
  /**
   * Credit for the concepts a passage's place holds (file name, title, headings, section) or its page does. With
   * `unshadowed`, other LAs' longer names are taken out of the place and the passage first (then the passage
   * stands for its page, as nothing of that page can be cached).
   */
  const askedStemsOf = new WeakMap<WeightedConcept[], ReadonlySet<string>>();
  const contextCredits = (result: SearchResult, concepts: WeightedConcept[], unshadowed?: (text: string) => string): ContextCredits => {
    const place = `${result.fileName.replace(/\.[a-z0-9]+$/i, "")} ${result.title ?? ""} ${result.headingPath.join(" ")} ${result.section ?? ""}`;
    const placeStems = cachedStems(unshadowed ? unshadowed(place) : place);
    const passageStems = unshadowed ? cachedStems(unshadowed(result.text)) : null;
    const section = cachedStems(result.section ?? "").join(" ");
    // The words asked about, which may stand between a title's term's words (the council in an ILACS report's title):
    // the same for every passage of a question, so worked out once per concept list.
    let askedStems = askedStemsOf.get(concepts);
    if (askedStems === undefined) {
      askedStems = new Set(concepts.flatMap(({ concept }) => concept.forms.filter((form) => form.original).flatMap((form) => form.stems)));
      askedStemsOf.set(concepts, askedStems);
    }
    return concepts.map(({ concept }) => {
      // The provision asked for by number ("regulation 12") is the passage's own section: every sentence of it counts.
      if (concept.reference && concept.forms.some((form) => form.stems.join(" ") === section)) return 1;
      const placeCredit = Math.max(
        0.6 * Math.max(conceptFoundIn(concept, placeStems), conceptInTitle(concept, placeStems, askedStems, tuning.placeGapWords)),
        // A provision's heading names its subject short ("Fitness of manager" for the registered manager).
        headNounInHeadings(concept, cachedStems(result.headingPath.join(" "))) ? tuning.headNounCredit : 0,
      );
      if (placeCredit >= 0.45) return placeCredit;
      if (passageStems) return Math.max(placeCredit, 0.45 * conceptFoundIn(concept, passageStems));
      const page = pageKey(result);
      const key = `${page}:${concept.forms.map((form) => form.stems.join(" ")).join("|")}`;
      let found = pageFinds.get(key);
      if (found === undefined) {
        found = conceptFoundIn(concept, stemsOfPage(result, page));
        if (pageFinds.size > 5000) pageFinds.clear();
        pageFinds.set(key, found);
      }
      return Math.max(placeCredit, 0.45 * found);
    });
  };
  const score: Scorer["score"] = (results, concepts, shape, documentPenalty = () => 0) => {
    const best = Math.max(...results.map((result) => result.score), 1e-9);
    const evidence: Evidence[] = [];
    const seen = new Set<string>();
    // "Somerset" is not found in "North Somerset": a longer LA name holding the asked-for one is taken out first.
    const shadows = shadowingNames(concepts.map(({ concept }) => concept.label).join(" "));
    const unshadowed = (text: string): string => (shadows ? text.replace(shadows, " ") : text);
    for (const result of results) {
      const shadowed = shadows !== null && `${result.fileName} ${result.title ?? ""} ${result.text}`.search(shadows) >= 0;
      const credits = contextCredits(result, concepts, shadowed ? unshadowed : undefined);
      const headings = new Set([...result.headingPath, result.section ?? ""].map(tidy));
      for (const piece of piecesOf(result)) {
        // Headings say what a page is about; they are context, not answers, unless they hold what the question
        // asks for ("Lead inspector: Sophie Wales" for a "who" question).
        if (headings.has(piece.display) && (shape.type === "description" || shape.type === "list" || shapeFit(shape, piece.quote) === 0)) continue;
        // A table piece repeats its header; the same row can come from two passages of one page.
        const key = `${result.documentId}:${result.page ?? ""}:${piece.quote}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const pieceStems = cachedStems(piece.quote);
        const matchStems = shadows ? cachedStems(unshadowed(piece.quote)) : pieceStems;
        const common = piece.isRow ? commonStemsOf(result) : noStems;
        const coverage =
          common.size === 0
            ? coverageOf(piece, matchStems, credits, concepts)
            : coverageOf(piece, matchStems.filter((stem) => !common.has(stem)), credits, concepts, 0.5);
        // A row's figures are read with their column names ("children_count: 1896").
        let fit = shapeFit(shape, piece.isRow && shape.type === "figure" ? piece.display : piece.quote);
        // "How many were aged 12 to 15": in a row of figures by column, the cell under the column the question names
        // is the answer, and its unit decides the fit (a count, not the row of percentages beside it).
        let display = piece.display;
        if (piece.isRow && shape.type === "figure") {
          const cell = askedCell(piece, concepts);
          if (cell !== null) {
            fit = cellFit(cell.value, shape, scoring.askedCell);
            // Stated with its row and column labels as the table means it ("Cohort Size, 12 to 15: 296").
            if (fit > 0) display = `${cell.label ? `${cell.label}, ` : ""}${cell.column}: ${cell.value} (${piece.display})`;
          }
        }
        // A list question is answered by the bullets under a heading that asks it ("What needs to improve?"); a
        // definition question by the term's defining sentence. Either leads the answer.
        const listed = shape.type === "list" && !piece.isRow && headingAsks(result, concepts, tuning.listHeadingShare) && bulletedIn(result.text, piece.quote);
        if (listed) fit = 1;
        const leads = listed || (shape.defines !== undefined && fit >= 1);
        const length = pieceStems.length;
        // A row is short by nature; a sentence of four words rarely answers anything.
        // Long rows and sentences cover many words by length alone; the longer, the less they answer directly.
        const lengthPenalty = length < 5 && !piece.isRow ? 0.1 : length > 60 ? Math.min(0.25, 0.04 + (length - 60) * 0.002) : 0;
        let value = scoring.coverage * coverage + scoring.fit * fit + scoring.retrieval * (result.score / best) - lengthPenalty - documentPenalty(result.documentId);
        // A figure question is not answered by a sentence without a new number, nor a "who" question without a name.
        if ((shape.type === "figure" || shape.type === "name") && fit === 0) value *= scoring.shapeMiss;
        // "How many children": a sentence that counts them ("953 children") beats one that only names them.
        else if (shape.counted && fit < 1) value *= scoring.countMissFloor + (1 - scoring.countMissFloor) * fit;
        evidence.push({ result, quote: piece.quote, display, isRow: piece.isRow, stems: pieceStems, coverage, fit, score: value, leads });
      }
    }
    evidence.sort((left, right) => right.score - left.score);
    return evidence;
  };
  return { score, contextCredits };
}

/**
 * The cell of a table row under the column the question names by a figure or range ("12 to 15" in a header
 * " | 0-3 | 4 to 6 | 7 to 11 | 12 to 15 | 16-17"), or null when no one column is named (or the row does not line up
 * with its header). The first column is the rows' labels, never an asked column.
 */
export function askedCell(piece: Piece, concepts: WeightedConcept[]): { label: string; column: string; value: string } | null {
  if (!piece.header) return null;
  const headerCells = piece.header.replace(/\s+$/, "").split(cellSeparator);
  const rowCells = piece.quote.split(cellSeparator);
  if (headerCells.length !== rowCells.length || headerCells.length < 3) return null;
  const figures = concepts.filter(({ concept }) => /\d/.test(concept.label));
  if (figures.length === 0) return null;
  const asked = headerCells.map((cell, index) => index > 0 && figures.some(({ concept }) => conceptFoundIn(concept, stems(cell)) > 0));
  if (asked.filter(Boolean).length !== 1) return null;
  const index = asked.indexOf(true);
  const value = rowCells[index];
  return value === undefined ? null : { label: (rowCells[0] ?? "").trim(), column: (headerCells[index] ?? "").trim(), value: value.trim() };
}

/** How well an asked cell answers a figure question: a figure in the unit asked for (a count, or a percentage). */
export function cellFit(cell: string, shape: QuestionShape, fits: AnswerWeights["scoring"]["askedCell"]): number {
  if (!/\d/.test(cell)) return fits.noFigure;
  return cell.includes("%") === shape.wantsPercentage ? fits.sameUnit : fits.otherUnit;
}

/**
 * Whether the passage's nearest heading asks the question: it holds at least two of the question's word concepts
 * ("need", "improve") and they make up much of it ("What needs to improve?"), not two words of a long heading that
 * is about something else ("... children who need help and protection: requires improvement to be good").
 */
function headingAsks(result: SearchResult, concepts: WeightedConcept[], headingShare: number): boolean {
  const heading = cachedStems(result.headingPath.at(-1) ?? "");
  if (heading.length === 0) return false;
  const found = concepts.filter(({ concept }) => concept.kind !== "figure" && conceptFoundIn(concept, heading) > 0).length;
  return found >= 2 && found >= headingShare * contentStems(result.headingPath.at(-1) ?? "").length;
}

/**
 * "Which judgement wasn't outstanding?": a piece saying the negated word ("... | Outstanding") keeps `factor` of its
 * score, unless it negates the word itself ("not outstanding"); the rest ("care leavers | Good") rise. Re-sorted.
 */
export function withoutNegated<Item extends { quote: string; stems: readonly string[]; score: number }>(evidence: Item[], negated: readonly string[], factor: number): Item[] {
  if (negated.length === 0) return evidence;
  // Stems are the words' beginnings ("outstand"), so "not outstanding" and "isn't rated outstanding" are found.
  const denials = negated.map((word) => new RegExp(`(?:\\bnot|\\bnever|\\bno longer|n['’]t)\\s+(?:\\S+\\s+)?${word}`, "i"));
  const saysOtherwise = (quote: string): boolean => denials.some((denial) => denial.test(quote));
  return evidence
    .map((item) => (negated.some((word) => item.stems.includes(word)) && !saysOtherwise(item.quote) ? { ...item, score: item.score * factor } : item))
    .sort((left, right) => right.score - left.score);
}

/** Whether the piece is a bullet item in the passage (its first words follow a bullet mark). */
function bulletedIn(text: string, quote: string): boolean {
  const at = text.indexOf(quote.slice(0, 30));
  if (at < 0) return false;
  const lineStart = text.lastIndexOf("\n", at) + 1;
  return bulletStart.test(text.slice(lineStart, at + 1)) && text.slice(lineStart, at).trim().length <= 3;
}

/** The question's concepts a piece holds nowhere (not in itself, its headings or its page), by label. */
function uncoveredConcepts(evidence: Evidence, concepts: WeightedConcept[], credits: ContextCredits): string[] {
  return concepts
    .filter(({ concept }, index) => concept.weightFactor >= 1 && (credits[index] ?? 0) === 0 && conceptFoundIn(concept, evidence.stems) === 0)
    .map(({ concept }) => concept.label);
}

function overlap(left: readonly string[], right: readonly string[]): number {
  const leftSet = new Set(left.filter((token) => !stopWords.has(token)));
  const rightSet = new Set(right.filter((token) => !stopWords.has(token)));
  if (leftSet.size === 0 || rightSet.size === 0) return 0;
  let shared = 0;
  for (const token of leftSet) if (rightSet.has(token)) shared++;
  return shared / Math.min(leftSet.size, rightSet.size);
}

// ---------------------------------------------------------------------------------------------------------------
// Citations

class CitationList {
  readonly citations: Citation[] = [];
  private readonly byKey = new Map<string, number>();

  constructor(
    private readonly verifier: QuoteVerifier,
    private readonly pagedCopy: (documentId: number, quote: string) => Promise<PagedCopy | null>,
  ) {}

  /**
   * The citation number for this evidence, or null when its quote is not verbatim on its page (then it is dropped).
   * A quote from a document without pages cites the page of another document holding it verbatim, when one does.
   */
  async cite(evidence: Evidence): Promise<number | null> {
    const { result } = evidence;
    const span = this.verifier.verify(result.documentId, result.page, evidence.quote);
    if (!span) return null;
    const copy = result.page === null ? await this.pagedCopy(result.documentId, span.quote) : null;
    const source = copy ?? { documentId: result.documentId, fileName: result.fileName, page: result.page, section: result.section, quote: span.quote };
    const key = `${source.documentId}\u0000${source.page ?? ""}\u0000${source.quote}`;
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const n = this.citations.length + 1;
    this.citations.push({ n, file: source.fileName, page: source.page, section: source.section, quote: source.quote });
    this.byKey.set(key, n);
    return n;
  }
}

/**
 * The thing a "what <thing> ..." or "which <thing> ..." question asks for ("experience" in "What experience must a
 * registered manager have?"), a word followed by a verb of asking ("must", "are", "does": question-words.json
 * thingAskedBefore): a subject word of the question (not an answer-shape word such as "percentage"), for a
 * question answered by a sentence or a list (a figure, a name or a grade is its own sign of the answer). Null when
 * the word after "what" is no concept of the question ("What does ...").
 */
export function askedThing(text: string, weighted: WeightedConcept[], shape: QuestionShape): Concept | null {
  if ((shape.type !== "description" && shape.type !== "list") || shape.wantsGrade || shape.defines) return null;
  const match = /^\s*(?:what|which)\s+([\p{L}'’-]+)\s+([\p{L}'’-]+)/iu.exec(text);
  const next = match?.[1];
  // "What experience must ...", "What qualifications are ...": a thing, then the verb; not "What happens to ...".
  if (!next || !loadQuestionWords().thingAskedBefore.includes((match[2] ?? "").toLowerCase())) return null;
  const word = words(next)[0] ?? "";
  if (word.length === 0 || stopWords.has(word)) return null;
  const wordStem = cachedStems(word)[0] ?? "";
  const found = weighted.find(({ concept }) => concept.weightFactor >= 1 && concept.forms.some((form) => form.original && (form.words[0] === word || form.stems[0] === wordStem)));
  return found?.concept ?? null;
}

let citationPatterns: { instrument: RegExp; provision: RegExp } | undefined;

/** The figures a text states, leaving out the provisions and instruments it cites ("regulation 32(4)", "Regulations 2015"). */
function statedFigures(text: string): Set<string> {
  if (!citationPatterns) {
    // The words are data (question-words.json); compiled once, as every answer's requirement check reads them.
    const { instrumentWords, provisionReferenceWords } = loadQuestionWords();
    citationPatterns = {
      instrument: new RegExp(`\\b(?:${instrumentWords.join("|")})\\s+(?:19|20)\\d{2}\\b`, "giu"),
      provision: new RegExp(`\\b(?:${provisionReferenceWords.join("|")})s?\\s+\\d{1,3}(?!\\d)[a-z]?(?:\\s?\\(\\w{1,4}\\))*`, "giu"),
    };
  }
  const uncited = text.replace(citationPatterns.instrument, " ").replace(citationPatterns.provision, " ");
  return new Set(uncited.match(/\d+(?:[.,]\d+)?/g) ?? []);
}

/**
 * Whether a provision's piece states the requirement the guidance states: where the guidance gives figures ("2
 * years", "Level 5"), the piece gives one of them too. "Absent for 28 days or more" is not restated by another
 * paragraph's "not later than 7 days after the date of that person's return".
 */
export function statesSameFigures(guidance: string, provision: string): boolean {
  const wanted = statedFigures(guidance);
  if (wanted.size === 0) return true;
  const stated = statedFigures(provision);
  return [...wanted].some((figure) => stated.has(figure));
}

/** The paragraph numbers a text cites of a provision ("regulation 32(4)" gives "4"). */
export function citedParagraphs(text: string): Set<string> {
  return new Set([...text.matchAll(/\b[a-z]+s?\s+\d{1,3}\s?\((\d{1,2})\)/giu)].map((match) => match[1] ?? ""));
}

/** The paragraph a piece of a provision's text opens ("(4) For the purposes of ..." gives "4"), or null. */
export function paragraphOf(passage: string, quote: string): string | null {
  const at = passage.indexOf(quote);
  if (at < 0) return null;
  return /\((\d{1,2})\)\s*$/.exec(passage.slice(Math.max(0, at - 12), at))?.[1] ?? null;
}

/**
 * An answer line: the piece as shown and its citation. A piece of a provision's own text ("Regulation 28") is
 * named by it when the text does not say so itself ("28.—(1) A person may only manage ..."), so a requirement is
 * read with its provision.
 */
function line(evidence: Evidence, n: number): string {
  const display = evidence.display.replace(/\s*\[\d+\]\s*$/, "");
  const provision = /^(?:regulation|schedule|standard|section)\s+\d{1,3}[a-z]?$/i.exec(evidence.result.section?.trim() ?? "")?.[0];
  const named = provision && !display.toLowerCase().includes(provision.toLowerCase()) ? `${provision}: ${display}` : display;
  return `${named} [${n}]`;
}

// ---------------------------------------------------------------------------------------------------------------
// Refusal checks

/** The focus words as the question wrote them ("Ofsted registration fee"), from the first word to the last. */
function focusAsWritten(question: string, focus: string[]): string {
  const pattern = focus.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[^\\p{L}\\p{N}]+(?:s[^\\p{L}\\p{N}]+)?");
  return question.match(new RegExp(`(?<![\\p{L}])${pattern}(?![\\p{L}])`, "iu"))?.[0] ?? focus.join(" ");
}

/** A concept's label as the question wrote it ("Wales", "SEND"), or the label when the question has another form. */
function asWritten(question: string, label: string): string {
  return question.match(new RegExp(`(?<![\\p{L}])${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}])`, "iu"))?.[0] ?? label;
}

/** Question words that are capitalised for grammar, not because they name something. */
const questionStarters = new Set(["what", "which", "who", "whom", "whose", "when", "where", "why", "how", "is", "are", "does", "do", "can", "list", "tell", "describe", "give", "show", "summarise", "summarize", "name"]);

/**
 * Names and figures in the question that appear nowhere in the library (no passage, no file name, no title). A
 * question about Wales cannot be answered by a library that never mentions Wales.
 */
function essentialConcepts(question: string, weighted: WeightedConcept[]): Concept[] {
  const capitalised = new Set<string>();
  const tokens = question.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
  tokens.forEach((token, index) => {
    const lower = words(token)[0] ?? "";
    if (index === 0 && questionStarters.has(lower)) return;
    if (/^\p{Lu}/u.test(token) || /\d/.test(token)) for (const word of words(token)) capitalised.add(word);
  });
  return weighted
    .map(({ concept }) => concept)
    .filter((concept) => {
      if (concept.kind === "figure") return true;
      if (!concept.forms.some((form) => form.original && form.words.some((word) => capitalised.has(word)))) return false;
      // A glossary term is essential when it names a place ("Notts"); the field's own acronyms ("CLA", "UASC") are
      // vocabulary, which a page may hold in another form or only in its table's caption.
      return concept.kind !== "term" || concept.forms.some((form) => findLocalAuthorities(form.words.join(" ")).length > 0);
    });
}

async function missingEssentials(essentials: Concept[], frequencies: Map<ConceptForm, number>, store: Store): Promise<string[]> {
  const documentStems = await libraryTitleStems(store);
  return essentials
    .filter(
      (concept) =>
        !concept.forms.some((form) => (frequencies.get(form) ?? 0) > 0 || containsSequence(documentStems, form.stems)),
    )
    .map((concept) => concept.label);
}

// ---------------------------------------------------------------------------------------------------------------
// Briefings for broad questions

// Themes, broad words, fragments and lead order: src/answer/briefing.ts and briefing.json.

// ---------------------------------------------------------------------------------------------------------------

export function createExtractiveAnswerer({ store, searcher, weights = loadAnswerWeights() }: ExtractiveAnswererDependencies): ExtractiveAnswerer {
  const tuning = weights.thresholds;
  const verifier = createQuoteVerifier(store);
  const pagedCopy = createPagedCopyFinder(store, verifier);
  const scorer = createScorer(verifier, weights);

  const refuse = async (question: string, reason: string | null, nearest: SearchResult[], concepts: WeightedConcept[], shape: QuestionShape): Promise<Answer> => {
    await verifier.load(
      nearest.map((result) => result.documentId),
      pagesToRead(nearest),
    );
    const citations = new CitationList(verifier, pagedCopy);
    const lines: string[] = [];
    const usedPages = new Set<string>();
    const shown: Evidence[] = [];
    for (const evidence of scorer.score(nearest, concepts, shape)) {
      if (lines.length >= 3) break;
      const pageKey = `${evidence.result.documentId}:${evidence.result.page ?? evidence.result.section ?? ""}`;
      if (usedPages.has(pageKey) || shown.some((item) => overlap(item.stems, evidence.stems) > tuning.duplicateOverlap)) continue;
      const n = await citations.cite(evidence);
      if (n === null) continue;
      usedPages.add(pageKey);
      shown.push(evidence);
      lines.push(`- ${line(evidence, n)}`);
    }
    const text = [
      reason ? `${refusalSentence} ${reason}` : refusalSentence,
      ...(lines.length > 0 ? ["", "Nearest passages:", ...lines] : []),
    ].join("\n");
    return { question, answer: text, citations: citations.citations, mode: "extractive", refused: true };
  };

  /**
   * A sentence that introduces a list ("… relationships based on—", "… made up of:") says little without the
   * list: the items that follow it on the page join the quote.
   */
  /**
   * A list question answered by one bullet of a list ("◼ The workloads of PAs ...") is answered by the whole list:
   * the bullet run it belongs to on its page (items with their wrapped lines, up to a blank line or a line that is
   * neither), so every item is quoted together.
   */
  const withWholeList = (evidence: Evidence): Evidence => {
    if (evidence.isRow) return evidence;
    const pageText = verifier.pageText(evidence.result.documentId, evidence.result.page);
    const span = locateQuote(pageText, evidence.quote);
    if (!span) return evidence;
    const lines: { text: string; start: number; end: number }[] = [];
    let offset = 0;
    for (const text of pageText.split("\n")) {
      lines.push({ text, start: offset, end: offset + text.length });
      offset += text.length + 1;
    }
    const isBullet = (index: number): boolean => bulletStart.test(lines[index]?.text ?? "") && (lines[index]?.text.trim().length ?? 0) > 2;
    const blank = (index: number): boolean => (lines[index]?.text.trim().length ?? 0) === 0;
    // A wrapped line continues the bullet above it when nothing between them ends a sentence or a heading.
    const itemOf = (index: number): number | null => {
      for (let line = index; line >= 0 && !blank(line); line--) {
        if (isBullet(line)) return line;
        if (line < index && /[.?:;]["'”’)]?\s*$/.test(lines[line]!.text.trim())) return null;
      }
      return null;
    };
    const at = lines.findIndex((line) => line.end >= span.start);
    const own = at >= 0 ? itemOf(at) : null;
    if (own === null) return evidence;
    // Items may stand apart by blank lines; a blank line followed by anything but another item ends the run.
    let first = own;
    for (let line = own - 1; line >= 0; line--) {
      if (blank(line)) continue;
      const item = itemOf(line);
      if (item === null) break;
      first = item;
      line = item;
    }
    let last = own;
    let items = 0;
    for (let line = first; line < lines.length; line++) {
      if (blank(line)) {
        let next = line + 1;
        while (next < lines.length && blank(next)) next++;
        if (!isBullet(next)) break;
        continue;
      }
      if (isBullet(line)) items++;
      else if (itemOf(line) === null) break;
      if (items > tuning.listItems) break;
      last = line;
    }
    const quote = pageText.slice(lines[first]!.start, lines[last]!.end);
    if (items < 2 || quote.length <= evidence.quote.length || !quote.includes(evidence.quote.split("\n")[0] ?? "")) return evidence;
    return { ...evidence, quote, display: tidy(quote.replace(/\s*\n\s*/g, " ")), stems: stems(quote) };
  };

  const withListItems = (evidence: Evidence): Evidence => {
    // A list's first item may end the sentence that introduces it ("... if the person has— (a) within the last 5
    // years, ...;"): the items after it on the page ("(b) ...", "(c) ...") join it too.
    const firstItem = /[—–:]\s*(\(?(?:[a-z]|\d{1,2}|[ivx]{1,4})\)\s[^]*)$/iu.exec(evidence.quote)?.[1];
    const continues = firstItem !== undefined && /;\s*(?:and|or)?\s*$/i.test(evidence.quote);
    if (evidence.isRow || !(/[—–:-]\s*$/.test(evidence.quote) || continues)) return evidence;
    const pageText = verifier.pageText(evidence.result.documentId, evidence.result.page);
    const span = locateQuote(pageText, evidence.quote);
    if (!span) return evidence;
    const following = pageText.slice(span.end).split("\n").filter((text) => text.trim().length > 0);
    // The list goes on while its items keep the first item's style: "(a)", "(i)", "(1)", "1.", or a bullet.
    const styleOf = (item: string, first: boolean): string | null => {
      const marker = /^\s*(\(([a-z0-9]{1,4})\)|([a-z0-9]{1,3})[.)]\s|[•▪◼●*–-]\s)/i.exec(item);
      if (!marker) return null;
      const label = marker[2] ?? marker[3];
      if (label === undefined) return "bullet";
      const wrapped = marker[2] !== undefined ? "paren" : "dot";
      if (/^\d+$/.test(label)) return `${wrapped}-number`;
      if (/^[ivx]+$/i.test(label) && (label.length > 1 || (first && label.toLowerCase() === "i"))) return `${wrapped}-roman`;
      return `${wrapped}-letter`;
    };
    const items: string[] = [];
    let listStyle: string | null = continues && firstItem ? styleOf(firstItem, true) : null;
    for (const item of following) {
      const style = styleOf(item, items.length === 0);
      if (items.length >= 8 || style === null) break;
      if (listStyle !== null && style !== listStyle) break;
      listStyle ??= style;
      items.push(item);
    }
    if (items.length === 0) return evidence;
    const lastItem = items.at(-1) ?? "";
    const end = pageText.indexOf(lastItem, span.end) + lastItem.length;
    const quote = pageText.slice(span.start, end);
    const display = tidy(quote.replace(/\s*\n\s*/g, " "));
    return { ...evidence, quote, display, stems: stems(quote) };
  };

  const answerSpecific = async (question: string, text: string, shape: QuestionShape, documentIds?: number[]): Promise<Answer> => {
    const analysed = searcher.analyse(text);
    const { weighted, frequencies } = await weighConcepts(store, analysed.concepts);
    const results = await searcher.search(text, { limit: tuning.passages, perPage: tuning.passagesPerPage, shape, ...(documentIds ? { documentIds } : {}) });
    if (results.length === 0) return refuse(question, null, [], weighted, shape);
    // Every candidate document's pages in one read: scoring and citing below make no store calls per sentence.
    await verifier.load(
      results.map((result) => result.documentId),
      pagesToRead(results),
    );

    // "What is a child missing education (CME)?" names its subject twice: the spelled-out term will do for the acronym.
    const definedAcronym = shape.defines && shape.defines.keys.length > 1 ? shape.defines.acronym?.toLowerCase() : undefined;
    const essentials = essentialConcepts(text, weighted).filter((concept) => concept.label !== definedAcronym);
    const missing = await missingEssentials(essentials, frequencies, store);
    if (missing.length > 0) {
      // Name them as the question wrote them ("Wales", not "wales").
      const named = missing.map((label) => `"${asWritten(text, label)}"`).join(", ");
      return refuse(question, `Nothing in it mentions ${named}.`, results, weighted, shape);
    }

    // A word of the question that the library holds in no form (not even "reassurance" for "reassure") cannot be
    // answered from it; when such words carry much of the question's weight, say so rather than answer around them.
    const retrievedStems = results.flatMap((result) => cachedStems(`${result.text} ${result.headingPath.join(" ")} ${result.fileName}`));
    const absent = weighted.filter(
      ({ concept }) =>
        concept.forms.every((form) => (frequencies.get(form) ?? 0) === 0) && conceptFoundIn(concept, retrievedStems) === 0,
    );
    const totalWeight = weighted.reduce((sum, item) => sum + item.weight, 0);
    const absentWeight = absent.reduce((sum, item) => sum + item.weight, 0);
    if (totalWeight > 0 && absentWeight / totalWeight >= tuning.maximumAbsentShare) {
      const named = absent.map(({ concept }) => `"${concept.label}"`).join(", ");
      return refuse(question, `Nothing in it mentions ${named}.`, results, weighted, shape);
    }

    // A definition sits where the term is defined, which may share few other words with the question: the
    // documents found are searched again for the term alone.
    if (shape.defines) {
      const found = new Set(results.map((result) => result.chunkId));
      // The term as a singular and as a plural ("child missing education", "children missing education"), and its
      // acronym apart: a defining sentence often spells the term out without it.
      const keys = shape.defines.keys;
      const plural = keys.map((word) => (word === "child" ? "children" : word));
      const terms = [...new Set([keys.join(" "), plural.join(" "), shape.defines.acronym ?? ""])].filter((term) => term.length > 0);
      const scope = documentIds ?? [...new Set(results.slice(0, tuning.definitionDocuments).map((result) => result.documentId))];
      for (const term of terms) {
        for (const result of await searcher.search(term, { limit: tuning.passages, perPage: tuning.passagesPerPage, documentIds: scope })) {
          if (found.has(result.chunkId)) continue;
          found.add(result.chunkId);
          results.push({ ...result, score: Math.min(result.score, results.at(-1)?.score ?? result.score) });
        }
      }
      await verifier.load(
        results.map((result) => result.documentId),
        pagesToRead(results),
      );
    }
    const evidence = withoutNegated(scorer.score(results, weighted, shape), negatedStems(text), weights.scoring.negatedWord);
    const citations = new CitationList(verifier, pagedCopy);
    // The names and figures the question asks about must be where the answer is: its sentence, headings or page.
    const essentialConceptsWeighted = weighted.filter(({ concept }) => essentials.includes(concept));
    // A document's cover page says what the whole of it is about: its place and its dates ("Norfolk", "Inspection
    // date: 13 November 2017"), so a name or year it states there scopes every later page of it too ("who was the
    // lead inspector on Norfolk's 2017 re-inspection" is answered on the report's last page).
    const coverStems = new Map<number, readonly string[]>();
    const onCover = (result: SearchResult, concept: Concept): boolean => {
      if (result.page === null) return false;
      let cover = coverStems.get(result.documentId);
      if (!cover) {
        cover = cachedStems(verifier.pageText(result.documentId, 1));
        coverStems.set(result.documentId, cover);
      }
      return conceptFoundIn(concept, cover) > 0;
    };
    const holdsEssentials = (candidate: Evidence): boolean => {
      if (essentialConceptsWeighted.length === 0) return true;
      const credits = scorer.contextCredits(candidate.result, essentialConceptsWeighted);
      return essentialConceptsWeighted.every(
        ({ concept }, index) =>
          (credits[index] ?? 0) > 0 || conceptFoundIn(concept, candidate.stems) > 0 || onCover(candidate.result, concept),
      );
    };
    // What a piece leaves out must not be the heart of the question ("ILACS grade" for a row that only names the
    // council): the share of the question's weight held nowhere in the piece, its headings or its page.
    const totalWeightOf = weighted.reduce((sum, item) => sum + item.weight, 0);
    const uncoveredShare = (candidate: Evidence): number => {
      if (totalWeightOf === 0) return 0;
      const uncovered = new Set(uncoveredConcepts(candidate, weighted, scorer.contextCredits(candidate.result, weighted)));
      return weighted.filter(({ concept }) => uncovered.has(concept.label)).reduce((sum, item) => sum + item.weight, 0) / totalWeightOf;
    };
    // A partial answer speaks of the field's named things the question asks about ("ILACS", "Level 3 Diploma").
    const holdsTerms = (candidate: Evidence): boolean => {
      const uncovered = new Set(uncoveredConcepts(candidate, weighted, scorer.contextCredits(candidate.result, weighted)));
      return weighted.every(({ concept }) => concept.kind !== "term" || !uncovered.has(concept.label));
    };
    // The question's focus ("registration fee", "area SEND inspection") must be spoken of where the answer is: in
    // the piece, its place, its page or its document's cover (an inspection report names its kind once, on page 1).
    // A page that holds the rest of the question but not its focus answers another question.
    // Of the focus, its field terms are checked ("fee", "SEND"), each wholly inside it and about the subject (not the
    // answer's kind, "how frequently"): the other words may be verbs ("called", "must"), which a page need not repeat.
    const termsWithin = (run: string[]): WeightedConcept[] =>
      weighted.filter(
        ({ concept }) =>
          concept.kind === "term" && concept.weightFactor >= 1 && concept.forms.some((form) => form.original && form.words.every((word) => run.includes(word))),
      );
    const focus = questionFocusRuns(text).find((run) => run.length <= loadQuestionWords().focusMaximumWords && termsWithin(run).length > 0) ?? [];
    const focusTerms = termsWithin(focus);
    const pageStemSets = new Map<string, ReadonlySet<string>>();
    const pageStemsOf = (result: SearchResult): ReadonlySet<string> => {
      const key = `${result.documentId}:${result.page ?? ""}`;
      let found = pageStemSets.get(key);
      if (!found) {
        const place = `${result.fileName.replace(/\.[a-z0-9]+$/i, "")} ${result.title ?? ""} ${result.headingPath.join(" ")} ${result.section ?? ""}`;
        const page = verifier.pageText(result.documentId, result.page);
        const cover = result.page === null ? "" : verifier.pageText(result.documentId, 1);
        found = new Set(stems(`${place} ${page.length > tuning.longPage ? result.text : page} ${cover.length > tuning.longPage ? "" : cover}`));
        pageStemSets.set(key, found);
      }
      return found;
    };
    const holdsFocus = (candidate: Evidence): boolean => {
      if (focusTerms.length === 0) return true;
      const credits = scorer.contextCredits(candidate.result, focusTerms);
      const pageStems = pageStemsOf(candidate.result);
      return focusTerms.every(
        ({ concept }, index) =>
          (credits[index] ?? 0) > 0 ||
          conceptFoundIn(concept, candidate.stems) > 0 ||
          onCover(candidate.result, concept) ||
          concept.forms.some((form) => form.stems.every((formStem) => pageStems.has(formStem))),
      );
    };
    // Why nothing answers: the field's named things the question asks about that the passages found (holding its
    // names and places) do not speak of, as the question wrote them ("fee", "area SEND inspection").
    const missingTermsReason = (ranked: Evidence[]): string | null => {
      // The nearest piece that speaks of the question's names and places ("Cumberland"), however little else it covers.
      const nearest = ranked.find((candidate) => holdsEssentials(candidate));
      if (!nearest) {
        const names = essentials.map((concept) => `"${asWritten(text, concept.label)}"`);
        return ranked.length > 0 && names.length > 0 ? `The passages nearest to it are not about ${names.join(" or ")}.` : null;
      }
      if (!holdsFocus(nearest)) return `The passages nearest to it say nothing of "${focusAsWritten(text, focus)}".`;
      const uncovered = new Set(uncoveredConcepts(nearest, weighted, scorer.contextCredits(nearest.result, weighted)));
      const named = weighted.filter(({ concept }) => concept.kind === "term" && uncovered.has(concept.label)).map(({ concept }) => `"${asWritten(text, concept.label)}"`);
      return named.length > 0 ? `The passages nearest to it say nothing of ${named.join(" or ")}.` : null;
    };
    // A requirement is stated in the provision's own words: when the answer found is guidance citing a provision by
    // number ("Regulation 32 ... requires ...", in its sentence or its passage) and that provision's own text is
    // among the evidence, with the shape asked for (the timescale of "how long") and covering enough of the question
    // itself, the provision's text leads and the guidance's account of it supports it.
    const sectionKey = (result: SearchResult): string => cachedStems(result.section ?? "").join(" ");
    const namesProvision = analysed.concepts.some((concept) => concept.reference);
    const ownProvisionFor = (guidance: Evidence): Evidence | null => {
      // A question naming its provision ("What does regulation 45 require?") has had the provision's text weighed as
      // its own: guidance summing it up may answer it best.
      if (guidance.isRow || namesProvision) return null;
      const labels = [...citedProvisionLabels(guidance.quote), ...citedProvisionLabels(guidance.result.text)];
      const cited = new Set(labels.map((label) => cachedStems(label).join(" ")));
      // Guidance citing its own section ("Regulation 32" quoting itself) is the provision already.
      cited.delete(sectionKey(guidance.result));
      if (cited.size === 0) return null;
      const pieces = evidence.filter(
        (candidate) =>
          !candidate.isRow &&
          cited.has(sectionKey(candidate.result)) &&
          candidate.fit >= guidance.fit &&
          candidate.coverage >= tuning.provisionMinimumCoverage &&
          statesSameFigures(guidance.quote, candidate.quote) &&
          holdsEssentials(candidate) &&
          holdsFocus(candidate),
      );
      // "regulation 32(4)": the paragraph cited, where one of its pieces qualifies, before the provision's others.
      const paragraphs = citedParagraphs(`${guidance.quote}\n${guidance.result.text}`);
      return pieces.find((candidate) => paragraphs.has(paragraphOf(candidate.result.text, candidate.quote) ?? "")) ?? pieces[0] ?? null;
    };
    let direct: { evidence: Evidence; n: number } | undefined;
    // Guidance that the provision's own text now leads: the answer's first supporting point.
    let restated: { evidence: Evidence; n: number } | undefined;
    const chooseDirect = async (complete: Evidence): Promise<boolean> => {
      const provision = ownProvisionFor(complete);
      if (provision) {
        const stated = withListItems(provision);
        const provisionNumber = await citations.cite(stated);
        if (provisionNumber !== null) {
          const guidanceNumber = await citations.cite(complete);
          direct = { evidence: stated, n: provisionNumber };
          if (guidanceNumber !== null) restated = { evidence: complete, n: guidanceNumber };
          return true;
        }
      }
      const n = await citations.cite(complete);
      if (n === null) return false;
      direct = { evidence: complete, n };
      return true;
    };
    // "What experience must a registered manager have?" asks for the thing named after "what": a sentence that speaks
    // of it answers before one that speaks only of the subject (the manager's CPD, on a page that mentions experience).
    const asked = askedThing(text, weighted, shape);
    // A row speaks of it in its table's header too; the header is read once per passage (a data set's passage is long).
    const headerStemsOf = new Map<number, readonly string[]>();
    const speaksOfAsked = (candidate: Evidence): boolean => {
      if (!asked) return true;
      if (conceptFoundIn(asked, candidate.stems) > 0) return true;
      if (!candidate.isRow) return false;
      let headerStems = headerStemsOf.get(candidate.result.chunkId);
      if (headerStems === undefined) {
        const text = candidate.result.text;
        const newline = text.indexOf("\n", text.indexOf(cellSeparator));
        headerStems = cachedStems(text.slice(text.lastIndexOf("\n", text.indexOf(cellSeparator)) + 1, newline < 0 ? text.length : newline));
        headerStemsOf.set(candidate.result.chunkId, headerStems);
      }
      return conceptFoundIn(asked, headerStems) > 0;
    };
    // A term's defining sentence answers "what is X", and the list under a heading asking the question answers it,
    // before any sentence that only repeats the question's words.
    const ordered = [
      ...evidence.filter((candidate) => candidate.leads),
      ...evidence.filter((candidate) => !candidate.leads && speaksOfAsked(candidate)),
      ...evidence.filter((candidate) => !candidate.leads && !speaksOfAsked(candidate)),
    ];
    for (const candidate of ordered) {
      // Its shape says it is the answer ("X is", "X (ABC)", a bullet under "What needs to improve?"), whatever else
      // of the question it repeats.
      if (candidate.leads && holdsEssentials(candidate) && (shape.defines || candidate.coverage >= tuning.partialMinimumCoverage)) {
        const complete = shape.type === "list" ? withWholeList(candidate) : withListItems(candidate);
        const n = await citations.cite(complete);
        if (n !== null) {
          direct = { evidence: complete, n };
          break;
        }
      }
      if (candidate.coverage < tuning.minimumCoverage) continue;
      if (!holdsEssentials(candidate)) continue;
      if (uncoveredShare(candidate) > tuning.directMaximumUncovered) continue;
      // The field's named thing the question asks about ("fee", "SEND") must be where the answer is: a unit cost
      // does not answer "how much is the registration fee", nor an ILACS report "the area SEND inspection".
      if (!holdsFocus(candidate)) continue;
      // Never answer "how many" or "how much" with a sentence that holds no figure, nor "what grade" without one.
      if ((shape.type === "figure" || shape.wantsGrade) && candidate.fit === 0) continue;
      // A data set's row answers "how many X" only when a column counts X; one row among thousands that merely
      // mentions the question's words ("INSPIRE SCOTLAND LIMITED") is not a count.
      const dataSetRow = candidate.isRow && isDataSetFormat(candidate.result.format);
      if (shape.counted && candidate.fit < 1 && dataSetRow) continue;
      // Nor does one row describe how something works ("How does Ofsted inspect supported accommodation?").
      if (shape.type === "description" && dataSetRow) continue;
      const complete = shape.type === "list" ? withWholeList(withListItems(candidate)) : withListItems(candidate);
      if (await chooseDirect(complete)) break;
    }
    // Supporting points: the next best pieces, at most two per page, none repeating what is already said.
    const supportFor = async (lead: Evidence, leadScore: number): Promise<string[]> => {
      const chosen: Evidence[] = [lead];
      const supporting: string[] = [];
      const perPage = new Map<string, number>();
      const pageKey = (item: Evidence): string => `${item.result.documentId}:${item.result.page ?? item.result.section ?? ""}`;
      perPage.set(pageKey(lead), 1);
      // A provision leading in the guidance's place: the guidance is read with it (not one of the points), and other
      // guidance citing the provision ("they must notify Ofsted in writing (regulation 48)") is its account, not a
      // repeat of it.
      const provisionLed = restated !== undefined && lead === direct?.evidence;
      if (restated && provisionLed) {
        chosen.push(restated.evidence);
        perPage.set(pageKey(restated.evidence), (perPage.get(pageKey(restated.evidence)) ?? 0) + 1);
        supporting.push(`- ${line(restated.evidence, restated.n)}`);
      }
      const citesLead = (candidate: Evidence): boolean =>
        provisionLed && candidate.result.documentId !== lead.result.documentId && citedProvisionLabels(candidate.quote).some((label) => cachedStems(label).join(" ") === sectionKey(lead.result));
      const maxPoints = (shape.type === "list" ? tuning.maxSupportingPoints + 1 : tuning.maxSupportingPoints) + (provisionLed ? 1 : 0);
      for (const candidate of evidence) {
        if (supporting.length >= maxPoints) break;
        if (candidate === lead || candidate.quote === lead.quote) continue;
        if (candidate.score < tuning.supportShare * leadScore) break;
        if (candidate.coverage < tuning.supportMinimumCoverage) continue;
        // A supporting point speaks of the same place and figures as the question ("Cumberland"), not another council's.
        if (!holdsEssentials(candidate)) continue;
        if ((perPage.get(pageKey(candidate)) ?? 0) >= 2) continue;
        const repeats = (item: Evidence): boolean => !(item === lead && citesLead(candidate)) && overlap(item.stems, candidate.stems) > tuning.duplicateOverlap;
        if (chosen.some((item) => item.quote === candidate.quote || repeats(item))) continue;
        const n = await citations.cite(candidate);
        if (n === null) continue;
        chosen.push(candidate);
        perPage.set(pageKey(candidate), (perPage.get(pageKey(candidate)) ?? 0) + 1);
        supporting.push(`- ${line(candidate, n)}`);
      }
      return supporting.length > 0 ? ["", "Supporting points:", ...supporting] : [];
    };

    if (!direct) {
      // Nothing answers the whole question: answer the part the best passage covers and name what it lacks; refuse
      // only when no passage covers enough of it.
      const partial = partialEvidence(
        evidence,
        shape,
        (candidate) => holdsEssentials(candidate) && uncoveredShare(candidate) <= tuning.partialMaximumUncovered && holdsTerms(candidate) && holdsFocus(candidate),
      );
      if (!partial) return refuse(question, missingTermsReason(evidence), results, weighted, shape);
      const lead = withListItems(partial);
      const n = await citations.cite(lead);
      if (n === null) return refuse(question, null, results, weighted, shape);
      const gaps = uncoveredConcepts(lead, weighted, scorer.contextCredits(lead.result, weighted));
      const opening =
        gaps.length > 0
          ? `The library does not answer this in full: nothing found says anything about ${gaps.map((label) => `"${label}"`).join(" or ")} here. It does say:`
          : "The library does not answer this directly. The nearest it says:";
      const composed = [opening, line(lead, n), ...(await supportFor(lead, lead.score))].join("\n");
      return { question, answer: composed, citations: citations.citations, mode: "extractive", refused: false };
    }

    const composed = [line(direct.evidence, direct.n), ...(await supportFor(direct.evidence, direct.evidence.score))].join("\n");
    return { question, answer: composed, citations: citations.citations, mode: "extractive", refused: false };
  };

  /** The best piece that covers part of the question, holds its names and has the shape it asks for. */
  const partialEvidence = (evidence: Evidence[], shape: QuestionShape, holdsEssentials: (candidate: Evidence) => boolean): Evidence | null => {
    for (const candidate of evidence) {
      if (candidate.coverage < tuning.partialMinimumCoverage) continue;
      if (!holdsEssentials(candidate)) continue;
      if ((shape.type === "figure" || shape.type === "name" || shape.wantsGrade) && candidate.fit === 0) continue;
      if (candidate.isRow && isDataSetFormat(candidate.result.format) && (shape.type === "description" || (shape.counted && candidate.fit < 1))) continue;
      return candidate;
    }
    return null;
  };

  const answerBroad = async (question: string, shape: QuestionShape, kind: BriefingKind): Promise<Answer | null> => {
    const analysed = searcher.analyse(question);
    const broad = broadWords();
    const specific = analysed.concepts.filter((concept) => !concept.forms.some((form) => form.words.some((word) => broad.has(word))));
    const briefing = briefingSettings();
    const namesCouncil = findLocalAuthorities(question).length > 0;
    // Read up front (below, once the themes' searches are in), so that ordering the points makes no store calls.
    const sources = new Map<number, SourceRank>();
    const sourceOf = (candidate: Evidence): SourceRank => {
      const source = sources.get(candidate.result.documentId);
      if (!source) throw new Error(`briefing: the source of document ${candidate.result.documentId} was not read`);
      return source;
    };
    const focus = specific.map((concept) => concept.label).join(" ");
    const citations = new CitationList(verifier, pagedCopy);
    const usedDocuments = new Map<number, number>();
    const chosen: Evidence[] = [];
    const sections: string[] = [];
    const themeShape: QuestionShape = { ...shape, type: "description" };
    // Every theme's search first, then one read of all their documents' pages, then the points theme by theme.
    const searched: { theme: BriefingTheme; query: string; results: SearchResult[] }[] = [];
    for (const theme of briefingThemes(kind)) {
      const query = `${theme.query} ${focus}`.trim();
      searched.push({ theme, query, results: await searcher.search(query, { limit: 8, perPage: 1 }) });
    }
    await verifier.load(
      searched.flatMap(({ results }) => results.map((result) => result.documentId)),
      pagesToRead(searched.flatMap(({ results }) => results)),
    );
    const resultsByDocument = new Map(searched.flatMap(({ results }) => results.map((result) => [result.documentId, result] as const)));
    const authorities = await libraryAuthorities(store);
    for (const [documentId, result] of resultsByDocument) sources.set(documentId, authorities.of(result));
    for (const { theme, query, results } of searched) {
      const themeStems = contentStems(theme.query);
      if (results.length === 0) continue;
      const { weighted } = await weighConcepts(store, searcher.analyse(query).concepts);
      // Prefer documents the briefing has not drawn on yet, so it reads across the library.
      const evidence = scorer.score(results, weighted, themeShape, (documentId) => briefing.documentReuse * (usedDocuments.get(documentId) ?? 0));
      const lines: string[] = [];
      const themeDocuments = new Set<number>();
      const points = evidence.filter(
        (candidate) =>
          // Long table rows make poor briefing points; prose reads better.
          candidate.coverage >= briefing.minimumCoverage &&
          words(candidate.display).length >= briefing.minimumWords &&
          !(candidate.isRow && candidate.display.length > briefing.maximumRowLength) &&
          // A point must speak to its theme, not only to the question's subject; a web address is a reference, not a point.
          themeStems.some((stem) => candidate.stems.includes(stem)) &&
          !/https?:\/\//.test(candidate.display) &&
          !isFragment({ quote: candidate.quote, display: candidate.display, isRow: candidate.isRow, passage: candidate.result.text }),
      );
      for (const candidate of inLeadOrder(points, sourceOf, namesCouncil)) {
        if (lines.length >= briefing.pointsPerTheme) break;
        // The second point of a theme comes from another document, or at least another page.
        if (chosen.some((item) => lines.length > 0 && item.result.documentId === candidate.result.documentId && item.result.page === candidate.result.page)) continue;
        if (chosen.some((item) => item.quote === candidate.quote || overlap(item.stems, candidate.stems) > tuning.duplicateOverlap)) continue;
        const n = await citations.cite(candidate);
        if (n === null) continue;
        chosen.push(candidate);
        themeDocuments.add(candidate.result.documentId);
        usedDocuments.set(candidate.result.documentId, (usedDocuments.get(candidate.result.documentId) ?? 0) + 1);
        lines.push(`- ${line(candidate, n)}`);
      }
      if (lines.length > 0) sections.push([`### ${theme.title}`, ...lines].join("\n"));
    }
    if (sections.length < 2) return null;
    return { question, answer: sections.join("\n\n"), citations: citations.citations, mode: "extractive", refused: false };
  };

  const analyse = async (question: string): Promise<QuestionAnalysis> =>
    analyseQuestion(question, {
      passagesHolding: (terms) => store.passages.documentFrequencies(terms),
      holdsWord: async (word) => {
        const exact = new RegExp(`(?<![\\p{L}])${word}(?![\\p{L}])`, "iu");
        return (await store.passages.searchText({ terms: [{ phrase: [word], weight: 1 }], limit: 20 })).some((hit) => exact.test(hit.text));
      },
      ownName: (await getProfile(store)).name,
    });

  /** The answer to one question (or one part of a question), from its analysis. */
  const answerText = async (question: string, text: string, shape: QuestionShape): Promise<Answer> => {
    if (shape.briefing) {
      const briefing = await answerBroad(text, shape, shape.briefing);
      if (briefing) return { ...briefing, question };
    }
    return answerSpecific(question, text, shape);
  };

  return {
    analyse,
    async explain(question: string, limit = 10): Promise<RankedEvidence[]> {
      const analysis = await analyse(question);
      const { weighted } = await weighConcepts(store, searcher.analyse(analysis.text).concepts);
      const results = await searcher.search(analysis.text, { limit: tuning.passages, perPage: tuning.passagesPerPage });
      await verifier.load(
        results.map((result) => result.documentId),
        pagesToRead(results),
      );
      return scorer
        .score(results, weighted, analysis.shape)
        .slice(0, limit)
        .map((item) => ({ file: item.result.fileName, page: item.result.page, quote: item.quote, coverage: item.coverage, fit: item.fit, score: item.score }));
    },
    async answer(question: string): Promise<Answer> {
      const analysis = await analyse(question);
      const notes = readingNotes(analysis);
      if (analysis.ownDocument) {
        // "What is in our business plan?" is answered from the provider's own documents only, or not at all.
        const own = await ownDocumentIds(store);
        const answered = own.length > 0 ? await answerSpecific(question, analysis.text, analysis.shape, own) : null;
        if (answered && !answered.refused) return withNotesOn(answered, notes);
        const advice = `This asks about your own ${analysis.ownDocument}, and the library holds ${own.length > 0 ? "no answer in your own documents" : "none of your own documents"}. Add it with \`hearth ingest <file>\` (or upload it on the Library page) and mark it as your own with \`hearth tag <file> --authority own_policy\`; then ask again.`;
        return { question, answer: withNotes(`${refusalSentence} ${advice}`, notes), citations: [], mode: "extractive", refused: true };
      }
      if (analysis.parts.length > 1) return withNotesOn(await answerParts(question, analysis), notes);
      return withNotesOn(await answerText(question, analysis.text, analysis.shape), notes);
    },
  };

  /** A multi-part question answered part by part, each part's gap named; refused only when every part is. */
  async function answerParts(question: string, analysis: QuestionAnalysis): Promise<Answer> {
    const citations: Citation[] = [];
    const sections: string[] = [];
    let refusedAll = true;
    for (const part of analysis.parts) {
      const answered = await answerText(question, part, classifyQuestion(part));
      refusedAll &&= answered.refused;
      // Citation numbers continue across parts; a passage cited twice keeps its first number.
      const renumber = new Map<number, number>();
      for (const citation of answered.citations) {
        const known = citations.find((item) => item.file === citation.file && item.page === citation.page && item.quote === citation.quote);
        if (known) renumber.set(citation.n, known.n);
        else {
          const n = citations.length + 1;
          citations.push({ ...citation, n });
          renumber.set(citation.n, n);
        }
      }
      const body = answered.answer.replace(/\[(\d+)\]/g, (marker, number: string) => `[${renumber.get(Number(number)) ?? number}]`);
      sections.push(`### ${part.replace(/\s+/g, " ").trim()}\n${body}`);
    }
    return { question, answer: sections.join("\n\n"), citations, mode: "extractive", refused: refusedAll };
  }
}

/** What the answer says about how it read the question: typos corrected, words set aside. */
function readingNotes(analysis: QuestionAnalysis): string[] {
  const notes: string[] = [];
  if (analysis.corrections.length > 0) {
    notes.push(`Read ${analysis.corrections.map((correction) => `"${correction.from}" as "${correction.to}"`).join(", ")} (words the library uses).`);
  }
  if (analysis.ownNames.length > 0) {
    notes.push(`The library holds nothing about ${analysis.ownNames.join(", ")} itself; this answer is what it says for any provider.`);
  }
  return notes;
}

function withNotes(text: string, notes: string[]): string {
  return notes.length > 0 ? `${text}\n\nNote: ${notes.join(" ")}` : text;
}

function withNotesOn(answer: Answer, notes: string[]): Answer {
  return notes.length > 0 ? { ...answer, answer: withNotes(answer.answer, notes) } : answer;
}

/** The provider's own documents (source authority "own_policy", tagged or guessed from the file name). */
async function ownDocumentIds(store: Store): Promise<number[]> {
  // The document list and every authority tag, each read once per library version.
  const [documents, authorities] = await Promise.all([libraryDocuments(store), libraryAuthorities(store)]);
  return documents.filter((document) => authorities.of(document).kind === "own_policy").map((document) => document.id);
}
