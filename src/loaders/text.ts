/**
 * Plain text: paragraphs split on blank lines, obvious headings recognised (Markdown-style `#`, numbered
 * "3.2 Foster care", short title lines followed by body text), tab-separated lines kept as tables. One unit
 * without a page number, unless the file has form-feed page breaks (pdftotext output), then one unit per page.
 */
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import { decodeText, looksLikeText } from "./decode-text.ts";
import type { ContentBlock, DocumentLoader, DocumentUnit, LoadContext, LoadedDocument } from "./types.ts";

/** Longest line taken for a heading, in characters. */
const maxHeadingLength = 100;
const maxHeadingWords = 14;

const atxHeading = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
/** "1. Introduction", "3.2 Foster care", "2) Scope"; the title must start with a letter. */
const numberedHeading = /^(\d{1,2}(?:\.\d{1,2}){0,4})[.)]?\s+(\p{Lu}.*)$/u;
const listMarker = /^\s*(?:[-*•‣◦▪–]|\d{1,3}[.)]|[a-z][.)])\s+/u;

const numericCell = /^[£$€-]?\s*[-−]?\d[\d,. ]*%?$/;

/** A first row names columns unless it holds plain numbers ("Somerset, 27" is data, "2011/12" a header). */
export function looksLikeHeaderRow(row: readonly string[]): boolean {
  return row.some((cell) => cell.trim().length > 0) && !row.some((cell) => numericCell.test(cell.trim()));
}

/** Tab-separated lines as a table: two or more lines, every one with a tab. The first line names the columns. */
export function tableFromTabbedLines(lines: readonly string[]): ContentBlock | null {
  if (lines.length < 2 || !lines.every((line) => line.includes("\t"))) return null;
  const cells = lines.map((line) => line.split("\t").map((cell) => cell.trim()));
  const width = Math.max(...cells.map((row) => row.length));
  const padded = cells.map((row) => [...row, ...new Array<string>(width - row.length).fill("")]);
  const [first = [], ...rest] = padded;
  return looksLikeHeaderRow(first) ? { kind: "table", header: first, rows: rest } : { kind: "table", header: [], rows: padded };
}

type HeadingCandidate = { level: number; text: string; numbered: boolean };

function headingCandidate(block: string): HeadingCandidate | null {
  if (block.includes("\n") || block.length > 3 * maxHeadingLength) return null;
  const line = block.trim();
  const atx = atxHeading.exec(line);
  if (atx?.[1] !== undefined && atx[2] !== undefined) return { level: atx[1].length, text: atx[2], numbered: false };
  if (line.length > maxHeadingLength || line.split(/\s+/).length > maxHeadingWords) return null;
  // Sentences end in punctuation; headings do not. A trailing colon introduces a list, not a section.
  if (/[.,;:!]$/.test(line) || line.includes("\t")) return null;
  const numbered = numberedHeading.exec(line);
  if (numbered?.[1] !== undefined) return { level: numbered[1].split(".").length, text: line, numbered: true };
  if (listMarker.test(line)) return null;
  if (!/^\p{Lu}/u.test(line)) return null;
  return { level: 1, text: line, numbered: false };
}

/** A block of text's lines joined: list items keep their line breaks; hard-wrapped prose is rejoined. */
function paragraphText(lines: readonly string[]): string {
  const trimmed = lines.map((line) => line.trim()).filter((line) => line.length > 0);
  const isList = trimmed.slice(1).every((line) => listMarker.test(line));
  return (isList ? trimmed.join("\n") : trimmed.join(" ")).replace(/[ \t]+/g, " ");
}

/** Splits plain text into heading, paragraph and table blocks. Also used by other loaders for their text. */
export function blocksFromPlainText(text: string): ContentBlock[] {
  const rawBlocks = text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t\u00a0]*\n/)
    .map((block) => block.replace(/^\n+/, "").trimEnd())
    .filter((block) => block.trim().length > 0);
  const explicit = rawBlocks.map((block) => headingCandidate(block) !== null && block.trimStart().startsWith("#"));
  // A file that marks its headings with "#" has said which lines are headings: guess no others.
  const marksHeadings = explicit.some(Boolean);
  const candidates = rawBlocks.map((block, index) =>
    marksHeadings && !explicit[index] ? null : headingCandidate(block),
  );
  // Numbered headings sit under plain ones ("Objective 1: ..." then "1. Support parents") when both occur.
  const numberedDepthOffset = candidates.some((candidate) => candidate !== null && !candidate.numbered) ? 1 : 0;
  const blocks: ContentBlock[] = [];
  rawBlocks.forEach((block, index) => {
    const heading = candidates[index];
    const nextIsBody = index + 1 < rawBlocks.length && candidates[index + 1] === null;
    // An explicit "#" heading stands on its own; a guessed one must introduce body text.
    if (heading && (explicit[index] === true || nextIsBody)) {
      const level = heading.numbered ? heading.level + numberedDepthOffset : heading.level;
      blocks.push({ kind: "heading", level: Math.min(level, 6), text: heading.text });
      return;
    }
    const lines = block.split("\n");
    const table = tableFromTabbedLines(lines.filter((line) => line.trim().length > 0));
    if (table) blocks.push(table);
    else blocks.push({ kind: "paragraph", text: paragraphText(lines) });
  });
  return blocks;
}

/** The first line, when it reads like a title (short, no closing full stop); else the first heading. */
function titleOf(text: string, blocks: readonly ContentBlock[]): string | null {
  const line = /\S[^\n]*/.exec(text)?.[0]?.trim().replace(/^#+\s+/, "") ?? "";
  if (line.length > 0 && line.length <= 150 && !/[.,;:]$/.test(line) && !line.includes("\t")) return line;
  const heading = blocks.find((block) => block.kind === "heading");
  return heading?.kind === "heading" ? heading.text : null;
}

function lastHeading(blocks: readonly ContentBlock[], current: string | null): string | null {
  let section = current;
  for (const block of blocks) if (block.kind === "heading") section = block.text;
  return section;
}

export function unitsFromPlainText(text: string): DocumentUnit[] {
  const pages = text.split("\f");
  // A lone form feed (or one at the end) does not make a paged document.
  if (pages.filter((page) => page.trim().length > 0).length < 2) {
    return [{ page: null, section: null, blocks: blocksFromPlainText(text.replace(/\f/g, "\n\n")) }];
  }
  // Form feeds are page breaks: keep the page numbers for citation, and carry the section across pages.
  const units: DocumentUnit[] = [];
  let section: string | null = null;
  pages.forEach((pageText, index) => {
    const blocks = blocksFromPlainText(pageText);
    if (blocks.length > 0) units.push({ page: index + 1, section, blocks });
    section = lastHeading(blocks, section);
  });
  return units;
}

async function loadText(bytes: Uint8Array, context: LoadContext): Promise<Result<LoadedDocument, HearthError>> {
  const decoded = decodeText(bytes, context);
  if (!decoded.ok) return decoded;
  const units = unitsFromPlainText(decoded.value.text);
  if (units.every((unit) => unit.blocks.length === 0)) {
    return fail(new HearthError("NO_TEXT", `${context.fileName}: no text (only whitespace)`, { subject: context.path }));
  }
  const warnings = decoded.value.repairedMojibake ? [`${context.fileName}: repaired double-encoded characters (e.g. "â€™")`] : [];
  return ok({ format: "text", title: titleOf(decoded.value.text, units[0]?.blocks ?? []), units, warnings });
}

export const textLoader: DocumentLoader = {
  format: "text",
  extensions: [".txt", ".text"],
  sniff: looksLikeText,
  load: loadText,
};
