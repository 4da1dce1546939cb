/**
 * Conversation memory for answers: a follow-up in a session ("and how does that compare with foster care?", "what
 * about Kent?") is rewritten with the previous exchange's subject before retrieval, so that it finds the right
 * documents; both answerers (extractive and grounded) use this one resolver. The recent exchanges themselves go to
 * a language model, newest last, within a token budget.
 */
import { readFileSync } from "node:fs";
import * as z from "zod";
import { words } from "../retrieval/tokenize.ts";
import type { Session } from "./types.ts";

const settingsSchema = z.object({
  /** "what about X", "and X", "how about X": X replaces the matching part of the previous question. */
  swap: z.string(),
  /** A pronoun standing for the previous subject ("how does that compare ..."). */
  pronoun: z.string(),
  /** The interrogative opening stripped from the previous question to leave its subject. */
  interrogative: z.string(),
  /** Questions this short (content words) with no name of their own lean on the previous one. */
  shortQuestionWords: z.number(),
  historyTokens: z.number(),
  historyExchanges: z.number(),
});
const settings = settingsSchema.parse(JSON.parse(readFileSync(new URL("./follow-up.json", import.meta.url), "utf8")));
const swapPattern = new RegExp(settings.swap, "i");
const pronounPattern = new RegExp(settings.pronoun, "i");
const interrogativePattern = new RegExp(settings.interrogative, "i");

export interface PreviousExchange {
  /** The question as it was answered (its resolved form when it was itself a follow-up). */
  question: string;
  answer: string;
}

export interface ResolvedQuestion {
  /** The question to retrieve and answer with. */
  question: string;
  /** True when it was rewritten from the conversation. */
  rewritten: boolean;
}

/** Capitalised names in a question, not counting its first word ("Nottinghamshire's", "West Sussex"). */
function namesIn(question: string): string[] {
  const names: string[] = [];
  const pattern = /(?<!^)(?<![.?!]\s)\b([A-Z][\p{L}'’-]*(?:\s+(?:of|upon|on|and)?\s*[A-Z][\p{L}'’-]*)*)/gu;
  for (const match of question.trim().matchAll(pattern)) {
    const name = match[1]!.replace(/['’]s$/, "");
    if (!/^(I|Ofsted|CLA|LA|LAs|SDQ|IFA|OLA)$/.test(name)) names.push(name);
  }
  return names;
}

const trimQuestion = (text: string): string => text.trim().replace(/[?.!\s]+$/, "");

/** "What percentage of X are in Y?" -> "the percentage of X are in Y". */
function subjectOf(question: string): string {
  const stripped = trimQuestion(question)
    .replace(interrogativePattern, "")
    .replace(/\b(?:are|is|were|was)\s+(in|with|at|on|from|living in)\b/i, "$1");
  return /^(the|a|an)\b/i.test(stripped) || /^[A-Z]/.test(stripped) ? stripped : `the ${stripped}`;
}

/** The previous question with `replacement` standing in for its part of the same kind (a name, or a phrase with the same head word). */
function swapInto(previous: string, replacement: string): string | null {
  const base = trimQuestion(previous);
  const replacementIsName = /^[A-Z]/.test(replacement) && namesIn(`x ${replacement}`).length > 0;
  if (replacementIsName) {
    const name = namesIn(base)[0];
    if (name) return `${base.replace(name, replacement)}?`;
    return `${base} in ${replacement}?`;
  }
  const head = words(replacement).at(-1);
  if (head) {
    const tokens = base.split(/\s+/);
    const at = tokens.findIndex((token) => words(token)[0] === head);
    if (at >= 0) {
      // Replace the phrase ending at the head word: the describing words before it, up to a function word.
      let start = at;
      while (start > 0 && !/^(in|of|on|at|for|to|by|with|are|is|was|were|the|a|an|and|or|from)$/i.test(tokens[start - 1]!)) start--;
      return `${[...tokens.slice(0, start), replacement, ...tokens.slice(at + 1)].join(" ")}?`;
    }
  }
  return null;
}

/**
 * Rewrites a follow-up with the previous exchange's subject. A question that stands on its own (names its own
 * subject) is returned as it is.
 */
export function resolveFollowUp(question: string, history: readonly PreviousExchange[]): ResolvedQuestion {
  const previous = history.at(-1);
  const asked = question.trim();
  if (!previous || asked.length === 0) return { question: asked, rewritten: false };
  const leadingName = /^and\s+(?:in\s+|for\s+)?([A-Z][^?]*)\??$/.exec(asked);
  const swap = leadingName ?? swapPattern.exec(asked);
  if (swap) {
    const replacement = trimQuestion(swap[1] ?? swap[2] ?? "");
    const swapped = replacement.length > 0 ? swapInto(previous.question, replacement) : null;
    if (swapped) return { question: swapped, rewritten: true };
  }
  const pronoun = pronounPattern.exec(asked);
  if (pronoun) {
    const subject = subjectOf(previous.question);
    const rewritten = `${asked.slice(0, pronoun.index)}${pronoun[1] ?? ""}${subject}${asked.slice(pronoun.index + pronoun[0].length)}`
      .replace(/^and\s+/i, "")
      .replace(/^\w/, (letter) => letter.toUpperCase());
    return { question: rewritten, rewritten: true };
  }
  const contentWords = words(asked).length;
  const ownNames = namesIn(asked);
  if (/^(and|also|but)\b/i.test(asked) || (contentWords <= settings.shortQuestionWords && ownNames.length === 0)) {
    const names = namesIn(previous.question);
    if (names.length > 0 && !names.some((name) => asked.includes(name))) {
      const cleaned = trimQuestion(asked.replace(/^(and|also|but)\s+/i, ""));
      return { question: `${cleaned.replace(/^\w/, (letter) => letter.toUpperCase())} in ${names[0]}?`, rewritten: true };
    }
  }
  return { question: asked, rewritten: false };
}

/**
 * The most recent exchanges that fit the token budget (about four characters a token), oldest first. The newest
 * exchange always goes when it fits on its own.
 */
export function recentHistory(history: readonly PreviousExchange[], budgetTokens: number = settings.historyTokens): PreviousExchange[] {
  const chosen: PreviousExchange[] = [];
  let used = 0;
  for (const exchange of [...history].reverse().slice(0, settings.historyExchanges)) {
    const cost = Math.ceil((exchange.question.length + exchange.answer.length) / 4);
    if (used + cost > budgetTokens) break;
    used += cost;
    chosen.unshift(exchange);
  }
  return chosen;
}

/** A session's exchanges as conversation history (a follow-up's resolved question stands for it). */
export function sessionHistory(session: Session | undefined): PreviousExchange[] {
  return (session?.exchanges ?? []).map((exchange) => ({ question: exchange.answer.resolvedQuestion ?? exchange.answer.question, answer: exchange.answer.answer }));
}
