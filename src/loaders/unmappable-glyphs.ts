/**
 * Glyphs a PDF draws without saying which characters they are. Symbol and Wingdings bullets come out of MuPDF as
 * private-use code points (U+F0B7, U+F0A7, U+F06E…), and glyphs of a font without a Unicode map as U+FFFD. Shown as
 * they are, a draft to a commissioner reads "� We will provide…". A bullet at the start of a line becomes "•";
 * whatever else cannot be mapped is dropped (or read as the space it stood for, in a line whose font maps no
 * space at all). `withoutReplacementCharacters` then makes sure no stored passage holds U+FFFD, whatever the format.
 */
import type { ContentBlock, LoadedDocument } from "./types.ts";

const replacement = "\uFFFD";
/** Private use area of the basic plane: where symbol fonts' glyphs land. */
const privateUse = /[\uE000-\uF8FF]/u;
const unmappable = /[\uE000-\uF8FF\uFFFD]/gu;
/** A line that starts with an unmappable glyph (possibly after spaces) and then text: a list item's bullet. */
const leadingBullet = /^(\s*)[\uE000-\uF8FF\uFFFD]+(?=\s|\p{L}|\p{N}|\p{Ps}|["'‘“])/u;

/** One PDF text line with its unmappable glyphs mapped to "•", a space or nothing. */
export function mapUnmappableGlyphs(line: string): string {
  if (!privateUse.test(line) && !line.includes(replacement)) return line;
  // A bullet drawn apart from its text (layout joins the two as a list label); a run of nothing but unmapped
  // glyphs says nothing.
  if (/^\s*[\uE000-\uF8FF\uFFFD]{1,2}\s*$/u.test(line)) return "•";
  if (/^[\s\uE000-\uF8FF\uFFFD]*$/u.test(line)) return "";
  let text = line.replace(leadingBullet, (_whole, indent: string) => `${indent}• `);
  // A font whose space glyph has no Unicode value leaves "Overview\uFFFDof\uFFFDthe": those are the spaces.
  const spacesMissing = !/\s/.test(text.replace(/^\s*• /, "")) && /\p{L}\uFFFD\p{L}/u.test(text);
  text = text.replace(/(?<=\p{L}|\p{N}|[.,;:])\uFFFD+(?=\p{L}|\p{N})/gu, spacesMissing ? " " : "");
  return text.replace(unmappable, "").replace(/• {2,}/u, "• ");
}

/** Drops U+FFFD from text: the last guard before text is stored, for every format. */
export function dropReplacementCharacters(text: string): string {
  return text.includes(replacement) ? text.replaceAll(replacement, "") : text;
}

function cleanBlock(block: ContentBlock): ContentBlock {
  switch (block.kind) {
    case "table":
      return {
        ...block,
        header: block.header.map(dropReplacementCharacters),
        rows: block.rows.map((row) => row.map(dropReplacementCharacters)),
        ...(block.caption !== undefined ? { caption: dropReplacementCharacters(block.caption) } : {}),
      };
    default:
      return { ...block, text: dropReplacementCharacters(block.text) };
  }
}

/** The document with U+FFFD removed from every block and the title (a cheap scan when there is none). */
export function withoutReplacementCharacters(document: LoadedDocument): LoadedDocument {
  const holds = (block: ContentBlock): boolean =>
    block.kind === "table"
      ? block.header.some((cell) => cell.includes(replacement)) || block.rows.some((row) => row.some((cell) => cell.includes(replacement))) || (block.caption ?? "").includes(replacement)
      : block.text.includes(replacement);
  if (!document.units.some((unit) => unit.blocks.some(holds)) && !(document.title ?? "").includes(replacement)) return document;
  return {
    ...document,
    title: document.title === null ? null : dropReplacementCharacters(document.title).trim() || null,
    units: document.units.map((unit) => ({ ...unit, blocks: unit.blocks.map((block) => (holds(block) ? cleanBlock(block) : block)) })),
  };
}
