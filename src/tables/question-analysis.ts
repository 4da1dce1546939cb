/**
 * What the data-set answerer needs to know about a question. Built here from the existing tools (question shape,
 * tokenizer, glossary, LA names); the shared question analysis being built for the answer model can fill the same
 * interface later without changing the query builder.
 */
import { classifyQuestion } from "../retrieval/question-shape.ts";
import type { QuestionShape } from "../retrieval/question-shape.ts";
import { findLocalAuthorities, longerNamesContaining } from "../market/local-authority-names.ts";
import { loadDefaultGlossary } from "../retrieval/glossary.ts";
import { stem, stems, words } from "../retrieval/tokenize.ts";
import { tableVocabulary } from "./vocabulary.ts";
import { boundedMemo } from "../text/bounded-memo.ts";

export interface QuestionToken {
  word: string;
  stem: string;
  /** Character offset in the question. */
  at: number;
}

export interface QuestionIntents {
  count: boolean;
  sum: boolean;
  average: boolean;
  rankDescending: boolean;
  rankAscending: boolean;
  change: boolean;
  compare: boolean;
  rate: boolean;
  figure: boolean;
  /** "What proportion of ... are private": a part of a whole. */
  share: boolean;
  /** "the sector mix", "how are they rated": a count broken down by a category column. */
  mix: boolean;
}

export interface QuestionAnalysis {
  text: string;
  shape: QuestionShape;
  /** Words in order (possessive "s" dropped), with Porter stems. */
  tokens: QuestionToken[];
  /** English LAs named, in order of mention (a longer name hides a shorter one inside it). */
  authorities: { name: string; at: number; end: number; /** Longer LA names holding this one that the question did not mean. */ longer: string[] }[];
  /** Four-digit years named, in order. */
  years: number[];
  intents: QuestionIntents;
  /** "top 5" -> 5. */
  topCount: number | null;
  /** Glossary groups the question names: each as the stems of every variant, so a value written another way matches. */
  synonyms: string[][][];
}

function tokensOf(text: string): QuestionToken[] {
  const tokens: QuestionToken[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    // "childrens" is "children's" typed without the apostrophe.
    const word = words(match[0])[0]?.replace(/^(children|women|men|people)s$/, "$1");
    if (!word || word === "s") continue;
    tokens.push({ word, stem: stem(word), at: match.index ?? 0 });
  }
  return tokens;
}

/** A council's own name as a pattern, compiled once per name (this runs for every question that names one). */
const ownNamePattern = boundedMemo(
  (name: string) => new RegExp(`(?<![\\p{L}])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").split(/\s+/).join("[\\s_-]+")}(?![\\p{L}])`, "iu"),
  1_000,
);

/** Where a council is named: its own name, or else the shortest run of words that names it ("Notts"). */
function spanOf(text: string, name: string): { at: number; end: number } {
  const match = ownNamePattern(name).exec(text);
  if (match) return { at: match.index, end: match.index + match[0].length };
  const spans = [...text.matchAll(/[\p{L}\p{N}]+/gu)];
  for (let length = 1; length <= 4; length += 1) {
    for (let start = 0; start + length <= spans.length; start += 1) {
      const first = spans[start];
      const last = spans[start + length - 1];
      if (!first || !last) continue;
      const at = first.index ?? 0;
      const end = (last.index ?? 0) + last[0].length;
      if (findLocalAuthorities(text.slice(at, end)).includes(name)) return { at, end };
    }
  }
  return { at: -1, end: -1 };
}

function authoritiesIn(text: string): QuestionAnalysis["authorities"] {
  const names = findLocalAuthorities(text);
  const found: QuestionAnalysis["authorities"] = [];
  for (const name of names) {
    const { at, end } = spanOf(text, name);
    const longer = longerNamesContaining(name).filter((other) => !new RegExp(other.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i").test(text));
    found.push({ name, at, end, longer });
  }
  return found;
}

/** Every synonym group (the glossary's and the table vocabulary's) as stems: made once, not for every question. */
let synonymGroups: string[][][] | undefined;

function synonymsIn(tokens: QuestionToken[]): string[][][] {
  const questionStems = tokens.map((token) => token.stem);
  const present = (variant: string[]): boolean =>
    variant.length > 0 && questionStems.some((_, start) => variant.every((part, offset) => questionStems[start + offset] === part));
  synonymGroups ??= [
    ...loadDefaultGlossary().groups.map((group) => group.map((variant) => variant.stems)),
    ...tableVocabulary().synonyms.map((group) => group.map((term) => stems(term))),
  ].map((group) => group.map((variant) => variant.filter((part) => part !== "s")));
  return synonymGroups.filter((group) => group.some((variant) => present(variant)));
}

export function analyseQuestion(question: string): QuestionAnalysis {
  const text = question.trim();
  const vocabulary = tableVocabulary();
  const tokens = tokensOf(text);
  const intents = Object.fromEntries(
    Object.entries(vocabulary.intents).map(([name, pattern]) => [name, pattern.test(text)]),
  ) as unknown as QuestionIntents;
  const top = /\b(?:top|bottom|first|largest|biggest|highest|lowest|smallest)\s+(\d{1,2}|three|five|ten)\b/i.exec(text)?.[1]?.toLowerCase();
  const topCount = top === undefined ? null : ({ three: 3, five: 5, ten: 10 } as Record<string, number>)[top] ?? Number(top);
  const years = [...text.matchAll(/\b((?:19|20)\d{2})(?:\s*[-/–]\s*(\d{2}))?\b/g)].map((match) => Number(match[1]));
  return {
    text,
    shape: classifyQuestion(text),
    tokens,
    authorities: authoritiesIn(text),
    years,
    intents,
    topCount,
    synonyms: synonymsIn(tokens),
  };
}
