/**
 * `npx tsx bench/postgres-search-profile.ts <postgres-url> <workspace> [sets]`: each dev/tuning question's search and
 * answer against a library already built (bench:scale --keep), one line per question with its wall time and the
 * PostgreSQL statements it ran (count and time), so a slow search can be traced to its statements. For profiling the
 * PostgreSQL store; bench:scale is the benchmark.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseQuestionSet } from "../src/answer/evaluate.ts";
import { evaluationDependencies } from "../src/cli/evaluation-setup.ts";
import { openPostgresStore } from "../src/store/postgres/postgres-store.ts";
import { questionSets } from "./question-sets.ts";

const [url, workspaceId, setNames = "dev,tuning"] = process.argv.slice(2);
if (url === undefined || workspaceId === undefined) throw new Error("usage: postgres-search-profile.ts <url> <workspace> [sets]");
const store = await openPostgresStore({ url, workspaceId });
try {
  const dependencies = await evaluationDependencies(store, 5);
  const questions = questionSets()
    .filter((set) => setNames.split(",").includes(set.name) && existsSync(set.file))
    .flatMap((set) => {
      const parsed = parseQuestionSet(JSON.parse(readFileSync(set.file, "utf8")), basename(set.file));
      if (!parsed.ok) throw parsed.error;
      return parsed.value.map((question) => question.question);
    });
  await dependencies.answerer.answer(questions[0]!);
  const searches: number[] = [];
  const answers: number[] = [];
  for (const question of questions) {
    const text = (await dependencies.retrievalText?.(question)) ?? question;
    let started = performance.now();
    await dependencies.searcher.search(text, { limit: 5 });
    const search = performance.now() - started;
    started = performance.now();
    await dependencies.answerer.answer(question);
    const answer = performance.now() - started;
    searches.push(search);
    answers.push(answer);
    console.log(`${search.toFixed(0).padStart(7)} ms search ${answer.toFixed(0).padStart(7)} ms answer  ${question.slice(0, 90)}`);
  }
  const percentile = (values: number[], fraction: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(fraction * values.length) - 1)]!;
  console.log(`search p50 / p95 ${percentile(searches, 0.5).toFixed(0)} / ${percentile(searches, 0.95).toFixed(0)} ms; answer ${percentile(answers, 0.5).toFixed(0)} / ${percentile(answers, 0.95).toFixed(0)} ms`);
} finally {
  await store.close();
}
