/**
 * `npx tsx bench/postgres-search-profile.ts <postgres-url> <workspace> [sets] [postmaster-pid] [budget]`: each question's
 * search and answer against a library already built (bench:scale --keep --store postgres://…), one line per
 * question: wall time, and CPU time of this process and (given the postmaster's pid, a server on this machine) of
 * the PostgreSQL server and its backends, from /proc. On a machine shared with other work the CPU times are the
 * figures that say what a search costs; the wall times say what the load made of it. For profiling the PostgreSQL
 * store (with the server's log_min_duration_statement or auto_explain); bench:scale is the benchmark. `budget`
 * (e.g. `5000`) replaces the store's posting budget for this run (a fixed number of passages, no share of the
 * library), to weigh a budget's time against its top 5; the gold page's rank is printed per question. `championFrom`
 * replaces the size from which champion lists are used. HEARTH_PROFILE_OWN_BACKENDS=1 counts only this run's own
 * backends' CPU (by application name), not the whole server's: for measuring while an ingest writes beside it.
 * HEARTH_PROFILE_WARM_UP=tuning-library searches and answers that set first, unmeasured (a JIT-compiled process, as a
 * server's is after its first questions); HEARTH_PROFILE_CALLS=1 lists each search's store calls on its line.
 */
import { readFileSync } from "node:fs";
import { evaluationDependencies } from "../src/cli/evaluation-setup.ts";
import { openPostgresStore } from "../src/store/postgres/postgres-store.ts";
import pg from "pg";
import { postgresTextSearchSettings } from "../src/store/postgres/postgres-text-search.ts";
import { championSearchSettings } from "../src/store/postgres/postgres-champion-search.ts";
import { questionsOf } from "./question-sets.ts";
import { processTreeCpuMilliseconds } from "./process-tree-cpu.ts";
import { nearestRankPercentile } from "./statistics.ts";

const [url, workspaceId, setNames = "dev,tuning", postmaster, budget, championFrom] = process.argv.slice(2);
// This run's own backends are told apart from others on the same server (an ingest running beside it) by name.
process.env.PGAPPNAME = "hearth-search-profile";

/** CPU milliseconds so far of this run's own server backends (their pids from pg_stat_activity), or of the whole server. */
let ownBackends: number[] = [];
const backendCpuMilliseconds = (pids: number[]): number =>
  pids.reduce((sum, pid) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "").split(" ");
      return sum + (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return sum;
    }
  }, 0);
const serverCpu = (): number => (postmaster === undefined ? 0 : (processTreeCpuMilliseconds([Number(postmaster)]) ?? 0));
const ownCpu = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
if (url === undefined || workspaceId === undefined) throw new Error("usage: postgres-search-profile.ts <url> <workspace> [sets]");
const textSearch = {
  ...postgresTextSearchSettings,
  ...(budget === undefined || budget === "" ? {} : { postingBudget: Number(budget), postingBudgetShare: 0 }),
  ...(championFrom === undefined || championFrom === "" ? {} : { championFrom: Number(championFrom) }),
  // Any other key of src/store/text-search.json, as JSON (e.g. '{"championStaleShare":1}' while an ingest runs beside).
  ...(JSON.parse(process.env.HEARTH_PROFILE_TEXT_SEARCH ?? "{}") as object),
};
// Any key of src/store/postgres/postgres-champion-search.json, as JSON (e.g. '{"rareCandidates":500}'), to weigh a
// candidate budget's time against its top 5.
const championSearch = { ...championSearchSettings, ...(JSON.parse(process.env.HEARTH_PROFILE_CHAMPION_SEARCH ?? "{}") as object) };
const store = await openPostgresStore({ url, workspaceId }, { textSearch, championSearch });
// HEARTH_PROFILE_CALLS=1: each question's store calls during its search, in the order they ended, as `name:wall/CPU`
// (ms; a call's CPU is this process's, other work's included): F document frequencies, S statistics, G passages by
// id, T a full-text search (`d<n>` restricted to n documents, `t<n>` of n terms). A call made inside another (a
// search's own passage read) ends, so is listed, before it.
const calls: string[] = [];
if (process.env.HEARTH_PROFILE_CALLS === "1") {
  const passages = store.passages as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const [name, label] of [["searchText", "T"], ["documentFrequencies", "F"], ["getPassages", "G"], ["statistics", "S"]] as const) {
    const original = passages[name]!.bind(store.passages);
    passages[name] = async (...args: unknown[]) => {
      const [wall, cpu] = [performance.now(), process.cpuUsage()];
      try {
        return await original(...args);
      } finally {
        const used = process.cpuUsage(cpu);
        const query = name === "searchText" ? (args[0] as { documentIds?: number[]; terms: unknown[] }) : undefined;
        const shape = query === undefined ? "" : `${query.documentIds === undefined ? "" : `d${query.documentIds.length}`}t${query.terms.length}`;
        calls.push(`${label}${shape}:${(performance.now() - wall).toFixed(0)}/${((used.user + used.system) / 1000).toFixed(0)}`);
      }
    };
  }
}
const watcher = new pg.Client({ connectionString: url });
await watcher.connect();
const refreshBackends = async (): Promise<void> => {
  const rows = await watcher.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = 'hearth-search-profile' AND pid <> pg_backend_pid()");
  ownBackends = rows.rows.map((row) => row.pid);
};
try {
  const dependencies = await evaluationDependencies(store, 5);
  const questions = questionsOf(setNames.split(","));
  await dependencies.answerer.answer(questions[0]!.question);
  // HEARTH_PROFILE_WARM_UP=tuning-library: that set's questions searched and answered first, not measured, so "warm" is
  // also a process whose JIT has compiled the search path, as a server's is after its first questions.
  for (const item of process.env.HEARTH_PROFILE_WARM_UP === undefined ? [] : questionsOf(process.env.HEARTH_PROFILE_WARM_UP.split(","))) {
    await dependencies.searcher.search((await dependencies.retrievalText?.(item.question)) ?? item.question, { limit: 5 });
    await dependencies.answerer.answer(item.question);
  }
  const measured = { search: [] as number[], answer: [] as number[], searchCpu: [] as number[], answerCpu: [] as number[], searchServer: [] as number[], answerServer: [] as number[] };
  const byBackend = process.env.HEARTH_PROFILE_OWN_BACKENDS === "1";
  const timed = async (work: () => Promise<unknown>): Promise<[number, number, number]> => {
    if (byBackend) await refreshBackends();
    const backendsBefore = new Map(ownBackends.map((pid) => [pid, backendCpuMilliseconds([pid])]));
    // The server's CPU is read (walking /proc, a few ms) outside this process's measured span.
    const server = byBackend ? 0 : serverCpu();
    const [wall, own] = [performance.now(), ownCpu()];
    await work();
    const [wallAfter, ownAfter] = [performance.now(), ownCpu()];
    if (!byBackend) return [wallAfter - wall, ownAfter - own, serverCpu() - server];
    // A backend opened during the work counts from its start; one that exited during it takes its CPU with it.
    await refreshBackends();
    const spent = ownBackends.reduce((sum, pid) => sum + backendCpuMilliseconds([pid]) - (backendsBefore.get(pid) ?? 0), 0);
    return [wallAfter - wall, ownAfter - own, spent];
  };
  let goldInTopFive = 0;
  let answerable = 0;
  for (const item of questions) {
    const question = item.question;
    const text = (await dependencies.retrievalText?.(question)) ?? question;
    let results: { fileName: string; page: number | null }[] = [];
    calls.length = 0;
    const [search, searchCpu, searchServer] = await timed(async () => {
      results = await dependencies.searcher.search(text, { limit: 5 });
    });
    // The gold page's rank in the top 5, as evaluate() counts it.
    const goldRank = results.findIndex((result) => item.gold.some((gold) => gold.file === result.fileName && gold.pages.includes(result.page))) + 1;
    if (item.answers.length > 0) {
      answerable += 1;
      if (goldRank > 0) goldInTopFive += 1;
    }
    const searchCalls = calls.length === 0 ? "" : `  [${calls.join(" ")}]`;
    const [answer, answerCpu, answerServer] = await timed(() => dependencies.answerer.answer(question));
    measured.search.push(search);
    measured.answer.push(answer);
    measured.searchCpu.push(searchCpu);
    measured.answerCpu.push(answerCpu);
    measured.searchServer.push(searchServer);
    measured.answerServer.push(answerServer);
    console.log(
      `search ${search.toFixed(0).padStart(6)} ms (CPU ${searchCpu.toFixed(0)} + server ${searchServer.toFixed(0)})  answer ${answer.toFixed(0).padStart(6)} ms (CPU ${answerCpu.toFixed(0)} + server ${answerServer.toFixed(0)})  gold ${goldRank > 0 ? `#${goldRank}` : "-"}  ${question.slice(0, 60)}${searchCalls}`,
    );
  }
  const both = (values: number[]): string => `${nearestRankPercentile(values, 0.5).toFixed(0)} / ${nearestRankPercentile(values, 0.95).toFixed(0)} ms`;
  const sum = (left: number[], right: number[]): number[] => left.map((value, index) => value + right[index]!);
  console.log(`${questions.length} questions (gold page in the top 5: ${goldInTopFive}/${answerable} answerable), p50 / p95:`);
  console.log(`  search wall ${both(measured.search)}; CPU here ${both(measured.searchCpu)}; server ${both(measured.searchServer)}; both ${both(sum(measured.searchCpu, measured.searchServer))}`);
  console.log(`  answer wall ${both(measured.answer)}; CPU here ${both(measured.answerCpu)}; server ${both(measured.answerServer)}; both ${both(sum(measured.answerCpu, measured.answerServer))}`);
} finally {
  await watcher.end();
  await store.close();
}
