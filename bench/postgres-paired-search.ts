/**
 * `npx tsx bench/postgres-paired-search.ts <postgres-url> <workspace> <base-root> [sets] [rounds]`: the same searches
 * (as `hearth search` ranks, 5 results) by two builds in one process, each question searched by one and then at once
 * by the other (which goes first alternates), against a library already built (bench:scale --keep --store
 * postgres://…). `base-root` is a checkout of the code to compare with (a `git archive` of main, with this checkout's
 * node_modules linked into it); the other side is this checkout. On a machine shared with other work, where a run's
 * p95 moves by half between runs of the same code, the two sides of a pair meet the same load: per question, the
 * median over the measured rounds (the first round warms both) of the search's wall time and of this process's CPU
 * time, then p50 / p95 over the questions, and the gold page in the top 5 on each side. HEARTH_PAIRED_QUESTIONS=<n>
 * lists the n questions slowest on the base side with both sides' medians; HEARTH_PAIRED_MATCH=<text> times only the
 * questions holding that text.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { evaluationDependencies } from "../src/cli/evaluation-setup.ts";
import type { openPostgresStore } from "../src/store/postgres/postgres-store.ts";
import { questionsOf } from "./question-sets.ts";
import { nearestRankPercentile } from "./statistics.ts";

const [url, workspaceId, baseRoot, setNames = "dev,dev2,tuning", roundsText = "4"] = process.argv.slice(2);
if (url === undefined || workspaceId === undefined || baseRoot === undefined) {
  throw new Error("usage: postgres-paired-search.ts <postgres-url> <workspace> <base-root> [sets] [rounds]");
}

interface Side {
  name: string;
  search(query: string): Promise<{ fileName: string; page: number | null }[]>;
  retrievalText(question: string): Promise<string>;
}

const openSide = async (name: string, root: string): Promise<Side> => {
  // Each side's own modules (the base's from its checkout): typed as this checkout's.
  const setup = (await import(`${root}/src/cli/evaluation-setup.ts`)) as { evaluationDependencies: typeof evaluationDependencies };
  const postgres = (await import(`${root}/src/store/postgres/postgres-store.ts`)) as { openPostgresStore: typeof openPostgresStore };
  const store = await postgres.openPostgresStore({ url, workspaceId });
  const dependencies = await setup.evaluationDependencies(store, 5);
  return {
    name,
    search: (query) => dependencies.searcher.search(query, { limit: 5 }),
    retrievalText: async (question) => (await dependencies.retrievalText?.(question)) ?? question,
  };
};

const sides = [await openSide("base", resolve(baseRoot)), await openSide("this", resolve(new URL("..", import.meta.url).pathname))];
// HEARTH_PAIRED_MATCH=<text>: only the questions holding that text (one slow question timed over many rounds).
const questions = questionsOf(setNames.split(",")).filter((item) => item.question.includes(process.env.HEARTH_PAIRED_MATCH ?? ""));
const texts: string[] = [];
for (const item of questions) texts.push(await sides[0]!.retrievalText(item.question));
const cpuMilliseconds = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const rounds = Math.max(2, Number(roundsText));
// Per side, per round, per question.
const walls = new Map(sides.map((side) => [side.name, [] as number[][]]));
const cpus = new Map(sides.map((side) => [side.name, [] as number[][]]));
const gold = new Map(sides.map((side) => [side.name, 0]));
for (let round = 0; round < rounds; round++) {
  for (const side of sides) {
    walls.get(side.name)!.push([]);
    cpus.get(side.name)!.push([]);
  }
  for (let index = 0; index < questions.length; index++) {
    const order = (index + round) % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      const [wallBefore, cpuBefore] = [performance.now(), cpuMilliseconds()];
      const results = await side.search(texts[index]!);
      walls.get(side.name)![round]![index] = performance.now() - wallBefore;
      cpus.get(side.name)![round]![index] = cpuMilliseconds() - cpuBefore;
      const item = questions[index]!;
      const found = results.some((result) => item.gold.some((page) => page.file === result.fileName && page.pages.includes(result.page)));
      if (round === rounds - 1 && item.answers.length > 0 && found) gold.set(side.name, gold.get(side.name)! + 1);
    }
  }
  console.log(`round ${round} done, load ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
}
const measured = Array.from({ length: rounds - 1 }, (_, index) => index + 1);
const answerable = questions.filter((item) => item.answers.length > 0).length;
for (const side of sides) {
  const perQuestion = (table: number[][]): number[] => questions.map((_, index) => nearestRankPercentile(measured.map((round) => table[round]![index]!), 0.5));
  const wall = perQuestion(walls.get(side.name)!);
  const cpu = perQuestion(cpus.get(side.name)!);
  const sum = (values: number[]): string => values.reduce((total, value) => total + value, 0).toFixed(0);
  console.log(
    `${side.name}: per-question medians of rounds 1-${rounds - 1}: wall p50 ${nearestRankPercentile(wall, 0.5).toFixed(0)} / p95 ${nearestRankPercentile(wall, 0.95).toFixed(0)} ms (sum ${sum(wall)}); ` +
      `CPU p50 ${nearestRankPercentile(cpu, 0.5).toFixed(0)} / p95 ${nearestRankPercentile(cpu, 0.95).toFixed(0)} ms (sum ${sum(cpu)}); gold page in the top 5 ${gold.get(side.name)}/${answerable}`,
  );
}
// HEARTH_PAIRED_QUESTIONS=<n>: the n questions slowest on the base side, with each side's median wall time.
const shown = Number(process.env.HEARTH_PAIRED_QUESTIONS ?? 0);
if (shown > 0) {
  const medianOf = (name: string, index: number): number => nearestRankPercentile(measured.map((round) => walls.get(name)![round]![index]!), 0.5);
  const slowest = questions.map((item, index) => ({ item, base: medianOf("base", index), next: medianOf("this", index) })).sort((left, right) => right.base - left.base);
  for (const { item, base, next } of slowest.slice(0, shown)) console.log(`${base.toFixed(0).padStart(5)} -> ${next.toFixed(0).padStart(5)} ms  ${item.question.slice(0, 80)}`);
}
process.exit(0);
