import { readFileSync } from "node:fs";
import { z } from "zod";
import { stopWords, words } from "../retrieval/tokenize.ts";

/**
 * What kind of answer a question wants: a figure, a name, a date, a list, a description, or (for broad questions)
 * a briefing grouped by theme. The answerer prefers evidence of the matching shape.
 */

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
  /** "What is X", "what does ABC stand for", "what counts as X": the term to define, and its acronym. */
  defines?: DefinedTerm;
}

export interface DefinedTerm {
  /** The term's words, each without its plural ending ("children missing education" -> child, missing, education). */
  keys: string[];
  /** The acronym asked about or given in brackets ("CME"), upper case; null when none. */
  acronym: string | null;
}

const definitionCues = [
  /^\s*(?:so\s+)?what\s+(?:is|are)\s+(?:meant\s+by\s+)?(?:an?\s+|the\s+)?(.{2,80}?)\s*\??$/i,
  /\bwhat\s+does\s+(?:an?\s+|the\s+)?(.{2,80}?)\s+(?:mean|stand\s+for|refer\s+to)\b/i,
  /\bwhat\s+(?:counts|qualifies|is\s+classed|is\s+defined)\s+as\s+(?:an?\s+|the\s+)?(.{2,80}?)\s*\??$/i,
  /\b(?:define|definition\s+of|meaning\s+of)\s+(?:an?\s+|the\s+)?(.{2,80}?)\s*\??$/i,
];

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
  for (const cue of definitionCues) {
    const term = cue.exec(question.trim())?.[1];
    if (!term) continue;
    const acronym = /\(([A-Za-z]{2,8})\)/.exec(term)?.[1] ?? (/^[A-Z][A-Za-z]{1,7}$/.test(term.trim()) && /[A-Z].*[A-Z]/.test(term) ? term.trim() : null);
    const keys = words(term.replace(/\([^)]*\)/g, " ")).filter((word) => !stopWords.has(word) || word === "for").map(singular);
    // "What is the number of ...", "what is Kent's grade": a figure or a fact, not a definition; nor a long clause.
    if (keys.length === 0 || keys.length > 6 || /\b(number|percentage|rate|cost|grade|name|date|role|difference|purpose)\b/i.test(term)) continue;
    // "What is the grade of Kent", "what is Leeds's plan": about a place or body, unless the term is a name itself.
    const titled = /\([A-Za-z]{2,8}\)/.test(term) || term.split(/\s+/).every((word) => /^[A-Z]/.test(word) || /^(for|of|and|the|in|to)$/.test(word));
    if (!titled && (/\b(of|in|for|by|from|at|on)\s+[A-Z]/.test(term) || /['’]s\b/.test(term))) continue;
    return { keys, acronym: acronym ? acronym.toUpperCase() : null };
  }
  return null;
}

const definingVerbs = "(?:is|are|means|mean|refers\\s+to|refer\\s+to|describes|is\\s+about|are\\s+about|is\\s+defined\\s+as|are\\s+defined\\s+as|stands\\s+for|is\\s+short\\s+for|includes|include)";

/** How well a piece defines the term: its defining sentence (1), its expansion "X (ABC)" (1), a mention (0.3). */
function definitionFit(term: DefinedTerm, text: string): number {
  const tokens = (text.match(/[\p{L}\p{N}]+/gu) ?? []).map(singular);
  const flat = ` ${tokens.join(" ")} `;
  const key = ` ${term.keys.join(" ")} `;
  if (term.acronym) {
    const acronym = [...term.acronym].map((letter) => `[${letter.toUpperCase()}${letter.toLowerCase()}]`).join("");
    const expansion = new RegExp(`[A-Z][\\p{L}'’-]*(?:\\s+(?:[A-Z][\\p{L}'’-]*|for|of|and|the|in|to))+\\s*\\(${acronym}\\)`, "u");
    if (expansion.test(text)) return 1;
    if (new RegExp(`\\b${term.acronym}\\s+(?:means|stands\\s+for|is\\s+short\\s+for|refers\\s+to)\\b`, "i").test(text)) return 1;
  }
  if (!flat.includes(key)) return term.acronym && new RegExp(`\\b${term.acronym}\\b`).test(text) ? 0.3 : 0.2;
  const termPattern = term.keys.map((word) => `${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\p{L}{0,3}`).join("\\s+");
  // "Children missing education are children of compulsory school age who ...", "FfA is about ..."
  const opening = new RegExp(`^\\W*(?:the\\s+|an?\\s+)?(?:term\\s+)?["'“‘]?${termPattern}["'”’]?(?:\\s*\\([^)]*\\))?\\s*,?\\s+${definingVerbs}\\b`, "iu");
  if (opening.test(text.replace(/^\s*[\d.]+\s+/, ""))) return 1;
  // "Something is considered to be an issue when ...", "... is defined as a looked after child who ..."
  if (new RegExp(`\\b(?:is|are)\\s+(?:considered|defined|described|regarded|classed|counted|treated)\\s+(?:to\\s+be\\s+|as\\s+)?(?:an?\\s+|the\\s+)?${termPattern}\\b`, "iu").test(text)) return 1;
  if (new RegExp(`${termPattern}["'”’]?\\s+(?:means|is\\s+defined\\s+as|refers\\s+to)\\b`, "iu").test(text)) return 1;
  if (new RegExp(`\\b(?:known|referred\\s+to)\\s+as\\s+(?:an?\\s+|the\\s+)?["'“‘]?${termPattern}`, "iu").test(text)) return 0.5;
  return 0.3;
}

const figurePatterns = [
  /\bhow (many|much|often|frequently|regularly|long|far|large|big)\b/i,
  /\b(what|which) (is|was|are|were) the (number|percentage|proportion|rate|cost|price|amount|total|average|figure|saving|spend|budget|fee|value|ratio|share|count)\b/i,
  /\b(percentage|proportion|per ?cent|%|number of|how much|cost|costs|spend|spent|saving|savings|budget|fee|fees|price|rate|total|average|£)\b/i,
];
const moneyPattern = /\b(cost|costs|costing|spend|spent|spending|saving|savings|save|budget|fee|fees|price|paid|pay|funding|worth|value)\b|£/i;
const percentagePattern = /\b(percentage|proportion|per ?cent|share)\b|%/i;
const namePattern = /^\s*(who|whom|whose)\b|\b(which|what) (person|organisation|organization|agency|body|officer|director|manager|provider|company|charity|team|group|authority|council)\b|\bwho\b/i;
const datePattern = /^\s*when\b|\b(what|which) (year|date|month|day|time)\b|\bby when\b|\bhow long ago\b/i;
/** "Which two homes ...", "which services are ...": several things; otherwise "which project ..." wants one name. */
const whichWantsList = /\b(two|three|four|five|six|several|[2-9]|1\d)\b(?![\d.,%])|\b(are|were|have)\b/i;
const listPattern = /^\s*(which|what are|what were|list|name the|what types|what kinds)\b|\b(made up of|consist of|consists of|comprise|comprises|include|includes|types of|kinds of)\b/i;

/** Words that mark a broad question; the value names the briefing it deserves. */
const briefingCues: [RegExp, BriefingKind][] = [
  [/\b(stakeholders?|partners|agencies involved|who (is|are) involved|key (players|organisations|bodies))\b/i, "stakeholders"],
  [/\b(challenges?|opportunit(y|ies)|pressures?|risks? and|issues facing|problems facing|threats?|barriers?)\b/i, "challenges"],
  [/\b(landscape|overview|summar(y|ise|ize)|describe|state of|big picture|key (themes|issues|points|messages|findings)|what are the key|main (themes|issues|points|messages))\b/i, "landscape"],
];

export function classifyQuestion(question: string): QuestionShape {
  const text = question.trim();
  const wantsPercentage = percentagePattern.test(text);
  const wantsMoney = moneyPattern.test(text);
  let briefing: BriefingKind | null = null;
  for (const [pattern, kind] of briefingCues) {
    if (pattern.test(text)) {
      briefing = kind;
      break;
    }
  }
  // A question naming a specific figure or a very specific thing is not broad even if it says "describe".
  if (briefing && /\b(how (many|much)|percentage|what (is|was) the (number|cost))\b/i.test(text)) briefing = null;

  let type: QuestionType = "description";
  if (datePattern.test(text)) type = "date";
  else if (/^\s*who\b/i.test(text)) type = "name";
  else if (figurePatterns[0]?.test(text) || figurePatterns[1]?.test(text)) type = "figure";
  else if (/^\s*which\b/i.test(text)) type = whichWantsList.test(text) ? "list" : "name";
  // "What 3 things does Sunderland need to improve?", "what two areas ...": several things.
  else if (/^\s*what\s+(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|several)\s+[a-z]+/i.test(text)) type = "list";
  // "Is there a cap on the number of homes ...?", "Can the same inspector ...?": yes or no, said by a sentence.
  else if (/^\s*(is|are|can|could|does|do|did|must|should|has|have|will|would|may)\b/i.test(text) && !/\bwho\b/i.test(text)) type = "description";
  else if (namePattern.test(text)) type = "name";
  else if (listPattern.test(text)) type = "list";
  else if (figurePatterns[2]?.test(text)) type = "figure";
  const wantsFrequency = /\bhow (often|frequently|regularly)\b|\bfrequency\b/i.test(text);
  // "How many does Notts have?" names the thing counted before: no counted noun then.
  const countedWord = /\bhow many (?:more |new |further )?([a-z][a-z'’-]+)/i.exec(text)?.[1]?.toLowerCase();
  const counted = countedWord && !auxiliaries.has(countedWord) ? countedWord : undefined;
  const wantsDuration = /\bhow long\b|\bwhat (?:is the )?(?:length|duration|term)\b/i.test(text);
  const wantsAmount = /\bhow much\b/i.test(text) && /\b(cost|costs|fee|fees|price|pay|paid|charge|charged)\b|£/i.test(text) && !wantsPercentage;
  const defines = definedTerm(text);
  const wantsGrade = /\b(grade|graded|judgement|judgment|rating|rated)\b/i.test(text) && !/\bhow (many|much|often)\b/i.test(text);
  return {
    type,
    wantsPercentage,
    wantsMoney,
    wantsFrequency,
    briefing,
    questionWords: new Set(words(text)),
    ...(counted ? { counted, countPatterns: countPatternsFor(counted) } : {}),
    ...(wantsDuration ? { wantsDuration } : {}),
    ...(wantsAmount ? { wantsAmount } : {}),
    ...(wantsGrade ? { wantsGrade } : {}),
    ...(defines && type === "description" ? { defines } : {}),
  };
}

const auxiliaries = new Set(["do", "does", "did", "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "should", "shall", "may", "might", "must"]);

/** Month names, roles and numbers in words, from question-words.json beside this file. */
const shapeWords = z
  .object({ months: z.array(z.string().min(1)), monthAbbreviations: z.array(z.string().min(1)), roles: z.array(z.string().min(1)), numberWords: z.array(z.string().min(1)) })
  .parse(JSON.parse(readFileSync(new URL("./question-words.json", import.meta.url), "utf8")));
const monthNames = shapeWords.months.join("|");
const yearPattern = /\b(19|20)\d{2}\b/;
const monthPattern = new RegExp(`\\b(${monthNames}|${shapeWords.monthAbbreviations.join("|")})\\b`, "i");
const moneyFigurePattern = /£\s?\d|\d\s?(k|m|bn|million|billion)\b|\bper (week|year|annum|child|placement)\b/i;
const roleWords = new RegExp(`\\b(${shapeWords.roles.join("|")})\\b`, "i");
const capitalisedWord = /^[A-Z][\p{L}'’-]*$|^[A-Z]{2,}$/u;
const joiningWords = new Set(["of", "and", "the", "for", "to", "in", "on", "a", "&"]);

const acronym = /^[A-Z]{2,6}$/;

/**
 * Runs of two or more capitalised words ("Adrian Loades", "A Place To Call Home"), or an organisation's acronym
 * standing alone ("owned by SCC"), not taken from the question.
 */
function novelNames(text: string, questionWords: ReadonlySet<string>): number {
  const tokens = text.match(/[\p{L}\p{N}&'’-]+/gu) ?? [];
  let runs = 0;
  let run = 0;
  let novel = false;
  let lone = "";
  const close = (): void => {
    if ((run >= 2 || (run === 1 && acronym.test(lone))) && novel) runs++;
    run = 0;
    novel = false;
  };
  for (const token of tokens) {
    if (capitalisedWord.test(token)) {
      run++;
      lone = token;
      const lower = token.toLowerCase();
      if (lower.length > 1 && !questionWords.has(lower) && !stopWords.has(lower)) novel = true;
    } else if (!(run > 0 && joiningWords.has(token.toLowerCase()))) {
      close();
    }
  }
  close();
  return runs;
}

const gradePattern = /\b(outstanding|good|requires improvement|inadequate)\b/i;

const frequencyPattern =
  /\b(once|twice|every|each (day|week|month|year|quarter)|daily|weekly|monthly|quarterly|annually|yearly|fortnightly|per (day|week|month|year|annum))\b/i;

/**
 * A length of time: "28 days", "three-month", "6 to 12 months" (its upper end), "within a year", "an hour",
 * "a fortnight", "48 hours".
 */
const durationPattern =
  /\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|a|an|half an?)[- ](?:calendar |working |school |full |clear )?(years?|months?|weeks?|days?|hours?|minutes?|fortnight)\b/i;

const numberWords = new RegExp(`\\b(${shapeWords.numberWords.join("|")})\\b`, "gi");

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

/** The text with its dates and ordinals taken out ("31 January 2023", "2010/11", "3rd Floor"), so only counts are left. */
function withoutDates(text: string): string {
  return text
    .replace(/\b\d+(st|nd|rd|th)\b/gi, " ")
    .replace(new RegExp(`\\b\\d{1,2}(st|nd|rd|th)?\\s+(${monthNames})\\b`, "gi"), " ")
    .replace(new RegExp(`\\b(${monthNames})\\s+\\d{1,2}(st|nd|rd|th)?\\b`, "gi"), " ")
    .replace(/\b(19|20)\d{2}(\/\d{2})?\b/g, " ");
}

/** Numbers (in digits or words) in the text that the question did not already state. */
function novelNumbers(text: string, questionWords: ReadonlySet<string>): number {
  // A paragraph's own number ("3.26 The design of the home ...") is no figure of what it says.
  text = text.replace(/^\s*\d{1,2}(?:\.\d{1,3})+\s+(?=\p{L})/u, "");
  // Digits inside a code ("H21", "M36", "SO23 8UG") are not figures.
  const figures = [
    ...(text.match(/(?<![\p{L}\d])\d[\d,.]*(?:(?:k|m|bn|st|nd|rd|th)(?![\p{L}\d]))?(?![\p{L}\d])/giu) ?? []),
    ...(text.match(numberWords) ?? []),
  ];
  return figures.filter((number) => !questionWords.has(number.replace(/[.,]$/, "").toLowerCase())).length;
}

/** How well a piece of evidence fits the shape the question wants, from 0 (not at all) to 1. */
export function shapeFit(shape: QuestionShape, text: string): number {
  if (shape.wantsGrade && shape.type !== "name") return gradePattern.test(text) ? 1 : 0;
  switch (shape.type) {
    case "figure": {
      // "How often …" is answered by a frequency ("once each month", "every 6 months", "annually").
      if (shape.wantsFrequency && frequencyPattern.test(text)) return 1;
      if (shape.wantsDuration) return durationPattern.test(text) ? 1 : novelNumbers(text, shape.questionWords) === 0 ? 0 : 0.4;
      // "No children were living in unregistered homes" counts them (none) without a digit.
      if (shape.countPatterns?.some((pattern) => pattern.test(text))) return 1;
      if (novelNumbers(text, shape.questionWords) === 0) return 0;
      if (shape.countPatterns) {
        // "How many children": a number before the thing counted answers it; a date's numbers do not.
        if (shape.countPatterns.some((pattern) => pattern.test(text))) return 1;
        // Some other number (a code, a page): weak evidence of a count.
        return novelNumbers(withoutDates(text), shape.questionWords) === 0 ? 0 : 0.3;
      }
      // "How much is the fee?" is answered by an amount of money, not by a count of days.
      if (shape.wantsAmount && !moneyFigurePattern.test(text)) return 0;
      let fit = 0.6;
      if (shape.wantsPercentage && /\d\s?%|\bper ?cent\b/i.test(text)) fit += 0.4;
      // A whole price list in one piece (a table read as one line) does not say which amount answers.
      else if (shape.wantsMoney && moneyFigurePattern.test(text)) fit += (text.match(/£\s?\d[\d,.]*/g) ?? []).length > 4 ? 0 : 0.4;
      else if (!shape.wantsPercentage && !shape.wantsMoney) fit += 0.3;
      return Math.min(1, fit);
    }
    case "name": {
      let fit = 0;
      if (novelNames(text, shape.questionWords) > 0) fit += 0.6;
      const roles = text.match(new RegExp(roleWords.source, "gi")) ?? [];
      if (roles.some((role) => !shape.questionWords.has(role.toLowerCase()))) fit += 0.4;
      return fit;
    }
    case "date": {
      let fit = 0;
      if (yearPattern.test(text)) fit += 0.6;
      if (monthPattern.test(text)) fit += 0.4;
      return Math.min(1, fit);
    }
    case "list": {
      // Items are parted by commas, or by semicolons in a table cell ("Close liaison ...; School site agreed").
      const commas = (text.match(/[,;]/g) ?? []).length;
      const hasAnd = /\band\b/i.test(text);
      return Math.min(1, commas * 0.25 + (hasAnd ? 0.3 : 0) + (text.includes(" | ") ? 0.3 : 0) + (novelNames(text, shape.questionWords) > 0 ? 0.2 : 0));
    }
    case "description":
      return shape.defines ? definitionFit(shape.defines, text) : 0.5;
  }
}
