/**
 * `node --import tsx bench/retrieval-only.ts --data <dir>`: the search half of `npm run eval:all` alone (top-5 and MRR
 * of every development set, as hearth eval ranks), in well under a minute, for judging a retrieval change on every
 * set at once before the full run. `--verbose` lists each answerable question whose gold page is not first, with its
 * rank. Needs the library eval:all built.
 */
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { evaluationDependencies } from "../src/cli/evaluation-setup.ts";
import { openSqliteStore } from "../src/store/sqlite-store.ts";
import { questionSets, readQuestionSet } from "./question-sets.ts";

const { values: options } = parseArgs({
  options: {
    data: { type: "string", default: join(tmpdir(), "hearth-eval-all") },
    verbose: { type: "boolean", default: false },
    only: { type: "string" },
  },
});

async function main(): Promise<void> {
  if (!existsSync(join(options.data, "hearth.db"))) {
    console.error(`retrieval-only needs the library npm run eval:all builds (${options.data})`);
    process.exitCode = 1;
    return;
  }
  const store = openSqliteStore({ dataDir: options.data });
  try {
    const dependencies = await evaluationDependencies(store, 5);
    const sets = [...questionSets(), { name: "tuning-datasets", file: new URL("./tuning-questions-datasets.json", import.meta.url).pathname }];
    let allHits = 0;
    let allReciprocal = 0;
    let allQuestions = 0;
    for (const set of sets) {
      if (options.only && !options.only.split(",").includes(set.name)) continue;
      if (!existsSync(set.file)) continue;
      const questions = readQuestionSet(set.file);
      let hits = 0;
      let reciprocal = 0;
      let answerable = 0;
      for (const item of questions) {
        if (item.answers.length === 0) continue;
        answerable++;
        const text = (await dependencies.retrievalText?.(item.question)) ?? item.question;
        const rankIn = async (limit: number): Promise<number> =>
          (await dependencies.searcher.search(text, { limit })).findIndex((result) =>
            item.gold.some((gold) => gold.file === result.fileName && gold.pages.includes(result.page)),
          ) + 1;
        const rank = await rankIn(5);
        if (rank > 0) {
          hits++;
          reciprocal += 1 / rank;
        }
        if (options.verbose && rank !== 1) console.log(`  ${set.name} ${item.id} rank ${rank || `- (${(await rankIn(20)) || "-"} in 20)`}: ${item.question}`);
      }
      allHits += hits;
      allReciprocal += reciprocal;
      allQuestions += answerable;
      console.log(`${set.name.padEnd(17)} ${String(answerable).padStart(3)}  top-5 ${((hits / answerable) * 100).toFixed(1).padStart(5)}  MRR ${(reciprocal / answerable).toFixed(3)}`);
    }
    console.log(`${"all".padEnd(17)} ${String(allQuestions).padStart(3)}  top-5 ${((allHits / allQuestions) * 100).toFixed(1).padStart(5)}  MRR ${(allReciprocal / allQuestions).toFixed(3)}`);
  } finally {
    await store.close();
  }
}

await main();
