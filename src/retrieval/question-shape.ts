/**
 * What kind of answer a question wants (a figure, a name, a date, a list, a description, or a briefing grouped by
 * theme) and how well a passage has that shape. One extractor for the search (its answer-shape signal) and the
 * answerer (its evidence fit), so each question is read once: `classifyQuestion` keeps its recent analyses, and the
 * answerer hands its shape to the search. Every cue, word list and fit value is in question-shape.json beside this
 * file.
 */
import { readFileSync } from "node:fs";
import * as z from "zod";
import { createTextCache } from "./text-cache.ts";
import { stopWords, words } from "./tokenize.ts";

export type QuestionType = "figure" | "name" | "date" | "list" | "description";

export type BriefingKind = "challenges" | "stakeholders" | "landscape";

export interface QuestionShape {
  type: QuestionType;
  /** The question asks for a percentage, so sentences with "%" are preferred. */
  wantsPercentage: boolean;
  /** The question asks for money ("cost", "spend", "£"). */
  wantsMoney: boolean;
  /** The question asks how often something happens. */
  wantsFrequency: boolean;
  /** Set for broad questions that deserve a briefing rather than one passage. */
  briefing: BriefingKind | null;
  /** The question's own words (lower case): an answer brings something new, not the question's words back. */
  questionWords: ReadonlySet<string>;
  /** The passage shapes (question-shape.json `passage` names) the search favours for this question. */
  searchShapes: readonly string[];
  /** "How many children ...": the thing counted, whose count an answer states ("1,827 children"). */
  counted?: string;
  /** Made once per question from `counted`: a count before the thing counted, or a column named after it. */
  countPatterns?: RegExp[];
  /** "How long ...": a length of time answers it ("10 year contract", "within 28 days"). */
  wantsDuration?: boolean;
  /** "How much is the fee / does it cost": only an amount of money answers it. */
  wantsAmount?: boolean;
  /** "What grade / judgement": an inspection grade answers it ("Good", "requires improvement"). */
  wantsGrade?: boolean;
  /** "How soon", "by when", "what are the timescales": a requirement's timescale answers it ("within 28 days"). */
  wantsTimescale?: boolean;
  /** "What is X", "what does ABC stand for", "what counts as X": the term to define, and its acronym. */
  defines?: DefinedTerm;
}

export interface DefinedTerm {
  /** The term's words, each without its plural ending ("children missing education" -> child, missing, education). */
  keys: string[];
  /** The acronym asked about or given in brackets ("CME"), upper case; null when none. */
  acronym: string | null;
}

/** A pattern's source; a plain string is case-insensitive, an object names its own flags. */
const cueSchema = z
  .union([z.string().min(1), z.object({ pattern: z.string().min(1), flags: z.string() })])
  .transform((cue) => (typeof cue === "string" ? new RegExp(cue, "i") : new RegExp(cue.pattern, cue.flags)));

const unit = z.number().min(0).max(1);

const shapeFileSchema = z.object({
  question: z.object({
    definition: z.array(cueSchema).min(1),
    notADefinition: cueSchema,
    aboutAPlace: cueSchema,
    asksHowMuchOrMany: cueSchema,
    asksForAFigure: cueSchema,
    mentionsAFigure: cueSchema,
    money: cueSchema,
    percentage: cueSchema,
    name: cueSchema,
    date: cueSchema,
    startsWho: cueSchema,
    startsWhich: cueSchema,
    whichWantsList: cueSchema,
    whatSeveral: cueSchema,
    yesOrNo: cueSchema,
    yesOrNoAboutAFigure: cueSchema,
    mentionsWho: cueSchema,
    list: cueSchema,
    briefing: z.array(z.object({ kind: z.enum(["challenges", "stakeholders", "landscape"]), pattern: cueSchema })),
    notBroad: cueSchema,
    frequency: cueSchema,
    counted: cueSchema,
    duration: cueSchema,
    howMuch: cueSchema,
    amount: cueSchema,
    grade: cueSchema,
    notGrade: cueSchema,
    timescale: cueSchema,
  }),
  passage: z.record(z.string(), cueSchema),
  retrieval: z.array(z.object({ question: cueSchema, passage: z.string().min(1) })),
  fit: z.object({
    gradeFound: unit,
    durationFound: unit,
    durationOtherNumber: unit,
    countOtherNumber: unit,
    figureBase: unit,
    figurePercentage: unit,
    figureMoney: unit,
    figureOther: unit,
    priceListAmounts: z.number().int().min(1),
    nameNovel: unit,
    nameRole: unit,
    dateYear: unit,
    dateMonth: unit,
    listSeparator: unit,
    listAnd: unit,
    listColumns: unit,
    listNames: unit,
    description: unit,
    definitionFound: unit,
    definitionKnownAs: unit,
    definitionMention: unit,
    definitionAcronymOnly: unit,
    definitionAbsent: unit,
    definitionMaximumWords: z.number().int().min(1),
    timescaleFound: unit,
    frequencyOtherNumber: unit,
    answerShapeWordWeight: unit,
  }),
  words: z.object({
    months: z.array(z.string().min(1)).length(12),
    monthAbbreviations: z.array(z.string().min(1)),
    roles: z.array(z.string().min(1)),
    numberWords: z.array(z.string().min(1)),
    auxiliaries: z.array(z.string().min(1)),
    definingVerbs: z.array(z.string().min(1)),
    joiningWords: z.array(z.string().min(1)),
    answerShapeWords: z.array(z.string().min(1)),
    lightWords: z.array(z.string().min(1)),
    smallNumbers: z.record(z.string().regex(/^\d+$/), z.array(z.string().min(1))),
    spelledAfter: z.array(z.string().min(1)),
  }),
});

export type ShapeCues = z.infer<typeof shapeFileSchema>;

/** Parses a shape file's contents (question-shape.json's layout); a bad pattern or field throws, naming it. */
export function parseShapeCues(source: unknown): ShapeCues {
  const parsed = shapeFileSchema.parse(source);
  for (const rule of parsed.retrieval) {
    if (!parsed.passage[rule.passage]) throw new Error(`question-shape.json: retrieval names an unknown passage shape "${rule.passage}"`);
  }
  return parsed;
}

const cues = parseShapeCues(JSON.parse(readFileSync(new URL("./question-shape.json", import.meta.url), "utf8")));
const ask = cues.question;
const fits = cues.fit;

const passageCue = (name: string): RegExp => {
  const pattern = cues.passage[name];
  if (!pattern) throw new Error(`question-shape.json: no passage shape "${name}"`);
  return pattern;
};

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A word without its plural ending, so "children" and "child", "homes" and "home" compare equal. */
export function singular(word: string): string {
  const lower = word.toLowerCase();
  if (lower === "children") return "child";
  if (lower.length > 4 && lower.endsWith("ies")) return `${lower.slice(0, -3)}y`;
  if (lower.length > 3 && lower.endsWith("s") && !lower.endsWith("ss")) return lower.slice(0, -1);
  return lower;
}

/** The term a definition question asks about, or null when it asks for something else. */
export function definedTerm(question: string): DefinedTerm | null {
  for (const cue of ask.definition) {
    const term = cue.exec(question.trim())?.[1];
    if (!term) continue;
    const acronym = /\(([A-Za-z]{2,8})\)/.exec(term)?.[1] ?? (/^[A-Z][A-Za-z]{1,7}$/.test(term.trim()) && /[A-Z].*[A-Z]/.test(term) ? term.trim() : null);
    const keys = words(term.replace(/\([^)]*\)/g, " ")).filter((word) => !stopWords.has(word) || word === "for").map(singular);
    // "What is the number of ...", "what is Kent's grade": a figure or a fact, not a definition; nor a long clause.
    if (keys.length === 0 || keys.length > fits.definitionMaximumWords || ask.notADefinition.test(term)) continue;
    // "What is the grade of Kent", "what is Leeds's plan": about a place or body, unless the term is a name itself.
    const titled = /\([A-Za-z]{2,8}\)/.test(term) || term.split(/\s+/).every((word) => /^[A-Z]/.test(word) || /^(for|of|and|the|in|to)$/.test(word));
    if (!titled && (ask.aboutAPlace.test(term) || /['’]s\b/.test(term))) continue;
    return { keys, acronym: acronym ? acronym.toUpperCase() : null };
  }
  return null;
}

const definingVerbs = `(?:${cues.words.definingVerbs.map((verb) => escape(verb).replace(/ /g, "\\s+")).join("|")})`;

/** A defined term's tests (`definitionFit`), built from the term alone. */
export interface DefinitionPatterns {
  /** The term's words as `definitionFit` looks for them among a piece's words. */
  key: string;
  /**
   * What a piece's lower-cased text holds wherever its words hold `key`: each word of it, a final "y" left off. A word's
   * `singular` is its lower case with at most an ending taken off ("s", "ren") or "ies" made "y", so a word whose
   * singular is a key's word holds that word, or all of it but the "y". Tested before the piece's words are listed
   * and made singular, which cost a definition question's search several milliseconds over its candidates at 1M.
   */
  keyParts: string[];
  /**
   * A definition of the acronym, null without one: its expansion ("Children Missing Education (CME)") and its meaning
   * ("CME means …"); and the acronym in lower case, bracketed and bare. A lower-cased piece holds the bracketed form
   * wherever the expansion's pattern matches, and the bare form wherever the meaning's does (the acronym's letters are
   * ASCII, matched in either case and by no other letter), so those patterns, slow over a long passage, are tried
   * only there.
   */
  acronymDefined: { expansion: RegExp; meaning: RegExp; bracketed: string; bare: string } | null;
  /** The acronym standing alone; null without one. */
  acronymAlone: RegExp | null;
  /**
   * A defining sentence's opening, tested from each place a sentence or paragraph may start (sticky): see
   * `opensDefinition`.
   */
  openingAt: RegExp;
  consideredAs: RegExp;
  means: RegExp;
  knownAs: RegExp;
}

/**
 * The words a test's pattern cannot match without (one of them), as patterns with the same flags (so the same letters
 * match): found in a passage in 1-3 µs, where the test's own pattern, its word boundaries and Unicode letters, takes
 * ~30 µs. A definition question's search tests each of its ~200 candidates (~20 ms at 1M passages, before these).
 */
const consideredVerbs = ["considered", "defined", "described", "regarded", "classed", "counted", "treated"];
const consideredCue = new RegExp(consideredVerbs.join("|"), "iu");
const meansCue = /means|defined|refers/iu;
const knownAsCue = /known|referred/iu;

/** A word of a piece as `definitionFit` reads it (its words are compared made singular). */
const pieceWord = /[\p{L}\p{N}]+/gu;

/** Whether an ASCII character (a code unit under 128) is no letter or digit: a word ends before it, for certain. */
const separatesWords = (code: number): boolean => code < 128 && !((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122));

/**
 * Whether the piece's words, made singular, hold the key's words one after another (`lower`: the piece in lower
 * case). The first key word's word holds `keyParts[0]`, so the words are listed only around each place the lower case
 * holds that: from the ASCII separator before it (a word's end for certain; none inside a letter written as two code
 * units) to the key's length past it. Listing every word of a long passage was most of a definition question's
 * search over its candidates. Where lower-casing changed the piece's length, its places are not the piece's: every
 * word is listed.
 */
function holdsKeyWords(text: string, lower: string, patterns: DefinitionPatterns): boolean {
  if (!patterns.keyParts.every((part) => lower.includes(part))) return false;
  const listed = (words: string[]): boolean => ` ${words.map(singular).join(" ")} `.includes(patterns.key);
  if (lower.length !== text.length) return listed(text.match(pieceWord) ?? []);
  const first = patterns.keyParts[0]!;
  const keyWords = patterns.keyParts.length;
  let at = lower.indexOf(first);
  while (at !== -1) {
    let start = at;
    while (start > 0 && !separatesWords(text.charCodeAt(start - 1))) start--;
    const words: string[] = [];
    let after = 0;
    let end = at + first.length;
    pieceWord.lastIndex = start;
    for (let match = pieceWord.exec(text); match !== null; match = pieceWord.exec(text)) {
      words.push(match[0]);
      if (match.index + match[0].length > at) {
        // The word holding this place, then the key's other words' worth.
        if (after === 0) end = match.index + match[0].length;
        after++;
        if (after >= keyWords) break;
      }
    }
    if (listed(words)) return true;
    at = lower.indexOf(first, end);
  }
  return false;
}

/**
 * Whether a defining sentence opens somewhere in `text`: `openingAt` tested from the start, after each line break, and
 * after each [.!?:] and one space. That finds what one pattern of the whole text, `(?:^|[.!?:]\s+|\n\s*)` and then
 * `openingAt`, finds: more space there, or any other non-word characters, is taken in by `openingAt`'s own leading
 * `\W*`. Tried from these few places only, not from every character of a passage as that one pattern is.
 */
function opensDefinition(text: string, openingAt: RegExp): boolean {
  const test = (start: number): boolean => {
    openingAt.lastIndex = start;
    return openingAt.test(text);
  };
  if (test(0)) return true;
  for (const match of text.matchAll(sentenceStarts)) {
    if (test(match.index + match[0].length)) return true;
  }
  return false;
}

const sentenceStarts = /\n|[.!?:]\s/gu;

/**
 * A term's patterns, built once per question's term rather than once per passage scored (a definition question's
 * search tests a few hundred candidates against the same term). Exported for the tests that hold the quick forms
 * to the plain patterns.
 */
const definitionPatternsOf = new WeakMap<DefinedTerm, DefinitionPatterns>();
export function definitionPatterns(term: DefinedTerm): DefinitionPatterns {
  let patterns = definitionPatternsOf.get(term);
  if (patterns !== undefined) return patterns;
  const termPattern = term.keys.map((word) => `${escape(word)}\\p{L}{0,3}`).join("\\s+");
  const acronym = term.acronym;
  // The acronym's letters in either case, each exactly (no case-insensitive flag on the expansion's pattern).
  const acronymLetters = acronym === null ? "" : [...acronym].map((letter) => `[${letter.toUpperCase()}${letter.toLowerCase()}]`).join("");
  // Tested from the start of the piece, after a line break, or after [.!?:] and space (opensDefinition).
  const openingFrom = `\\W*(?:the\\s+|an?\\s+)?(?:term\\s+)?["'“‘]?${termPattern}["'”’]?(?:\\s*\\([^)]*\\))?\\s*,?\\s+${definingVerbs}\\b`;
  patterns = {
    key: ` ${term.keys.join(" ")} `,
    keyParts: term.keys.map((word) => (word.endsWith("y") ? word.slice(0, -1) : word)),
    acronymDefined:
      acronym === null
        ? null
        : {
            expansion: new RegExp(`[A-Z][\\p{L}'’-]*(?:\\s+(?:[A-Z][\\p{L}'’-]*|for|of|and|the|in|to))+\\s*\\(${acronymLetters}\\)`, "u"),
            meaning: new RegExp(`\\b${acronym}\\s+(?:means|stands\\s+for|is\\s+short\\s+for|refers\\s+to)\\b`, "i"),
            bracketed: `(${acronym.toLowerCase()})`,
            bare: acronym.toLowerCase(),
          },
    acronymAlone: acronym === null ? null : new RegExp(`\\b${acronym}\\b`),
    // "Children missing education are children of compulsory school age who ...", "FfA is about ..."
    // At the start of the piece or of any sentence or paragraph in it (a heading often comes first).
    openingAt: new RegExp(openingFrom, "iuy"),
    // "Something is considered to be an issue when ...", "... is defined as a looked after child who ..."
    consideredAs: new RegExp(`\\b(?:is|are)\\s+(?:${consideredVerbs.join("|")})\\s+(?:to\\s+be\\s+|as\\s+)?(?:an?\\s+|the\\s+)?${termPattern}\\b`, "iu"),
    means: new RegExp(`${termPattern}["'”’]?\\s+(?:means|is\\s+defined\\s+as|refers\\s+to)\\b`, "iu"),
    knownAs: new RegExp(`\\b(?:known|referred\\s+to)\\s+as\\s+(?:an?\\s+|the\\s+)?["'“‘]?${termPattern}`, "iu"),
  };
  definitionPatternsOf.set(term, patterns);
  return patterns;
}

/** How well a piece defines the term: its defining sentence, its expansion "X (ABC)", or a mere mention. */
function definitionFit(term: DefinedTerm, text: string): number {
  const patterns = definitionPatterns(term);
  const lower = text.toLowerCase();
  const acronym = patterns.acronymDefined;
  if (acronym !== null) {
    if (lower.includes(acronym.bracketed) && acronym.expansion.test(text)) return fits.definitionFound;
    if (lower.includes(acronym.bare) && acronym.meaning.test(text)) return fits.definitionFound;
  }
  if (!holdsKeyWords(text, lower, patterns)) return patterns.acronymAlone?.test(text) ? fits.definitionAcronymOnly : fits.definitionAbsent;
  if (opensDefinition(text.replace(/^\s*[\d.]+\s+/, ""), patterns.openingAt)) return fits.definitionFound;
  if (consideredCue.test(text) && patterns.consideredAs.test(text)) return fits.definitionFound;
  if (meansCue.test(text) && patterns.means.test(text)) return fits.definitionFound;
  if (knownAsCue.test(text) && patterns.knownAs.test(text)) return fits.definitionKnownAs;
  return fits.definitionMention;
}

const auxiliaries = new Set(cues.words.auxiliaries);

/**
 * Words that ask for the shape of an answer rather than name its subject ("proportion", "how often", "what does X
 * mean"), and the share of a subject word's weight the search gives them.
 */
export const answerShapeWords: ReadonlySet<string> = new Set(cues.words.answerShapeWords);
export const answerShapeWordWeight = fits.answerShapeWordWeight;

/**
 * Verbs whose meaning lies in what follows them ("make them welcome", "take admissions", "look like"): weighed as
 * answer-shape words, so the thing asked about ("welcome") outweighs them.
 */
export const lightWords: ReadonlySet<string> = new Set(cues.words.lightWords);

/** The share of a subject word's weight a question's word keeps: less for answer-shape and light words. */
export function wordWeightFactor(word: string): number {
  return answerShapeWords.has(word) || lightWords.has(word) ? answerShapeWordWeight : 1;
}

const spelledAfter = new Set(cues.words.spelledAfter);

/**
 * The words a small number may take in a passage when it is an age or a bound ("under 5": "five", "fifth"); none
 * for other words, nor for a number that labels something ("level 3" is no "three").
 */
export function spelledNumber(word: string, previous: string | undefined): readonly string[] {
  return previous !== undefined && spelledAfter.has(previous) ? (cues.words.smallNumbers[word] ?? []) : [];
}

function analyse(question: string): QuestionShape {
  const text = question.trim();
  const wantsPercentage = ask.percentage.test(text);
  const wantsMoney = ask.money.test(text);
  let briefing: BriefingKind | null = ask.briefing.find((cue) => cue.pattern.test(text))?.kind ?? null;
  // A question naming a specific figure or a very specific thing is not broad even if it says "describe".
  if (briefing && ask.notBroad.test(text)) briefing = null;

  let type: QuestionType = "description";
  if (ask.date.test(text)) type = "date";
  else if (ask.startsWho.test(text)) type = "name";
  // "Is there a limit on how many homes ...?": yes or no, said by a sentence, though it says "how many".
  else if (ask.yesOrNoAboutAFigure.test(text) && !ask.mentionsWho.test(text)) type = "description";
  else if (ask.asksHowMuchOrMany.test(text) || ask.asksForAFigure.test(text)) type = "figure";
  else if (ask.startsWhich.test(text)) type = ask.whichWantsList.test(text) ? "list" : "name";
  // "What 3 things does Sunderland need to improve?", "what two areas ...": several things.
  else if (ask.whatSeveral.test(text)) type = "list";
  // "Is there a cap on the number of homes ...?", "Can the same inspector ...?": yes or no, said by a sentence.
  else if (ask.yesOrNo.test(text) && !ask.mentionsWho.test(text)) type = "description";
  else if (ask.name.test(text)) type = "name";
  else if (ask.list.test(text)) type = "list";
  else if (ask.mentionsAFigure.test(text)) type = "figure";
  const wantsFrequency = ask.frequency.test(text);
  // "How many does Notts have?" names the thing counted before: no counted noun then.
  const countedWord = ask.counted.exec(text)?.[1]?.toLowerCase();
  const counted = countedWord && !auxiliaries.has(countedWord) && type === "figure" ? countedWord : undefined;
  const wantsDuration = ask.duration.test(text);
  const wantsAmount = ask.howMuch.test(text) && ask.amount.test(text) && !wantsPercentage;
  const defines = definedTerm(text);
  const wantsGrade = ask.grade.test(text) && !ask.notGrade.test(text);
  const wantsTimescale = ask.timescale.test(text);
  return {
    type,
    wantsPercentage,
    wantsMoney,
    wantsFrequency,
    briefing,
    questionWords: new Set(words(text)),
    searchShapes: cues.retrieval.filter((rule) => rule.question.test(text)).map((rule) => rule.passage),
    ...(counted ? { counted, countPatterns: countPatternsFor(counted) } : {}),
    ...(wantsDuration ? { wantsDuration } : {}),
    ...(wantsAmount ? { wantsAmount } : {}),
    ...(wantsGrade ? { wantsGrade } : {}),
    ...(wantsTimescale ? { wantsTimescale } : {}),
    ...(defines && type === "description" ? { defines } : {}),
  };
}

/** Recent analyses by question text: the search and the answerer read one question several times. */
const analysed = new Map<string, QuestionShape>();

/** The shape a question wants. The result is shared between callers: read it, never change it. */
export function classifyQuestion(question: string): QuestionShape {
  let shape = analysed.get(question);
  if (!shape) {
    shape = analyse(question);
    if (analysed.size >= 500) analysed.delete(analysed.keys().next().value ?? "");
    analysed.set(question, shape);
  }
  return shape;
}

/** Whether a passage holds what the search favours for this shape ("who": a role beside a name; "when": a date). */
/** Whether a definition question's term is defined here (its defining sentence or its expansion "X (ABC)"), not only mentioned. */
export function definesTerm(shape: QuestionShape, text: string): boolean {
  return shape.defines !== undefined && definitionFit(shape.defines, text) >= fits.definitionFound;
}

export function hasSearchedShape(shape: QuestionShape, text: string): boolean {
  return shape.searchShapes.some((name) => passageCue(name).test(text));
}

const monthNames = cues.words.months.join("|");
const yearPattern = /\b(19|20)\d{2}\b/;
const monthPattern = new RegExp(`\\b(${monthNames}|${cues.words.monthAbbreviations.join("|")})\\b`, "i");
const moneyFigurePattern = passageCue("moneyFigure");
const roleWords = new RegExp(`\\b(${cues.words.roles.map(escape).join("|")})\\b`, "gi");
const capitalisedWord = /^[A-Z][\p{L}'’-]*$|^[A-Z]{2,}$/u;
const joiningWords = new Set(cues.words.joiningWords);
const roleBesideName = passageCue("roleAndName");

const acronym = /^[A-Z]{2,6}$/;

/**
 * Runs of two or more capitalised words ("Adrian Loades", "A Place To Call Home"), or an organisation's acronym
 * standing alone ("owned by SCC"), not taken from the question.
 */
function novelNames(text: string, questionWords: ReadonlySet<string>): number {
  let runs = 0;
  for (const candidates of nameCandidates.get(text, namesIn)) if (candidates.some((word) => !questionWords.has(word))) runs++;
  return runs;
}

/**
 * A text's runs of capitalised words that may be names (two or more words, or an acronym alone) and its bracketed
 * names, each as the words that would make it new to a question (lower case, not stop words): what novelNames
 * counts, worked out once per text (a passage's sentences are scored for question after question), then checked
 * against each question's own words.
 */
function namesIn(text: string): readonly (readonly string[])[] {
  const found: string[][] = [];
  const tokens = text.match(/[\p{L}\p{N}&'’-]+/gu) ?? [];
  let run = 0;
  let candidates: string[] = [];
  let lone = "";
  const close = (): void => {
    if ((run >= 2 || (run === 1 && acronym.test(lone))) && candidates.length > 0) found.push(candidates);
    run = 0;
    candidates = [];
  };
  for (const token of tokens) {
    if (capitalisedWord.test(token)) {
      run++;
      lone = token;
      const lower = token.toLowerCase();
      if (lower.length > 1 && !stopWords.has(lower)) candidates.push(lower);
    } else if (!(run > 0 && joiningWords.has(token.toLowerCase()))) {
      close();
    }
  }
  close();
  // A name given in brackets after what it names: "the regional adoption agency (Aspire)".
  for (const match of text.matchAll(bracketedName)) {
    const named = words(match[1] ?? "").filter((word) => word.length > 1 && !stopWords.has(word) && !/^\d+$/.test(word));
    if (named.length > 0) found.push(named);
  }
  return found;
}

const nameCandidates = createTextCache<readonly (readonly string[])[]>(2_000_000);

/** One to three capitalised words alone in brackets, not a year or an acronym's expansion ("(Aspire)", "(Cumbria Adoption)"). */
const bracketedName = /\(((?:[A-Z][\p{Ll}'’-]+)(?:\s+[A-Z][\p{Ll}'’-]+){0,2})\)/gu;

const gradePattern = passageCue("grade");
const frequencyPattern = passageCue("frequency");
/**
 * A length of time: "28 days", "three-month", "6 to 12 months" (its upper end), "within a year", "an hour",
 * "a fortnight", "48 hours".
 */
const durationPattern = passageCue("duration");
const percentageFigure = passageCue("percentage");
/** A requirement's timescale: "within 28 days", "at least every six months", "without delay". */
const timescalePattern = passageCue("timescale");

const numberWords = new RegExp(`\\b(${cues.words.numberWords.join("|")})\\b`, "gi");

/**
 * What states a count of the thing a "how many" question counts, singular or plural, as a whole word ("places",
 * not "placed"): a number before it ("1,827 children", "fifty-five placements"), or a table row read with its column
 * names ("children_count: 1896", "Places: 6").
 */
function countPatternsFor(counted: string): RegExp[] {
  const base = counted.replace(/['’]s$/, "");
  const stem = base.endsWith("ies") ? `${base.slice(0, -3)}(?:y|ies)` : `${base.replace(/s$/, "")}(?:s|es)?(?:['’]s)?(?![\\p{L}])`;
  // "none of the children", "no children" count nothing: zero is a count too.
  const number = `(\\d[\\d,]*|no|none\\s+of\\s+the|zero|${numberWords.source.slice(2, -2)}(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)`;
  return [
    new RegExp(`(?<![\\p{L}\\d])${number}\\s+(?:[\\p{L}'’-]+\\s+){0,3}?${stem}`, "iu"),
    new RegExp(`${stem}[\\p{L}'’_ -]{0,25}:\\s*\\d`, "iu"),
  ];
}

const dayThenMonth = new RegExp(`\\b\\d{1,2}(st|nd|rd|th)?\\s+(${monthNames})\\b`, "gi");
const monthThenDay = new RegExp(`\\b(${monthNames})\\s+\\d{1,2}(st|nd|rd|th)?\\b`, "gi");

/** The text with its dates and ordinals taken out ("31 January 2023", "2010/11", "3rd Floor"), so only counts are left. */
function withoutDates(text: string): string {
  return text
    .replace(/\b\d+(st|nd|rd|th)\b/gi, " ")
    .replace(dayThenMonth, " ")
    .replace(monthThenDay, " ")
    .replace(/\b(19|20)\d{2}(\/\d{2})?\b/g, " ");
}

/** Numbers (in digits or words) in the text that the question did not already state. */
function novelNumbers(text: string, questionWords: ReadonlySet<string>): number {
  return figuresOf.get(text, figuresIn).filter((figure) => !questionWords.has(figure)).length;
}

/** Figures by text, worked out once per text (as names are, above) and checked against each question's words. */
const figuresOf = createTextCache<readonly string[]>(2_000_000);

/** The text's figures (digits or number words), as a question's words would hold them (lower case, no trailing stop). */
function figuresIn(text: string): readonly string[] {
  // A paragraph's own number ("3.26 The design of the home ...") is no figure of what it says.
  text = text.replace(/^\s*\d{1,2}(?:\.\d{1,3})+\s+(?=\p{L})/u, "");
  // Digits inside a code ("H21", "M36", "SO23 8UG") are not figures.
  const figures = [
    ...(text.match(/(?<![\p{L}\d])\d[\d,.]*(?:(?:k|m|bn|st|nd|rd|th)(?![\p{L}\d]))?(?![\p{L}\d])/giu) ?? []),
    ...(text.match(numberWords) ?? []),
  ];
  return figures.map((number) => number.replace(/[.,]$/, "").toLowerCase());
}

/** How well a piece of evidence fits the shape the question wants, from 0 (not at all) to 1. */
export function shapeFit(shape: QuestionShape, text: string): number {
  if (shape.wantsGrade && shape.type !== "name") return gradePattern.test(text) ? fits.gradeFound : 0;
  if (shape.wantsTimescale && timescalePattern.test(text)) return fits.timescaleFound;
  switch (shape.type) {
    case "figure": {
      // "How often …" is answered by a frequency ("once each month", "every 6 months", "annually").
      if (shape.wantsFrequency) {
        if (frequencyPattern.test(text)) return 1;
        // Some other number (a footnote's, a regulation's) says nothing of how often.
        if (!shape.wantsDuration && !shape.countPatterns) return novelNumbers(text, shape.questionWords) === 0 ? 0 : fits.frequencyOtherNumber;
      }
      if (shape.wantsDuration) {
        return durationPattern.test(text) ? fits.durationFound : novelNumbers(text, shape.questionWords) === 0 ? 0 : fits.durationOtherNumber;
      }
      // "No children were living in unregistered homes" counts them (none) without a digit.
      if (shape.countPatterns?.some((pattern) => pattern.test(text))) return 1;
      if (novelNumbers(text, shape.questionWords) === 0) return 0;
      if (shape.countPatterns) {
        // Some other number than a count of the thing asked about (a code, a page): weak evidence of a count.
        return novelNumbers(withoutDates(text), shape.questionWords) === 0 ? 0 : fits.countOtherNumber;
      }
      // "How much is the fee?" is answered by an amount of money, not by a count of days.
      if (shape.wantsAmount && !moneyFigurePattern.test(text)) return 0;
      let fit = fits.figureBase;
      if (shape.wantsPercentage && percentageFigure.test(text)) fit += fits.figurePercentage;
      // A whole price list in one piece (a table read as one line) does not say which amount answers.
      else if (shape.wantsMoney && moneyFigurePattern.test(text)) fit += (text.match(/£\s?\d[\d,.]*/g) ?? []).length > fits.priceListAmounts ? 0 : fits.figureMoney;
      else if (!shape.wantsPercentage && !shape.wantsMoney) fit += fits.figureOther;
      return Math.min(1, fit);
    }
    case "name": {
      let fit = 0;
      if (novelNames(text, shape.questionWords) > 0) fit += fits.nameNovel;
      const roles = text.match(roleWords) ?? [];
      // A role the question names earns nothing by being repeated, unless a new name stands right beside it ("Lead
      // inspector: Donna Marriott" answers "who was the lead inspector").
      if (roles.some((role) => !shape.questionWords.has(role.toLowerCase())) || (fit > 0 && roles.length > 0 && roleBesideName.test(text))) fit += fits.nameRole;
      return fit;
    }
    case "date": {
      let fit = 0;
      if (yearPattern.test(text)) fit += fits.dateYear;
      if (monthPattern.test(text)) fit += fits.dateMonth;
      return Math.min(1, fit);
    }
    case "list": {
      // Items are parted by commas, or by semicolons in a table cell ("Close liaison ...; School site agreed").
      const separators = (text.match(/[,;]/g) ?? []).length;
      return Math.min(
        1,
        separators * fits.listSeparator +
          (/\band\b/i.test(text) ? fits.listAnd : 0) +
          (text.includes(" | ") ? fits.listColumns : 0) +
          (novelNames(text, shape.questionWords) > 0 ? fits.listNames : 0),
      );
    }
    case "description":
      return shape.defines ? definitionFit(shape.defines, text) : fits.description;
  }
}
