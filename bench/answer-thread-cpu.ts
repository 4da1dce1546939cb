/**
 * `node --import tsx bench/answer-thread-cpu.ts [rounds] [warm-up rounds]` (issue 14, item 6): what one answer costs
 * in CPU in an answer thread of `hearth serve` on PostgreSQL, without HTTP, sessions or the other server: a throwaway
 * PostgreSQL cluster, corpus/library ingested into one workspace, then the dev questions asked in turn through
 * `runAnswer` (src/server/answer-worker-task.ts, the answer threads' own code, extractive) for the warm-up rounds
 * (JIT, caches per library version), then for the measured rounds. Prints CPU per answer of this process (every
 * thread: V8's compiler and GC helpers included, as in a server) and of the PostgreSQL server and its backends,
 * from process.cpuUsage and /proc, and a digest of the answers (so that two builds can be checked to give the same
 * answers). On a machine shared with other work the CPU per answer is the figure to compare, A/B interleaved; wall
 * time is printed too.
 * HEARTH_BENCH_CPU_PROFILE=<file.cpuprofile> profiles the measured rounds only (this thread's samples, through the
 * inspector); HEARTH_BENCH_DIST=1 runs the compiled dist/ (what `hearth serve` runs; build it first).
 * HEARTH_BENCH_BUILT_IN_WARM_UP=1 first runs the answer threads' built-in warm-up (src/server/answer-warm-up.ts), as
 * `hearth serve` does when it starts, then the warm-up rounds and measured rounds: `… 20 0` with and without it
 * says what the built-in warm-up saves a fresh thread's first 200 answers.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Session } from "node:inspector/promises";
import type * as ConfigModule from "../src/config/config.ts";
import type * as IngestModule from "../src/ingest/ingest.ts";
import type * as AnswerTaskModule from "../src/server/answer-worker-task.ts";
import type * as WorkerStoresModule from "../src/server/worker-stores.ts";
import type * as WarmUpModule from "../src/server/answer-warm-up.ts";
import { findPostgresBin, startPostgres } from "../test/support/postgres-server.ts";
import { postmasterPid, processTreeCpuMilliseconds } from "./process-tree-cpu.ts";

// The compiled build (what `hearth serve` runs) with HEARTH_BENCH_DIST=1, else the sources through tsx.
const fromDist = process.env.HEARTH_BENCH_DIST === "1";
const module = (path: string): string => (fromDist ? `../dist/${path}.js` : `../src/${path}.ts`);
const { loadConfig } = (await import(module("config/config"))) as typeof ConfigModule;
const { ingestFile } = (await import(module("ingest/ingest"))) as typeof IngestModule;
const { runAnswer } = (await import(module("server/answer-worker-task"))) as typeof AnswerTaskModule;
const { workerLibrary } = (await import(module("server/worker-stores"))) as typeof WorkerStoresModule;
const { warmUpAnswering, warmUpPlan } = (await import(module("server/answer-warm-up"))) as typeof WarmUpModule;
const profilePath = process.env.HEARTH_BENCH_CPU_PROFILE;
// "1": the built-in plan as `hearth serve` runs it; a larger number: that many rounds of its questions.
const builtInWarmUp = Number(process.env.HEARTH_BENCH_BUILT_IN_WARM_UP ?? 0);

const repositoryRoot = new URL("..", import.meta.url).pathname;
const shared = process.env.HEARTH_SHARED_DIR ?? join(repositoryRoot, "..", "shared");
const corpus = (relative: string): string => join(shared, "corpus", relative);
const rounds = Number(process.argv[2] ?? 30);
const warmUp = Number(process.argv[3] ?? 10);

const bin = findPostgresBin();
if (!bin) throw new Error("bench/answer-thread-cpu.ts needs PostgreSQL (Debian: apt-get install postgresql)");
const postgres = await startPostgres(bin);
const dataDir = mkdtempSync(join(tmpdir(), "hearth-answer-thread-"));
try {
  const loaded = loadConfig(
    { HEARTH_STORE_URL: postgres.url, HEARTH_LLM_PROVIDER: "extractive", HEARTH_EMBEDDINGS_PROVIDER: "none", HEARTH_OCR: "off" },
    { dataDir },
  );
  if (!loaded.ok) throw loaded.error;
  const config = loaded.value;
  const workspaceId = randomUUID();
  const { store, folder } = await workerLibrary(config, workspaceId);
  for (const name of readdirSync(corpus("library")).sort()) {
    const outcome = await ingestFile(corpus(`library/${name}`), { store, config: { ...config, dataDir: folder } });
    if (outcome.status === "failed") throw outcome.error;
  }
  const questions = (JSON.parse(readFileSync(corpus("dev-questions.json"), "utf8")) as { question: string }[]).map((entry) => entry.question);
  const postmaster = postmasterPid(new URL(postgres.url).port);
  const digest = createHash("sha256");
  const ask = async (question: string): Promise<void> => {
    const reply = await runAnswer({ folder, workspaceId, config: { ...config, dataDir: folder }, templatesDataDir: dataDir, drafting: false, question });
    if (!reply.ok) throw new Error(`${question}: ${reply.error.message}`);
    digest.update(JSON.stringify([reply.answer.answer, reply.answer.citations, reply.documentIds]));
  };
  // What `hearth serve` does when it starts (src/server/answer-warm-up.ts): the built-in questions, before any real one.
  if (builtInWarmUp > 0) {
    const cpuBefore = process.cpuUsage();
    const outcome = await warmUpAnswering(builtInWarmUp > 1 ? { ...warmUpPlan(), rounds: builtInWarmUp } : warmUpPlan());
    const cpu = process.cpuUsage(cpuBefore);
    console.log(`built-in warm-up: ${outcome.answered} answers, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms of CPU, ${outcome.milliseconds.toFixed(0)} ms wall`);
  }
  for (let round = 0; round < warmUp; round++) for (const question of questions) await ask(question);
  // A line to attach a profiler at (perf record -p <pid>): the measured rounds start now.
  console.log(`measuring ${rounds * questions.length} answers (pid ${process.pid})…`);
  const nodeBefore = process.cpuUsage();
  const postgresBefore = postmaster === undefined ? 0 : (processTreeCpuMilliseconds([postmaster]) ?? NaN);
  const profiler = profilePath ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post("Profiler.enable");
    await profiler.post("Profiler.setSamplingInterval", { interval: 200 });
    await profiler.post("Profiler.start");
  }
  const started = performance.now();
  // Node's CPU per answer in blocks of five rounds as well: on a shared machine the least of them is the steadiest
  // figure (a block that ran beside other work is inflated by it; none is deflated).
  const blocks: number[] = [];
  for (let round = 0; round < rounds; round += 5) {
    const blockBefore = process.cpuUsage();
    const count = Math.min(5, rounds - round);
    for (let index = 0; index < count; index++) for (const question of questions) await ask(question);
    const spent = process.cpuUsage(blockBefore);
    blocks.push((spent.user + spent.system) / 1000 / (count * questions.length));
  }
  const wall = performance.now() - started;
  if (profiler && profilePath) {
    const { profile } = await profiler.post("Profiler.stop");
    writeFileSync(profilePath, JSON.stringify(profile));
    profiler.disconnect();
  }
  const node = process.cpuUsage(nodeBefore);
  console.log(`Node CPU per answer by block of 50: ${blocks.map((block) => block.toFixed(1)).join(" ")} ms`);
  const postgresCpu = postmaster === undefined ? NaN : (processTreeCpuMilliseconds([postmaster]) ?? NaN) - postgresBefore;
  const answers = rounds * questions.length;
  const perAnswer = (milliseconds: number): string => `${(milliseconds / answers).toFixed(2)} ms`;
  console.log(
    `${answers} answers after ${warmUp * questions.length} to warm up: CPU per answer ${perAnswer((node.user + node.system) / 1000 + postgresCpu)} ` +
      `(Node ${perAnswer((node.user + node.system) / 1000)}, least block of 50 ${Math.min(...blocks).toFixed(2)} ms; PostgreSQL ${perAnswer(postgresCpu)}); wall ${perAnswer(wall)}; answers digest ${digest.digest("hex").slice(0, 16)}`,
  );
  await store.close();
} finally {
  postgres.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
