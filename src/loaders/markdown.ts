/**
 * Markdown: tokenised with `marked`'s lexer (CommonMark + GFM tables), never rendered. Headings keep their
 * depth; paragraphs, lists, quotes and code become plain-text paragraphs with inline markup stripped (a link
 * keeps its text); tables keep their header names. One unit, no page numbers.
 */
import type { Token, Tokens } from "marked";
import { HearthError, describeError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import { decodeText, looksLikeText } from "./decode-text.ts";
import { blocksFromHtml, decodeEntities } from "./html.ts";
import { tableFromTabbedLines } from "./text.ts";
import type { ContentBlock, DocumentLoader, LoadContext, LoadedDocument } from "./types.ts";

/** Longest bold-only line taken for a heading ("**Progress to date**" in converted slide decks). */
const maxBoldHeadingLength = 100;

/** Plain text of inline tokens: emphasis, code and link markup removed, entities decoded. */
function inlineText(tokens: readonly Token[] | undefined): string {
  if (tokens === undefined) return "";
  return tokens
    .map((token): string => {
      switch (token.type) {
        case "text":
          return "tokens" in token && token.tokens !== undefined ? inlineText(token.tokens) : decodeEntities(token.text);
        case "escape":
        case "codespan":
          return token.text;
        case "strong":
        case "em":
        case "del":
        case "link":
          return inlineText(token.tokens);
        case "image":
          return token.text;
        case "br":
          return "\n";
        case "html":
          // Inline tags are dropped; a <br> still breaks the line.
          return /^<br\s*\/?>$/i.test(token.text.trim()) ? "\n" : "";
        case "checkbox":
          return "";
        default:
          return "text" in token && typeof token.text === "string" ? token.text : "";
      }
    })
    .join("");
}

function tidy(text: string): string {
  return text
    .split("\n")
    .map((line) => line.replace(/[ \u00a0]+/g, " ").trimEnd())
    .join("\n")
    .replace(/^\s*\n/, "")
    .trimEnd();
}

/** A list as lines: "- item" or "3. item", nested lists indented beneath their item. */
function listLines(list: Tokens.List, indent: string): string[] {
  const lines: string[] = [];
  const start = typeof list.start === "number" ? list.start : 1;
  list.items.forEach((item, index) => {
    const marker = list.ordered ? `${start + index}. ` : "- ";
    const own: string[] = [];
    const nested: string[] = [];
    for (const token of item.tokens) {
      if (token.type === "list") nested.push(...listLines(token as Tokens.List, `${indent}  `));
      else if (token.type === "text" || token.type === "paragraph") own.push(tidy(inlineText((token as Tokens.Text).tokens ?? [token])));
      else if (token.type === "code") own.push(tidy((token as Tokens.Code).text));
      else if (token.type === "html") own.push(...blocksFromHtml((token as Tokens.HTML).text).blocks.map(blockText));
    }
    const text = own.filter((part) => part.length > 0).join(" ").replace(/\n/g, ` `);
    if (text.length > 0) lines.push(`${indent}${marker}${text}`);
    lines.push(...nested);
  });
  return lines;
}

function blockText(block: ContentBlock): string {
  return block.kind === "table" ? [block.header, ...block.rows].map((row) => row.join(" | ")).join("\n") : block.text;
}

function tableBlock(table: Tokens.Table): ContentBlock {
  return {
    kind: "table",
    header: table.header.map((cell) => tidy(inlineText(cell.tokens))),
    rows: table.rows.map((row) => row.map((cell) => tidy(inlineText(cell.tokens)))),
  };
}

/** A paragraph that is only bold text on one line reads as a heading in documents converted from slides. */
function boldOnlyHeading(paragraph: Tokens.Paragraph): string | null {
  const meaningful = paragraph.tokens.filter((token) => !(token.type === "text" && token.text.trim() === ""));
  const only = meaningful.length === 1 ? meaningful[0] : undefined;
  if (only?.type !== "strong") return null;
  const text = tidy(inlineText(only.tokens ?? []));
  return text.length > 0 && text.length <= maxBoldHeadingLength && !text.includes("\n") ? text : null;
}

function blocksFromTokens(tokens: readonly Token[], blocks: ContentBlock[], state: { depth: number }): void {
  const addParagraph = (text: string): void => {
    const tidied = tidy(text);
    if (tidied.length === 0) return;
    // Tab-separated lines pasted into Markdown are a table in all but name.
    const table = tableFromTabbedLines(tidied.split("\n").filter((line) => line.trim().length > 0));
    blocks.push(table ?? { kind: "paragraph", text: tidied });
  };
  for (const token of tokens) {
    switch (token.type) {
      case "heading": {
        const heading = token as Tokens.Heading;
        const text = tidy(inlineText(heading.tokens)).replace(/\n/g, " ");
        if (text.length > 0) blocks.push({ kind: "heading", level: heading.depth, text });
        state.depth = heading.depth;
        break;
      }
      case "paragraph": {
        const paragraph = token as Tokens.Paragraph;
        const heading = boldOnlyHeading(paragraph);
        if (heading !== null) blocks.push({ kind: "heading", level: Math.min(state.depth + 1, 6), text: heading });
        else addParagraph(inlineText(paragraph.tokens));
        break;
      }
      case "text": {
        const text = token as Tokens.Text;
        addParagraph(text.tokens ? inlineText(text.tokens) : decodeEntities(text.text));
        break;
      }
      case "list": {
        const text = listLines(token as Tokens.List, "").join("\n");
        if (text.trim().length > 0) blocks.push({ kind: "paragraph", text });
        break;
      }
      case "blockquote":
        blocksFromTokens((token as Tokens.Blockquote).tokens, blocks, state);
        break;
      case "code": {
        const text = (token as Tokens.Code).text.trimEnd();
        if (text.trim().length > 0) blocks.push({ kind: "paragraph", text });
        break;
      }
      case "table":
        blocks.push(tableBlock(token as Tokens.Table));
        break;
      case "html":
        blocks.push(...blocksFromHtml((token as Tokens.HTML).text).blocks);
        break;
      default:
        // space, hr, def (link reference definitions): no text to keep.
        break;
    }
  }
}

/**
 * The document's own title from YAML front matter (`title: ...`) or a Pandoc title block (`% Title` lines),
 * and the source without it. Pandoc's further `%` lines (author, date) are kept as text.
 */
function splitTitle(source: string): { title: string | null; preface: string | null; body: string } {
  const frontMatter = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(source);
  if (frontMatter?.[1] !== undefined && /^[\w-]+\s*:/m.test(frontMatter[1])) {
    const title = /^title\s*:\s*(.+)$/m.exec(frontMatter[1])?.[1]?.trim().replace(/^(["'])(.*)\1$/, "$2") ?? null;
    return { title: title || null, preface: null, body: source.slice(frontMatter[0].length) };
  }
  const pandoc = /^(?:%[^\n]*(?:\n|$))+/.exec(source);
  if (pandoc) {
    const lines = pandoc[0]
      .split("\n")
      .map((line) => line.replace(/^%\s?/, "").trim())
      .filter((line) => line.length > 0);
    return { title: lines[0] ?? null, preface: lines.join("\n") || null, body: source.slice(pandoc[0].length) };
  }
  return { title: null, preface: null, body: source };
}

async function loadMarkdown(bytes: Uint8Array, context: LoadContext): Promise<Result<LoadedDocument, HearthError>> {
  const decoded = decodeText(bytes, context);
  if (!decoded.ok) return decoded;
  const { title, preface, body } = splitTitle(decoded.value.text.replace(/\r\n?/g, "\n"));
  const blocks: ContentBlock[] = preface === null ? [] : [{ kind: "paragraph", text: preface }];
  // Loaded here so only a Markdown ingest pays for marked.
  const { marked } = await import("marked");
  try {
    blocksFromTokens(marked.lexer(body, { gfm: true }), blocks, { depth: 0 });
  } catch (error) {
    // The lexer accepts any text; embedded HTML nested absurdly deep (or a bug) is still reported per file.
    return fail(
      new HearthError("EXTRACT_FAILED", `${context.fileName}: could not read the Markdown (${describeError(error)})`, {
        subject: context.path,
        cause: error,
      }),
    );
  }
  if (blocks.length === 0) {
    return fail(new HearthError("NO_TEXT", `${context.fileName}: no text in the Markdown`, { subject: context.path }));
  }
  const firstHeading = blocks.find((block) => block.kind === "heading" && block.level === 1);
  const warnings = decoded.value.repairedMojibake ? [`${context.fileName}: repaired double-encoded characters (e.g. "â€™")`] : [];
  return ok({
    format: "markdown",
    title: title ?? (firstHeading?.kind === "heading" ? firstHeading.text : null),
    units: [{ page: null, section: null, blocks }],
    warnings,
  });
}

export const markdownLoader: DocumentLoader = {
  format: "markdown",
  extensions: [".md", ".markdown"],
  sniff: looksLikeText,
  load: loadMarkdown,
};
