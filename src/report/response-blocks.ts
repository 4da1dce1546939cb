/**
 * Turns an answer's Markdown-light text into a flat list of blocks (headings, paragraphs, list
 * items, tables) with bold/italic spans, so the DOCX and PDF writers can lay it out natively.
 * Parsing is marked's lexer; this file only flattens its tokens.
 */
import { Lexer } from "marked";
import type { Token, Tokens } from "marked";

export interface InlineSpan {
  /** May contain "\n" where the source had a line break inside a paragraph. */
  text: string;
  bold: boolean;
  italic: boolean;
}

export type ResponseBlock =
  | { kind: "heading"; level: number; spans: InlineSpan[] }
  | { kind: "paragraph"; spans: InlineSpan[]; quoted: boolean }
  | { kind: "list-item"; level: number; marker: string | null; spans: InlineSpan[] }
  | { kind: "table"; header: InlineSpan[][]; rows: InlineSpan[][][] }
  | { kind: "rule" };

interface InlineStyle {
  bold: boolean;
  italic: boolean;
}

/** Plain text of a list of spans. */
export function spansText(spans: readonly InlineSpan[]): string {
  return spans.map((span) => span.text).join("");
}

export function parseResponse(text: string): ResponseBlock[] {
  const blocks: ResponseBlock[] = [];
  // A fresh lexer each time: marked's shared instance keeps reference-link state between calls.
  appendBlocks(new Lexer().lex(text), blocks, { quoted: false });
  return blocks;
}

function appendBlocks(tokens: readonly Token[], blocks: ResponseBlock[], context: { quoted: boolean }): void {
  for (const token of tokens) {
    switch (token.type) {
      case "heading": {
        const heading = token as Tokens.Heading;
        blocks.push({ kind: "heading", level: heading.depth, spans: inlineSpans(heading.tokens) });
        break;
      }
      case "paragraph": {
        const paragraph = token as Tokens.Paragraph;
        blocks.push({ kind: "paragraph", spans: inlineSpans(paragraph.tokens), quoted: context.quoted });
        break;
      }
      case "text": {
        // Loose text at block level (outside lists) is still a paragraph.
        const textToken = token as Tokens.Text;
        const spans = textToken.tokens ? inlineSpans(textToken.tokens) : [plain(textToken.text)];
        blocks.push({ kind: "paragraph", spans, quoted: context.quoted });
        break;
      }
      case "list":
        appendList(token as Tokens.List, 0, blocks);
        break;
      case "table": {
        const table = token as Tokens.Table;
        blocks.push({
          kind: "table",
          header: table.header.map((cell) => inlineSpans(cell.tokens)),
          rows: table.rows.map((row) => row.map((cell) => inlineSpans(cell.tokens))),
        });
        break;
      }
      case "blockquote":
        appendBlocks((token as Tokens.Blockquote).tokens, blocks, { quoted: true });
        break;
      case "code":
        blocks.push({ kind: "paragraph", spans: [plain((token as Tokens.Code).text)], quoted: context.quoted });
        break;
      case "hr":
        blocks.push({ kind: "rule" });
        break;
      case "space":
      case "def":
        break;
      default:
        // Raw HTML and anything newer than this code: keep the words rather than lose them.
        if ("raw" in token && typeof token.raw === "string" && token.raw.trim() !== "") {
          blocks.push({ kind: "paragraph", spans: [plain(token.raw.trim())], quoted: context.quoted });
        }
    }
  }
}

function appendList(list: Tokens.List, level: number, blocks: ResponseBlock[]): void {
  const start = typeof list.start === "number" ? list.start : 1;
  list.items.forEach((item, index) => {
    const marker = list.ordered ? `${start + index}.` : null;
    let first = true;
    for (const child of item.tokens) {
      if (child.type === "list") {
        appendList(child as Tokens.List, level + 1, blocks);
        continue;
      }
      if (child.type === "space") continue;
      const spans = blockSpans(child);
      if (spans === null) continue;
      // Later paragraphs of the same item continue it without a second bullet.
      blocks.push(first ? { kind: "list-item", level, marker, spans } : { kind: "paragraph", spans, quoted: false });
      first = false;
    }
    if (first) blocks.push({ kind: "list-item", level, marker, spans: [] });
  });
}

function blockSpans(token: Token): InlineSpan[] | null {
  if (token.type === "text") {
    const textToken = token as Tokens.Text;
    return textToken.tokens ? inlineSpans(textToken.tokens) : [plain(textToken.text)];
  }
  if (token.type === "paragraph" || token.type === "heading") return inlineSpans((token as Tokens.Paragraph).tokens);
  if ("raw" in token && typeof token.raw === "string" && token.raw.trim() !== "") return [plain(token.raw.trim())];
  return null;
}

function plain(text: string): InlineSpan {
  return { text, bold: false, italic: false };
}

function inlineSpans(tokens: readonly Token[] | undefined, style: InlineStyle = { bold: false, italic: false }): InlineSpan[] {
  const spans: InlineSpan[] = [];
  for (const token of tokens ?? []) {
    switch (token.type) {
      case "strong":
        spans.push(...inlineSpans((token as Tokens.Strong).tokens, { ...style, bold: true }));
        break;
      case "em":
        spans.push(...inlineSpans((token as Tokens.Em).tokens, { ...style, italic: true }));
        break;
      case "del":
      case "link": {
        const nested = (token as Tokens.Link).tokens;
        spans.push(...inlineSpans(nested, style));
        break;
      }
      case "br":
        spans.push({ text: "\n", ...style });
        break;
      case "text": {
        const textToken = token as Tokens.Text;
        if (textToken.tokens && textToken.tokens.length > 0) spans.push(...inlineSpans(textToken.tokens, style));
        else spans.push({ text: textToken.text, ...style });
        break;
      }
      default: {
        // codespan, escape, image, inline html: their text (or raw source) as written.
        const text = "text" in token && typeof token.text === "string" ? token.text : token.raw;
        spans.push({ text, ...style });
      }
    }
  }
  return mergeSpans(spans);
}

/** Joins neighbouring spans of the same style, so writers emit fewer runs. */
function mergeSpans(spans: InlineSpan[]): InlineSpan[] {
  const merged: InlineSpan[] = [];
  for (const span of spans) {
    if (span.text === "") continue;
    const last = merged[merged.length - 1];
    if (last && last.bold === span.bold && last.italic === span.italic) last.text += span.text;
    else merged.push({ ...span });
  }
  return merged;
}
