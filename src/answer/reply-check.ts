/**
 * Checking a model's reply against the numbered passages it was given, sentence by sentence and clause by clause.
 *
 * - A cited sentence is kept when its cited passages hold enough of its content words (stems on both sides) and
 *   every figure (in normal form: "04/10/2019" = "4 October 2019", "two" = 2). A figure the passages lack passes
 *   when the sentence shows its operands and they recompute it (a difference, a ratio, a percentage).
 * - Clause by clause: a conclusion joined by "so", "therefore", "which" or ";" must be supported too; an unsupported
 *   one is cut and the supported part kept.
 * - Spreadsheet rows are checked on their own cells: a table passage's evidence is the rows the sentence is about
 *   (never a row naming another authority in the same column) and only the header columns those rows fill.
 * - Repair before drop: a sentence its citation does not support is re-cited to the passage of the same prompt
 *   that supports it best, when that passes.
 * - A gap line ("Not in the library: ...") is kept apart as a gap; framing and summary sentences that assert no new
 *   fact are kept and marked as not from the library.
 * - A sentence that leaned on a removed one ("This must be in writing") goes with it.
 * - In drafts, a sentence about the provider must come from the organisation profile or a cited passage; every
 *   other sentence needs a citation unless it is framing ("Dear ...", "Kind regards").
 */
import { readFileSync } from "node:fs";
import * as z from "zod";
import { loadDefaultGlossary } from "../retrieval/glossary.ts";
import { contentStems, stem, words } from "../retrieval/tokenize.ts";
import { derivable, figuresIn, missingFigures } from "./figures.ts";
import type { Figures } from "./figures.ts";

const settingsSchema = z.object({
  minimumSupport: z.number(),
  conclusionSupport: z.number(),
  framingSupport: z.number(),
  summarySupport: z.number(),
  minimumCitedShare: z.number(),
  gapPrefixes: z.array(z.string()),
  gapStatements: z.array(z.string()),
  framingCues: z.array(z.string()),
  clauseBreaks: z.array(z.string()),
  anaphora: z.string(),
  strongWords: z.array(z.string()),
  /** Words that name a computation ("a gap of 38.1 percentage points"): the figures carry the claim, not they. */
  arithmeticWords: z.array(z.string()),
  providerWords: z.array(z.string()),
  /** Names every source may use (Ofsted, England): never taken as the place or body a sentence is about. */
  sharedNames: z.array(z.string()),
  /** Words a paraphrase may use for the passage's (with the retrieval glossary's groups). */
  synonyms: z.array(z.array(z.string())),
});
const settings = settingsSchema.parse(JSON.parse(readFileSync(new URL("./reply-check.json", import.meta.url), "utf8")));
export const minimumSupport = settings.minimumSupport;
const gapStatements = settings.gapStatements.map((pattern) => new RegExp(pattern, "i"));
const clauseBreak = new RegExp(settings.clauseBreaks.join("|"), "gi");
const anaphora = new RegExp(settings.anaphora, "i");
const providerWords = new Set(settings.providerWords);
const strongStems = new Set(settings.strongWords.map((word) => stem(word)));
const sharedNames = new Set(settings.sharedNames.map((word) => stem(word)));

/**
 * Stems of the capitalised words of a text ("Dorset", "Kent"), shared names left out; `afterFirst` skips the first
 * word (a question's "What"). A claim's are compared with its question's, so a capitalised opener is harmless.
 */
function nameStems(text: string, afterFirst = false): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(afterFirst ? /(?<=\S\s+)[A-Z][\p{L}'’-]+/gu : /(?<![\p{L}])[A-Z][\p{L}'’-]+/gu)) {
    for (const word of words(match[0])) if (!numberLike.test(word)) names.add(stem(word));
  }
  for (const name of [...names]) if (sharedNames.has(name) || stopWordLike(name)) names.delete(name);
  return names;
}
const stopWordLike = (value: string): boolean => contentStems(value).length === 0;

/** Groups of phrases that say the same thing (as content stems): a paraphrase's word counts when the passage has any. */
let equivalentGroups: string[][][] | undefined;
function equivalents(): string[][][] {
  equivalentGroups ??= [...loadDefaultGlossary().groups.map((group) => group.map((variant) => variant.words.join(" "))), ...settings.synonyms]
    .map((group) => group.map((phrase) => [...new Set(contentStems(phrase))]).filter((phraseStems) => phraseStems.length > 0))
    .filter((group) => group.length > 1);
  return equivalentGroups;
}

/** The groups holding a phrase with a given stem: a claim looks only at the groups its own words touch. */
let groupsByStem: Map<string, string[][][]> | undefined;
function groupsFor(claim: ReadonlySet<string>): Set<string[][]> {
  if (!groupsByStem) {
    groupsByStem = new Map();
    for (const group of equivalents()) {
      for (const value of new Set(group.flat())) groupsByStem.set(value, [...(groupsByStem.get(value) ?? []), group]);
    }
  }
  const groups = new Set<string[][]>();
  for (const value of claim) for (const group of groupsByStem.get(value) ?? []) groups.add(group);
  return groups;
}

/** The claim's stems that an equivalent phrase in the evidence supports. */
function paraphrased(claim: ReadonlySet<string>, evidence: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  for (const group of groupsFor(claim)) {
    const inClaim = group.filter((phrase) => phrase.every((value) => claim.has(value)));
    if (inClaim.length === 0) continue;
    if (!group.some((phrase) => phrase.every((value) => evidence.has(value)))) continue;
    for (const phrase of inClaim) for (const value of phrase) found.add(value);
  }
  return found;
}

/** A passage as the checker sees it: where it comes from (file, headings) and its text. */
export interface CheckPassage {
  /** File name and headings: a sentence may name the document. */
  label: string;
  text: string;
}

export type SentenceOutcome = "kept" | "repaired" | "trimmed" | "framing" | "gap" | "removed";

export interface SentenceReport {
  /** The sentence as the model wrote it, markers removed. */
  text: string;
  outcome: SentenceOutcome;
  /** Passage numbers the model cited (valid ones). */
  markers: number[];
  /** Passage numbers it carries in the answer (after repair). */
  cited: number[];
  /** Why it was removed, repaired or trimmed, in words a user can read. */
  reason: string | null;
  /** The text kept in the answer (a trimmed or re-cited sentence), or null when removed. */
  kept: string | null;
}

export interface CheckedSentence {
  text: string;
  markers: number[];
  photo: boolean;
  supported: boolean;
  /** Share of its content words found in the cited passages. */
  support: number;
}

export interface CheckedReply {
  /** The answer text (markdown-light) with only supported sentences and valid markers. */
  text: string;
  /** Passage numbers cited, in order of first use. */
  used: number[];
  /** Removed sentences (the older shape, kept for callers that count them). */
  dropped: CheckedSentence[];
  droppedMarkers: number;
  photoSentences: number;
  /** What the model said the library lacks ("Not in the library: ..."), one entry a line. */
  gaps: string[];
  /** Every sentence with what became of it, in reply order. */
  sentences: SentenceReport[];
}

export interface DraftRule {
  /** The organisation profile's text: the only source for what a sentence says about the provider. */
  profile: string;
  /** The provider's names ("Lumen Way Homes"): a sentence naming them is about the provider. */
  providerNames: string[];
}

export interface CheckReplyOptions {
  photos: boolean;
  /** The question, so a framing sentence may restate it. */
  question?: string;
  /**
   * Text the reply may restate without a citation (a draft's own wording: the organisation profile, the template's
   * lines). An uncited sentence this supports is kept (with `draft`, only when it is not about the provider); without
   * `draft`, a cited one may draw its connecting words from it but must still share words with the passages it cites.
   */
  context?: string;
  /** Drafts: a sentence about the provider must come from the profile or a cited passage; the rest needs a citation. */
  draft?: DraftRule;
  /** Mark framing sentences as not from the library (answers: emphasis); drafts keep them plain. */
  markFraming?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Evidence

const numberLike = /^\p{N}+$/u;
const arithmeticStems = new Set(settings.arithmeticWords.map((word) => stem(word)));
const claimStems = (text: string): string[] => [...new Set(contentStems(text).filter((word) => !numberLike.test(word) && !arithmeticStems.has(word)))];
const stemSet = (text: string): Set<string> => new Set(contentStems(text));

interface Evidence {
  stems: Set<string>;
  figures: Figures;
}

function evidenceOf(texts: string[]): Evidence {
  const joined = texts.join("\n");
  return { stems: stemSet(joined), figures: figuresIn(joined) };
}

interface TableShape {
  captions: string[];
  header: string[];
  rows: string[][];
}

/** A passage made of " | " rows (a spreadsheet or a PDF table), or null. */
function tableOf(text: string): TableShape | null {
  const lines = text.split("\n").map((line) => line.trim()).filter((line) => line.length > 0);
  const tabular = lines.filter((line) => line.split(" | ").length >= 3);
  if (tabular.length < 3) return null;
  const headerIndex = lines.indexOf(tabular[0]!);
  return {
    captions: lines.slice(0, headerIndex).filter((line) => !tabular.includes(line)),
    header: tabular[0]!.split(" | ").map((cell) => cell.trim()),
    rows: tabular.slice(1).map((line) => line.split(" | ").map((cell) => cell.trim())),
  };
}

const letterStems = (cell: string): string[] => words(cell).filter((word) => !numberLike.test(word)).map(stem);

/**
 * The part of a table passage a claim can lean on: the rows it is about and the header names of the columns they
 * fill. A row is left out when, in some column, the claim names another row's value and none of this row's (the
 * neighbouring authority's row), so a shared header never makes one row support another's figures.
 */
function tableEvidence(label: string, table: TableShape, claim: string, claimFigures: Figures): string[] {
  const wanted = new Set(claimStems(claim));
  const columns = Math.max(table.header.length, ...table.rows.map((row) => row.length));
  const cellStems = table.rows.map((row) => row.map(letterStems));
  const contradicted = (rowIndex: number): boolean => {
    for (let column = 0; column < columns; column++) {
      const own = new Set(cellStems[rowIndex]![column] ?? []);
      if (own.size === 0) continue;
      const common = new Set([...own].filter((value) => cellStems.every((cells) => (cells[column] ?? []).includes(value))));
      const distinct = [...own].filter((value) => !common.has(value));
      if (distinct.length === 0) continue;
      const namesOwn = distinct.some((value) => wanted.has(value));
      const namesOther = cellStems.some((cells, other) => other !== rowIndex && (cells[column] ?? []).some((value) => !own.has(value) && wanted.has(value)));
      if (namesOther && !namesOwn) return true;
    }
    return false;
  };
  // Figures the sentence shows as operands, in brackets ("(£2,278 ÷ £838)"), admit their rows whatever they name.
  const operands = figuresIn([...claim.matchAll(/\(([^)]*)\)/g)].map((match) => match[1]).join(" ")).numbers;
  const chosen: number[] = [];
  table.rows.forEach((row, index) => {
    const rowFigures = figuresIn(row.join(" | "));
    const holdsOperand = [...operands].some((figure) => rowFigures.numbers.has(figure));
    if (!holdsOperand && contradicted(index)) return;
    const sharedFigures = [...claimFigures.numbers].filter((figure) => rowFigures.numbers.has(figure)).length;
    const sharedWords = new Set(row.flatMap(letterStems).filter((value) => wanted.has(value))).size;
    if (sharedFigures > 0 || sharedWords >= 2) chosen.push(index);
  });
  const filled = new Set<number>();
  for (const index of chosen) table.rows[index]!.forEach((cell, column) => cell.length > 0 && filled.add(column));
  return [
    label,
    ...table.captions,
    table.header.filter((_name, column) => filled.has(column)).join(" "),
    ...chosen.map((index) => table.rows[index]!.join(" | ")),
  ];
}

interface ClauseVerdict {
  support: number;
  figuresFound: boolean;
  missing: string[];
}

interface Checker {
  judge(claim: string, numbers: number[]): ClauseVerdict;
}

function createChecker(passages: CheckPassage[], extra: string[], questionNames: ReadonlySet<string> = new Set()): Checker {
  const tables = passages.map((passage) => tableOf(passage.text));
  const cache = new Map<string, Evidence>();
  const evidenceFor = (claim: string, claimFigures: Figures, numbers: number[]): Evidence => {
    const key = `${numbers.join(",")}\u0000${claim}`;
    let evidence = cache.get(key);
    if (!evidence) {
      const texts: string[] = [...extra];
      for (const n of numbers) {
        const passage = passages[n - 1];
        if (!passage) continue;
        const table = tables[n - 1];
        texts.push(...(table ? tableEvidence(passage.label, table, claim, claimFigures) : [passage.label, passage.text]));
      }
      evidence = evidenceOf(texts);
      cache.set(key, evidence);
    }
    return evidence;
  };
  const verdicts = new Map<string, ClauseVerdict>();
  return {
    judge(claim, numbers) {
      const key = `${numbers.join(",")}\u0000${claim}`;
      const known = verdicts.get(key);
      if (known) return known;
      const verdict = judgeOnce(claim, numbers);
      verdicts.set(key, verdict);
      return verdict;
    },
  };

  function judgeOnce(claim: string, numbers: number[]): ClauseVerdict {
    {
      const claimFigures = figuresIn(claim, { claim: true });
      const evidence = evidenceFor(claim, claimFigures, numbers);
      const stems = claimStems(claim);
      const missingStems = stems.filter((value) => !evidence.stems.has(value));
      const viaParaphrase = missingStems.length === 0 ? new Set<string>() : paraphrased(new Set(stems), evidence.stems);
      const found = stems.length - missingStems.filter((value) => !viaParaphrase.has(value)).length;
      const support = stems.length === 0 ? 1 : found / stems.length;
      // A superlative, an absolute or a frequency ("the largest", "every", "weekly") must be the passages' own word
      // (or its equivalent); so must a place or body the question names ("Dorset"), so that one council's report
      // never speaks for another.
      const unsupportedStrong = stems.filter((value) => strongStems.has(value) && !evidence.stems.has(value) && !viaParaphrase.has(value));
      for (const name of nameStems(claim)) if (questionNames.has(name) && !evidence.stems.has(name)) unsupportedStrong.push(name);
      const missing = missingFigures(claimFigures, evidence.figures);
      const operands = [...claimFigures.numbers].filter((figure) => evidence.figures.numbers.has(figure));
      const underived = missing.numbers.filter((figure) => !derivable(figure, operands));
      return {
        support: unsupportedStrong.length > 0 ? Math.min(support, 0) : support,
        figuresFound: underived.length === 0 && missing.dates.length === 0,
        missing: [...underived, ...missing.dates, ...unsupportedStrong.map((value) => `"${value}"`)],
      };
    }
  }
}

/** Share of a claim's content words in the passages, and whether each of its figures appears there. */
export function supportOf(claim: string, passages: string[]): { support: number; figuresFound: boolean } {
  const verdict = createChecker(
    passages.map((text) => ({ label: "", text })),
    [],
  ).judge(
    claim,
    passages.map((_text, index) => index + 1),
  );
  return { support: verdict.support, figuresFound: verdict.figuresFound };
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing

const markerPattern = /\[(\d+(?:\s*,\s*\d+)*|photo)\]/gi;
/** A sentence ends at . ! ? (with any markers after it) followed by space; "Claim. [1]" keeps its marker. */
const sentenceEnd = /(?<=[.!?]["'”’)*_]*(?:\s*\[(?:\d+(?:\s*,\s*\d+)*|photo)\])*)\s+(?=\S)(?!\[(?:\d+(?:\s*,\s*\d+)*|photo)\])/gi;

export function sentencesOf(line: string): string[] {
  return line.split(sentenceEnd).map((part) => part.trim()).filter((part) => part.length > 0);
}

/** "Claim." + ["[1]", "[2]"] -> "Claim [1][2]." */
function attach(claim: string, tags: string[]): string {
  if (tags.length === 0) return claim;
  const ending = /([.!?]["'”’)]?(?:\*\*|\*|_)?)$/.exec(claim)?.[1] ?? ".";
  const body = claim.slice(0, claim.length - (/([.!?]["'”’)]?(?:\*\*|\*|_)?)$/.test(claim) ? ending.length : 0));
  return `${body} ${tags.join("")}${ending}`;
}

const withoutMarkers = (sentence: string): string =>
  sentence.replace(markerPattern, "").replace(/\s+([.,;:!?])/g, "$1").replace(/\s{2,}/g, " ").trim();

/** Splits a claim into clauses at "so", "therefore", "which", ";" (the connective stays with the later clause). */
export function clausesOf(claim: string): string[] {
  const clauses: string[] = [];
  let start = 0;
  for (const match of claim.matchAll(clauseBreak)) {
    const at = match.index ?? 0;
    if (at > start) clauses.push(claim.slice(start, at));
    start = at;
  }
  clauses.push(claim.slice(start));
  return clauses.map((clause) => clause.trim()).filter((clause) => clause.length > 0);
}

const cueOf = (claim: string): boolean => {
  const lower = claim.toLowerCase().replace(/^[*_]+/, "");
  return settings.framingCues.some((cue) => lower.startsWith(cue));
};

/** The claim without its framing cue ("In short, ..."): the cue's words are no content. */
const withoutCue = (claim: string): string => {
  const lower = claim.toLowerCase().replace(/^[*_]+/, "");
  const cue = settings.framingCues.find((candidate) => lower.startsWith(candidate));
  return cue === undefined ? claim : claim.replace(/^[*_]+/, "").slice(cue.length);
};

const gapPrefix = (line: string): string | null => {
  const lower = line.toLowerCase().replace(/^[*_]+/, "");
  const prefix = settings.gapPrefixes.find((candidate) => lower.startsWith(candidate));
  return prefix === undefined ? null : line.replace(/^[*_]+/, "").slice(prefix.length).replace(/^[*_\s]+/, "").trim();
};

/** A sentence about the provider: "we", "our", the provider's name. */
export function aboutProvider(claim: string, rule: DraftRule): boolean {
  if (words(claim).some((word) => providerWords.has(word))) return true;
  const lower = claim.toLowerCase();
  return rule.providerNames.some((name) => name.trim().length > 0 && lower.includes(name.trim().toLowerCase()));
}

// ---------------------------------------------------------------------------------------------------------------

interface Pending {
  line: number;
  kind: "heading" | "sentence" | "lead-in" | "gap" | "photo";
  bullet: boolean;
  paragraph: number;
  report: SentenceReport;
  /** First sentence of the reply (an opening line frames, it does not state). */
  opening: boolean;
}

const plural = (count: number, one: string, many: string): string => (count === 1 ? one : many);
const list = (numbers: number[]): string => numbers.map((n) => `[${n}]`).join("");

/**
 * Checks a reply. `passages[i]` is passage i + 1: a string (its text with any label first) or {label, text}.
 */
export function checkReply(reply: string, passageInput: (string | CheckPassage)[], options: CheckReplyOptions = { photos: false }): CheckedReply {
  const passages: CheckPassage[] = passageInput.map((passage) => (typeof passage === "string" ? { label: "", text: passage } : passage));
  const questionNames = nameStems(options.question ?? "", true);
  const checker = createChecker(passages, [], questionNames);
  const withContext = options.context !== undefined && !options.draft ? createChecker(passages, [options.context], questionNames) : null;
  const profileChecker = options.draft ? createChecker([{ label: "", text: options.draft.profile }], []) : null;
  // Drafts too: an uncited sentence not about the provider may restate the draft's own wording (the template's lines).
  const contextChecker = options.context !== undefined ? createChecker([{ label: "", text: options.context }], []) : null;
  const all = passages.map((_passage, index) => index + 1);
  let droppedMarkers = 0;
  let photoSentences = 0;
  const pending: Pending[] = [];
  const headings = new Map<number, string>();
  const gaps: string[] = [];
  let paragraph = 0;

  const passes = (verdict: ClauseVerdict, threshold = settings.minimumSupport): boolean => verdict.support >= threshold && verdict.figuresFound;
  const failure = (verdict: ClauseVerdict, numbers: number[]): string =>
    verdict.missing.length > 0
      ? `${verdict.missing.join(", ")} ${verdict.missing.length === 1 ? "is" : "are"} not in ${numbers.length === 0 ? "any passage" : `passage ${list(numbers)}`}`
      : `${numbers.length === 0 ? "no passage" : `passage ${list(numbers)}`} does not say this`;

  /** Judges a cited claim clause by clause: null when its main clause fails, else the supported leading clauses. */
  const judgeCited = (claim: string, numbers: number[]): { text: string; trimmedReason: string | null; support: number } | { failed: ClauseVerdict } => {
    const clauses = clausesOf(claim);
    const judge = (text: string): ClauseVerdict => {
      const plain = checker.judge(text, numbers);
      if (!withContext || passes(plain)) return plain;
      const combined = withContext.judge(text, numbers);
      return plain.support >= settings.minimumCitedShare ? { ...combined } : { ...combined, support: Math.min(combined.support, plain.support) };
    };
    const main = judge(clauses[0]!);
    const whole = clauses.length > 1 ? judge(claim) : main;
    if (!passes(main) && !passes(whole)) return { failed: passes(main) ? whole : main };
    if (clauses.length === 1) return { text: claim, trimmedReason: null, support: main.support };
    if (!passes(main)) return { text: claim, trimmedReason: null, support: whole.support };
    for (let index = 1; index < clauses.length; index++) {
      const clause = clauses[index]!;
      if (claimStems(clause).length < 2 && figuresIn(clause, { claim: true }).numbers.size === 0) continue;
      const verdict = judge(clause);
      if (!passes(verdict, settings.conclusionSupport)) {
        const kept = clauses.slice(0, index).join(" ").replace(/[,;:\s]+$/, "");
        return { text: `${kept}.`, trimmedReason: `the conclusion "${clause.replace(/^[,;\s]+/, "")}" is not in passage ${list(numbers)}`, support: main.support };
      }
    }
    return { text: claim, trimmedReason: null, support: main.support };
  };

  /** The best passage set supporting a claim other than `numbers`, or null. */
  const repairFor = (claim: string, numbers: number[]): { numbers: number[]; text: string; trimmedReason: string | null } | null => {
    let best: { numbers: number[]; text: string; trimmedReason: string | null; support: number } | null = null;
    const candidates: number[][] = all.filter((n) => !numbers.includes(n)).map((n) => [n]);
    // A sentence citing two passages may have one right and one wrong: keep each cited one with a new one. A sentence
    // citing one passage is re-cited to one passage, never propped up by adding a second.
    if (numbers.length > 1) for (const kept of numbers) for (const n of all) if (n !== kept && !numbers.includes(n)) candidates.push([kept, n].sort((a, b) => a - b));
    for (const candidate of candidates) {
      const verdict = judgeCited(claim, candidate);
      if ("failed" in verdict) continue;
      if (verdict.trimmedReason !== null) continue;
      const score = verdict.support - (candidate.length > 1 ? 0.05 : 0);
      if (!best || score > best.support) best = { numbers: candidate, text: verdict.text, trimmedReason: verdict.trimmedReason, support: score };
    }
    return best;
  };

  const lines = reply.replace(/\r\n?/g, "\n").split("\n");
  let opening = true;
  lines.forEach((rawLine, lineIndex) => {
    const line = rawLine.trim();
    if (line.length === 0) {
      paragraph++;
      return;
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      headings.set(lineIndex, `### ${withoutMarkers(heading[1]!)}`);
      paragraph++;
      return;
    }
    const bullet = /^(?:[-*•]|\d+[.)])\s+/.exec(line);
    const body = bullet ? line.slice(bullet[0].length) : line;
    const gap = gapPrefix(body);
    if (gap !== null) {
      // "Not in the library: the passages do not say ..." is shown under its own heading, as a sentence.
      if (gap.length > 0) gaps.push(withoutMarkers(gap).replace(/^\p{Ll}/u, (letter) => letter.toUpperCase()));
      pending.push({
        line: lineIndex,
        kind: "gap",
        bullet: false,
        paragraph,
        opening: false,
        report: { text: withoutMarkers(gap), outcome: "gap", markers: [], cited: [], reason: null, kept: null },
      });
      return;
    }
    for (const sentence of sentencesOf(body)) {
      const markers: number[] = [];
      let photo = false;
      for (const match of sentence.matchAll(markerPattern)) {
        const inner = match[1]!;
        if (inner.toLowerCase() === "photo") {
          photo = true;
          continue;
        }
        for (const part of inner.split(",")) {
          const n = Number(part.trim());
          if (Number.isInteger(n) && n >= 1 && n <= passages.length) {
            if (!markers.includes(n)) markers.push(n);
          } else droppedMarkers++;
        }
      }
      const claim = withoutMarkers(sentence);
      if (claim.length === 0) continue;
      const report: SentenceReport = { text: claim, outcome: "kept", markers, cited: [...markers], reason: null, kept: claim };
      const entry: Pending = { line: lineIndex, kind: "sentence", bullet: Boolean(bullet), paragraph, report, opening };
      opening = false;
      pending.push(entry);
      // A short lead-in ("The main pressures are:") or a bold label line ("**Costs**") states nothing to check.
      const label = /^\*\*[^*]+\*\*:?$/.test(claim) && words(claim).length <= 8;
      if (markers.length === 0 && !photo && ((/:$/.test(claim) && words(claim).length <= 12) || label)) {
        entry.kind = "lead-in";
        continue;
      }
      if (photo && markers.length === 0) {
        if (options.photos) {
          photoSentences++;
          entry.kind = "photo";
          report.kept = attach(claim, ["[photo]"]);
        } else Object.assign(report, { outcome: "removed", kept: null, reason: "it describes a photo, and none was attached" });
        continue;
      }
      if (markers.length === 0) {
        if (gapStatements.some((pattern) => pattern.test(claim))) {
          gaps.push(claim);
          entry.kind = "gap";
          Object.assign(report, { outcome: "gap", kept: null });
        }
        continue; // uncited: decided below, once the cited sentences are known
      }
      const verdict = judgeCited(claim, markers);
      if (!("failed" in verdict)) {
        if (verdict.trimmedReason !== null) Object.assign(report, { outcome: "trimmed", kept: verdict.text, reason: verdict.trimmedReason });
        else report.kept = verdict.text;
        continue;
      }
      if (options.draft && aboutProvider(claim, options.draft)) {
        Object.assign(report, { outcome: "removed", kept: null, reason: `it is about the provider, and ${failure(verdict.failed, markers)}` });
        continue;
      }
      const repair = repairFor(claim, markers);
      if (repair) {
        Object.assign(report, {
          outcome: "repaired",
          cited: repair.numbers,
          kept: repair.text,
          reason: `cited ${list(markers)}, which does not say this; ${list(repair.numbers)} does`,
        });
        continue;
      }
      Object.assign(report, { outcome: "removed", kept: null, reason: failure(verdict.failed, markers) });
    }
  });

  // Uncited sentences: the profile (drafts), the draft's wording, framing, a citation found for them, or out.
  const keptText = (): string =>
    pending
      .filter((entry) => entry.kind === "sentence" && entry.report.kept !== null && entry.report.cited.length > 0)
      .map((entry) => entry.report.kept)
      .join(" ");
  const known = evidenceOf([options.question ?? ""]);
  for (const entry of pending) {
    const { report } = entry;
    if (entry.kind !== "sentence" || report.markers.length > 0 || report.outcome !== "kept") continue;
    const claim = report.text;
    if (options.draft && profileChecker) {
      const fromProfile = profileChecker.judge(claim, [1]);
      if (passes(fromProfile)) continue;
      if (aboutProvider(claim, options.draft) && !cueOf(claim)) {
        Object.assign(report, { outcome: "removed", kept: null, reason: "it is about the provider, and the organisation profile does not say it" });
        continue;
      }
    }
    if (contextChecker && passes(contextChecker.judge(claim, [1]))) continue;
    const figures = figuresIn(claim, { claim: true });
    const keptEvidence = evidenceOf([keptText(), options.question ?? "", ...(options.context && !options.draft ? [options.context] : [])]);
    const unknownFigures = missingFigures(figures, { numbers: new Set([...keptEvidence.figures.numbers, ...known.figures.numbers]), dates: keptEvidence.figures.dates });
    const noNewFigures = unknownFigures.numbers.length === 0 && unknownFigures.dates.length === 0;
    const stems = claimStems(withoutCue(claim));
    const share = (evidence: Evidence): number => (stems.length === 0 ? 1 : stems.filter((value) => evidence.stems.has(value)).length / stems.length);
    // Framing may restate the question, the kept sentences and the passages they cite; never another passage (a
    // passage's own "instructions" must not come back as an opening line).
    const citedByKept = new Set(pending.flatMap((other) => (other.kind === "sentence" && other.report.kept !== null ? other.report.cited : [])));
    const anywhere = evidenceOf([
      keptText(),
      options.question ?? "",
      ...[...citedByKept].map((n) => `${passages[n - 1]?.label ?? ""}\n${passages[n - 1]?.text ?? ""}`),
    ]);
    const framingShare = share(anywhere);
    // An opening or cue line may name what the cited passages hold ("regulation 35") and count in words ("the two").
    const framingFigures = missingFigures(figuresIn(claim, { claim: true, numberWords: false }), anywhere.figures);
    const framingNoNewFigures = framingFigures.numbers.length === 0 && framingFigures.dates.length === 0;
    if (framingNoNewFigures && ((cueOf(claim) && (stems.length <= 3 || framingShare >= settings.framingSupport)) || (entry.opening && stems.length > 0 && framingShare >= settings.framingSupport))) {
      Object.assign(report, { outcome: "framing", reason: "framing: not from the library" });
      continue;
    }
    if (noNewFigures && share(keptEvidence) >= settings.summarySupport) {
      Object.assign(report, { outcome: "framing", reason: "a summary of the sentences above: not from the library" });
      continue;
    }
    Object.assign(report, { outcome: "removed", kept: null, reason: "it has no citation, and no passage says it" });
  }

  // A kept sentence that leaned on the removed one before it ("This must be in writing") goes too.
  for (let index = 1; index < pending.length; index++) {
    const entry = pending[index]!;
    const before = pending[index - 1]!;
    if (entry.kind !== "sentence" || entry.report.kept === null || before.kind !== "sentence" || before.report.outcome !== "removed") continue;
    if (before.paragraph !== entry.paragraph || (entry.bullet && before.line !== entry.line)) continue;
    const opening = entry.report.text.replace(/^[*_]+/, "");
    const leansOnRemoved =
      anaphora.test(opening) ||
      (() => {
        const subject = /^the ([a-z]+)/i.exec(opening)?.[1];
        if (!subject) return false;
        const subjectStem = stem(subject.toLowerCase());
        const earlier = new Set(contentStems([options.question ?? "", ...pending.slice(0, index - 1).map((other) => (other.report.kept === null ? "" : other.report.text))].join(" ")));
        return stemSet(before.report.text).has(subjectStem) && !earlier.has(subjectStem);
      })();
    if (leansOnRemoved) Object.assign(entry.report, { outcome: "removed", kept: null, reason: "it refers to a sentence that was removed" });
  }

  // Render.
  const used: number[] = [];
  const output: string[] = [];
  let pendingHeading: string | null = null;
  let pendingLeadIn: string | null = null;
  let lastParagraph = -1;
  const byLine = new Map<number, Pending[]>();
  for (const entry of pending) byLine.set(entry.line, [...(byLine.get(entry.line) ?? []), entry]);
  lines.forEach((_line, lineIndex) => {
    const heading = headings.get(lineIndex);
    if (heading) {
      pendingHeading = heading;
      return;
    }
    const entries = byLine.get(lineIndex);
    if (!entries) return;
    const kept: string[] = [];
    let bullet = false;
    for (const entry of entries) {
      bullet = entry.bullet;
      const { report } = entry;
      if (entry.kind === "gap" || report.kept === null) continue;
      if (entry.kind === "lead-in" || entry.kind === "photo") {
        kept.push(report.kept);
        continue;
      }
      if (report.outcome === "framing") {
        kept.push(options.markFraming ? `_${report.kept.replace(/^[*_]+|[*_]+$/g, "")}_` : report.kept);
        continue;
      }
      for (const n of report.cited) if (!used.includes(n)) used.push(n);
      kept.push(attach(report.kept, report.cited.map((n) => `[${n}]`)));
    }
    const paragraphOf = entries[0]!.paragraph;
    const keptFacts = entries.filter((entry) => (entry.kind === "sentence" || entry.kind === "photo") && entry.report.kept !== null);
    if (kept.length === 0 || (keptFacts.length === 0 && !bullet)) {
      if (kept.length > 0) pendingLeadIn = kept.join(" ");
      return;
    }
    if (pendingHeading) {
      if (output.length > 0 && output.at(-1) !== "") output.push("");
      output.push(pendingHeading);
      pendingHeading = null;
    } else if (output.length > 0 && paragraphOf !== lastParagraph && output.at(-1) !== "" && !(bullet && output.at(-1)!.startsWith("- "))) {
      output.push("");
    }
    if (pendingLeadIn) {
      output.push(pendingLeadIn);
      pendingLeadIn = null;
    }
    lastParagraph = paragraphOf;
    output.push(`${bullet ? "- " : ""}${kept.join(" ")}`);
  });
  while (output.at(-1) === "") output.pop();
  while (output.length > 0 && /:$/.test(output.at(-1)!)) output.pop();

  const sentences = pending.filter((entry) => entry.kind !== "lead-in").map((entry) => entry.report);
  const dropped: CheckedSentence[] = sentences
    .filter((report) => report.outcome === "removed")
    .map((report) => ({ text: report.text, markers: report.markers, photo: false, supported: false, support: 0 }));
  return { text: output.join("\n"), used, dropped, droppedMarkers, photoSentences, gaps, sentences };
}

/** A short account of what the check changed, for notes: "2 sentences removed, 1 re-cited". */
export function checkSummary(checked: CheckedReply): string | null {
  const count = (outcome: SentenceOutcome): number => checked.sentences.filter((report) => report.outcome === outcome).length;
  const parts: string[] = [];
  const removed = count("removed");
  const repaired = count("repaired");
  const trimmed = count("trimmed");
  if (removed > 0) parts.push(`${removed} ${plural(removed, "sentence was", "sentences were")} left out because the passages did not support ${plural(removed, "it", "them")}`);
  if (repaired > 0) parts.push(`${repaired} ${plural(repaired, "was", "were")} re-cited to the passage that says ${plural(repaired, "it", "them")}`);
  if (trimmed > 0) parts.push(`${trimmed} lost an unsupported conclusion`);
  return parts.length === 0 ? null : `${parts.join("; ")}.`;
}
