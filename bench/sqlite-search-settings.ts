/**
 * `node --import tsx bench/sqlite-search-settings.ts <library folder> ['{"championBudget": 30000}'] [--rounds 2]
 * [--warm-up 10] [--ranks <file>]`: how a SQLite library searches with src/store/text-search.json's settings, or
 * with some of them overridden (JSON, checked against their keys and value types), in one process: the 95 searches of dev, dev2
 * and tuning timed over `--rounds` passes (wall p50 / p95 each, after `--warm-up` answers of the tuning-library and
 * tuning-providers sets, as `bench:scale --warm-up` warms), then eval's gold page in the top 5 and MRR per set and the
 * answers' p50 / p95. `--ranks` writes each question's gold rank (set, index, rank, question) to compare settings
 * question by question. Used for docs/benchmarks.md, "Issue 14, twentieth stop". Point it at a copy of a library:
 * a library of `championFrom` passages or more gains kept lists, champion lists and phrase counts as it runs.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { evaluate } from "../src/answer/evaluate.ts";
import { evaluationDependencies } from "../src/cli/evaluation-setup.ts";
import { openSqliteStore } from "../src/store/sqlite-store.ts";
import { textSearchSettings } from "../src/store/sqlite-text-search.ts";
import { questionsOf } from "./question-sets.ts";
import { nearestRankPercentile } from "./statistics.ts";

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: "string", default: "2" },
    "warm-up": { type: "string", default: "10" },
    ranks: { type: "string" },
  },
});
const [folder, overrides] = positionals;
if (folder === undefined) {
  console.error("usage: bench/sqlite-search-settings.ts <library folder> ['<settings JSON>'] [--rounds 2] [--warm-up 10] [--ranks <file>]");
  process.exit(2);
}
// The module's settings object is what createSqliteTextSearch reads by default; overriding it in place (checked by
// the settings' own keys and value types, so a misspelt key is refused rather than ignored) changes this process only.
const changed: Record<string, unknown> = overrides === undefined ? {} : (JSON.parse(overrides) as Record<string, unknown>);
for (const [key, value] of Object.entries(changed)) {
  if (!(key in textSearchSettings)) throw new Error(`settings: "${key}" is not a setting of src/store/text-search.json`);
  if (typeof value !== typeof textSearchSettings[key as keyof typeof textSearchSettings]) throw new Error(`settings: "${key}" must be a ${typeof textSearchSettings[key as keyof typeof textSearchSettings]}`);
}
Object.assign(textSearchSettings, changed);

const store = openSqliteStore({ dataDir: folder });
try {
  const dependencies = await evaluationDependencies(store, 5);
  const measured = ["dev", "dev2", "tuning"].map((name) => ({ name, questions: questionsOf([name]) }));
  const warmUp = questionsOf(["tuning-library", "tuning-providers"]).slice(0, Number(options["warm-up"]));
  const first = measured[0]?.questions[0];
  if (first !== undefined) await dependencies.answerer.answer(first.question);
  for (const question of warmUp) await dependencies.answerer.answer(question.question);

  const texts: string[] = [];
  for (const set of measured) for (const question of set.questions) texts.push((await dependencies.retrievalText?.(question.question)) ?? question.question);
  for (let round = 0; round < Number(options.rounds); round++) {
    const times: number[] = [];
    for (const text of texts) {
      const started = performance.now();
      await dependencies.searcher.search(text, { limit: 5 });
      times.push(performance.now() - started);
    }
    console.log(`pass ${round + 1}: search p50 ${nearestRankPercentile(times, 0.5).toFixed(1)} / p95 ${nearestRankPercentile(times, 0.95).toFixed(1)} ms over ${times.length}`);
  }

  const ranks: string[] = [];
  const answerTimes: number[] = [];
  let hits = 0;
  let reciprocal = 0;
  let questions = 0;
  for (const set of measured) {
    const summary = await evaluate(set.questions, dependencies);
    const setHits = summary.details.filter((detail) => !detail.expectedRefusal && detail.goldRank !== null).length;
    console.log(`${set.name}: gold page in the top 5 ${setHits}/${summary.answerable}`);
    hits += setHits;
    summary.details.forEach((detail, index) => {
      questions++;
      if (detail.goldRank !== null) reciprocal += 1 / detail.goldRank;
      answerTimes.push(detail.milliseconds);
      ranks.push(`${set.name}\t${index}\t${detail.goldRank}\t${set.questions[index]?.question ?? ""}`);
    });
  }
  console.log(`gold page in the top 5 ${hits}, MRR over all ${questions} questions ${(reciprocal / Math.max(1, questions)).toFixed(3)}; answers p50 ${nearestRankPercentile(answerTimes, 0.5).toFixed(0)} / p95 ${nearestRankPercentile(answerTimes, 0.95).toFixed(0)} ms`);
  if (options.ranks !== undefined) writeFileSync(options.ranks, ranks.join("\n") + "\n");
} finally {
  await store.close();
}
