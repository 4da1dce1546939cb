/**
 * Store test documents built from real corpus files without vitest, so the crash-recovery child process can use
 * them too. The split into units and passages is deliberately simple (paragraphs): the chunker is not under test.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { createHash } from "node:crypto";
import type { Chunk, UnitText } from "../../chunking/types.ts";
import type { DocumentFormat } from "../../loaders/types.ts";
import type { NewDocument } from "../types.ts";

export interface SampleDocument {
  document: NewDocument;
  units: UnitText[];
  chunks: Chunk[];
}

function hashOf(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Paragraphs of a real text file as passages: `paragraphsPerPage` paragraphs make one unit (a "page" when
 * `paged`, else a section titled by the last Markdown heading). Offsets index into the unit's text.
 */
export function sampleDocument(
  path: string,
  options: { format: DocumentFormat; paged: boolean; paragraphsPerPage?: number; sourcePath?: string; text?: string },
): SampleDocument {
  const text = options.text ?? readFileSync(path, "utf8");
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0);
  const perPage = options.paragraphsPerPage ?? 8;
  const units: UnitText[] = [];
  const chunks: Chunk[] = [];
  let headingPath: string[] = [];
  for (let start = 0; start < paragraphs.length; start += perPage) {
    const group = paragraphs.slice(start, start + perPage);
    const index = units.length;
    const page = options.paged ? index + 1 : null;
    const section = options.paged ? null : (headingPath.at(-1) ?? null);
    const unitText = group.join("\n\n");
    let offset = 0;
    for (const paragraph of group) {
      const heading = /^#+\s+(.*)$/.exec(paragraph);
      if (heading !== null) headingPath = [heading[1]!.replaceAll("*", "").trim()];
      chunks.push({
        ordinal: chunks.length,
        page,
        section,
        headingPath: [...headingPath],
        kind: paragraph.includes("\t") ? "table" : "text",
        text: paragraph,
        start: offset,
        end: offset + paragraph.length,
      });
      offset += paragraph.length + 2;
    }
    units.push({ index, page, section, text: unitText });
  }
  return {
    document: {
      fileName: basename(path),
      sourcePath: options.sourcePath ?? path,
      contentHash: hashOf(text),
      format: options.format,
      title: null,
      byteSize: Buffer.byteLength(text),
      warnings: [],
    },
    units,
    chunks,
  };
}

