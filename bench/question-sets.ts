/** The development question sets that npm run eval:all and npm run tune read. */
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseQuestionSet, type EvalQuestion } from "../src/answer/evaluate.ts";

const repositoryRoot = new URL("..", import.meta.url).pathname;
export const sharedDir = process.env.HEARTH_SHARED_DIR ?? join(repositoryRoot, "..", "shared");
export const corpus = (relative: string): string => join(sharedDir, "corpus", relative);

export function questionSets(): { name: string; file: string }[] {
  return [
    { name: "dev", file: corpus("dev-questions.json") },
    { name: "dev2", file: corpus("dev2/questions.json") },
    { name: "tuning", file: join(repositoryRoot, "bench/tuning-questions.json") },
    { name: "tuning-library", file: join(repositoryRoot, "bench/tuning-questions-library.json") },
    { name: "tuning-providers", file: join(repositoryRoot, "bench/tuning-questions-providers.json") },
  ];
}

/** A question set's questions, read and checked: a bad file is an error naming it. */
export function readQuestionSet(file: string): EvalQuestion[] {
  const parsed = parseQuestionSet(JSON.parse(readFileSync(file, "utf8")), basename(file));
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

/** The questions of the named sets that are here (a set whose file is absent is skipped), each with its set's name. */
export function questionsOf(names: readonly string[]): (EvalQuestion & { set: string })[] {
  return questionSets()
    .filter((set) => names.includes(set.name) && existsSync(set.file))
    .flatMap((set) => readQuestionSet(set.file).map((question) => ({ set: set.name, ...question })));
}
