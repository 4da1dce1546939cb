/**
 * Drafting intents: which template a plain request names ("help me draft a staffing plan", "mock inspection",
 * "outline a daily routine for a 3-bed home for 11-17 year olds"), read from the templates' `intents` (data), with
 * typos tolerated; the home's options the request states (age range, beds, specialism); and the revisions a
 * follow-up asks of the last draft ("shorter", "more on therapy", "as a letter"). The words lists live in
 * drafting-intents.json.
 */
import { readFileSync } from "node:fs";
import * as z from "zod";
import { stem } from "../retrieval/tokenize.ts";
import type { DraftOptions, DraftStyle } from "./draft-engine.ts";
import { compareTemplateIds } from "./template-library.ts";
import type { TaskTemplate } from "./template-schema.ts";

const intentWordsSchema = z.object({
  verbs: z.array(z.string().min(1)).min(1),
  notVerbs: z.array(z.string().min(1)),
  interrogatives: z.array(z.string().min(1)),
  ignoredWords: z.array(z.string().min(1)),
  numberWords: z.record(z.string(), z.string()),
  specialisms: z.array(z.string().min(1)),
  revisions: z.object({
    shorter: z.array(z.string().min(1)),
    longer: z.array(z.string().min(1)),
    letter: z.array(z.string().min(1)),
    focus: z.array(z.string().min(1)),
  }),
});

const intentWords = intentWordsSchema.parse(JSON.parse(readFileSync(new URL("./drafting-intents.json", import.meta.url), "utf8")));
const ignored = new Set(intentWords.ignoredWords);

/** Lower-case words (letters and digits; "reg44" -> "reg", "44"), without the words that name nothing. */
function tokens(text: string): string[] {
  return (text.toLowerCase().replace(/’/g, "'").replace(/([a-z])(\d)/g, "$1 $2").match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !ignored.has(word));
}

/** Optimal string alignment distance (edits, with a swap of neighbours as one), stopping once over `limit`. */
export function editDistance(left: string, right: string, limit: number): number {
  if (Math.abs(left.length - right.length) > limit) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= left.length; i++) rows.push(Array.from({ length: right.length + 1 }, (_unused, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= left.length; i++) {
    let best = Number.POSITIVE_INFINITY;
    for (let j = 1; j <= right.length; j++) {
      const cost = left[i - 1] === right[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && left[i - 1] === right[j - 2] && left[i - 2] === right[j - 1]) value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
  }
  return rows[left.length]![right.length]!;
}

/** How far a word may be from the one meant: none for short words and numbers, one edit from 4 letters, two from 8. */
function allowedEdits(word: string): number {
  if (/\d/.test(word) || word.length < 4) return 0;
  return word.length >= 8 ? 2 : 1;
}

/** 1 for the same word (or stem), 0.8 for a typo of it, 0 otherwise. */
function compareWords(asked: string, wanted: string): number {
  if (asked === wanted || stem(asked) === stem(wanted)) return 1;
  const limit = Math.min(allowedEdits(asked), allowedEdits(wanted));
  if (limit === 0) return 0;
  return editDistance(asked, wanted, limit) <= limit ? 0.8 : 0;
}

// Word pairs recur across phrases and requests: remember each comparison (bounded, cleared when full).
const comparisons = new Map<string, number>();

function wordMatch(asked: string, wanted: string): number {
  const key = `${asked}\u0000${wanted}`;
  let value = comparisons.get(key);
  if (value === undefined) {
    value = compareWords(asked, wanted);
    if (comparisons.size > 200_000) comparisons.clear();
    comparisons.set(key, value);
  }
  return value;
}

/**
 * How well a phrase is in the question: every word of it, in order, each within two words of the last; the score
 * is the phrase's length (longer phrases say more), less a little for each typo. 0 when it is not there.
 */
function phraseScore(question: string[], phrase: string[]): number {
  if (phrase.length === 0) return 0;
  let best = 0;
  for (let start = 0; start < question.length; start++) {
    const first = wordMatch(question[start]!, phrase[0]!);
    if (first === 0) continue;
    let total = first;
    let at = start;
    let complete = true;
    for (const wanted of phrase.slice(1)) {
      let found = -1;
      let quality = 0;
      for (let next = at + 1; next <= Math.min(at + 3, question.length - 1); next++) {
        quality = wordMatch(question[next]!, wanted);
        if (quality > 0) {
          found = next;
          break;
        }
      }
      if (found < 0) {
        complete = false;
        break;
      }
      total += quality;
      at = found;
    }
    if (complete) best = Math.max(best, total);
  }
  return best;
}

function containsPhrase(question: string, phrases: readonly string[]): string | undefined {
  const asked = tokensKeepingAll(question);
  return phrases.find((phrase) => phraseScore(asked, tokensKeepingAll(phrase)) >= tokensKeepingAll(phrase).length - 0.2);
}

function tokensKeepingAll(text: string): string[] {
  return text.toLowerCase().replace(/’/g, "'").match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Whether the request asks to draft, write, outline or create something (typos tolerated: "wirte", "drfat"). */
export function hasDraftingVerb(question: string): boolean {
  const lower = question.toLowerCase();
  const withoutNotVerbs = intentWords.notVerbs.reduce((text, phrase) => text.replaceAll(phrase, " "), lower);
  return containsPhrase(withoutNotVerbs, intentWords.verbs) !== undefined;
}

/** A question ("what must ...", "how often ...") rather than a request. */
function opensAsQuestion(question: string): boolean {
  const first = tokensKeepingAll(question)[0];
  return first !== undefined && intentWords.interrogatives.includes(first);
}

export interface TemplateMatch {
  template: TaskTemplate;
  score: number;
  /** The phrase (or pattern) that named it. */
  phrase: string;
  /** Named by a standalone phrase: a request even without a drafting verb ("mock inspection"). */
  standalone: boolean;
}

/** The templates a request names, best first; none when it names none. */
export function rankTemplates(question: string, templates: readonly TaskTemplate[]): TemplateMatch[] {
  const asked = tokens(question);
  const matches: TemplateMatch[] = [];
  for (const template of templates) {
    let best: TemplateMatch | null = null;
    let others = 0;
    const consider = (phrase: string, standalone: boolean): void => {
      const words = tokens(phrase);
      const score = phraseScore(asked, words);
      // Every word of the phrase is there (phraseScore is 0 otherwise), some perhaps misspelt.
      if (score === 0) return;
      if (best === null || score > best.score) {
        if (best !== null) others++;
        best = { template, score, phrase, standalone };
      } else {
        others++;
      }
      if (standalone && best.score === score) best.standalone = true;
    };
    for (const phrase of template.intents.phrases) consider(phrase, false);
    for (const phrase of template.intents.standalone) consider(phrase, true);
    for (const source of template.askPatterns) {
      const found = new RegExp(source, "i").exec(question);
      if (found) {
        const score = 1.5;
        if (best === null || score > (best as TemplateMatch).score) best = { template, score, phrase: found[0], standalone: false };
        else others++;
      }
    }
    if (best !== null) matches.push({ ...(best as TemplateMatch), score: (best as TemplateMatch).score + Math.min(others, 4) * 0.25 });
  }
  return matches.sort((left, right) => right.score - left.score || compareTemplateIds(left.template.id, right.template.id));
}

/** Whether a request should be read for a template at all: a drafting verb, or a standalone phrase not asked as a question. */
export function asksForDraft(question: string, matches: readonly TemplateMatch[]): boolean {
  if (hasDraftingVerb(question)) return true;
  return matches.some((match) => match.standalone) && !opensAsQuestion(question);
}

function numberFrom(word: string): string {
  return intentWords.numberWords[word.toLowerCase()] ?? word;
}

/** The home's options a request states: "a 3-bed home for 11-17 year olds with SEMH" -> beds 3, ages 11 to 17, SEMH. */
export function optionsFromQuestion(question: string): DraftOptions {
  const options: DraftOptions = {};
  const ages =
    /\b(?:aged?|ages|age range(?: of)?)\s*(\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})\b/i.exec(question) ??
    /\b(\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})\s*(?:year[- ]?olds?|yrs?|years?(?: old)?)\b/i.exec(question);
  if (ages && Number(ages[1]) < Number(ages[2]) && Number(ages[2]) <= 25) options.ageRange = `${ages[1]} to ${ages[2]}`;
  const beds = /\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|single|solo)[- ]?(?:bed(?:s|ded|room(?:ed)?)?)\b/i.exec(question);
  if (beds) options.beds = numberFrom(beds[1]!);
  const lower = question.toLowerCase();
  const named = intentWords.specialisms.filter((specialism) => new RegExp(`\\b${specialism.toLowerCase().replace(/[-\s]+/g, "[-\\s]+")}\\b`).test(lower));
  // "complex trauma" and "trauma" both match: keep the longer.
  const kept = named.filter((specialism) => !named.some((other) => other !== specialism && other.toLowerCase().includes(specialism.toLowerCase())));
  if (kept.length > 0) options.specialism = kept.join(", ");
  return options;
}

/** The revision a follow-up asks of the last draft, or null when it asks none. */
export function revisionFromQuestion(question: string): DraftStyle | null {
  const lower = ` ${question.toLowerCase().replace(/[?.!]+$/g, "")} `;
  const style: DraftStyle = {};
  const has = (phrases: readonly string[]): boolean => phrases.some((phrase) => lower.includes(` ${phrase} `) || lower.includes(` ${phrase},`));
  if (has(intentWords.revisions.shorter)) style.length = "shorter";
  else if (has(intentWords.revisions.longer)) style.length = "longer";
  if (has(intentWords.revisions.letter)) style.form = "letter";
  for (const phrase of intentWords.revisions.focus) {
    const at = lower.indexOf(` ${phrase} `);
    if (at < 0) continue;
    const subject = lower
      .slice(at + phrase.length + 2)
      .split(/\b(?:and make|and as|, and|;)\b/)[0]!
      .replace(/\b(the|our|its|it)\b/g, " ")
      .replace(/\s+/g, " ")
      .trim();
    if (subject.length > 1 && subject.length <= 80) style.focus = subject;
    break;
  }
  return Object.keys(style).length > 0 ? style : null;
}
