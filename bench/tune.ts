/**
 * `npm run tune`: fits the extractive answerer's main weights on every development question set, and says how well
 * the fit holds on documents it was not fitted on.
 *
 * Each candidate setting (a grid over the scoring fit weight and the direct answer's coverage threshold of
 * src/answer/answer-weights.json) answers every question once. A question scores 1 when it is answerable and the
 * answer holds an accepted string and cites a gold page, or when it is absent and is refused. The fitted figure is
 * the best setting's mean over all questions. The held-out figure is five-fold cross-validation that holds out
 * whole documents: questions are grouped by their first gold document, each fold's documents are left out, the
 * best setting on the other folds' questions is chosen and scored on the held-out ones. Options: `--data <dir>`
 * (the library eval:all built, default $TMPDIR/hearth-eval-all), `--write` (save the fitted weights).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { EvalQuestion } from "../src/answer/evaluate.ts";
import { evaluate } from "../src/answer/evaluate.ts";
import type { AnswerWeights } from "../src/answer/extractive-answerer.ts";
import { createExtractiveAnswerer, loadAnswerWeights } from "../src/answer/extractive-answerer.ts";
import { addOutOfDateNotes, withSourceAuthority } from "../src/authority/source-authority.ts";
import { createSearcher } from "../src/retrieval/search.ts";
import { openSqliteStore } from "../src/store/sqlite-store.ts";
import { questionSets, readQuestionSet } from "./question-sets.ts";

const { values: options } = parseArgs({
  options: { data: { type: "string", default: join(tmpdir(), "hearth-eval-all") }, write: { type: "boolean", default: false } },
});

// A small grid: every setting answers every development question (one to three minutes each on a shared machine).
// The partial-answer thresholds moved no question in a first run (0.3-0.4 coverage, 0.35-0.45 uncovered), so the
// grid spends its time on the fit weight and the direct answer's coverage threshold.
const grid = {
  fit: [0.15, 0.2, 0.3],
  minimumCoverage: [0.45, 0.5, 0.55],
};
const folds = 5;

interface Setting {
  label: string;
  weights: AnswerWeights;
}

function settings(base: AnswerWeights): Setting[] {
  const all: Setting[] = [];
  for (const fit of grid.fit) {
    for (const minimumCoverage of grid.minimumCoverage) {
      all.push({
        label: `fit ${fit}, direct coverage >= ${minimumCoverage}`,
        // The fit weight moves against the coverage weight, so the three scoring weights keep their sum.
        weights: {
          scoring: { ...base.scoring, fit, coverage: base.scoring.coverage + base.scoring.fit - fit },
          thresholds: { ...base.thresholds, minimumCoverage },
        },
      });
    }
  }
  return all;
}

const mean = (values: number[]): number => (values.length > 0 ? values.reduce((sum, value) => sum + value, 0) / values.length : 0);

async function main(): Promise<void> {
  if (!existsSync(join(options.data, "hearth.db"))) {
    console.error(`tune needs the library npm run eval:all builds (${options.data}); run npm run eval:all -- --data ${options.data} first`);
    process.exitCode = 1;
    return;
  }
  const questions: (EvalQuestion & { set: string })[] = [];
  for (const set of questionSets()) {
    if (!existsSync(set.file)) continue;
    questions.push(...readQuestionSet(set.file).map((question, index) => ({ ...question, id: `${set.name}:${question.id ?? index}`, set: set.name })));
  }
  // Whole documents go to one fold: a question's group is its first gold document; absent questions are spread.
  const documents = [...new Set(questions.map((question) => question.gold[0]?.file).filter((file): file is string => file !== undefined))].sort();
  const foldOf = (question: EvalQuestion, index: number): number => {
    const file = question.gold[0]?.file;
    return file === undefined ? index % folds : documents.indexOf(file) % folds;
  };
  const store = openSqliteStore({ dataDir: options.data });
  try {
    const searcher = createSearcher(store);
    const base = loadAnswerWeights();
    const candidates = settings(base);
    const outcomes: number[][] = [];
    for (const [index, setting] of candidates.entries()) {
      const started = performance.now();
      const answerer = createExtractiveAnswerer({ store, searcher: withSourceAuthority(searcher, store), weights: setting.weights });
      // Only answers are scored here, so the ranking evaluate() measures is skipped (a searcher that finds nothing).
      const summary = await evaluate(questions, {
        searcher: { analyse: searcher.analyse, search: async () => [] },
        answerer: { answer: async (question) => addOutOfDateNotes(await answerer.answer(question), store) },
        k: 5,
      });
      outcomes.push(
        summary.details.map((detail) => (detail.expectedRefusal ? (detail.refused ? 1 : 0) : !detail.refused && detail.answerHit && detail.goldCited ? 1 : 0)),
      );
      console.log(`${index + 1}/${candidates.length} ${setting.label}: ${(mean(outcomes[index]!) * 100).toFixed(1)}% (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
    const scoreOf = (setting: number, members: number[]): number => mean(members.map((question) => outcomes[setting]![question]!));
    const everyQuestion = questions.map((_, index) => index);
    const best = (members: number[]): number =>
      candidates.reduce((chosen, _, setting) => (scoreOf(setting, members) > scoreOf(chosen, members) + 1e-9 ? setting : chosen), 0);
    const fitted = best(everyQuestion);
    const heldOut: number[] = [];
    const chosen: string[] = [];
    for (let fold = 0; fold < folds; fold++) {
      const test = everyQuestion.filter((index) => foldOf(questions[index]!, index) === fold);
      const train = everyQuestion.filter((index) => foldOf(questions[index]!, index) !== fold);
      const setting = best(train);
      chosen.push(`fold ${fold + 1} (${test.length} questions): ${candidates[setting]!.label}`);
      for (const index of test) heldOut.push(outcomes[setting]![index]!);
    }
    const current = candidates.findIndex(
      (setting) =>
        setting.weights.scoring.fit === base.scoring.fit && setting.weights.thresholds.minimumCoverage === base.thresholds.minimumCoverage,
    );
    const lines = [
      `questions: ${questions.length} (${documents.length} gold documents, ${folds} folds holding out whole documents)`,
      `current weights:       ${current >= 0 ? `${(scoreOf(current, everyQuestion) * 100).toFixed(1)}%` : "not on the grid"}`,
      `fitted (all questions): ${(scoreOf(fitted, everyQuestion) * 100).toFixed(1)}%  with ${candidates[fitted]!.label}`,
      `held-out documents:     ${(mean(heldOut) * 100).toFixed(1)}%`,
      ...chosen.map((line) => `  ${line}`),
    ];
    console.log(lines.join("\n"));
    if (options.write) {
      const path = new URL("../src/answer/answer-weights.json", import.meta.url);
      const file = JSON.parse(readFileSync(path, "utf8")) as { scoring: Record<string, unknown>; thresholds: Record<string, unknown> };
      const weights = candidates[fitted]!.weights;
      file.scoring = { ...file.scoring, coverage: weights.scoring.coverage, fit: weights.scoring.fit };
      file.thresholds = { ...file.thresholds, minimumCoverage: weights.thresholds.minimumCoverage };
      writeFileSync(path, `${JSON.stringify(file, null, 1)}\n`);
      console.log("wrote src/answer/answer-weights.json");
    }
  } finally {
    await store.close();
  }
}

await main();
