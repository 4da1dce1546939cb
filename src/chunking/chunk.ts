/**
 * Splits a loaded document into passages. Every passage stays inside one unit (page, slide, sheet), keeps the
 * heading path above it and its character offsets in the unit's canonical text; table pieces repeat the header
 * row so that a row is never separated from its column names.
 */
import type { ContentBlock, LoadedDocument } from "../loaders/types.ts";
import type { Chunk, UnitText } from "./types.ts";

export interface ChunkOptions {
  /** A text passage is closed once it reaches this many characters. */
  targetCharacters: number;
  /** No passage (but a single table row or sentence) exceeds this. */
  maxCharacters: number;
}

export const defaultChunkOptions: ChunkOptions = { targetCharacters: 700, maxCharacters: 1200 };

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

export function chunkDocument(document: LoadedDocument, options: ChunkOptions = defaultChunkOptions): ChunkedDocument {
  const units: UnitText[] = [];
  const chunks: Chunk[] = [];
  // Headings carry across pages: a section that starts on page 3 still heads page 4's passages.
  const headingPath: { level: number; text: string }[] = [];

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
      const provision = block.kind === "heading" || block.kind === "paragraph" ? provisionStart.exec(block.text) : null;
      if (provision) {
        if (runHasBody) flush();
        while (headingPath.length > 0 && (headingPath.at(-1)?.level ?? 0) >= provisionLevel) headingPath.pop();
        headingPath.push({ level: provisionLevel, text: `Regulation ${provision[1]}` });
        extendRun(start, end);
        runHasBody = true;
        continue;
      }
      if (block.kind === "heading") {
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
