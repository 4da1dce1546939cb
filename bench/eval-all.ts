/**
 * `npm run eval:all`: every development question set over one library, with the figures issue 11 asks for.
 *
 * The library is ../shared/corpus/library, real/ and dev2/docs, ingested once into a data folder that is reused
 * (ingest skips files whose bytes are unchanged, so a second run only opens it). Each set is measured as
 * `hearth eval` measures it. Options: `--data <dir>` (default: $TMPDIR/hearth-eval-all), `--verbose` (every
 * question that misses, with its answer), `--json <file>` (every figure and detail for scripts).
 */
import { existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { EvaluationSummary } from "../src/answer/evaluate.ts";
import { evaluate } from "../src/answer/evaluate.ts";
import { evaluationDependencies } from "../src/cli/evaluation-setup.ts";
import { loadConfig } from "../src/config/config.ts";
import { ingestPaths } from "../src/ingest/ingest.ts";
import { openSqliteStore } from "../src/store/sqlite-store.ts";
import { corpus, questionSets, readQuestionSet } from "./question-sets.ts";


const { values: options } = parseArgs({
  options: {
    data: { type: "string", default: join(tmpdir(), "hearth-eval-all") },
    verbose: { type: "boolean", default: false },
    json: { type: "string" },
    only: { type: "string" },
  },
});


const percent = (value: number | null): string => (value === null ? "  n/a" : `${(value * 100).toFixed(1).padStart(5)}`);

async function main(): Promise<void> {
  if (!existsSync(corpus("dev2/questions.json"))) {
    console.error(`eval:all needs the shared corpus at ${corpus("")} (set HEARTH_SHARED_DIR)`);
    process.exitCode = 1;
    return;
  }
  const config = loadConfig({ ...process.env }, { dataDir: options.data });
  if (!config.ok) throw config.error;
  const store = openSqliteStore({ dataDir: config.value.dataDir });
  try {
    const started = performance.now();
    const ingest = await ingestPaths([corpus("library"), corpus("real"), corpus("dev2/docs")], { store, config: config.value });
    console.log(
      `library: ${options.data} (${ingest.ingested} ingested, ${ingest.unchanged} unchanged, ${ingest.failed} failed, ${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    const dependencies = await evaluationDependencies(store, 5);
    const rows: { name: string; summary: EvaluationSummary }[] = [];
    // Data-set questions are answered from typed tables (hearth ask's route), not by the tuned extractive scorer, so
    // they are measured here but not fitted by npm run tune.
    const sets = [...questionSets(), { name: "tuning-datasets", file: new URL("./tuning-questions-datasets.json", import.meta.url).pathname }];
    for (const set of sets) {
      if (options.only && !options.only.split(",").includes(set.name)) continue;
      if (!existsSync(set.file)) continue;
      const summary = await evaluate(readQuestionSet(set.file), dependencies);
      rows.push({ name: set.name, summary });
      if (options.verbose) {
        for (const detail of summary.details) {
          const missed = detail.expectedRefusal ? !detail.refused : detail.refused || !detail.answerHit || !detail.goldCited;
          if (!missed) continue;
          console.log(
            `✗ ${set.name} ${detail.id} [${detail.kind ?? "-"}] rank ${detail.goldRank ?? "-"} answer ${detail.answerHit ? "yes" : "no"} cited ${detail.goldCited ? "yes" : "no"} refused ${detail.refused ? "yes" : "no"}: ${detail.question}`,
          );
          console.log(`    ${detail.answer.answer.split("\n").slice(0, 4).join("\n    ").slice(0, 600)}`);
        }
      }
    }
    const header = "set               questions  top-5    MRR  answered  refused(ans)  absent-refused  answer-key  gold-cited";
    console.log(header);
    const line = (name: string, summary: EvaluationSummary): string =>
      [
        name.padEnd(17),
        String(summary.questions).padStart(9),
        percent(summary.topKHitRate).padStart(6),
        summary.meanReciprocalRank.toFixed(3).padStart(6),
        percent(summary.answerRate).padStart(9),
        percent(summary.refusalRateOnAnswerable).padStart(13),
        (summary.absent > 0 ? `${Math.round((summary.correctRefusalRate ?? 0) * summary.absent)} of ${summary.absent}` : "n/a").padStart(15),
        percent(summary.answerKeyRate).padStart(11),
        percent(summary.goldCitationRate).padStart(11),
      ].join(" ");
    for (const row of rows) console.log(line(row.name, row.summary));
    if (options.json) {
      writeFileSync(
        options.json,
        `${JSON.stringify(
          rows.map(({ name, summary }) => ({
            name,
            ...summary,
            details: summary.details.map(({ answer, ...detail }) => ({ ...detail, answer: answer.answer, refused: answer.refused })),
          })),
          null,
          1,
        )}\n`,
      );
    }
  } finally {
    await store.close();
  }
}

await main();
