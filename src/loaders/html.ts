/**
 * HTML: parsed with htmlparser2 (a real, forgiving parser; entities decoded). Site chrome and anything not
 * shown as content is dropped (scripts, styles, navigation, forms, hidden elements). Headings become heading
 * blocks, tables table blocks with their header row, and running text paragraphs. One unit, no page numbers.
 */
import { DomUtils, ElementType, parseDocument } from "htmlparser2";
import { HearthError, describeError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import { decodeText, looksLikeText } from "./decode-text.ts";
import { looksLikeHeaderRow } from "./text.ts";
import type { ContentBlock, DocumentLoader, LoadContext, LoadedDocument } from "./types.ts";

type HtmlDocument = ReturnType<typeof parseDocument>;
type HtmlNode = HtmlDocument["children"][number];
type HtmlElement = Extract<HtmlNode, { attribs: Record<string, string> }>;
type HtmlText = Extract<HtmlNode, { type: typeof ElementType.Text }>;
type HtmlParent = { children: HtmlNode[] };

/** Never content: code, styling, embedded media and controls. */
const droppedElements = new Set([
  "head", "script", "style", "noscript", "template", "nav", "aside", "form", "svg", "math", "iframe", "object",
  "embed", "canvas", "button", "select", "input", "textarea", "dialog", "menu",
]);
/** Site chrome when outside the page's content (an article's own header keeps its title). */
const chromeElements = new Set(["header", "footer"]);
const contentContainers = new Set(["article", "main", "section"]);
const droppedRoles = new Set(["navigation", "banner", "contentinfo", "search", "menu", "menubar", "toolbar"]);
const headingLevels: Readonly<Record<string, number>> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };
/** Elements that start a new paragraph. Anything else (span, a, b, em...) runs inline. */
const blockElements = new Set([
  "address", "article", "blockquote", "body", "center", "dd", "details", "div", "dl", "dt", "figcaption", "figure",
  "hr", "html", "legend", "li", "main", "ol", "p", "pre", "section", "summary", "ul", "caption", "fieldset",
  "header", "footer", "table", "tbody", "thead", "tfoot", "tr", "td", "th",
]);
/** Deepest element nesting read; the tree walk is recursive, and real pages stay far below this. */
export const maxHtmlDepth = 1000;
/** Largest colspan/rowspan honoured; bigger values are malformed or decorative. */
const maxSpan = 50;

function isElement(node: HtmlNode): node is HtmlElement {
  return "attribs" in node;
}

function isText(node: HtmlNode): node is HtmlText {
  return node.type === ElementType.Text;
}

function isHidden(element: HtmlElement, insideContent: boolean): boolean {
  const attributes = element.attribs;
  if (droppedElements.has(element.name)) return true;
  if (chromeElements.has(element.name) && !insideContent) return true;
  if (droppedRoles.has((attributes.role ?? "").toLowerCase())) return true;
  if (attributes["aria-hidden"] === "true" || attributes.hidden !== undefined) return true;
  return /display\s*:\s*none|visibility\s*:\s*hidden/i.test(attributes.style ?? "");
}

function collapse(text: string): string {
  return text.replace(/[\s\u00a0]+/g, " ").trim();
}

/** Visible text of an element on one line (for headings and table cells). */
function inlineText(parent: HtmlParent, insideContent: boolean): string {
  let text = "";
  const walk = (nodes: HtmlNode[], inside: boolean): void => {
    for (const node of nodes) {
      if (isText(node)) text += node.data;
      else if (isElement(node) && !isHidden(node, inside)) {
        if (node.name === "br" || blockElements.has(node.name)) text += " ";
        walk(node.children, inside || contentContainers.has(node.name));
        if (blockElements.has(node.name)) text += " ";
      }
    }
  };
  walk(parent.children, insideContent);
  return collapse(text);
}

/** Rows of a table, not of tables nested in it, with colspan and rowspan spread over the grid. */
function tableGrid(table: HtmlElement): { cells: string[][]; headerRows: number; firstRowHeaders: boolean } {
  const rows: { element: HtmlElement; inHead: boolean }[] = [];
  const collectRows = (parent: HtmlElement, inHead: boolean): void => {
    for (const child of parent.children) {
      if (!isElement(child)) continue;
      if (child.name === "tr") rows.push({ element: child, inHead });
      else if (child.name === "thead" || child.name === "tbody" || child.name === "tfoot") collectRows(child, child.name === "thead");
    }
  };
  collectRows(table, false);
  const grid: string[][] = [];
  const pendingRowSpans: { text: string; rowsLeft: number }[] = [];
  let firstRowHeaders = false;
  for (const { element } of rows) {
    const cellElements = element.children.filter(isElement).filter((cell) => cell.name === "td" || cell.name === "th");
    if (grid.length === 0) firstRowHeaders = cellElements.length > 0 && cellElements.every((cell) => cell.name === "th");
    const row: string[] = [];
    const fillSpannedColumns = (): void => {
      let pending = pendingRowSpans[row.length];
      while (pending !== undefined && pending.rowsLeft > 0) {
        row.push(pending.text);
        pending.rowsLeft -= 1;
        pending = pendingRowSpans[row.length];
      }
    };
    for (const cell of cellElements) {
      fillSpannedColumns();
      const text = inlineText(cell, true);
      const colspan = Math.min(Math.max(Number.parseInt(cell.attribs.colspan ?? "1", 10) || 1, 1), maxSpan);
      const rowspan = Math.min(Math.max(Number.parseInt(cell.attribs.rowspan ?? "1", 10) || 1, 1), maxSpan);
      for (let offset = 0; offset < colspan; offset += 1) {
        // A spanning header names every column it covers; a spanning value is written once.
        row.push(offset === 0 || cell.name === "th" ? text : "");
        if (rowspan > 1) pendingRowSpans[row.length - 1] = { text, rowsLeft: rowspan - 1 };
      }
    }
    fillSpannedColumns();
    grid.push(row);
  }
  const headerRows = rows.findIndex((row) => !row.inHead);
  return { cells: grid, headerRows: headerRows === -1 ? rows.length : headerRows, firstRowHeaders };
}

/** Tables used for page layout hold headings, other tables or long runs of paragraphs, not data. */
function isLayoutTable(table: HtmlElement): boolean {
  return DomUtils.findOne((element) => element.name === "table" || element.name in headingLevels, table.children) !== null;
}

class BlockCollector {
  readonly blocks: ContentBlock[] = [];
  firstHeading: string | null = null;
  private buffer = "";

  appendText(text: string, preformatted: boolean): void {
    this.buffer += preformatted ? text : text.replace(/[\s\u00a0]+/g, " ");
  }

  lineBreak(): void {
    this.buffer += "\n";
  }

  flush(preformatted = false): void {
    const text = preformatted
      ? this.buffer
          .split("\n")
          .map((line) => line.trimEnd())
          .join("\n")
          .replace(/^\n+/, "")
          .trimEnd()
      : this.buffer
          .split("\n")
          .map((line) => line.replace(/ +/g, " ").trim())
          .filter((line) => line.length > 0)
          .join("\n");
    if (text.length > 0) this.blocks.push({ kind: "paragraph", text });
    this.buffer = "";
  }

  heading(level: number, text: string): void {
    this.flush();
    if (text.length === 0) return;
    this.blocks.push({ kind: "heading", level, text });
    if (level === 1 && this.firstHeading === null) this.firstHeading = text;
  }

  table(table: HtmlElement): void {
    this.flush();
    const { cells, headerRows, firstRowHeaders } = tableGrid(table);
    const rows = cells.filter((row) => row.some((cell) => cell.length > 0));
    const width = Math.max(0, ...rows.map((row) => row.length));
    if (rows.length === 0) return;
    // A one-column or one-row "table" is a box around text, not data with named columns.
    if (width === 1 || rows.length === 1) {
      for (const row of rows) {
        const text = row.filter((cell) => cell.length > 0).join(" | ");
        if (text.length > 0) this.blocks.push({ kind: "paragraph", text });
      }
      return;
    }
    const padded = rows.map((row) => [...row, ...new Array<string>(width - row.length).fill("")]);
    // Header: the <thead> rows (merged per column), else a first row of <th>, else a first row that reads as names.
    const headerCount =
      headerRows > 0 && headerRows < padded.length ? headerRows : firstRowHeaders || looksLikeHeaderRow(padded[0] ?? []) ? 1 : 0;
    const header = Array.from({ length: width }, (_, column) =>
      [...new Set(padded.slice(0, headerCount).map((row) => row[column] ?? "").filter((cell) => cell.length > 0))].join(" / "),
    );
    const captionElement = table.children.filter(isElement).find((child) => child.name === "caption");
    const caption = captionElement ? inlineText(captionElement, true) : "";
    this.blocks.push({
      kind: "table",
      header,
      rows: padded.slice(headerCount),
      ...(caption.length > 0 ? { caption } : {}),
    });
  }
}

function walk(nodes: HtmlNode[], collector: BlockCollector, state: { preformatted: boolean; insideContent: boolean }): void {
  for (const node of nodes) {
    if (isText(node)) {
      collector.appendText(node.data, state.preformatted);
      continue;
    }
    if (!isElement(node) || isHidden(node, state.insideContent)) continue;
    const name = node.name;
    const level = headingLevels[name];
    if (level !== undefined) collector.heading(level, inlineText(node, true));
    else if (name === "br") collector.lineBreak();
    else if (name === "table" && !isLayoutTable(node)) collector.table(node);
    else if (blockElements.has(name)) {
      const preformatted = state.preformatted || name === "pre";
      collector.flush(state.preformatted);
      walk(node.children, collector, { preformatted, insideContent: state.insideContent || contentContainers.has(name) });
      collector.flush(preformatted);
    } else walk(node.children, collector, state);
  }
}

/** The page's main content when it marks exactly one (`<main>` or role=main); otherwise the whole body. */
function contentRoot(document: HtmlDocument): HtmlParent {
  const mains = DomUtils.findAll((element) => element.name === "main" || element.attribs.role === "main", document.children);
  const main = mains.length === 1 ? mains[0] : undefined;
  return main !== undefined && inlineText(main, true).length > 0 ? { children: [main] } : document;
}

/** How deeply elements nest, counted without recursion. */
function nestingDepth(document: HtmlDocument): number {
  let deepest = 0;
  const stack: { nodes: HtmlNode[]; depth: number }[] = [{ nodes: document.children, depth: 1 }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    deepest = Math.max(deepest, entry.depth);
    for (const node of entry.nodes) if (isElement(node) && node.children.length > 0) stack.push({ nodes: node.children, depth: entry.depth + 1 });
  }
  return deepest;
}

/**
 * Content blocks and title of an HTML document or fragment (also used for HTML inside Markdown). Throws a
 * RangeError for markup nested deeper than `maxHtmlDepth`.
 */
export function blocksFromHtml(html: string): { blocks: ContentBlock[]; title: string | null } {
  const document = parseDocument(html, { decodeEntities: true });
  const depth = nestingDepth(document);
  if (depth > maxHtmlDepth) throw new RangeError(`elements nested ${depth} deep (limit ${maxHtmlDepth})`);
  const titleElement = DomUtils.findOne((element) => element.name === "title", document.children);
  const collector = new BlockCollector();
  walk(contentRoot(document).children, collector, { preformatted: false, insideContent: false });
  collector.flush();
  const title = titleElement ? collapse(DomUtils.textContent(titleElement)) : "";
  return { blocks: collector.blocks, title: title.length > 0 ? title : collector.firstHeading };
}

/** Decodes HTML character references ("&amp;", "&pound;", "&#x27;") in plain text. */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  // Escape "<" so text like "a <b" is never read as a tag.
  return DomUtils.textContent(parseDocument(text.replace(/</g, "&lt;"), { decodeEntities: true }));
}

/** The start of the file as text, for sniffing and finding a declared charset. */
function headText(bytes: Uint8Array, length: number): string {
  const head = bytes.subarray(0, length);
  if (head[0] === 0xff && head[1] === 0xfe) return new TextDecoder("utf-16le").decode(head);
  if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder("utf-16be").decode(head);
  return Buffer.from(head).toString("latin1");
}

/** `<meta charset="...">`, `<meta http-equiv="Content-Type" content="text/html; charset=...">` or an XML prolog. */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = headText(bytes, 4096);
  const meta = /<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head) ?? /<\?xml\b[^>]*encoding\s*=\s*["']([\w.:-]+)/i.exec(head);
  return meta?.[1];
}

function sniffHtml(bytes: Uint8Array): boolean {
  if (!looksLikeText(bytes)) return false;
  const head = headText(bytes, 1024).toLowerCase();
  if (head.includes("<html") || head.includes("<!doctype html") || head.includes("<body")) return true;
  // A fragment (a page's body copied out, an export of one section) has no <html>, but its first markup is a block tag.
  return /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:h[1-6]|p|div|section|article|main|header|table|ul|ol|dl|blockquote|pre|figure|nav|aside|head|title|meta|style|link)\b/.test(head);
}

async function loadHtml(bytes: Uint8Array, context: LoadContext): Promise<Result<LoadedDocument, HearthError>> {
  const charset = declaredCharset(bytes);
  const decoded = decodeText(bytes, context, charset === undefined ? {} : { declaredCharset: charset });
  if (!decoded.ok) return decoded;
  let extracted: { blocks: ContentBlock[]; title: string | null };
  try {
    extracted = blocksFromHtml(decoded.value.text);
  } catch (error) {
    // htmlparser2 recovers from malformed markup; what throws is absurd nesting (or a bug), still reported per file.
    return fail(
      new HearthError("EXTRACT_FAILED", `${context.fileName}: could not read the HTML (${describeError(error)})`, {
        subject: context.path,
        cause: error,
      }),
    );
  }
  if (extracted.blocks.length === 0) {
    return fail(new HearthError("NO_TEXT", `${context.fileName}: no visible text in the HTML`, { subject: context.path }));
  }
  const warnings = decoded.value.repairedMojibake ? [`${context.fileName}: repaired double-encoded characters (e.g. "â€™")`] : [];
  return ok({
    format: "html",
    title: extracted.title,
    units: [{ page: null, section: null, blocks: extracted.blocks }],
    warnings,
  });
}

export const htmlLoader: DocumentLoader = {
  format: "html",
  extensions: [".html", ".htm"],
  sniff: sniffHtml,
  load: loadHtml,
};
