/**
 * `node --import tsx bench/sqlite-search-cpu-profile.ts <library folder> [profile file] [warm-up answers]`: the dev, dev2
 * and tuning questions' searches on a SQLite library (as bench/scale.ts runs them, after one warm-up answer), each search's CPU,
 * and a V8 CPU profile of the searches alone (default bench/out/sqlite-searches.cpuprofile; open it in Chrome's
 * DevTools or summarise it by function). Used for docs/benchmarks.md, "issue 14, fifth stop". Point it at a copy: a
 * large library gains champion lists and phrase counts as it runs. `warm-up answers` (default 0): that many more
 * answers before the searches, to questions of the tuning-library set (not measured), so the first measured searches
 * do not pay the process's JIT compilation (the first two or three searches after one answer cost 1.5-3x a later
 * search of the same question: docs/benchmarks.md, "issue 14, seventh stop").
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { dirname } from "node:path";
import { evaluationDependencies } from "../src/cli/evaluation-setup.ts";
import { openSqliteStore } from "../src/store/sqlite-store.ts";
import { questionsOf } from "./question-sets.ts";

const folder = process.argv[2];
if (folder === undefined) throw new Error("usage: bench/sqlite-search-cpu-profile.ts <library folder> [profile file]");
const profileFile = process.argv[3] ?? new URL("./out/sqlite-searches.cpuprofile", import.meta.url).pathname;
const warmUpAnswers = Number(process.argv[4] ?? 0);
const store = openSqliteStore({ dataDir: folder });
const dependencies = await evaluationDependencies(store, 5);
const questions = questionsOf(["dev", "dev2", "tuning"]);
const cpuSince = (since: NodeJS.CpuUsage): number => {
  const spent = process.cpuUsage(since);
  return (spent.user + spent.system) / 1000;
};
// The first answer builds what a process builds once (document identities, title stems): not a search's cost.
await dependencies.answerer.answer(questions[0]!.question);
if (warmUpAnswers > 0) {
  for (const question of questionsOf(["tuning-library"]).slice(0, warmUpAnswers)) await dependencies.answerer.answer(question.question);
}
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.start");
const timed: { id: string; ms: number }[] = [];
for (const question of questions) {
  const started = process.cpuUsage();
  const text = (await dependencies.retrievalText?.(question.question)) ?? question.question;
  await dependencies.searcher.search(text, { limit: 5 });
  timed.push({ id: `${question.set}:${question.id}`, ms: cpuSince(started) });
}
const { profile } = await session.post("Profiler.stop");
mkdirSync(dirname(profileFile), { recursive: true });
writeFileSync(profileFile, JSON.stringify(profile));
const sorted = timed.map((entry) => entry.ms).sort((left, right) => left - right);
const percentile = (share: number): number => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
console.log(`${timed.length} searches, CPU p50 ${percentile(0.5).toFixed(0)} / p95 ${percentile(0.95).toFixed(0)} ms, total ${sorted.reduce((sum, ms) => sum + ms, 0).toFixed(0)} ms; profile: ${profileFile}`);
for (const entry of timed.sort((left, right) => right.ms - left.ms).slice(0, 10)) console.log(`${entry.ms.toFixed(0).padStart(6)} ms  ${entry.id}`);
