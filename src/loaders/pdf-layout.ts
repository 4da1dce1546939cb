/**
 * Layout analysis for one PDF page from MuPDF structured text: rebuilds reading order (columns), tables (rows of
 * cells sharing a baseline), headings (larger or bold type) and paragraphs (lines joined, words de-hyphenated).
 * Pure functions over plain data, so they are cheap and testable without MuPDF.
 */
import type { ContentBlock } from "./types.ts";
import { mapUnmappableGlyphs } from "./unmappable-glyphs.ts";

/** One text line as MuPDF reports it, in page points (origin top left). */
export interface PdfLine {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
  size: number;
  bold: boolean;
  /** Index of the MuPDF block the line came from. */
  block: number;
}

export interface PdfPageText {
  /** 1-based page number. */
  page: number;
  width: number;
  height: number;
  lines: PdfLine[];
  /** Whether the page draws an image (a scan, when there is no text). */
  hasImage: boolean;
  /** Characters in the text layer (spaces collapsed). */
  characters: number;
}

/** Facts about the whole document that page layout needs: the body font size and the sizes used for headings. */
export interface DocumentTextStats {
  bodySize: number;
  /** Heading font sizes, largest first (rounded to 0.5 pt); index + 1 is the heading level. */
  headingSizes: number[];
  /** Lower-case words seen in the document, hyphenated compounds included, to decide line-end hyphens. */
  vocabulary: Set<string>;
  /** Running headers and footers (digits as #) repeated at the page edge on many pages. */
  furniture: Set<string>;
}

/** Header/footer key: page numbers and dates vary from page to page, the words do not. */
const furnitureKey = (text: string): string => text.toLowerCase().replace(/\d+/g, "#");
const nearPageEdge = (y0: number, y1: number, height: number): boolean => y1 < height * 0.1 || y0 > height * 0.9;

interface StextJson {
  blocks?: Array<{
    type?: string;
    lines?: Array<{ bbox?: { x: number; y: number; w: number; h: number }; font?: { size?: number; weight?: string; name?: string }; text?: string }>;
  }>;
}

/**
 * Turns MuPDF's `asJSON()` output for a page into lines; whitespace-only lines are dropped. The loader reads MuPDF's
 * structured text directly instead (pdf-stext-reader.ts, the same lines); this is its fallback.
 */
export function pageTextFromJson(json: string, page: number, width: number, height: number): PdfPageText {
  const parsed = JSON.parse(json) as StextJson;
  const lines: PdfLine[] = [];
  let hasImage = false;
  let characters = 0;
  (parsed.blocks ?? []).forEach((block, blockIndex) => {
    if (block.type === "image") hasImage = true;
    for (const line of block.lines ?? []) {
      const text = lineText(line.text ?? "");
      if (text === "" || line.bbox === undefined) continue;
      const font = line.font ?? {};
      characters += text.length;
      lines.push({
        x0: line.bbox.x,
        y0: line.bbox.y,
        x1: line.bbox.x + line.bbox.w,
        y1: line.bbox.y + line.bbox.h,
        text,
        size: font.size ?? 0,
        bold: isBoldFont(font.weight === "bold", font.name ?? ""),
        block: blockIndex,
      });
    }
  });
  return { page, width, height, lines, hasImage, characters };
}

/** A line's text as layout reads it (unmappable glyphs mapped, spaces collapsed); "" for a line to drop. */
export function lineText(mupdfText: string): string {
  return normaliseSpaces(mapUnmappableGlyphs(mupdfText));
}

/** Whether a line's font counts as bold: MuPDF says so, or its name does (many subset fonts carry only the name). */
export function isBoldFont(mupdfSaysBold: boolean, name: string): boolean {
  return mupdfSaysBold || /bold|black|heavy/i.test(name);
}

export function normaliseSpaces(text: string): string {
  // Soft hyphens and zero-width characters carry no text; every kind of space becomes one plain space.
  return text
    .replace(/[\u00ad\u200b-\u200d\ufeff]/g, "")
    .replace(/[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+/g, " ")
    .trim();
}

const roundHalf = (size: number): number => Math.round(size * 2) / 2;

/**
 * One thread's share of the document statistics, over the pages it read. Parts merge (`combineTextStats`) into what
 * `documentTextStats` gives for all the pages at once, so a worker reading half of a long PDF sends its part rather
 * than its pages.
 */
export interface TextStatsPart {
  /** Characters per font size (rounded to 0.5 pt), and where the size was first seen (page, then line). */
  sizes: Map<number, { characters: number; firstSeen: number }>;
  vocabulary: Set<string>;
  /** Running-header candidates: per key, the number of pages with that key near the page edge. */
  edgePages: Map<string, number>;
  pageCount: number;
}

/** Lines per page are far fewer than this; a size's first sighting is page * this + line. */
const linesPerPageBound = 1_000_000;

export function textStatsPart(pages: readonly PdfPageText[]): TextStatsPart {
  const sizes = new Map<number, { characters: number; firstSeen: number }>();
  const vocabulary = new Set<string>();
  const edgePages = new Map<string, number>();
  for (const page of pages) {
    const keys = new Set<string>();
    page.lines.forEach((line, index) => {
      const size = roundHalf(line.size);
      const known = sizes.get(size);
      // Where it was first seen is the lowest page and line, whatever order the pages come in (a thread reading a
      // long PDF from its last page back gives them in descending order).
      const seen = page.page * linesPerPageBound + index;
      if (known === undefined) sizes.set(size, { characters: line.text.length, firstSeen: seen });
      else {
        known.characters += line.text.length;
        known.firstSeen = Math.min(known.firstSeen, seen);
      }
      for (const word of line.text.toLowerCase().match(/\p{L}+(?:-\p{L}+)*/gu) ?? []) vocabulary.add(word);
      if (nearPageEdge(line.y0, line.y1, page.height)) keys.add(furnitureKey(line.text));
    });
    for (const key of keys) edgePages.set(key, (edgePages.get(key) ?? 0) + 1);
  }
  return { sizes, vocabulary, edgePages, pageCount: pages.length };
}

/** The statistics of the pages of all the parts together, as `documentTextStats` of every page would give them. */
export function combineTextStats(parts: readonly TextStatsPart[]): DocumentTextStats {
  const sizes = new Map<number, { characters: number; firstSeen: number }>();
  const vocabulary = new Set<string>();
  const edgePages = new Map<string, number>();
  let pageCount = 0;
  for (const part of parts) {
    for (const [size, { characters, firstSeen }] of part.sizes) {
      const known = sizes.get(size);
      sizes.set(size, { characters: (known?.characters ?? 0) + characters, firstSeen: Math.min(known?.firstSeen ?? firstSeen, firstSeen) });
    }
    for (const word of part.vocabulary) vocabulary.add(word);
    for (const [key, count] of part.edgePages) edgePages.set(key, (edgePages.get(key) ?? 0) + count);
    pageCount += part.pageCount;
  }
  // Sizes in the order the pages show them, so a tie for the body size goes to the size seen first.
  const charactersBySize = [...sizes].sort((a, b) => a[1].firstSeen - b[1].firstSeen);
  let bodySize = 10;
  let most = -1;
  for (const [size, { characters }] of charactersBySize) {
    if (characters > most) [bodySize, most] = [size, characters];
  }
  const headingSizes = charactersBySize.map(([size]) => size).filter((size) => size >= bodySize * 1.15).sort((a, b) => b - a);
  const furniture = new Set([...edgePages].filter(([, count]) => count >= Math.max(3, pageCount * 0.3)).map(([key]) => key));
  return { bodySize, headingSizes, vocabulary, furniture };
}

export function documentTextStats(pages: readonly PdfPageText[]): DocumentTextStats {
  return combineTextStats([textStatsPart(pages)]);
}

/* ---------------------------------------------------------------- rows and tables */

interface Segment {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  lines: PdfLine[];
}

interface VisualRow {
  y0: number;
  y1: number;
  segments: Segment[];
}

/** Bullets and list numbers ("•", "1.", "4.1", "(a)", "iv)") that sit apart from their text on the same baseline. */
const listLabel = /^(?:[•·▪●◦‣○■□➢►\-–—*\u2460-\u24ff\ufffd\uf0a7\uf0b7]|\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivxlc]{1,5})[.)]?)$/i;

function segmentOf(lines: PdfLine[]): Segment {
  return { ...bounds(lines), lines };
}

/** Groups lines that share a baseline into rows, left to right, merging pieces that are only a word space apart. */
function visualRows(lines: readonly PdfLine[]): VisualRow[] {
  const sorted = [...lines].sort((a, b) => a.y0 + a.y1 - (b.y0 + b.y1));
  const rows: PdfLine[][] = [];
  let current: PdfLine[] = [];
  let centre = Number.NEGATIVE_INFINITY;
  let height = 0;
  for (const line of sorted) {
    const lineCentre = (line.y0 + line.y1) / 2;
    const lineHeight = line.y1 - line.y0;
    if (current.length > 0 && Math.abs(lineCentre - centre) <= 0.35 * Math.max(height, lineHeight)) {
      current.push(line);
    } else {
      if (current.length > 0) rows.push(current);
      current = [line];
      centre = lineCentre;
      height = lineHeight;
    }
  }
  if (current.length > 0) rows.push(current);

  return rows.map((rowLines) => {
    rowLines.sort((a, b) => a.x0 - b.x0);
    const segments: Segment[] = [];
    let pending: PdfLine[] = [];
    for (const line of rowLines) {
      const previous = pending[pending.length - 1];
      const gap = previous === undefined ? 0 : line.x0 - previous.x1;
      const joinsPrevious =
        previous !== undefined &&
        (gap < Math.max(previous.size, line.size) * 0.4 || (pending.length === 1 && listLabel.test(previous.text) && gap < 45));
      if (previous !== undefined && !joinsPrevious) {
        segments.push(segmentOf(pending));
        pending = [];
      }
      pending.push(line);
    }
    if (pending.length > 0) segments.push(segmentOf(pending));
    return {
      y0: Math.min(...rowLines.map((line) => line.y0)),
      y1: Math.max(...rowLines.map((line) => line.y1)),
      segments,
    };
  });
}

/** A row of cells: two or more pieces on one baseline, unless they are two columns of running text. */
function isCellRow(row: VisualRow, pageWidth: number): boolean {
  if (row.segments.length < 2) return false;
  const wide = row.segments.filter((segment) => segment.x1 - segment.x0 > pageWidth * 0.3).length;
  return wide < 2;
}

interface TableRegion {
  rows: VisualRow[];
  /** Every cell seen so far, to test whether a new row lines up with the table. */
  cells: Segment[];
}

const alignTolerance = 4;

/** A cell lines up with the table when it starts where a known cell starts or shares its horizontal extent. */
function alignsWithTable(segment: Segment, cells: readonly Segment[]): boolean {
  return cells.some(
    (cell) => Math.abs(cell.x0 - segment.x0) <= alignTolerance || (segment.x0 < cell.x1 - 1 && segment.x1 > cell.x0 + 1),
  );
}

function overlapsCount(segment: Segment, cells: readonly Segment[]): number {
  let count = 0;
  for (const cell of cells) if (segment.x0 < cell.x1 - 1 && segment.x1 > cell.x0 + 1) count += 1;
  return count;
}

/** Finds runs of cell rows (with the wrapped lines between them) that line up into columns. */
function findTables(rows: readonly VisualRow[], pageWidth: number): TableRegion[] {
  const tables: TableRegion[] = [];
  let run: TableRegion | null = null;
  let cellRows = 0;
  const start = (row: VisualRow): void => {
    run = { rows: [row], cells: [...row.segments] };
    cellRows = 1;
  };
  const close = (): void => {
    if (run !== null && cellRows >= 2) tables.push(run);
    run = null;
    cellRows = 0;
  };
  for (const row of rows) {
    const height = row.y1 - row.y0;
    const cellRow = isCellRow(row, pageWidth);
    if (run === null) {
      if (cellRow) start(row);
      continue;
    }
    const active: TableRegion = run;
    const last = active.rows[active.rows.length - 1];
    const gap = last === undefined ? 0 : row.y0 - last.y1;
    // A row continues the table when a third or more of its cells line up with known cells; otherwise a new table begins.
    const aligned = row.segments.filter((segment) => alignsWithTable(segment, active.cells)).length;
    if (cellRow && gap <= 2.5 * height && aligned > 0 && aligned * 3 >= row.segments.length) {
      active.rows.push(row);
      active.cells.push(...row.segments);
      cellRows += 1;
      continue;
    }
    // A single line just below a cell, inside that one column, is a cell that wraps.
    const only = row.segments[0];
    const lastCellRow = [...active.rows].reverse().find((candidate) => candidate.segments.length > 1);
    if (
      row.segments.length === 1 &&
      only !== undefined &&
      last !== undefined &&
      gap <= 0.6 * height &&
      overlapsCount(only, last.segments) >= 1 &&
      overlapsCount(only, lastCellRow?.segments ?? []) <= 1
    ) {
      active.rows.push(row);
      continue;
    }
    close();
    if (cellRow) start(row);
  }
  close();
  return tables;
}

/** Column start positions; centred header cells add extra starts that `mergeSparseColumns` folds back. */
function columnStarts(region: TableRegion): number[] {
  const clusters: Array<{ x: number }> = [];
  const cellRows = region.rows.filter((row) => row.segments.length > 1);
  for (const row of cellRows) {
    for (const segment of row.segments) {
      const cluster = clusters.find((known) => Math.abs(known.x - segment.x0) <= alignTolerance);
      if (cluster === undefined) clusters.push({ x: segment.x0 });
    }
  }
  return clusters.map((cluster) => cluster.x).sort((a, b) => a - b);
}

/** Builds the table block: logical rows (wrapped cell lines merged), cells by column, header when it looks like one. */
function tableBlock(region: TableRegion, stats: DocumentTextStats, lineGap: number): { header: string[]; rows: string[][] } {
  const columns = columnStarts(region);
  // A cell that wraps continues on the next baseline with ordinary line spacing; rows are set further apart.
  const threshold = lineGap + Math.max(1.5, 0.25 * stats.bodySize);

  const logical: string[][][] = [];
  const boldRows: boolean[] = [];
  let previousPlaced: Array<{ segment: Segment; column: number }> = [];
  region.rows.forEach((row, index) => {
    const previous = region.rows[index - 1];
    const gap = previous === undefined ? Number.POSITIVE_INFINITY : row.y0 - previous.y1;
    if (logical.length === 0 || gap >= threshold) {
      logical.push(columns.map(() => []));
      boldRows.push(true);
    }
    const cells = logical[logical.length - 1] ?? [];
    const placed: Array<{ segment: Segment; column: number }> = [];
    for (const segment of row.segments) {
      let column = 0;
      columns.forEach((x, columnIndex) => {
        if (x <= segment.x0 + alignTolerance) column = columnIndex;
      });
      // A lone wrapped line stays in the column of the cell it continues, whatever its indent.
      const above = row.segments.length === 1 ? previousPlaced.find((entry) => overlapsCount(segment, [entry.segment]) > 0) : undefined;
      if (above !== undefined) column = above.column;
      placed.push({ segment, column });
      cells[column]?.push(...segment.lines.map((line) => line.text));
      if (segment.lines.some((line) => !line.bold)) boldRows[boldRows.length - 1] = false;
    }
    previousPlaced = placed;
  });
  const texts = logical.map((cells) => cells.map((parts) => joinLines(parts, stats.vocabulary)));
  const trimmed = mergeSparseColumns(texts, columns);
  const first = trimmed[0] ?? [];
  const filled = first.filter((cell) => cell !== "");
  const numbers = filled.filter((cell) => /^[\d,.\s]+$/.test(cell)).length;
  const looksLikeHeader =
    trimmed.length > 1 &&
    filled.length >= 2 &&
    (boldRows[0] === true || (filled.every((cell) => cell.length <= 40 && !/[£$€%]/.test(cell)) && numbers * 2 < filled.length));
  return looksLikeHeader ? { header: first, rows: trimmed.slice(1) } : { header: [], rows: trimmed };
}

/**
 * Drops columns no row fills, and joins neighbouring columns that never both hold text in one row (a centred
 * header over left-aligned cells, or the same column drawn with a slightly different indent).
 */
function mergeSparseColumns(rows: string[][], columns: readonly number[]): string[][] {
  let table = rows.map((cells) => [...cells]);
  let starts = [...columns];
  // Closest pair first, so a centred header joins the column it sits over rather than a farther neighbour.
  while (starts.length > 1 && starts.length <= 60) {
    let best = -1;
    let bestDistance = 150;
    for (let column = 0; column + 1 < starts.length; column++) {
      const distance = (starts[column + 1] ?? 0) - (starts[column] ?? 0);
      const clash = table.some((cells) => (cells[column] ?? "") !== "" && (cells[column + 1] ?? "") !== "");
      if (!clash && distance <= bestDistance) [best, bestDistance] = [column, distance];
    }
    if (best < 0) break;
    table = table.map((cells) => [
      ...cells.slice(0, best),
      `${cells[best] ?? ""}${cells[best + 1] ?? ""}`,
      ...cells.slice(best + 2),
    ]);
    starts = [...starts.slice(0, best + 1), ...starts.slice(best + 2)];
  }
  const used = starts.map((_, column) => table.some((cells) => (cells[column] ?? "") !== ""));
  return table.map((cells) => cells.filter((_, column) => used[column]));
}

/**
 * The x of the gutter on a two-column page: few lines cross it, and both sides hold many lines of running text.
 * Null on single-column pages (and on tables, whose columns are narrow).
 */
function findGutter(lines: readonly PdfLine[], pageWidth: number): number | null {
  if (lines.length < 16) return null;
  // Candidate positions every 2 pt across the middle of the page; for each, how many lines cross it. Counted with
  // one pass over the lines (each adds one to the run of positions strictly inside it) rather than one per position.
  const positions: number[] = [];
  for (let x = pageWidth * 0.3; x <= pageWidth * 0.7; x += 2) positions.push(x);
  const changes = new Int32Array(positions.length + 1);
  for (const line of lines) {
    const first = firstAbove(positions, line.x0);
    const end = firstAtOrAbove(positions, line.x1);
    if (first < end) {
      changes[first] = (changes[first] ?? 0) + 1;
      changes[end] = (changes[end] ?? 0) - 1;
    }
  }
  let best: number | null = null;
  let fewest = Number.POSITIVE_INFINITY;
  let crossing = 0;
  positions.forEach((x, index) => {
    crossing += changes[index] ?? 0;
    if (crossing < fewest) [best, fewest] = [x, crossing];
  });
  if (best === null || fewest > lines.length * 0.15) return null;
  const gutter = best;
  const wideShare = (side: PdfLine[]): number => side.filter((line) => line.x1 - line.x0 >= pageWidth * 0.25).length / Math.max(1, side.length);
  const left = lines.filter((line) => line.x1 <= gutter);
  const right = lines.filter((line) => line.x0 >= gutter);
  if (left.length < 8 || right.length < 8) return null;
  // Figures and code listings thin out one column's running text, so one side may be only partly prose.
  const [narrower, wider] = [wideShare(left), wideShare(right)].sort((a, b) => a - b);
  if ((narrower ?? 0) < 0.3 || (wider ?? 0) < 0.5) return null;
  return gutter;
}

/** The index of the first of the ascending `positions` greater than `value` (positions.length when none is). */
function firstAbove(positions: readonly number[], value: number): number {
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((positions[middle] ?? Number.POSITIVE_INFINITY) > value) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** The index of the first of the ascending `positions` at or above `value` (positions.length when none is). */
function firstAtOrAbove(positions: readonly number[], value: number): number {
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((positions[middle] ?? Number.POSITIVE_INFINITY) >= value) high = middle;
    else low = middle + 1;
  }
  return low;
}

/* ---------------------------------------------------------------- reading order */

interface Item {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  lines: PdfLine[];
  /** A table's rows and cells as found on the page. */
  region?: TableRegion;
  /** The table built from `region`. */
  table?: { header: string[]; rows: string[][] };
}

function bounds(lines: readonly PdfLine[]): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const line of lines) {
    x0 = Math.min(x0, line.x0);
    y0 = Math.min(y0, line.y0);
    x1 = Math.max(x1, line.x1);
    y1 = Math.max(y1, line.y1);
  }
  return { x0, y0, x1, y1 };
}

/** Splits items where a band of empty space runs right across them; null when there is none. */
function cut(items: Item[], axis: "x" | "y", minimumGap: number): Item[][] | null {
  const start = axis === "x" ? "x0" : "y0";
  const end = axis === "x" ? "x1" : "y1";
  const sorted = [...items].sort((a, b) => a[start] - b[start]);
  const groups: Item[][] = [];
  let group: Item[] = [];
  let reach = Number.NEGATIVE_INFINITY;
  for (const item of sorted) {
    if (group.length > 0 && item[start] - reach >= minimumGap) {
      groups.push(group);
      group = [];
    }
    group.push(item);
    reach = Math.max(reach, item[end]);
  }
  groups.push(group);
  return groups.length > 1 ? groups : null;
}

/**
 * Recursive XY-cut: a clear vertical gutter splits columns (read left then right); otherwise horizontal gaps split
 * bands (read top to bottom). Headers spanning the columns stop the gutter, so they come first.
 */
function readingOrder(items: Item[], depth = 0): Item[] {
  if (items.length <= 1 || depth > 40) return items;
  const columns = cut(items, "x", 8);
  if (columns !== null) return columns.flatMap((column) => readingOrder(column, depth + 1));
  const bands = cut(items, "y", 0.5);
  if (bands !== null) return bands.flatMap((band) => readingOrder(band, depth + 1));
  return [...items].sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
}

/* ---------------------------------------------------------------- text */

/** Words often written with a hyphen, so a line-end hyphen after them is kept ("semi-/independent"). */
const compoundPrefixes = new Set(
  "semi non self well co multi cross pre post anti ex sub inter over under out in on off up long short full part high low step family child children young year day week age one two three four five six under-18 re de mid cost evidence trauma".split(
    " ",
  ),
);

/** Joins the lines of a paragraph or cell, removing hyphens that only split a word at the line end. */
export function joinLines(parts: readonly string[], vocabulary: ReadonlySet<string>): string {
  let text = "";
  for (const part of parts) {
    if (text === "") {
      text = part;
      continue;
    }
    // Only the end of the text matters; test a short tail so long paragraphs stay linear.
    const tail = text.endsWith("-") ? text.slice(-64) : "";
    const broken = tail === "" ? null : /(\p{L}+)-$/u.exec(tail);
    const next = broken === null ? null : /^(\p{Ll}+)/u.exec(part);
    if (broken !== null && next !== null && !/\p{L}-\p{L}+-$/u.test(tail)) {
      const prefix = (broken[1] ?? "").toLowerCase();
      const suffix = next[1] ?? "";
      const joined = prefix + suffix;
      const keepHyphen =
        vocabulary.has(`${prefix}-${suffix}`) || (!vocabulary.has(joined) && compoundPrefixes.has(prefix));
      text = keepHyphen ? text + part : text.slice(0, -1) + part;
    } else {
      text = `${text} ${part}`;
    }
  }
  return text.replace(/ {2,}/g, " ").trim();
}

/** A line that opens a list item ("(b) ...", "ii) ...", "• ...", "1.19 ..."), so it starts a new paragraph. */
const listStart =
  /^(?:[•·▪●◦‣○■□➢►\-–—*\u2460-\u24ff\ufffd\uf0a7\uf0b7]\s|\(?(?:\d{1,3}|[a-z]|[ivxlc]{1,6})[.)]\s|\d{1,3}(?:\.\d{1,3})+\.?\s)/i;

const pageNumber = /^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|\/)\s*\d{1,4})?$/i;

/** Title-like line: short, no closing punctuation, most longer words capitalised. */
function looksLikeTitle(text: string): boolean {
  if (text.length > 90 || text.length < 3 || /[.,;:!?]$/.test(text) || text.includes(":") || !/^\p{Lu}/u.test(text)) return false;
  const words = text.split(" ").filter((word) => /^\p{L}{4,}/u.test(word));
  if (words.length === 0 || words.length > 12) return false;
  const capitalised = words.filter((word) => /^\p{Lu}/u.test(word)).length;
  return capitalised / words.length >= 0.6;
}

/** Splits a MuPDF block where the type size changes, a bold lead line sits over body text, or a list item starts. */
function splitByStyle(lines: PdfLine[]): PdfLine[][] {
  const groups: PdfLine[][] = [];
  let group: PdfLine[] = [];
  for (const line of lines) {
    const previous = group[group.length - 1];
    const styleChange =
      previous !== undefined &&
      (Math.abs(previous.size - line.size) > 1 ||
        (previous.bold && !line.bold && group.every((member) => member.bold)) ||
        listStart.test(line.text));
    if (styleChange) {
      groups.push(group);
      group = [];
    }
    group.push(line);
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * What layout finds on a page without the whole document's statistics: the line spacing, the table regions, the
 * text blocks and their reading order. Computed as each page is read (by whichever thread read it), so only the
 * text work (`layoutGeometry`: table cells, merged paragraphs, headings) waits for the statistics.
 */
export interface PageGeometry {
  /** Items in reading order; a table region's cells are built once the statistics are known. */
  ordered: Item[];
  /** Median space between lines of one MuPDF block; undefined when the page has none (the body size then decides). */
  lineGap: number | undefined;
  textRight: number;
  textWidth: number;
}

export function pageGeometry(page: PdfPageText): PageGeometry | null {
  if (page.lines.length === 0) return null;
  // The usual space between lines of one paragraph, to tell a paragraph that MuPDF split from the next paragraph.
  const lineGaps: number[] = [];
  for (let index = 1; index < page.lines.length; index++) {
    const line = page.lines[index];
    const previous = page.lines[index - 1];
    if (line === undefined || previous === undefined || line.block !== previous.block) continue;
    const gap = line.y0 - previous.y1;
    if (gap >= -0.5 && gap < line.size) lineGaps.push(gap);
  }

  // On a two-column page, look for tables within each column, so side-by-side prose is not read as a table.
  const gutter = findGutter(page.lines, page.width);
  const regions =
    gutter === null
      ? [page.lines]
      : [
          page.lines.filter((line) => line.x1 <= gutter),
          page.lines.filter((line) => line.x0 >= gutter),
          page.lines.filter((line) => line.x0 < gutter && line.x1 > gutter),
        ];
  const tables = regions.flatMap((lines) => findTables(visualRows(lines), page.width));
  const tableLines = new Set<PdfLine>();
  const items: Item[] = [];
  for (const table of tables) {
    const lines = table.rows.flatMap((row) => row.segments.flatMap((segment) => segment.lines));
    for (const line of lines) tableLines.add(line);
    items.push({ ...bounds(lines), lines, region: table });
  }

  const byBlock = new Map<number, PdfLine[]>();
  for (const line of page.lines) {
    if (tableLines.has(line)) continue;
    const members = byBlock.get(line.block) ?? [];
    members.push(line);
    byBlock.set(line.block, members);
  }
  for (const lines of byBlock.values()) {
    for (const group of splitByStyle(lines)) items.push({ ...bounds(group), lines: group });
  }

  const { x0: textLeft, x1: textRight } = bounds(page.lines);
  return { ordered: readingOrder(items), lineGap: median(lineGaps), textRight, textWidth: textRight - textLeft };
}

/** Lays out one page's lines into blocks in reading order. */
export function layoutPage(page: PdfPageText, stats: DocumentTextStats): ContentBlock[] {
  const geometry = pageGeometry(page);
  return geometry === null ? [] : layoutGeometry(page, geometry, stats);
}

/** The page's blocks from its geometry and the whole document's statistics. */
export function layoutGeometry(page: PdfPageText, geometry: PageGeometry, stats: DocumentTextStats): ContentBlock[] {
  const { textRight, textWidth } = geometry;
  const lineGap = geometry.lineGap ?? stats.bodySize * 0.3;
  const ordered = geometry.ordered.map((item) => (item.region === undefined ? item : { ...item, table: tableBlock(item.region, stats, lineGap) }));

  // Merge paragraphs that continue across MuPDF block boundaries.
  const merged: Item[] = [];
  for (const item of ordered) {
    const previous = merged[merged.length - 1];
    const first = item.lines[0];
    const last = previous?.lines[previous.lines.length - 1];
    if (
      previous !== undefined &&
      previous.table === undefined &&
      item.table === undefined &&
      first !== undefined &&
      last !== undefined &&
      // Same left edge, or a hanging indent under a line that ran to the right margin.
      (Math.abs(first.x0 - previous.x0) <= 3 ||
        (first.x0 > previous.x0 && first.x0 - previous.x0 <= 45 && last.x1 >= textRight - textWidth * 0.12)) &&
      !listStart.test(first.text) &&
      Math.abs(first.size - last.size) <= 0.5 &&
      first.bold === last.bold &&
      item.y0 - previous.y1 >= -1 &&
      item.y0 - previous.y1 <= lineGap + Math.max(1.5, 0.25 * first.size) &&
      !isStrongHeading(previous.lines, stats)
    ) {
      previous.lines.push(...item.lines);
      previous.x1 = Math.max(previous.x1, item.x1);
      previous.y1 = Math.max(previous.y1, item.y1);
      continue;
    }
    merged.push({ ...item, lines: [...item.lines] });
  }

  const blocks: ContentBlock[] = [];
  for (const item of merged) {
    if (item.table !== undefined) {
      blocks.push({ kind: "table", header: item.table.header, rows: item.table.rows });
      continue;
    }
    const text = joinLines(
      item.lines.map((line) => line.text),
      stats.vocabulary,
    );
    if (text === "") continue;
    const nearEdge = item.y1 < page.height * 0.12 || item.y0 > page.height * 0.88;
    if (nearEdge && pageNumber.test(text)) continue;
    if (item.lines.every((line) => nearPageEdge(line.y0, line.y1, page.height) && stats.furniture.has(furnitureKey(line.text)))) continue;
    const level = headingLevel(item.lines, text, stats, textWidth);
    blocks.push(level === null ? { kind: "paragraph", text } : { kind: "heading", level, text });
  }
  return blocks;
}

/** Larger or bold type: a heading whatever follows it. */
function isStrongHeading(lines: readonly PdfLine[], stats: DocumentTextStats): boolean {
  // headingLevel's first test, before the join: a paragraph that has gathered many lines is asked again at each merge.
  if (lines.length > 6) return false;
  return headingLevel(lines, lines.map((line) => line.text).join(" "), stats, Number.POSITIVE_INFINITY, false) !== null;
}

function headingLevel(
  lines: readonly PdfLine[],
  text: string,
  stats: DocumentTextStats,
  textWidth: number,
  allowTitleCase = true,
): number | null {
  if (lines.length > 6 || text.length > 200 || !/\p{L}/u.test(text)) return null;
  const size = roundHalf(Math.max(...lines.map((line) => line.size)));
  const rank = stats.headingSizes.indexOf(size);
  // Larger type is a heading unless it reads like a paragraph (several lines ending in a full stop).
  if (rank >= 0) return lines.length > 2 && /[.;,]$/.test(text) ? null : Math.min(rank + 1, 6);
  if (lines.length > 4) return null;
  const bodyLevel = Math.min(stats.headingSizes.length + 1, 6);
  if (size < stats.bodySize - 0.5) return null;
  if (lines.every((line) => line.bold) && lines.length <= 2 && text.length <= 120 && !/[.;,]$/.test(text)) return bodyLevel;
  // A short Title Case line standing alone (not a full-width line that MuPDF cut from its paragraph).
  const line = lines[0];
  if (allowTitleCase && lines.length === 1 && line !== undefined && line.x1 - line.x0 < textWidth * 0.65 && looksLikeTitle(text)) {
    return bodyLevel;
  }
  return null;
}
