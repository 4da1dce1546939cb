/**
 * Small helpers over htmlparser2's XML mode for Office Open XML parts. Elements are matched by local name
 * (`a:t` and `t` alike) because producers are free to choose namespace prefixes.
 */
import { DomUtils, parseDocument } from "htmlparser2";

export type XmlDocument = ReturnType<typeof parseDocument>;
export type XmlNode = XmlDocument["children"][number];
export type XmlElement = Extract<XmlNode, { attribs: Record<string, string> }>;

/** Parses an XML part (UTF-8, or UTF-16 with a byte order mark); entities are decoded. */
export function parseXml(bytes: Buffer): XmlDocument {
  const isUtf16 = bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe;
  const text = isUtf16 ? bytes.subarray(2).toString("utf16le") : bytes.toString("utf8").replace(/^\uFEFF/, "");
  return parseDocument(text, { xmlMode: true });
}

export function localName(element: XmlElement): string {
  const colon = element.name.indexOf(":");
  return colon === -1 ? element.name : element.name.slice(colon + 1);
}

export function isElement(node: XmlNode): node is XmlElement {
  return "attribs" in node;
}

/** Direct element children, optionally only those with this local name. */
export function childElements(parent: { children: XmlNode[] }, name?: string): XmlElement[] {
  return parent.children.filter(isElement).filter((child) => name === undefined || localName(child) === name);
}

export function firstChild(parent: { children: XmlNode[] }, name: string): XmlElement | undefined {
  return childElements(parent, name)[0];
}

/** All descendant elements with this local name, in document order. */
export function descendants(parent: { children: XmlNode[] }, name: string): XmlElement[] {
  return DomUtils.findAll((element) => localName(element) === name, parent.children);
}

/** An attribute by full name, else by local name (`r:id` is found when asking for `id`). */
export function attribute(element: XmlElement, name: string): string | undefined {
  const direct = element.attribs[name];
  if (direct !== undefined) return direct;
  for (const [key, value] of Object.entries(element.attribs)) {
    if (key.slice(key.indexOf(":") + 1) === name) return value;
  }
  return undefined;
}

export function textOf(node: XmlNode | XmlNode[]): string {
  return DomUtils.textContent(node);
}

/** Relationship targets by id from a `.rels` part, resolved to package paths. */
export function readRelationships(bytes: Buffer | undefined, sourcePart: string): Map<string, { type: string; target: string; external: boolean }> {
  const relationships = new Map<string, { type: string; target: string; external: boolean }>();
  if (!bytes) return relationships;
  for (const relationship of descendants(parseXml(bytes), "Relationship")) {
    const id = relationship.attribs.Id;
    const target = relationship.attribs.Target;
    if (!id || target === undefined) continue;
    const external = relationship.attribs.TargetMode === "External";
    relationships.set(id, { type: relationship.attribs.Type ?? "", target: external ? target : resolvePartPath(sourcePart, target), external });
  }
  return relationships;
}

/** Resolves a relationship target against the part that refers to it ("ppt/slides/slide1.xml" + "../notesSlides/x.xml"). */
export function resolvePartPath(sourcePart: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const segments = sourcePart.split("/").slice(0, -1);
  for (const segment of safeDecodeUri(target).split("/")) {
    if (segment === "..") segments.pop();
    else if (segment !== "." && segment !== "") segments.push(segment);
  }
  return segments.join("/");
}

function safeDecodeUri(target: string): string {
  try {
    return decodeURI(target);
  } catch {
    return target;
  }
}

/** The `.rels` part that belongs to a part: "ppt/slides/slide1.xml" -> "ppt/slides/_rels/slide1.xml.rels". */
export function relationshipsPartFor(part: string): string {
  const slash = part.lastIndexOf("/");
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

/** dc:title from docProps/core.xml, when the file states one. */
export function coreTitle(bytes: Buffer | undefined): string | null {
  if (!bytes) return null;
  const title = descendants(parseXml(bytes), "title")[0];
  const text = title ? textOf(title).trim() : "";
  return text.length > 0 ? text : null;
}
