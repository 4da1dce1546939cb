/**
 * Briefings for broad questions ("describe the landscape", "what are the challenges"): the themes each kind of
 * briefing covers, which found pieces may stand as a theme's points (whole sentences, never a heading, a cut-off
 * sentence, an amendment clause or a table's header row), and which lead it (the most authoritative and most
 * recent sources: national law and guidance before one council's strategy, 2025 before 2011). Every theme, word and
 * limit is in briefing.json beside this file.
 */
import { readFileSync } from "node:fs";
import * as z from "zod";
import type { AuthorityKind } from "../authority/source-authority.ts";
import type { BriefingKind } from "./question-type.ts";

const themeSchema = z.object({ title: z.string().min(1), query: z.string().min(1) });

const briefingSchema = z.object({
  themes: z.object({ challenges: z.array(themeSchema).min(1), stakeholders: z.array(themeSchema).min(1), landscape: z.array(themeSchema).min(1) }),
  broadWords: z.array(z.string().min(1)),
  pointsPerTheme: z.number().int().min(1),
  minimumCoverage: z.number().min(0).max(1),
  minimumWords: z.number().int().min(1),
  maximumRowLength: z.number().int().min(1),
  documentReuse: z.number().min(0),
  leadShare: z.number().min(0).max(1),
  authorityOrder: z.array(z.string().min(1)).min(1),
  fragments: z.object({
    sentenceEnd: z.string().min(1),
    sentenceStart: z.string().min(1),
    amendment: z.string().min(1),
    maximumTitleCaseShare: z.number().min(0).max(1),
  }),
});

export type BriefingSettings = z.infer<typeof briefingSchema>;

export interface Theme {
  title: string;
  query: string;
}

let settings: BriefingSettings | undefined;

/** briefing.json beside this file. */
export function briefingSettings(): BriefingSettings {
  settings ??= briefingSchema.parse(JSON.parse(readFileSync(new URL("./briefing.json", import.meta.url), "utf8")));
  return settings;
}

export function briefingThemes(kind: BriefingKind): Theme[] {
  return briefingSettings().themes[kind];
}

let broad: ReadonlySet<string> | undefined;

/** Words that make a question broad; they are not part of what the question is about. */
export function broadWords(): ReadonlySet<string> {
  broad ??= new Set(briefingSettings().broadWords);
  return broad;
}

export interface BriefingPiece {
  /** Verbatim text of the piece. */
  quote: string;
  display: string;
  isRow: boolean;
  /** The passage the piece was taken from. */
  passage: string;
}

let patterns: { end: RegExp; start: RegExp; amendment: RegExp } | undefined;

const compiled = (): NonNullable<typeof patterns> => {
  const fragments = briefingSettings().fragments;
  patterns ??= { end: new RegExp(fragments.sentenceEnd, "u"), start: new RegExp(fragments.sentenceStart, "u"), amendment: new RegExp(fragments.amendment, "iu") };
  return patterns;
};

/** Whether most of a line's longer words are capitalised, as in a heading ("Developing Our Relationship with the Market"). */
function titleCased(text: string): boolean {
  const longer = (text.match(/[\p{L}'’-]{3,}/gu) ?? []).filter((word) => !/^[\p{Lu}]{2,}$/u.test(word));
  if (longer.length < 3) return false;
  return longer.filter((word) => /^\p{Lu}/u.test(word)).length / longer.length > briefingSettings().fragments.maximumTitleCaseShare;
}

/**
 * A piece that is no point of a briefing: a table row that says nothing by itself (a header row: short cells, no
 * figure), a sentence begun elsewhere ("ensure that ..."), one cut off where its passage ends, a heading, or a
 * clause amending another text ("for “5” substitute “6”").
 */
export function isFragment(piece: BriefingPiece): boolean {
  const { end, start, amendment } = compiled();
  const minimumWords = briefingSettings().minimumWords;
  if (piece.isRow) {
    const cells = piece.quote.split(" | ");
    return !/\d/.test(piece.quote) && !cells.some((cell) => cell.trim().split(/\s+/).length >= minimumWords);
  }
  const text = piece.display.trim();
  if (!start.test(text) || amendment.test(text)) return true;
  if (!end.test(text)) {
    // Unfinished where its passage ends: the rest of the sentence is in the next passage.
    if (piece.passage.trimEnd().endsWith(piece.quote.trimEnd())) return true;
    if (titleCased(text)) return true;
  }
  return false;
}

export interface SourceRank {
  kind: AuthorityKind;
  year: number | null;
}

/**
 * The order a theme's points are given in: of those scoring at least `leadShare` of the best, the most
 * authoritative first (unless the question names a council, whose own documents then count as much), then the most
 * recent; the rest after, by score.
 */
export function inLeadOrder<T extends { score: number }>(candidates: T[], sourceOf: (candidate: T) => SourceRank, namesCouncil: boolean): T[] {
  if (candidates.length < 2) return candidates;
  const { leadShare, authorityOrder } = briefingSettings();
  const best = Math.max(...candidates.map((candidate) => candidate.score));
  const position = (kind: AuthorityKind): number => {
    const at = authorityOrder.indexOf(kind);
    return at < 0 ? authorityOrder.length : at;
  };
  const leading = candidates.filter((candidate) => candidate.score >= leadShare * best);
  const rest = candidates.filter((candidate) => candidate.score < leadShare * best);
  const ordered = leading
    .map((candidate, index) => ({ candidate, index, source: sourceOf(candidate) }))
    .sort(
      (left, right) =>
        (namesCouncil ? 0 : position(left.source.kind) - position(right.source.kind)) ||
        (right.source.year ?? 0) - (left.source.year ?? 0) ||
        left.index - right.index,
    )
    .map((entry) => entry.candidate);
  return [...ordered, ...rest];
}
