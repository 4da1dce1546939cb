/**
 * PPTX: one unit per slide in presentation order (ppt/presentation.xml's slide list, resolved through its
 * relationships, never file names), numbered from 1 for citation. Blocks: the slide title as a heading, one
 * paragraph per text paragraph, tables, SmartArt text, and the speaker notes.
 */
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import {
  attribute,
  childElements,
  coreTitle,
  descendants,
  firstChild,
  localName,
  parseXml,
  readRelationships,
  relationshipsPartFor,
} from "./office-xml.ts";
import type { XmlElement, XmlNode } from "./office-xml.ts";
import { checkOfficeContainer, isOfficeContainerWith, isOfficeMedia, readZipEntries } from "./safe-zip.ts";
import type { ContentBlock, DocumentLoader, DocumentUnit, LoadContext, LoadedDocument } from "./types.ts";

const presentationPart = "ppt/presentation.xml";
const titleTypes = new Set(["title", "ctrTitle"]);
/** Placeholders that repeat furniture (slide number, date, footer, slide image in notes), not content. */
const furnitureTypes = new Set(["sldNum", "dt", "ftr", "hdr", "sldImg"]);

/** Text of one a:p: runs and fields joined, line breaks kept, surrounding space trimmed. */
function paragraphText(paragraph: XmlElement): string {
  let text = "";
  const walk = (nodes: XmlNode[]): void => {
    for (const node of nodes) {
      if (!("attribs" in node)) continue;
      const name = localName(node);
      if (name === "t") text += node.children.map((child) => ("data" in child ? child.data : "")).join("");
      else if (name === "br") text += "\n";
      else if (name === "tab") text += "\t";
      else if (name !== "pPr" && name !== "rPr" && name !== "endParaRPr") walk(node.children);
    }
  };
  walk(paragraph.children);
  return text.replace(/[ \t]*\n[ \t]*/g, "\n").trim();
}

function paragraphsOf(textBody: { children: XmlNode[] }): string[] {
  return descendants(textBody, "p")
    .map(paragraphText)
    .filter((text) => text.length > 0);
}

function placeholderType(shape: XmlElement): string | undefined {
  const properties = childElements(shape).find((child) => localName(child).startsWith("nv"));
  const placeholder = properties ? descendants(properties, "ph")[0] : undefined;
  return placeholder ? (placeholder.attribs.type ?? "body") : undefined;
}

function tableBlock(table: XmlElement): ContentBlock | null {
  const rows = childElements(table, "tr").map((row) =>
    childElements(row, "tc").map((cell) => {
      // Cells covered by a merge repeat nothing; their text lives in the merge's first cell.
      if (cell.attribs.hMerge === "1" || cell.attribs.vMerge === "1") return "";
      const body = firstChild(cell, "txBody");
      return body ? paragraphsOf(body).join("\n") : "";
    }),
  );
  const nonEmpty = rows.filter((row) => row.some((cell) => cell.length > 0));
  const [header, ...rest] = nonEmpty;
  return header ? { kind: "table", header, rows: rest } : null;
}

interface SlideParts {
  files: Map<string, Buffer>;
  /** The slide's relationships, for SmartArt data parts. */
  relationships: Map<string, { type: string; target: string }>;
}

/** Walks a shape tree in document order, collecting the title and content blocks. */
function collectShapes(nodes: XmlNode[], parts: SlideParts, found: { title: string | null; blocks: ContentBlock[] }): void {
  for (const node of nodes) {
    if (!("attribs" in node)) continue;
    const name = localName(node);
    if (name === "sp") {
      const type = placeholderType(node);
      if (type !== undefined && furnitureTypes.has(type)) continue;
      const body = firstChild(node, "txBody");
      if (!body) continue;
      const paragraphs = paragraphsOf(body);
      if (type !== undefined && titleTypes.has(type) && found.title === null && paragraphs.length > 0) {
        found.title = paragraphs.join(" ").replace(/\s+/g, " ");
        found.blocks.push({ kind: "heading", level: 1, text: found.title });
      } else {
        for (const text of paragraphs) found.blocks.push({ kind: "paragraph", text });
      }
    } else if (name === "graphicFrame") {
      for (const table of descendants(node, "tbl")) {
        const block = tableBlock(table);
        if (block) found.blocks.push(block);
      }
      // SmartArt keeps its text in a separate data part.
      for (const diagram of descendants(node, "relIds")) {
        const dataId = attribute(diagram, "dm");
        const target = dataId ? parts.relationships.get(dataId)?.target : undefined;
        const data = target ? parts.files.get(target) : undefined;
        if (!data) continue;
        for (const text of paragraphsOf(parseXml(data))) found.blocks.push({ kind: "paragraph", text });
      }
    } else if (name === "grpSp") {
      collectShapes(node.children, parts, found);
    } else if (name === "AlternateContent") {
      // The first choice and the fallback say the same thing; read one.
      const branch = firstChild(node, "Choice") ?? firstChild(node, "Fallback");
      if (branch) collectShapes(branch.children, parts, found);
    }
  }
}

function notesText(notes: Buffer): string {
  const found = { title: null as string | null, blocks: [] as ContentBlock[] };
  const tree = descendants(parseXml(notes), "spTree")[0];
  if (!tree) return "";
  for (const shape of descendants(tree, "sp")) {
    const type = placeholderType(shape);
    if (type !== undefined && furnitureTypes.has(type)) continue;
    const body = firstChild(shape, "txBody");
    if (body) for (const text of paragraphsOf(body)) found.blocks.push({ kind: "paragraph", text });
  }
  return found.blocks.map((block) => (block.kind === "paragraph" ? block.text : "")).join("\n").trim();
}

function readSlide(part: string, files: Map<string, Buffer>, page: number): DocumentUnit {
  const slide = files.get(part);
  const relationships = readRelationships(files.get(relationshipsPartFor(part)), part);
  const found = { title: null as string | null, blocks: [] as ContentBlock[] };
  const tree = slide ? descendants(parseXml(slide), "spTree")[0] : undefined;
  if (tree) collectShapes(tree.children, { files, relationships }, found);
  const notesTarget = [...relationships.values()].find((relationship) => relationship.type.endsWith("/notesSlide"))?.target;
  const notes = notesTarget ? files.get(notesTarget) : undefined;
  const text = notes ? notesText(notes) : "";
  if (text.length > 0) found.blocks.push({ kind: "notes", text });
  return { page, section: found.title, blocks: found.blocks };
}

async function loadPptx(bytes: Uint8Array, context: LoadContext): Promise<Result<LoadedDocument, HearthError>> {
  const container = checkOfficeContainer(bytes, context, "PPTX");
  if (!container.ok) return container;
  const read = await readZipEntries(bytes, context, {
    label: "PPTX",
    // Slide text, notes, SmartArt data and relationships; never media, layouts, masters or themes.
    entryFilter: (name) =>
      !isOfficeMedia(name) &&
      (name === presentationPart ||
        name === "docProps/core.xml" ||
        /^ppt\/(_rels\/presentation\.xml\.rels|slides\/|notesSlides\/(?!_rels)|diagrams\/data)/.test(name)),
  });
  if (!read.ok) return read;
  const files = read.value;
  const presentation = files.get(presentationPart);
  if (!presentation) {
    return fail(new HearthError("CORRUPT_FILE", `${context.fileName}: not a valid PPTX file (no ${presentationPart})`, { subject: context.path }));
  }
  const relationships = readRelationships(files.get(relationshipsPartFor(presentationPart)), presentationPart);
  const slideParts = descendants(parseXml(presentation), "sldId")
    // The relationship id is the namespaced `r:id`, not the plain numeric `id`.
    .map((slideId) => Object.entries(slideId.attribs).find(([key]) => key.includes(":") && key.endsWith(":id"))?.[1])
    .map((id) => (id ? relationships.get(id)?.target : undefined))
    .filter((target): target is string => target !== undefined && files.has(target));
  const warnings: string[] = [];
  const units = slideParts.map((part, index) => readSlide(part, files, index + 1));
  if (units.every((unit) => unit.blocks.length === 0)) {
    return fail(new HearthError("NO_TEXT", `${context.fileName}: no text found on any slide`, { subject: context.path }));
  }
  const title = coreTitle(files.get("docProps/core.xml")) ?? units.find((unit) => unit.section !== null)?.section ?? null;
  return ok({ format: "pptx", title, units, warnings });
}

export const pptxLoader: DocumentLoader = {
  format: "pptx",
  extensions: [".pptx"],
  sniff: (bytes) => isOfficeContainerWith(bytes, ["[Content_Types].xml", "ppt/"]),
  load: loadPptx,
};
