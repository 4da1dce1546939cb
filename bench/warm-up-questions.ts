/**
 * Warm-up answers for the search and answer profiles: questions of the tuning-library set (bench/tuning-questions-
 * library.json), answered before the measured questions and not measured themselves, so the measured searches are
 * those of a long-lived process whose JIT has compiled the search path (a `hearth serve` process, which warms its
 * answer threads at start: src/server/answer-warm-up/). The first two or three searches after one answer cost
 * 1.5-3x a later search of the same question (docs/benchmarks.md, "issue 14, seventh stop"). The set shares no
 * question with the measured sets (dev, dev2, tuning), so no measured search is answered from a warm cache of its own.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { parseQuestionSet } from "../src/answer/evaluate.ts";
import { questionSets } from "./question-sets.ts";

/** The first `count` questions of the tuning-library set; an error when the set holds fewer, or is missing. */
export function warmUpQuestions(count: number): string[] {
  if (count === 0) return [];
  const set = questionSets().find((candidate) => candidate.name === "tuning-library");
  if (set === undefined || !existsSync(set.file)) throw new Error(`warm-up: the tuning-library question set is missing (${set?.file ?? "no such set"})`);
  const parsed = parseQuestionSet(JSON.parse(readFileSync(set.file, "utf8")), basename(set.file));
  if (!parsed.ok) throw parsed.error;
  if (count > parsed.value.length) throw new Error(`warm-up: ${count} answers asked for, but ${basename(set.file)} holds ${parsed.value.length} questions`);
  return parsed.value.slice(0, count).map((question) => question.question);
}

/**
 * A profile's command line with an optional `--warm-up N` (or `--warm-up=N`, anywhere among the positional
 * arguments; default 0): the count and the positional arguments in order.
 */
export function warmUpArgument(args: string[]): { warmUp: number; positionals: string[] } {
  const { values, positionals } = parseArgs({ args, options: { "warm-up": { type: "string", default: "0" } }, allowPositionals: true, strict: true });
  const text = values["warm-up"];
  const warmUp = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(warmUp)) throw new Error(`--warm-up: "${text}" is not a count of answers (a whole number, 0 or more)`);
  return { warmUp, positionals };
}
