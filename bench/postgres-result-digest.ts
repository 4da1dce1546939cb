/**
 * `npx tsx bench/postgres-result-digest.ts <postgres-url> <workspace> [tables,names,search,answers]`: a digest of
 * what a library built on PostgreSQL (bench:scale --keep) gives for every development question: the table planner's
 * plans, the councils findLocalAuthorities names in the questions and in every document's file name and title, the
 * top 10 of each search (chunk ids and scores), and the answers (N14_ANSWERS of them, 30 by default). For checking
 * that a change made to save CPU gives the same results: run it on both builds (the base from `git archive`, with
 * HEARTH_SHARED_DIR) and compare the lines. The tables and names lines also print the CPU their pass took (the
 * planner over three rounds, after one to warm its caches).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { openPostgresStore } from "../src/store/postgres/postgres-store.ts";
import { loadAllTables } from "../src/tables/table-answerer.ts";
import { planQuery } from "../src/tables/build-query.ts";
import { analyseQuestion } from "../src/tables/question-analysis.ts";
import { findLocalAuthorities } from "../src/market/local-authority-names.ts";
import { evaluationDependencies } from "../src/cli/evaluation-setup.ts";
import { questionSets } from "./question-sets.ts";
const [url, workspaceId, what = "tables,names"] = process.argv.slice(2);
const store = await openPostgresStore({ url: url!, workspaceId: workspaceId! });
const questions = questionSets().filter((set) => existsSync(set.file)).flatMap((set) => (JSON.parse(readFileSync(set.file, "utf8")) as { question: string }[]).map((q) => q.question));
const digest = (label: string, values: unknown[]): void => {
  const hash = createHash("sha256");
  for (const value of values) hash.update(JSON.stringify(value) + "\n");
  console.log(label, values.length, hash.digest("hex").slice(0, 16));
};
const parts = what.split(",");
if (parts.includes("tables")) {
  const tables = await loadAllTables(store);
  questions.map((q) => planQuery(analyseQuestion(q), tables));
  const t0 = process.cpuUsage();
  let plans: unknown[] = [];
  for (let round = 0; round < 3; round++) plans = questions.map((q) => planQuery(analyseQuestion(q), tables));
  const t1 = process.cpuUsage(t0);
  digest(`tables (${tables.length} tables, cpu ${((t1.user + t1.system) / 1000).toFixed(0)} ms)`, plans);
}
if (parts.includes("names")) {
  const documents = await store.documents.list();
  const texts = [...questions, ...documents.flatMap((d) => [`${d.fileName.replace(/\.[a-z0-9]+$/i, "").replace(/[_-]+/g, " ")} ${d.title ?? ""}`, d.title ?? ""])];
  // Long texts (not memoised) and mixed case, hyphens, underscores.
  const long = questions.map((q) => `${q} ${"x".repeat(201)} West-Sussex st. helens BOURNEMOUTH, CHRISTCHURCH AND POOLE Nottinghamshire's`);
  const all = [...texts, ...long];
  const t0 = process.cpuUsage();
  const found = all.map((text) => findLocalAuthorities(text));
  const t1 = process.cpuUsage(t0);
  digest(`names (cpu ${((t1.user + t1.system) / 1000).toFixed(0)} ms)`, found);
}
if (parts.includes("search") || parts.includes("answers")) {
  const dependencies = await evaluationDependencies(store, 5);
  if (parts.includes("search")) {
    const results = [];
    for (const q of questions) results.push((await dependencies.searcher.search((await dependencies.retrievalText?.(q)) ?? q, { limit: 10 })).map((r) => [r.chunkId, r.score.toFixed(9)]));
    digest("search", results);
  }
  if (parts.includes("answers")) {
    const answers = [];
    for (const q of questions.slice(0, Number(process.env.N14_ANSWERS ?? 30))) answers.push(await dependencies.answerer.answer(q));
    digest("answers", answers);
  }
}
await store.close();
