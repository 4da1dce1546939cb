/**
 * Local authority names: which English LA a document is about (from its file name, title, or the opening of its
 * first page), and what LA a user means when they type "Notts" or "nottinghamshire".
 */
import { readFileSync } from "node:fs";
import * as z from "zod";
import { boundedMemo } from "../text/bounded-memo.ts";

const listSchema = z.object({ names: z.array(z.string().min(1)), aliases: z.record(z.string(), z.string()) });

interface NamePattern {
  name: string;
  /** The name as written in the list; its regex is compiled when a text first holds its needle. */
  text: string;
  pattern?: RegExp;
  /** The same pattern, global, for finding every mention (compiled with `pattern`, not per call). */
  global?: RegExp;
  /** The name's first word in lower case: a text without it cannot match, so the regex (costly to compile) is skipped. */
  needle: string;
}

interface NameList {
  names: string[];
  patterns: NamePattern[];
  byLowerCase: Map<string, string>;
  /**
   * Pattern indexes (in `patterns` order) by needle, for needles that are one run of letters: such a name can only
   * match where its needle is a whole run of letters of the text (the pattern wants no letter before it, and a
   * space, hyphen, underscore or non-letter after), so a text's own letter runs pick the few names worth testing.
   */
  byLetterRun: Map<string, number[]>;
  /** Pattern indexes whose needle holds other characters ("st.", "bournemouth,"): checked as substrings. */
  otherNeedles: number[];
  /** Each pattern's words in lower case, or null when a word holds other characters than letters. */
  words: (string[] | null)[];
}

let cached: NameList | undefined;

/**
 * What a short text names, kept by the text: the same question, its spans and its word windows are looked up many
 * times per answer (identity search, question analysis, the answerer), each a pass over every name. Bounded.
 */
const foundInShortText = boundedMemo((text: string): readonly string[] => Object.freeze(findIn(text)), 5_000);
const shortText = 200;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** "West Sussex" matches "West Sussex", "west-sussex", "West_Sussex"; word boundaries keep "Nottingham" out of "Nottinghamshire". */
function patternFor(text: string): RegExp {
  const body = text
    .split(/[\s-]+/)
    .map(escape)
    .join("[\\s_-]+");
  return new RegExp(`(?<![\\p{L}])${body}(?![\\p{L}])`, "iu");
}

function firstWord(text: string): string {
  return (text.split(/[\s-]+/)[0] ?? text).toLowerCase();
}

function load(): NameList {
  if (cached) return cached;
  const parsed = listSchema.parse(JSON.parse(readFileSync(new URL("./local-authorities.json", import.meta.url), "utf8")));
  const entries: NamePattern[] = [
    ...parsed.names.map((name) => ({ name, text: name, needle: firstWord(name) })),
    ...Object.entries(parsed.aliases).map(([alias, name]) => ({ name, text: alias, needle: firstWord(alias) })),
  ];
  // Longer names first: "North Somerset" before "Somerset", "Nottinghamshire" before "Nottingham".
  entries.sort((left, right) => right.text.length - left.text.length);
  const byLowerCase = new Map<string, string>();
  // The first name of a spelling wins, as a search of the list in order would find it.
  for (const name of parsed.names) if (!byLowerCase.has(name.toLowerCase())) byLowerCase.set(name.toLowerCase(), name);
  const byLetterRun = new Map<string, number[]>();
  const otherNeedles: number[] = [];
  entries.forEach((entry, index) => {
    if (!/^\p{L}+$/u.test(entry.needle)) {
      otherNeedles.push(index);
      return;
    }
    const list = byLetterRun.get(entry.needle) ?? [];
    list.push(index);
    byLetterRun.set(entry.needle, list);
  });
  const words = entries.map((entry) => {
    const parts = entry.text.toLowerCase().split(/[\s-]+/);
    return parts.every((part) => /^\p{L}+$/u.test(part)) ? parts : null;
  });
  cached = { names: parsed.names, patterns: entries, byLowerCase, byLetterRun, otherNeedles, words };
  return cached;
}

export function localAuthorityNames(): readonly string[] {
  return load().names;
}

/** Every LA named in a text, in order of first mention (a longer name hides the shorter one inside it). */
export function findLocalAuthorities(text: string): string[] {
  if (text.length > shortText) return findIn(text);
  return [...foundInShortText(text)];
}

/**
 * The names worth testing against a text, in the list's order (longer names first): those whose needle is one of the
 * text's letter runs, and those whose needle holds other characters and stands in the text. A library's every file
 * name and title is read once per library version; looking each of the list's names up in every one was most of
 * that pass (about 25 µs a title, 10k titles and more at scale).
 */
function candidatesIn(lower: string): NamePattern[] {
  const list = load();
  const indexes: number[] = [];
  for (const index of list.otherNeedles) if (lower.includes(list.patterns[index]!.needle)) indexes.push(index);
  const runs = new Set(lower.match(/\p{L}+/gu) ?? []);
  for (const run of runs) {
    for (const index of list.byLetterRun.get(run) ?? []) {
      // Every word of the name, when all are letters, is a whole letter run of a text that names it too.
      if (list.words[index]?.every((word) => runs.has(word)) === false) continue;
      indexes.push(index);
    }
  }
  indexes.sort((left, right) => left - right);
  return indexes.map((index) => list.patterns[index]!);
}

function findIn(text: string): string[] {
  const found: { name: string; at: number; end: number }[] = [];
  const lower = text.toLowerCase();
  for (const entry of candidatesIn(lower)) {
    // Most names are not in a given text: only the candidates above, then a plain test, spare compiling and copying
    // every pattern (each Unicode-aware regex costs a fraction of a millisecond the first time it runs).
    const pattern = (entry.pattern ??= patternFor(entry.text));
    const name = entry.name;
    if (!pattern.test(text)) continue;
    const global = (entry.global ??= new RegExp(pattern.source, "giu"));
    // matchAll works on a copy of the regex, so the shared one's lastIndex never moves.
    for (const match of text.matchAll(global)) {
      const at = match.index ?? 0;
      const end = at + match[0].length;
      if (found.some((other) => at < other.end && end > other.at)) continue;
      found.push({ name, at, end });
    }
  }
  found.sort((left, right) => left.at - right.at);
  return [...new Set(found.map((entry) => entry.name))];
}

/** The LA a user typed ("notts", "Nottinghamshire County Council"), or undefined when it names none. */
export function resolveLocalAuthority(input: string): string | undefined {
  const trimmed = input.trim();
  const exact = load().byLowerCase.get(trimmed.toLowerCase());
  if (exact) return exact;
  return findLocalAuthorities(trimmed)[0];
}

export interface DocumentSubject {
  fileName: string;
  title: string | null;
  /** The opening of the first page. */
  opening: string;
}

/**
 * The one LA a document is about, or undefined for national documents and data sets about many LAs. The file name
 * and title decide; the opening of the first page only when neither names any LA and it names exactly one.
 */
export function documentLocalAuthority(subject: DocumentSubject): string | undefined {
  const fromName = findLocalAuthorities(`${subject.fileName.replace(/\.[a-z0-9]+$/i, "")} ${subject.title ?? ""}`);
  if (fromName.length > 0) return fromName.length === 1 ? fromName[0] : undefined;
  const fromText = findLocalAuthorities(subject.opening.slice(0, 400));
  return fromText.length === 1 ? fromText[0] : undefined;
}

/**
 * The other LAs whose names hold this one's ("North Somerset" and "Bath and North East Somerset" for "Somerset"):
 * a text naming them is not about this one.
 */
export function longerNamesContaining(name: string): string[] {
  return [...longerNamesOf(name)];
}

const longerNamesOf = boundedMemo((name: string): readonly string[] => {
  const pattern = localAuthorityPattern(name);
  return Object.freeze(load().names.filter((other) => other.length > name.length && pattern.test(other)));
}, 1_000);

/**
 * Whether a text names this LA ("West Sussex", "west-sussex"), as findLocalAuthorities matches it: one compiled
 * pattern per name, kept (not a new regex per call). Not global: safe to share for `test`.
 */
export const localAuthorityPattern: (name: string) => RegExp = boundedMemo(patternFor, 1_000);
