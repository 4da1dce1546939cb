/**
 * A synthetic library for the scale benchmark (bench/scale.ts): documents whose pages are sentences of the real
 * corpus recombined, each document about one local authority and one year, with the councils, years and figures
 * of its sentences changed to match. The vocabulary, sentence shapes and term frequencies are the field's own, so
 * search meets the distractors a real library of sufficiency strategies and inspection reports would hold.
 */
import { createHash } from "node:crypto";
import type { Chunk, UnitText } from "../src/chunking/types.ts";
import { isDataSetFormat } from "../src/loaders/data-set-format.ts";
import { localAuthorityNames } from "../src/market/local-authority-names.ts";
import type { NewDocument, PassageRecord } from "../src/store/types.ts";

/** A corpus sentence cut at its councils, years and figures, so each use can fill them in afresh. */
interface SentenceTemplate {
  parts: string[];
  /** What fills the gap after `parts[i]`: a council, a year, or a figure written like the original. */
  slots: ("authority" | "year" | { figure: string })[];
}

export interface SyntheticDocument {
  document: NewDocument;
  units: UnitText[];
  chunks: Chunk[];
}

const documentKinds = [
  "Sufficiency Strategy",
  "Placement Sufficiency and Commissioning Strategy",
  "Market Position Statement",
  "Children Looked After Annual Report",
  "Corporate Parenting Board Report",
  "Ofsted ILACS inspection",
  "Residential Care Commissioning Plan",
  "Care Leavers Local Offer",
];

const sectionNames = ["Introduction", "Our children", "Demand and need", "Placements", "Finance", "Workforce", "Priorities", "Quality and outcomes"];

/** A small, fast, seeded generator (mulberry32), so a size always yields the same library. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const escapeForPattern = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Splits corpus passages into sentence templates with their councils, years and figures cut out. */
export function sentenceTemplates(passages: PassageRecord[]): SentenceTemplate[] {
  const names = [...localAuthorityNames()].sort((left, right) => right.length - left.length);
  const slotPattern = new RegExp(`\\b(${names.map(escapeForPattern).join("|")})\\b|\\b((?:19|20)\\d{2})\\b|(\\d[\\d,]*(?:\\.\\d+)?)`, "g");
  const templates: SentenceTemplate[] = [];
  const seen = new Set<string>();
  for (const passage of passages) {
    if (isDataSetFormat(passage.format) || passage.kind !== "text") continue;
    for (const raw of passage.text.split(/(?<=[.!?])\s+(?=[A-Z])/)) {
      const sentence = raw.replace(/\s+/g, " ").trim();
      // Headings, page furniture and fragments make poor prose; very long runs are usually tables flattened.
      if (sentence.length < 40 || sentence.length > 400 || !/[a-z]{3}/.test(sentence) || seen.has(sentence)) continue;
      seen.add(sentence);
      const parts: string[] = [];
      const slots: SentenceTemplate["slots"] = [];
      let last = 0;
      for (const match of sentence.matchAll(slotPattern)) {
        parts.push(sentence.slice(last, match.index));
        slots.push(match[1] ? "authority" : match[2] ? "year" : { figure: match[3] ?? "0" });
        last = (match.index ?? 0) + match[0].length;
      }
      parts.push(sentence.slice(last));
      templates.push({ parts, slots });
    }
  }
  return templates;
}

/** A figure of the same shape as `original` (thousands separators, decimals), scaled by up to half either way. */
function varyFigure(original: string, random: () => number): string {
  const decimals = original.includes(".") ? (original.split(".")[1] ?? "").length : 0;
  const value = Number(original.replace(/,/g, ""));
  if (!Number.isFinite(value)) return original;
  const varied = value * (0.5 + random());
  const written = decimals > 0 ? varied.toFixed(decimals) : String(Math.max(1, Math.round(varied)));
  return original.includes(",") ? Number(written).toLocaleString("en-GB", { minimumFractionDigits: decimals, maximumFractionDigits: decimals }) : written;
}

export interface LibraryShape {
  /** Passages to generate in all. */
  passages: number;
  /** Seed: the same seed and size give the same library. */
  seed: number;
  /** Words a passage aims at (the corpus's own mean passage length). */
  wordsPerPassage: number;
}

/**
 * Synthetic documents until `shape.passages` passages are made: 20 to 150 pages of one passage each (the spread of
 * strategies and reports), each document named for its council, kind and year.
 */
export function* syntheticDocuments(templates: SentenceTemplate[], shape: LibraryShape): Generator<SyntheticDocument> {
  if (templates.length === 0 && shape.passages > 0) throw new Error("the corpus gave no sentences to recombine");
  const random = randomSource(shape.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const authorities = localAuthorityNames();
  let made = 0;
  let serial = 0;
  while (made < shape.passages) {
    serial++;
    const authority = pick(authorities);
    const year = 2012 + Math.floor(random() * 14);
    const kind = pick(documentKinds);
    const pages = Math.min(shape.passages - made, 20 + Math.floor(random() * 131));
    const fileName = `${authority} ${kind} ${year}-${String((year + 1) % 100).padStart(2, "0")} (${serial}).pdf`;
    const units: UnitText[] = [];
    const chunks: Chunk[] = [];
    // A run of neighbouring templates reads like one author's paragraph; jumps between runs mix the sources.
    let cursor = Math.floor(random() * templates.length);
    for (let page = 1; page <= pages; page++) {
      const sentences: string[] = [];
      let wordCount = 0;
      while (wordCount < shape.wordsPerPassage) {
        if (random() < 0.3) cursor = Math.floor(random() * templates.length);
        const template = templates[cursor % templates.length]!;
        cursor++;
        let sentence = template.parts[0] ?? "";
        template.slots.forEach((slot, index) => {
          const filled =
            slot === "authority"
              ? random() < 0.8
                ? authority
                : pick(authorities)
              : slot === "year"
                ? String(year - Math.floor(random() * 4))
                : varyFigure(slot.figure, random);
          sentence += filled + (template.parts[index + 1] ?? "");
        });
        sentences.push(sentence);
        wordCount += sentence.split(" ").length;
      }
      const text = sentences.join(" ");
      const section = sectionNames[Math.min(sectionNames.length - 1, Math.floor(((page - 1) / pages) * sectionNames.length))]!;
      units.push({ index: page - 1, page, section, text });
      chunks.push({ ordinal: page - 1, page, section, headingPath: [section], kind: "text", text, start: 0, end: text.length });
    }
    made += pages;
    const byteSize = units.reduce((sum, unit) => sum + unit.text.length, 0);
    yield {
      document: {
        fileName,
        sourcePath: `/synthetic/${shape.seed}/${fileName}`,
        contentHash: createHash("sha256").update(`${shape.seed}:${serial}:${fileName}`).digest("hex"),
        format: "pdf",
        title: `${authority} ${kind} ${year}`,
        byteSize,
        warnings: [],
      },
      units,
      chunks,
    };
  }
}
