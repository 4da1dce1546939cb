/**
 * Splits a loaded document into passages. Every passage stays inside one unit (page, slide, sheet), keeps the
 * heading path above it and its character offsets in the unit's canonical text; table pieces repeat the header
 * row so that a row is never separated from its column names.
 */
import { readFileSync } from "node:fs";
import * as z from "zod";
import type { ContentBlock, LoadedDocument } from "../loaders/types.ts";
import type { Chunk, UnitText } from "./types.ts";

/** How a document's divisions and numbered paragraphs are recognised: document-structure.json beside this file. */
export interface DocumentStructure {
  /** Words that open a division, outermost rank first ("part", "schedule" before "chapter"). */
  divisionRanks: string[][];
  titleCharacters: number;
  citationLine: RegExp;
  listNumber: RegExp;
  listLeadIn: RegExp;
}

const pattern = z.string().transform((source, context) => {
  try {
    return new RegExp(source, "iu");
  } catch (error) {
    context.addIssue({ code: "custom", message: `not a regular expression: ${(error as Error).message}` });
    return z.NEVER;
  }
});

export const documentStructureSchema = z.object({
  divisionRanks: z.array(z.array(z.string().min(1).transform((word) => word.toLowerCase())).min(1)).min(1),
  titleCharacters: z.number().int().positive(),
  citationLine: pattern,
  listNumber: pattern,
  listLeadIn: pattern,
});

export const defaultDocumentStructure: DocumentStructure = documentStructureSchema.parse(
  JSON.parse(readFileSync(new URL("./document-structure.json", import.meta.url), "utf8")),
);

export interface ChunkOptions {
  /** A text passage is closed once it reaches this many characters. */
  targetCharacters: number;
  /** No passage (but a single table row or sentence) exceeds this. */
  maxCharacters: number;
}

export const defaultChunkOptions: ChunkOptions = { targetCharacters: 700, maxCharacters: 1200 };

/** A division heading ("SCHEDULE 1", "Annex A – Qualifications"): its rank, its designation as printed, any title it carries. */
interface Division {
  rank: number;
  designation: string;
  title: string;
}

/** The keyword, then a number ("4", "12A"), a capital letter ("A") or a roman numeral ("IV"), then any title. */
const divisionHeading = /^(\p{L}+)\s+(\d{1,3}[A-Z]?|[A-Z]|[IVXLC]{1,6})(?![\p{L}\d])\s*[—–:.-]?\s*(.*)$/u;

export function divisionOf(text: string, structure: DocumentStructure = defaultDocumentStructure): Division | null {
  const match = divisionHeading.exec(text.trim());
  if (!match) return null;
  const keyword = (match[1] ?? "").toLowerCase();
  const rank = structure.divisionRanks.findIndex((words) => words.includes(keyword));
  if (rank < 0) return null;
  return { rank, designation: `${match[1]} ${match[2]}`, title: (match[3] ?? "").trim() };
}

/** A heading-path entry for a division: "SCHEDULE 1 — Matters to be included in the Statement of Purpose (Regulation 16)". */
function divisionLabel(designation: string, title: string, citation: string | null): string {
  return `${designation}${title ? ` — ${title}` : ""}${citation ? ` (${citation})` : ""}`;
}

const blockSeparator = "\n\n";
const cellSeparator = " | ";

export function renderTableRow(cells: string[]): string {
  return cells.map((cell) => cell.replace(/\s+/g, " ").trim()).join(cellSeparator);
}

function renderBlock(block: ContentBlock): string {
  switch (block.kind) {
    case "heading":
    case "paragraph":
      return block.text.trim();
    case "notes":
      return `Speaker notes: ${block.text.trim()}`;
    case "table":
      return [
        ...(block.caption ? [block.caption.trim()] : []),
        ...(block.header.length > 0 ? [renderTableRow(block.header)] : []),
        ...block.rows.map(renderTableRow),
      ].join("\n");
  }
}

interface PlacedBlock {
  block: ContentBlock;
  start: number;
  end: number;
}

/** The canonical text of a unit, and where each block sits in it. */
export function layoutUnit(blocks: ContentBlock[]): { text: string; placed: PlacedBlock[] } {
  let text = "";
  const placed: PlacedBlock[] = [];
  for (const block of blocks) {
    const rendered = renderBlock(block);
    if (rendered.length === 0) continue;
    if (text.length > 0) text += blockSeparator;
    placed.push({ block, start: text.length, end: text.length + rendered.length });
    text += rendered;
  }
  return { text, placed };
}

/** Sentence ends: a full stop, question or exclamation mark followed by space and a capital, digit or quote. */
const sentenceBoundary = /(?<=[.!?;:])\s+(?=[A-Z0-9“"'(£•])/g;

/** Splits [start, end) of `text` into spans no longer than `max`, at sentence then word boundaries. */
function splitSpan(text: string, start: number, end: number, target: number, max: number): [number, number][] {
  if (end - start <= max) return [[start, end]];
  const cuts: number[] = [];
  sentenceBoundary.lastIndex = 0;
  const slice = text.slice(start, end);
  for (const match of slice.matchAll(sentenceBoundary)) cuts.push(start + (match.index ?? 0));
  const spans: [number, number][] = [];
  let spanStart = start;
  let lastCut = start;
  for (const cut of [...cuts, end]) {
    if (cut - spanStart > max && lastCut > spanStart) {
      spans.push([spanStart, lastCut]);
      spanStart = skipSpace(text, lastCut);
    }
    if (cut - spanStart >= target && cut < end) {
      spans.push([spanStart, cut]);
      spanStart = skipSpace(text, cut);
    }
    lastCut = cut;
  }
  if (spanStart < end) spans.push([spanStart, end]);
  // A sentence longer than max is cut at word boundaries.
  return spans.flatMap(([from, to]) => (to - from > max ? splitWords(text, from, to, max) : [[from, to] as [number, number]]));
}

function splitWords(text: string, start: number, end: number, max: number): [number, number][] {
  const spans: [number, number][] = [];
  let from = start;
  while (end - from > max) {
    let cut = text.lastIndexOf(" ", from + max);
    if (cut <= from) cut = from + max;
    spans.push([from, cut]);
    from = skipSpace(text, cut);
  }
  if (from < end) spans.push([from, end]);
  return spans;
}

function skipSpace(text: string, index: number): number {
  let position = index;
  while (position < text.length && /\s/.test(text[position] ?? "")) position++;
  return position;
}

export interface ChunkedDocument {
  units: UnitText[];
  chunks: Chunk[];
}

/**
 * UK statutory instruments number each regulation "44.—(1) The registered person must …". Such a line starts
 * regulation 44: the passages under it get "Regulation 44" as their section (so "regulation 44" finds them), while
 * the page text stays exactly as printed.
 */
const provisionStart = /^(\d{1,3}[A-Z]?)\.\s?—\s?(?=\(|[A-Z])/;
const provisionLevel = 9;

export function chunkDocument(
  document: LoadedDocument,
  options: ChunkOptions = defaultChunkOptions,
  structure: DocumentStructure = defaultDocumentStructure,
): ChunkedDocument {
  const units: UnitText[] = [];
  const chunks: Chunk[] = [];
  // Headings carry across pages: a section that starts on page 3 still heads page 4's passages.
  const headingPath: { level: number; text: string }[] = [];
  // The level each division rank takes in this document, fixed where the rank first appears: a PDF may print
  // "PART 1" large and "SCHEDULE 1" as small as the headings under it, yet a schedule ends a part.
  const rankLevels = new Map<number, number>();
  const divisionLevel = (rank: number, loaderLevel: number): number => {
    const known = rankLevels.get(rank);
    if (known !== undefined) return known;
    const outer = [...rankLevels.entries()].filter(([other]) => other < rank).map(([, level]) => level);
    const level = Math.max(loaderLevel - 0.5, ...outer.map((level) => level + 0.1));
    rankLevels.set(rank, level);
    return level;
  };
  // A division printed without its title waits for the line after it ("SCHEDULE 1" / "Regulation 16" / "Matters to
  // be included in the Statement of Purpose").
  let untitled: { entry: { level: number; text: string }; designation: string; title: string; citation: string | null } | null = null;

  document.units.forEach((unit, unitIndex) => {
    const { text, placed } = layoutUnit(unit.blocks);
    units.push({ index: unitIndex, page: unit.page, section: unit.section, text });
    if (text.length === 0) return;

    const sectionOf = (): string | null => headingPath.at(-1)?.text ?? unit.section;
    const push = (kind: Chunk["kind"], start: number, end: number, chunkText?: string): void => {
      const body = chunkText ?? text.slice(start, end);
      if (body.trim().length === 0) return;
      chunks.push({
        ordinal: chunks.length,
        page: unit.page,
        section: sectionOf(),
        headingPath: headingPath.map((heading) => heading.text),
        kind,
        text: body,
        start,
        end,
      });
    };

    // An open run of headings and paragraphs waiting to become a passage. Headings with nothing under them yet
    // stay in the run, so they open the next passage (or table) instead of standing alone.
    let runStart = -1;
    let runEnd = -1;
    let runHasBody = false;
    const flush = (): void => {
      if (runStart < 0) return;
      for (const [from, to] of splitSpan(text, runStart, runEnd, options.targetCharacters, options.maxCharacters)) {
        push("text", from, to);
      }
      runStart = -1;
      runEnd = -1;
      runHasBody = false;
    };
    /** Where a table or notes passage starts: at the headings waiting above it, if any. */
    const takePendingHeadings = (blockStart: number): number => {
      if (runStart < 0 || runHasBody) {
        flush();
        return blockStart;
      }
      const from = runStart;
      runStart = -1;
      runEnd = -1;
      return from;
    };
    const extendRun = (start: number, end: number): void => {
      if (runStart < 0) runStart = start;
      runEnd = end;
    };

    for (const { block, start, end } of placed) {
      if (untitled && (block.kind === "heading" || block.kind === "paragraph")) {
        const line = block.text.replace(/\s+/g, " ").trim();
        if (untitled.citation === null && line.length <= 80 && structure.citationLine.test(line)) {
          untitled.citation = line;
        } else if (
          !untitled.title &&
          line.length <= structure.titleCharacters &&
          !structure.listNumber.test(line) &&
          !/[.!?;]$/.test(line) &&
          !provisionStart.test(line) &&
          !divisionOf(line, structure)
        ) {
          untitled.title = line;
        } else {
          untitled = null;
        }
        if (untitled) {
          untitled.entry.text = divisionLabel(untitled.designation, untitled.title, untitled.citation);
          // Part of the division's heading: it opens the next passage, as a heading would.
          extendRun(start, end);
          if (untitled.title) untitled = null;
          continue;
        }
      } else if (untitled) {
        untitled = null;
      }
      const division = block.kind === "heading" ? divisionOf(block.text, structure) : null;
      if (division && block.kind === "heading") {
        if (runHasBody) flush();
        const level = divisionLevel(division.rank, block.level);
        while (headingPath.length > 0 && (headingPath.at(-1)?.level ?? 0) >= level) headingPath.pop();
        const entry = { level, text: divisionLabel(division.designation, division.title, null) };
        headingPath.push(entry);
        untitled = division.title ? null : { entry, designation: division.designation, title: "", citation: null };
        extendRun(start, end);
        continue;
      }
      // "14. Details of any healthcare or therapy provided, including—": a numbered paragraph leading into its list,
      // printed bold, is not a heading.
      const numberedLeadIn = block.kind === "heading" && structure.listNumber.test(block.text.trim()) && structure.listLeadIn.test(block.text);
      const provision = block.kind === "heading" || block.kind === "paragraph" ? provisionStart.exec(block.text) : null;
      if (provision) {
        if (runHasBody) flush();
        while (headingPath.length > 0 && (headingPath.at(-1)?.level ?? 0) >= provisionLevel) headingPath.pop();
        headingPath.push({ level: provisionLevel, text: `Regulation ${provision[1]}` });
        extendRun(start, end);
        runHasBody = true;
        continue;
      }
      if (block.kind === "heading" && !numberedLeadIn) {
        if (runHasBody) flush();
        while (headingPath.length > 0 && (headingPath.at(-1)?.level ?? 0) >= block.level) headingPath.pop();
        headingPath.push({ level: block.level, text: block.text.trim() });
        extendRun(start, end);
        continue;
      }
      if (block.kind === "table") {
        pushTable(block, takePendingHeadings(start), start, text, options, push);
        continue;
      }
      if (block.kind === "notes") {
        const from = takePendingHeadings(start);
        for (const [spanStart, spanEnd] of splitSpan(text, from, end, options.targetCharacters, options.maxCharacters)) {
          push("notes", spanStart, spanEnd);
        }
        continue;
      }
      if (runHasBody && end - runStart > options.maxCharacters && runEnd - runStart >= options.targetCharacters / 3) {
        flush();
      }
      extendRun(start, end);
      runHasBody = true;
      if (runEnd - runStart >= options.targetCharacters) flush();
    }
    flush();
  });

  return { units, chunks };
}

function pushTable(
  block: Extract<ContentBlock, { kind: "table" }>,
  /** Where the first piece begins: the table itself, or the headings just above it. */
  firstPieceStart: number,
  start: number,
  text: string,
  options: ChunkOptions,
  push: (kind: Chunk["kind"], start: number, end: number, chunkText?: string) => void,
): void {
  const captionLines = block.caption ? [block.caption.trim()] : [];
  const headerLine = block.header.length > 0 ? renderTableRow(block.header) : "";
  const prefix = [...captionLines, ...(headerLine ? [headerLine] : [])].join("\n");
  let position = start + (prefix.length > 0 ? prefix.length + 1 : 0);
  if (block.rows.length === 0) {
    push("table", firstPieceStart, start + prefix.length);
    return;
  }
  let pieceStart = -1;
  let pieceEnd = -1;
  let pieceLength = prefix.length;
  let firstPiece = true;
  const emit = (): void => {
    if (pieceStart < 0) return;
    // The first piece is a plain slice (it starts at the caption); later ones repeat the header row.
    const from = firstPiece ? firstPieceStart : pieceStart;
    const body = firstPiece ? text.slice(firstPieceStart, pieceEnd) : `${prefix}\n${text.slice(pieceStart, pieceEnd)}`;
    push("table", from, pieceEnd, body);
    firstPiece = false;
    pieceStart = -1;
    pieceLength = prefix.length;
  };
  for (const row of block.rows) {
    const line = renderTableRow(row);
    if (pieceStart >= 0 && pieceLength + line.length + 1 > options.maxCharacters) emit();
    if (pieceStart < 0) pieceStart = position;
    pieceEnd = position + line.length;
    pieceLength += line.length + 1;
    position = pieceEnd + 1;
  }
  emit();
}
