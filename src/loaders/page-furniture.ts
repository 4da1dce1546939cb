/**
 * Removes running headers and footers ("Document Generated: 2024-05-21 …", "Inspection of Leeds … 30 June 2025",
 * page numbers) from paged documents. They repeat on most pages, so left in they make every page look alike to
 * search and crowd out what the page is about.
 */
import type { ContentBlock, DocumentUnit, LoadedDocument } from "./types.ts";

/** How many blocks at the top and at the bottom of a page may be furniture. */
const edgeBlocks = 3;

function signature(block: ContentBlock): string | null {
  if (block.kind !== "paragraph" && block.kind !== "heading") return null;
  const text = block.text.trim();
  if (text.length === 0 || text.length > 200) return null;
  // Page numbers and dates differ from page to page; the rest of a running line does not.
  return text.toLowerCase().replace(/\d+/g, "#").replace(/\s+/g, " ");
}

function edgeIndexes(unit: DocumentUnit): number[] {
  const count = unit.blocks.length;
  const indexes = new Set<number>();
  for (let index = 0; index < Math.min(edgeBlocks, count); index++) indexes.add(index);
  for (let index = Math.max(0, count - edgeBlocks); index < count; index++) indexes.add(index);
  return [...indexes];
}

export function removePageFurniture(document: LoadedDocument): LoadedDocument {
  const paged = document.units.filter((unit) => unit.page !== null);
  if (paged.length < 4) return document;
  const pagesWith = new Map<string, number>();
  for (const unit of paged) {
    const seen = new Set<string>();
    for (const index of edgeIndexes(unit)) {
      const key = signature(unit.blocks[index]!);
      if (key !== null) seen.add(key);
    }
    for (const key of seen) pagesWith.set(key, (pagesWith.get(key) ?? 0) + 1);
  }
  // A line on at least half the pages (and at least 3) is furniture.
  const threshold = Math.max(3, Math.ceil(paged.length / 2));
  const furniture = new Set([...pagesWith].filter(([, pages]) => pages >= threshold).map(([key]) => key));
  if (furniture.size === 0) return document;
  return {
    ...document,
    units: document.units.map((unit) => {
      if (unit.page === null) return unit;
      const edges = new Set(edgeIndexes(unit));
      const blocks = unit.blocks.filter((block, index) => {
        if (!edges.has(index)) return true;
        const key = signature(block);
        return key === null || !furniture.has(key);
      });
      return blocks.length === unit.blocks.length ? unit : { ...unit, blocks };
    }),
  };
}
