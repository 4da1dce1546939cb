/**
 * DOCX: the container is checked by safe-zip (size limits over every part mammoth may read) before mammoth
 * converts it to HTML, which is then walked into blocks. One unit without a page; the chunker tracks headings.
 */
import { parseDocument } from "htmlparser2";
import { HearthError, describeError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import { coreTitle } from "./office-xml.ts";
import type { XmlElement, XmlNode } from "./office-xml.ts";
import { checkOfficeContainer, isOfficeContainerWith, isOfficeMedia, readZipEntries } from "./safe-zip.ts";
import type { ContentBlock, DocumentLoader, LoadContext, LoadedDocument } from "./types.ts";

/** Word's own title styles become headings too (mammoth leaves them as plain paragraphs). */
const styleMap = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"];
/** A short paragraph in bold only, in a document without heading styles, is a heading in all but name. */
const longestPseudoHeading = 120;

const headingLevels: Record<string, number> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };

function isElement(node: XmlNode): node is XmlElement {
  return "attribs" in node;
}

/** Inline text of an element: line breaks kept, images, note back-links and nested blocks left out. */
function inlineText(element: XmlElement): string {
  let text = "";
  const walk = (nodes: XmlNode[]): void => {
    for (const node of nodes) {
      if ("data" in node && node.type === "text") text += node.data;
      if (!isElement(node)) continue;
      const href = node.attribs.href ?? "";
      if (node.name === "br") text += "\n";
      else if (node.name === "p" && text.length > 0) {
        text += "\n";
        walk(node.children);
      } else if (["img", "ul", "ol", "table"].includes(node.name) || /^#(footnote|endnote|comment)-ref/.test(href)) continue;
      else walk(node.children);
    }
  };
  walk(element.children);
  return text
    .replace(/[^\S\n]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{2,}/g, "\n")
    .trim();
}

/** True when every visible character of the paragraph is inside <strong>. */
function isBoldOnly(paragraph: XmlElement): boolean {
  let plain = "";
  const walk = (nodes: XmlNode[], bold: boolean): void => {
    for (const node of nodes) {
      if ("data" in node && node.type === "text" && !bold) plain += node.data;
      if (isElement(node)) walk(node.children, bold || node.name === "strong");
    }
  };
  walk(paragraph.children, false);
  return plain.trim().length === 0;
}

function tableBlock(table: XmlElement): ContentBlock | null {
  const rows: string[][] = [];
  const collectRows = (nodes: XmlNode[]): void => {
    for (const node of nodes) {
      if (!isElement(node) || node.name === "table") continue;
      if (node.name !== "tr") {
        collectRows(node.children);
        continue;
      }
      const cells: string[] = [];
      for (const cell of node.children.filter(isElement).filter((child) => child.name === "td" || child.name === "th")) {
        cells.push(cellText(cell));
        // Keep columns aligned under the header when cells span several.
        const span = Number(cell.attribs.colspan ?? "1");
        for (let extra = 1; extra < Math.min(span, 100); extra += 1) cells.push("");
      }
      if (cells.some((cell) => cell.length > 0)) rows.push(cells);
    }
  };
  collectRows(table.children);
  const [header, ...rest] = rows;
  return header ? { kind: "table", header, rows: rest } : null;
}

/** All text in a cell, nested lists and tables included, one line per paragraph. */
function cellText(cell: XmlElement): string {
  const lines: string[] = [];
  const blocks: ContentBlock[] = [];
  walkBlocks(cell.children, blocks, { pseudoHeadings: false, listDepth: 0 });
  for (const block of blocks) {
    if (block.kind === "table") lines.push([block.header, ...block.rows].map((row) => row.join(" ")).join("\n"));
    else lines.push(block.text);
  }
  return lines.length > 0 ? lines.join("\n") : inlineText(cell);
}

interface WalkState {
  pseudoHeadings: boolean;
  listDepth: number;
}

function walkBlocks(nodes: XmlNode[], blocks: ContentBlock[], state: WalkState): void {
  for (const node of nodes) {
    if (!isElement(node)) continue;
    const level = headingLevels[node.name];
    if (level !== undefined) {
      const text = inlineText(node).replace(/\s+/g, " ");
      if (text) blocks.push({ kind: "heading", level, text });
    } else if (node.name === "p") {
      const text = inlineText(node);
      if (!text) continue;
      if (state.pseudoHeadings && isBoldOnly(node) && text.length <= longestPseudoHeading && !text.includes("\n")) {
        blocks.push({ kind: "heading", level: 2, text });
      } else blocks.push({ kind: "paragraph", text });
    } else if (node.name === "ul" || node.name === "ol") {
      let number = 0;
      for (const item of node.children.filter(isElement).filter((child) => child.name === "li")) {
        number += 1;
        const text = inlineText(item);
        const marker = node.name === "ol" ? `${number}. ` : "• ";
        if (text) blocks.push({ kind: "paragraph", text: `${"  ".repeat(state.listDepth)}${marker}${text}` });
        walkBlocks(
          item.children.filter(isElement).filter((child) => ["ul", "ol", "table"].includes(child.name)),
          blocks,
          { ...state, listDepth: state.listDepth + 1 },
        );
      }
    } else if (node.name === "table") {
      const block = tableBlock(node);
      if (block) blocks.push(block);
    } else walkBlocks(node.children, blocks, state);
  }
}

/** Turns mammoth's HTML into blocks. Exported for tests. */
export function htmlToBlocks(html: string): ContentBlock[] {
  const document = parseDocument(html);
  const hasHeadingStyles = /<h[2-6][\s>]/.test(html) || (html.match(/<h1[\s>]/g)?.length ?? 0) > 1;
  const blocks: ContentBlock[] = [];
  walkBlocks(document.children, blocks, { pseudoHeadings: !hasHeadingStyles, listDepth: 0 });
  return blocks;
}

async function loadDocx(bytes: Uint8Array, context: LoadContext): Promise<Result<LoadedDocument, HearthError>> {
  const container = checkOfficeContainer(bytes, context, "DOCX");
  if (!container.ok) return container;
  // Inflate (and so size-check) every part mammoth may read; media are never read (images are dropped below).
  const read = await readZipEntries(bytes, context, { label: "DOCX", entryFilter: (name) => !isOfficeMedia(name) });
  if (!read.ok) return read;
  if (!read.value.has("word/document.xml") && ![...read.value.keys()].some((name) => /^word\/document\d*\.xml$/.test(name))) {
    return fail(new HearthError("CORRUPT_FILE", `${context.fileName}: not a valid DOCX file (no word/document.xml)`, { subject: context.path }));
  }
  let html: string;
  try {
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Loaded here so only a DOCX ingest pays for mammoth.
    const { default: mammoth } = await import("mammoth");
    const converted = await mammoth.convertToHtml(
      { buffer },
      { styleMap, convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: "" })) },
    );
    html = converted.value;
  } catch (error) {
    return fail(
      new HearthError("CORRUPT_FILE", `${context.fileName}: not a valid DOCX file (${describeError(error)})`, { subject: context.path, cause: error }),
    );
  }
  const blocks = htmlToBlocks(html);
  if (blocks.length === 0) {
    return fail(new HearthError("NO_TEXT", `${context.fileName}: the document has no text`, { subject: context.path }));
  }
  const firstHeading = blocks.find((block) => block.kind === "heading");
  const title = coreTitle(read.value.get("docProps/core.xml")) ?? (firstHeading?.kind === "heading" ? firstHeading.text : null);
  return ok({ format: "docx", title, units: [{ page: null, section: null, blocks }], warnings: [] });
}

export const docxLoader: DocumentLoader = {
  format: "docx",
  extensions: [".docx"],
  sniff: (bytes) => isOfficeContainerWith(bytes, ["[Content_Types].xml", "word/"]),
  load: loadDocx,
};
