/**
 * Reads a question once, the way people ask: typos corrected against the library's own words, task words ("mock",
 * "outline", "KPIs") and the provider's own name set aside, a question about the provider's own documents noticed,
 * and a multi-part question parted. The result is handed to retrieval (its `text`) and to the answerer (its shape,
 * its parts and what was set aside, which the answer states).
 */
import { readFileSync } from "node:fs";
import * as z from "zod";
import { findLocalAuthorities } from "../market/local-authority-names.ts";
import { loadDefaultGlossary } from "../retrieval/glossary.ts";
import { stem, stopWords, words } from "../retrieval/tokenize.ts";
import type { QuestionShape } from "./question-type.ts";
import { classifyQuestion } from "./question-type.ts";

const questionWordsSchema = z.object({
  taskWords: z.array(z.string().min(1)),
  organisationSuffixes: z.array(z.string().min(1)),
  ownDocuments: z.array(z.string().min(1)),
  askingAboutOwn: z.array(z.string().min(1)),
  ownDocumentPrepositions: z.array(z.string().min(1)),
  guidanceWords: z.array(z.string().min(1)),
  partJoins: z.array(z.string().min(1)),
  comparisonWords: z.array(z.string().min(1)),
  eachWords: z.array(z.string().min(1)),
  thingAskedBefore: z.array(z.string().min(1)),
  provisionReferenceWords: z.array(z.string().regex(/^[a-z]+$/)).min(1),
  instrumentWords: z.array(z.string().regex(/^[a-z]+$/)).min(1),
  eachClauseBreaks: z.string().min(1),
  agesInPlural: z.string().min(1),
  focusOpeners: z.array(z.string().min(1)),
  focusClauseBreaks: z.string().min(1),
  focusMaximumWords: z.number().int().min(2),
  negatedAsk: z.string().min(1),
  correction: z.object({
    minimumLength: z.number().int().min(3),
    glossaryMinimumLength: z.number().int().min(3),
    minimumPassages: z.number().int().min(1),
    wordsChecked: z.number().int().min(1),
  }),
});

export type QuestionWords = z.infer<typeof questionWordsSchema>;

/**
 * The words a question asks the answer NOT to hold: "which judgement wasn't outstanding?" asks for the one that is
 * something else, so a sentence or row saying "outstanding" answers it least. Stems, empty when nothing is negated.
 */
export function negatedStems(text: string, settings: QuestionWords = loadQuestionWords()): string[] {
  return [...text.matchAll(patternsOf(settings).negatedAsk)].map((match) => match[1] ?? "").filter((word) => word.length > 0).map((word) => stem(word.toLowerCase()));
}

let defaultWords: QuestionWords | undefined;

/**
 * The regular expressions the word lists make, compiled once per word lists (every question reads them; a regex
 * built per call is compiled again, first to bytecode and then to native code, whenever V8 has let it go). The
 * global ones are used only with matchAll, replace and split, which never move a shared regex's lastIndex.
 */
interface QuestionPatterns {
  negatedAsk: RegExp;
  taskWords: RegExp;
  agesInPlural: RegExp;
  focusClauseBreaks: RegExp;
  partBreaks: RegExp;
  comparison: RegExp;
  each: RegExp;
  eachClauseBreaks: RegExp;
  /** A part that is only a provision reference ("reg 44?"), and provision references anywhere in a question. */
  referenceOnly: RegExp;
  references: RegExp;
  guidanceWords: RegExp[];
  /** Own documents, longest name first, each with the pattern of "our … <name>". */
  ownDocuments: { name: string; pattern: RegExp }[];
}

const compiledPatterns = new WeakMap<QuestionWords, QuestionPatterns>();

function patternsOf(settings: QuestionWords): QuestionPatterns {
  let patterns = compiledPatterns.get(settings);
  if (!patterns) {
    const joins = settings.partJoins.map((join) => escape(join).replace(/ /g, "\\s+")).join("|");
    // "reg 44", "Regulations 44", "schedule 2.": a provision cited by the same words the answerer reads one by.
    const reference = `(?:${settings.provisionReferenceWords.join("|")})s?\\.?\\s+\\d{1,3}[a-z]?`;
    patterns = {
      negatedAsk: new RegExp(settings.negatedAsk, "giu"),
      taskWords: new RegExp(`(?<![\\p{L}])(?:${settings.taskWords.map(escape).join("|")})(?![\\p{L}])`, "giu"),
      agesInPlural: new RegExp(settings.agesInPlural, "giu"),
      focusClauseBreaks: new RegExp(settings.focusClauseBreaks, "u"),
      partBreaks: new RegExp(`\\?\\s+(?=\\p{L})|,?\\s+(?=(?:${joins})\\b)`, "iu"),
      comparison: new RegExp(`\\b(?:${settings.comparisonWords.map((word) => word.replace(/ /g, "\\s+")).join("|")})\\b`, "i"),
      each: new RegExp(`\\s*\\b(?:${settings.eachWords.map((word) => escape(word).replace(/ /g, "\\s+")).join("|")})\\b`, "iu"),
      eachClauseBreaks: new RegExp(settings.eachClauseBreaks, "u"),
      referenceOnly: new RegExp(`^${reference}\\??$`, "i"),
      references: new RegExp(`\\b${reference}\\b`, "gi"),
      guidanceWords: settings.guidanceWords.map((word) => new RegExp(`\\b${escape(word)}\\b`)),
      ownDocuments: settings.ownDocuments
        .slice()
        .sort((left, right) => right.length - left.length)
        .map((name) => ({ name, pattern: new RegExp(`(?:^|\\s)(?:([a-z]+) )?our (?:own )?(?:[a-z]+ ){0,2}${escape(words(name).join(" "))}\\b`) })),
    };
    compiledPatterns.set(settings, patterns);
  }
  return patterns;
}

/** The word lists in question-words.json beside this file. */
export function loadQuestionWords(): QuestionWords {
  defaultWords ??= questionWordsSchema.parse(JSON.parse(readFileSync(new URL("./question-words.json", import.meta.url), "utf8")));
  return defaultWords;
}

export interface Correction {
  /** The word as the question wrote it. */
  from: string;
  /** The library's word it was read as. */
  to: string;
}

export interface QuestionAnalysis {
  /** The question as asked. */
  asked: string;
  /** What retrieval and scoring read: typos corrected, task words and the provider's own name taken out. */
  text: string;
  shape: QuestionShape;
  corrections: Correction[];
  /** Task words set aside ("Mock", "outline"), as written. */
  taskWords: string[];
  /** The provider's own name as written ("Lumen Way Homes"), which the library need not hold. */
  ownNames: string[];
  /** The provider's own document the question asks about ("business plan"), or null. */
  ownDocument: string | null;
  /** The parts of a multi-part question, each readable alone; one entry for a simple question. */
  parts: string[];
}

export interface QuestionContext {
  /** How many passages hold each word (the store's `documentFrequencies`). */
  passagesHolding(terms: string[]): Promise<Map<string, number>>;
  /**
   * Whether the library's text holds this exact word (not only a word of the same stem: "vaaing" shares a stem
   * with no word, yet may share one with a code). Corrections are only made to words it holds.
   */
  holdsWord(word: string): Promise<boolean>;
  /** The provider's own name (organisation profile), when known. */
  ownName?: string | undefined;
  /** The field's vocabulary a typo may be read as, even where few passages spell it (default: the glossary's words). */
  glossaryWords?: ReadonlySet<string>;
  words?: QuestionWords;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const letters = "abcdefghijklmnopqrstuvwxyz";

/** Every word one edit away (a letter dropped, added, changed, or two swapped). */
function oneEditAway(word: string): string[] {
  const found = new Set<string>();
  for (let index = 0; index <= word.length; index++) {
    const before = word.slice(0, index);
    const after = word.slice(index);
    if (after.length > 0) found.add(before + after.slice(1));
    if (after.length > 1) found.add(before + after[1] + after[0] + after.slice(2));
    for (const letter of letters) {
      if (after.length > 0) found.add(before + letter + after.slice(1));
      found.add(before + letter + after);
    }
  }
  found.delete(word);
  return [...found];
}

let defaultGlossaryWords: ReadonlySet<string> | undefined;

/** Every word of the glossary's terms ("safeguarding", "individual", "ofsted"), for reading typos. */
function glossaryVocabulary(): ReadonlySet<string> {
  defaultGlossaryWords ??= new Set(loadDefaultGlossary().groups.flatMap((group) => group.flatMap((variant) => variant.words)).filter((word) => /^[a-z]+$/.test(word)));
  return defaultGlossaryWords;
}

/**
 * Typos read as the field's words: only a word the library never holds is corrected, to a glossary word one edit
 * away when there is one (the field's own vocabulary, even where few passages spell it), otherwise to the library's
 * commonest word one edit away.
 */
async function correctTypos(text: string, context: QuestionContext, settings: QuestionWords): Promise<{ text: string; corrections: Correction[] }> {
  const glossary = context.glossaryWords ?? glossaryVocabulary();
  const shortest = Math.min(settings.correction.minimumLength, settings.correction.glossaryMinimumLength);
  const candidates = [...new Set((text.match(/\p{L}+/gu) ?? []).filter((word) => word.length >= shortest))];
  const lower = candidates.map((word) => word.toLowerCase()).filter((word) => /^[a-z]+$/.test(word) && !stopWords.has(word));
  if (lower.length === 0) return { text, corrections: [] };
  const known = await context.passagesHolding(lower);
  const unknown = lower.filter((word) => (known.get(word) ?? 0) === 0 && !glossary.has(word));
  const neighboursOf = new Map(unknown.map((word) => [word, oneEditAway(word).filter((neighbour) => neighbour[0] === word[0])]));
  // Every unknown word's neighbours in one look-up.
  const counts = unknown.length > 0 ? await context.passagesHolding([...new Set([...neighboursOf.values()].flat())]) : new Map<string, number>();
  const corrections: Correction[] = [];
  let corrected = text;
  for (const word of unknown) {
    const neighbours = neighboursOf.get(word) ?? [];
    const inGlossary = word.length >= settings.correction.glossaryMinimumLength ? neighbours.filter((neighbour) => glossary.has(neighbour)) : [];
    const fromLibrary = word.length >= settings.correction.minimumLength ? neighbours : [];
    const byCount = (left: string, right: string): number => (counts.get(right) ?? 0) - (counts.get(left) ?? 0);
    const glossaryBest = [...inGlossary].sort(byCount)[0];
    const ranked = fromLibrary
      .map((neighbour) => ({ word: neighbour, count: counts.get(neighbour) ?? 0 }))
      .filter((candidate) => candidate.count >= settings.correction.minimumPassages)
      .sort((left, right) => right.count - left.count);
    let best = glossaryBest;
    if (best === undefined) {
      for (const candidate of ranked.slice(0, settings.correction.wordsChecked)) {
        if (await context.holdsWord(candidate.word)) {
          best = candidate.word;
          break;
        }
      }
    }
    if (!best) continue;
    const pattern = new RegExp(`(?<![\\p{L}])${escape(word)}(?![\\p{L}])`, "giu");
    const written = pattern.exec(corrected)?.[0] ?? word;
    corrected = corrected.replace(pattern, best);
    corrections.push({ from: written, to: best });
  }
  return { text: corrected, corrections };
}

/** Runs of capitalised words ending in an organisation word ("Lumen Way Homes") that the library never names. */
async function organisationNames(text: string, context: QuestionContext, settings: QuestionWords): Promise<string[]> {
  const names: string[] = [];
  const suffixes = new Set(settings.organisationSuffixes);
  const runs: { run: string; own: string[] }[] = [];
  for (const match of text.matchAll(/(?:\b[A-Z][\p{L}'’&-]*\s+){1,4}[A-Z][\p{L}'’-]*/gu)) {
    const run = match[0].trim();
    const runWords = run.split(/\s+/);
    const last = (runWords.at(-1) ?? "").toLowerCase();
    if (!suffixes.has(last) || runWords.length < 2) continue;
    // The name's own words (all but the suffix) are not the library's: "Lumen" is in no passage.
    runs.push({ run, own: runWords.slice(0, -1).map((word) => word.toLowerCase()).filter((word) => !stopWords.has(word)) });
  }
  const counts = runs.length > 0 ? await context.passagesHolding([...new Set(runs.flatMap((entry) => entry.own))]) : new Map<string, number>();
  for (const { run, own } of runs) {
    if (own.length > 0 && own.some((word) => (counts.get(word) ?? 0) === 0)) names.push(run);
  }
  if (context.ownName && new RegExp(`(?<![\\p{L}])${escape(context.ownName)}(?![\\p{L}])`, "iu").test(text)) names.push(context.ownName);
  return [...new Set(names)];
}

/**
 * "What KPIs are in our business plan?", "Summarise our service model": a question about what the provider's own
 * document says, not about what the rules want of it ("What should our statement of purpose include?") nor about
 * a duty that follows from it ("We've revised our statement of purpose - how long do we have to send it?").
 */
function ownDocumentAsked(text: string, settings: QuestionWords): string | null {
  const lower = words(text).join(" ");
  const patterns = patternsOf(settings);
  if (patterns.guidanceWords.some((pattern) => pattern.test(lower))) return null;
  for (const { name, pattern } of patterns.ownDocuments) {
    const match = pattern.exec(lower);
    if (!match) continue;
    const before = match[1] ?? "";
    const opening = settings.askingAboutOwn.find((start) => lower.startsWith(`${words(start).join(" ")} `));
    if (settings.ownDocumentPrepositions.includes(before) || (opening !== undefined && match.index <= words(opening).join(" ").length + 1)) return name;
  }
  return null;
}

/** Parts of "How often must X visit, and what must their report cover?": each part a question of its own. */
function splitParts(text: string, settings: QuestionWords): string[] {
  const pieces = text
    .split(patternsOf(settings).partBreaks)
    .map((piece) => piece.replace(/^(and|also)\s+/i, "").trim())
    .filter((piece) => piece.length > 0);
  // A trailing reference ("... their report? reg 44") is not a part: it scopes every part (added below).
  const { referenceOnly, references: referencePattern } = patternsOf(settings);
  pieces.splice(0, pieces.length, ...pieces.filter((piece) => !referenceOnly.test(piece)));
  if (pieces.length < 2) return [text];
  const content = (piece: string): string[] => words(piece).filter((word) => !stopWords.has(word));
  // The first part names the subject; a short later part ("and what qualification?") leans on it: "What experience
  // must a registered manager have" lends "registered manager" (its words after the thing asked for).
  const first = pieces[0] ?? "";
  const subject = content(first).slice(/^\s*(what|which|how\s+\w+)\b/i.test(first) ? 1 : 0);
  const completed = pieces.map((piece, index) => {
    // "... and what qualifications must they hold?": a pronoun stands for the first part's subject too.
    if (index === 0 || (content(piece).length >= 2 && !/\b(they|them|their|it|its|he|she|his|her|this|that|these|those)\b/i.test(piece))) return piece;
    const lent = subject.filter((word) => !content(piece).includes(word) && !settings.taskWords.includes(word));
    return lent.length > 0 ? `${piece.replace(/\?$/, "")} ${lent.join(" ")}` : piece;
  });
  if (completed.some((piece) => content(piece).length < 2)) return [text];
  pieces.splice(0, pieces.length, ...completed);
  // What names the subject in one part (a provision, a place) is the subject of the others too.
  const references = [...text.matchAll(referencePattern)].map((match) => match[0]);
  return pieces.map((piece) => {
    const missing = references.filter((reference) => !piece.toLowerCase().includes(reference.toLowerCase()));
    return missing.length > 0 ? `${piece.replace(/\?$/, "")} ${missing.join(" ")}` : piece;
  });
}

/**
 * "Blackpool had an ILACS in Dec 2022 and an area SEND inspection in May 2024 - what were the headline outcomes of
 * each?": one clause names two or more things joined by "and", another asks the same of each ("each", "both"). Each
 * thing is asked about on its own ("Blackpool had an ILACS in Dec 2022 - what were the headline outcomes?", "Blackpool
 * - an area SEND inspection in May 2024 - what were the headline outcomes?"), the first thing's places lent to the
 * others, so that each is found and cited. Null when the question is not of that form.
 */
export function eachOfJoined(text: string, settings: QuestionWords = loadQuestionWords()): string[] | null {
  const patterns = patternsOf(settings);
  const clauses = text.split(patterns.eachClauseBreaks).map((clause) => clause.trim()).filter((clause) => clause.length > 0);
  if (clauses.length < 2) return null;
  const askingIndex = clauses.findIndex((clause) => patterns.each.test(clause));
  if (askingIndex < 0) return null;
  const content = (piece: string): string[] => words(piece).filter((word) => !stopWords.has(word));
  // The asking clause without its "each": what is asked of every thing.
  const asking = clauses[askingIndex]!.replace(patterns.each, "").replace(/\s+(?:of|for|in|from)\s*(?=[?.!]?$)/i, "").replace(/\s+([?.!])$/, "$1").trim();
  const joined = clauses.find((clause, index) => index !== askingIndex && /\s+and\s+/i.test(clause));
  if (!joined || words(asking).length === 0) return null;
  const items = joined.split(/,?\s+and\s+|,\s+/i).map((item) => item.trim());
  // Things, not a phrase such as "children and families": each item names something of its own.
  if (items.length < 2 || items.some((item) => content(item).length < 2)) return null;
  const places = findLocalAuthorities(items[0] ?? "");
  return items.map((item, index) => {
    const lent = index === 0 ? [] : places.filter((place) => findLocalAuthorities(item).length === 0 && !item.toLowerCase().includes(place.toLowerCase()));
    return `${lent.length > 0 ? `${lent.join(" ")} - ` : ""}${item} - ${/[?.!]$/.test(asking) ? asking : `${asking}?`}`;
  });
}

/**
 * "Cambs or Notts - which had the higher net gain?", "Blackpool's CLA rate compared to England": a comparison of
 * places, answered place by place so that each figure is found and cited. Each part is the question with the other
 * places taken out and its own place named. Two places are compared when they are joined ("Sunderland and
 * Cumberland", "Cambs or Notts") or the question says so ("compared to", "higher", "versus").
 */
function comparedPlaces(text: string, settings: QuestionWords): string[] | null {
  const tokens = [...text.matchAll(/[\p{L}][\p{L}'’-]*/gu)];
  const mentions: { start: number; end: number; place: string }[] = [];
  for (let index = 0; index < tokens.length; index++) {
    // The shortest run of words that names a place is its mention ("Sunderland", "North Somerset").
    for (let length = 1; length <= 3; length++) {
      const last = tokens[index + length - 1];
      const first = tokens[index];
      if (!first || !last || !/^\p{Lu}/u.test(first[0])) continue;
      const start = first.index ?? 0;
      const end = (last.index ?? 0) + last[0].length;
      const span = text.slice(start, end);
      const found = span === "England" ? ["England"] : findLocalAuthorities(span);
      if (found.length !== 1 || mentions.some((mention) => mention.place === found[0])) continue;
      // Not "RAAs do Sunderland": without its first word the run must not name the same place.
      if (length > 1 && findLocalAuthorities(text.slice(tokens[index + 1]?.index ?? end, end)).includes(found[0]!)) continue;
      mentions.push({ start, end, place: found[0]! });
      index += length - 1;
      break;
    }
  }
  const places = mentions.filter((mention) => mention.place !== "England");
  if (places.length === 0 || mentions.length < 2) return null;
  const joined = mentions.some((mention, index) => {
    const next = mentions[index + 1];
    return next !== undefined && /^\s*(?:,|and|or|vs\.?|versus|&)\s*(?:(?:and|or)\s+)?$/i.test(text.slice(mention.end, next.start));
  });
  const compared = patternsOf(settings).comparison.test(text);
  if (!joined && !compared) return null;
  // The question without its places: the words joining them ("and", "or", ",") and a dangling "compared to" go too.
  const joiner = /^\s*(?:,|and|or|vs\.?|versus|&)?\s*(?:(?:and|or)\s+)?$/i;
  let stripped = "";
  let from = 0;
  for (const mention of [...mentions].sort((left, right) => left.start - right.start)) {
    const between = text.slice(from, mention.start);
    stripped += from > 0 && joiner.test(between) ? " " : between;
    from = mention.end;
  }
  stripped += text.slice(from);
  stripped = stripped
    .replace(/['’]s\b/g, "")
    .replace(/\b(?:compared\s+(?:to|with)|versus|vs\.?|against|with)\s*(?=[?.!]?\s*$)/i, "")
    .replace(/^\s*(?:out\s+of|of|between|for|and|or)?\s*[,\s-]*/i, "")
    .replace(/\s+([?,.])/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
  return mentions.map((mention) => `${mention.place}: ${stripped}`);
}

/**
 * The runs of two or more adjacent content words in the clause that asks ("How much is the Ofsted registration fee
 * for a new childrens home?" -> [ofsted, registration, fee], [new, childrens, home]; in "We're a provider - what
 * lawful basis ...", the clause after the dash), lower case, in order. The answerer takes the first short one that
 * holds a field term as the question's focus, which an answer's page must speak of: a unit cost is not a
 * registration fee, an ILACS report not an area SEND inspection.
 */
export function questionFocusRuns(text: string, settings: QuestionWords = loadQuestionWords()): string[][] {
  const clauses = text.split(patternsOf(settings).focusClauseBreaks).map((clause) => words(clause)).filter((clause) => clause.length > 0);
  const asking = clauses.find((clause) => settings.focusOpeners.includes(clause[0] ?? "")) ?? clauses[0] ?? [];
  const runs: string[][] = [];
  let run: string[] = [];
  for (const word of [...asking, ""]) {
    if (word === "" || stopWords.has(word) || /^\d+$/.test(word)) {
      if (run.length >= 2) runs.push(run);
      run = [];
      continue;
    }
    run.push(word);
  }
  return runs;
}

export async function analyseQuestion(question: string, context: QuestionContext): Promise<QuestionAnalysis> {
  const settings = context.words ?? loadQuestionWords();
  const asked = question.trim();
  const ownNames = await organisationNames(asked, context, settings);
  let text = asked;
  for (const name of ownNames) text = text.replace(new RegExp(`(?<![\\p{L}])${escape(name)}(?:['’]s)?(?![\\p{L}])`, "giu"), " ");
  const taskWords: string[] = [];
  const withoutTasks = text.replace(patternsOf(settings).taskWords, (word) => {
    taskWords.push(word);
    return " ";
  });
  // A question that is only task words ("Draft KPIs") keeps them: they are then what it is about.
  if (words(withoutTasks).some((word) => !stopWords.has(word))) text = withoutTasks;
  else taskWords.length = 0;
  const corrected = await correctTypos(text, context, settings);
  // "Under 5s", "over-16s": an age, as the library writes it ("under 5"), not a word no passage holds.
  text = corrected.text.replace(patternsOf(settings).agesInPlural, "$1").replace(/\s+/g, " ").replace(/\s+([?,.:;])/g, "$1").replace(/^[\s:;,.-]+/, "").trim();
  const shape = classifyQuestion(text);
  // The shape's briefing comes from the question as asked ("summarise ..." is a task word and a briefing cue).
  const askedShape = classifyQuestion(asked);
  return {
    asked,
    text,
    shape: { ...shape, briefing: askedShape.briefing },
    corrections: corrected.corrections,
    taskWords,
    ownNames,
    ownDocument: ownDocumentAsked(asked, settings),
    parts: comparedPlaces(text, settings) ?? eachOfJoined(text, settings) ?? splitParts(text, settings),
  };
}
