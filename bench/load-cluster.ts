/**
 * `npm run bench:cluster` (issue 14, item 6): two `hearth serve` processes and one `hearth worker` on one PostgreSQL.
 * Starts a throwaway PostgreSQL cluster (initdb on a temporary folder and a free port, as the test suite does),
 * two servers on 127.0.0.1, each with its own data folder, and one worker, all with the same HEARTH_STORE_URL and
 * HEARTH_SERVER_KEY, `HEARTH_SERVER_INGEST=workers` and the extractive answerer. Sets Hearth up through server A,
 * uploads the corpus library through A and follows the upload's events until the worker has ingested every file.
 * Then HEARTH_LOAD_USERS (40) users, created through the admin API and signed in through A, ask the dev questions
 * one at a time for HEARTH_LOAD_SECONDS (60) s: users with an even number ask server A, odd ones server B with the
 * session cookie they got from A (sessions live in PostgreSQL, so B must accept it). /api/health is polled every
 * 250 ms on both servers. Reports answer latency p50/p95 (request sent to `answer` event received) per server and
 * overall, errors (HTTP status other than 200, or a stream that ends without an `answer` event, e.g. an `error`
 * event), answers per second, and health p95 per server. Stops every process and removes every temporary folder,
 * also on failure. HEARTH_LOAD_REAL=1 also uploads ../shared/corpus/real before the load. HEARTH_CLUSTER_NODE_ARGS
 * passes Node options to the servers and the worker (profiling: "--cpu-prof --cpu-prof-dir=/tmp/profiles"; the
 * answer threads inherit the profiler's flags). HEARTH_CLUSTER_STATEMENTS=1 loads pg_stat_statements and prints the
 * statements that took the most database time during the load, with calls and mean time, and the most frequent ones.
 * Latency per dev question is printed too.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { findPostgresBin, startPostgres } from "../test/support/postgres-server.ts";
import type { RunningPostgres } from "../test/support/postgres-server.ts";
import { ApiClient, readEvents } from "../src/server/test-support.ts";
import { processTreeCpuMilliseconds } from "./process-tree-cpu.ts";
import { percentile } from "./statistics.ts";
import { machineSpeedLine, machineSpeedMilliseconds } from "./machine-speed.ts";
import { extractiveEnvironment } from "./process-timing.ts";

const repositoryRoot = new URL("..", import.meta.url).pathname;
const shared = process.env.HEARTH_SHARED_DIR ?? join(repositoryRoot, "..", "shared");
const corpus = (relative: string): string => join(shared, "corpus", relative);
const seconds = Number(process.env.HEARTH_LOAD_SECONDS ?? 60);
const userCount = Number(process.env.HEARTH_LOAD_USERS ?? 40);
const withReal = process.env.HEARTH_LOAD_REAL === "1";
const password = "load test password";
const nodeArguments = (process.env.HEARTH_CLUSTER_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
const withStatements = process.env.HEARTH_CLUSTER_STATEMENTS === "1";

const milliseconds = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(0)} ms` : "–");

/**
 * CPU seconds (user + system, every thread) used so far by the given processes and all their descendants, from
 * /proc (Linux; undefined elsewhere). On a machine shared with other work, CPU per answer is the figure that does
 * not move with the neighbours' load, where latency does.
 */
function cpuSeconds(roots: number[]): number | undefined {
  const milliseconds = processTreeCpuMilliseconds(roots);
  return milliseconds === undefined ? undefined : milliseconds / 1000;
}

/** CPU seconds used so far by the main thread (the event loop) of each process, from /proc (Linux). */
function mainThreadCpuSeconds(pids: number[]): number | undefined {
  if (!existsSync("/proc/self/stat")) return undefined;
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended.
    }
  }
  return ticks / 100;
}

/** The PostgreSQL server listening on `port` (its backends are its children). */
function postmasterPid(port: string): number | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (commandLine[0]?.endsWith("/postgres") && commandLine.includes("-D") && commandLine.join(" ").includes(`-p ${port} `)) return Number(entry);
    } catch {
      // The process ended while we read.
    }
  }
  return undefined;
}

const children: ChildProcess[] = [];
const folders: string[] = [];
let postgres: RunningPostgres | undefined;

/** Starts a `hearth` child process; its stderr goes to ours with a prefix so a crash is visible. */
function startHearth(label: string, args: string[], environment: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [...nodeArguments, join(repositoryRoot, "bin", "hearth"), ...args], { env: environment, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  child.stderr?.on("data", (part: Buffer) => {
    for (const line of part.toString().split("\n").filter(Boolean)) console.error(`[${label}] ${line}`);
  });
  return child;
}

async function startServer(label: string, environment: NodeJS.ProcessEnv): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), `hearth-cluster-${label}-`));
  folders.push(dataDir);
  const child = startHearth(label, ["--data", dataDir, "serve", "--host", "127.0.0.1", "--port", "0"], environment);
  return await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (part: Buffer) => {
      output += part.toString();
      const match = /running at (http:\/\/[^\s/]+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`hearth serve (${label}) exited (${code}) before it was ready`)));
  });
}

async function stopAll(): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      // A second SIGTERM makes the worker give its job back at once; a child that still hangs is killed.
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }),
  );
  try {
    postgres?.stop();
  } finally {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * pg_stat_statements over every database of the cluster: "reset" before the load, "print" after it (the 15
 * statements with the most total execution time, per answer).
 */
async function statements(url: string, action: "reset" | "print", answers = 1): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    if (action === "reset") {
      await client.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      await client.query("SELECT pg_stat_statements_reset()");
      return;
    }
    const { rows } = await client.query<{ calls: string; total: number; mean: number; query: string }>(
      "SELECT calls::text, total_exec_time AS total, mean_exec_time AS mean, query FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15",
    );
    const { rows: sums } = await client.query<{ calls: string; total: number }>("SELECT sum(calls)::text AS calls, sum(total_exec_time) AS total FROM pg_stat_statements WHERE toplevel");
    const sum = sums[0];
    console.log(`PostgreSQL statements during the load: ${sum?.calls ?? 0} top-level calls (${(Number(sum?.calls ?? 0) / answers).toFixed(1)} per answer; statements inside functions not counted), ${((sum?.total ?? 0) / answers).toFixed(1)} ms of execution per answer`);
    for (const row of rows) {
      console.log(`  ${(row.total / answers).toFixed(2)} ms/answer, ${(Number(row.calls) / answers).toFixed(2)} calls/answer, mean ${row.mean.toFixed(2)} ms: ${row.query.replace(/\s+/g, " ").slice(0, 160)}`);
    }
    // By calls: each round trip costs both sides CPU (a wake-up, parse/bind, a reply), whatever the statement.
    const { rows: byCalls } = await client.query<{ count: string; query: string }>(
      "SELECT calls::text AS count, query FROM pg_stat_statements WHERE toplevel ORDER BY calls DESC LIMIT 20",
    );
    console.log("Top-level statements by calls per answer:");
    for (const row of byCalls) console.log(`  ${(Number(row.count) / answers).toFixed(2)}: ${row.query.replace(/\s+/g, " ").slice(0, 140)}`);
  } finally {
    await client.end();
  }
}

const bin = findPostgresBin();
if (!bin) {
  console.error("bench:cluster needs PostgreSQL (Debian: apt-get install postgresql); none found under /usr/lib/postgresql.");
  process.exit(1);
}

const onSignal = (): void => {
  void stopAll().finally(() => process.exit(130));
};
process.once("SIGINT", onSignal);
process.once("SIGTERM", onSignal);

try {
  postgres = await startPostgres(bin, withStatements ? ["shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track=all"] : []);
  const environment: NodeJS.ProcessEnv = {
    ...extractiveEnvironment,
    HEARTH_STORE_URL: postgres.url,
    HEARTH_SERVER_INGEST: "workers",
    HEARTH_SERVER_KEY: randomBytes(32).toString("base64"),
  };
  const [urlA, urlB] = await Promise.all([startServer("serve A", environment), startServer("serve B", environment)]);
  const workerData = mkdtempSync(join(tmpdir(), "hearth-cluster-worker-"));
  folders.push(workerData);
  startHearth("worker", ["--data", workerData, "worker"], environment).once("exit", (code) => {
    console.error(`[worker] exited (${code})`);
  });

  const admin = new ApiClient(urlA);
  const { workspaceId } = await admin.setup({ name: "Admin", email: "admin@example.org", password, workspaceName: "Load" });
  const uploads = [readdirSync(corpus("library")).map((name) => ({ name, bytes: readFileSync(corpus(`library/${name}`)) }))];
  if (withReal) uploads.push(readdirSync(corpus("real")).map((name) => ({ name, bytes: readFileSync(corpus(`real/${name}`)) })));
  const ingestStarted = performance.now();
  let documents = 0;
  for (const files of uploads) {
    const { events } = await admin.uploadAndWait(workspaceId, files);
    const done = events.at(-1)?.data as { ingested: number; failed: number } | undefined;
    if (done?.ingested !== files.length) throw new Error(`upload through server A: ${JSON.stringify(events.at(-1))}`);
    documents += done.ingested;
  }
  const ingestSeconds = (performance.now() - ingestStarted) / 1000;
  console.log(`The worker ingested ${documents} documents uploaded through server A in ${ingestSeconds.toFixed(1)} s.`);

  // Every user is added and signed in through server A; odd-numbered users then ask server B with that session.
  const users: { client: ApiClient; server: "A" | "B" }[] = [{ client: admin, server: "A" }];
  for (let index = 1; index < userCount; index++) {
    const email = `user${index}@example.org`;
    const added = await admin.call("POST", `/api/workspaces/${workspaceId}/members`, { json: { email, name: `User ${index}`, role: "viewer", password } });
    if (added.status !== 201) throw new Error(`adding ${email}: ${added.status}`);
    const signedIn = new ApiClient(urlA);
    if ((await signedIn.signIn(email, password)) !== 200) throw new Error(`${email} could not sign in`);
    if (index % 2 === 0) {
      users.push({ client: signedIn, server: "A" });
      continue;
    }
    const onB = new ApiClient(urlB);
    onB.cookie = signedIn.cookie;
    onB.csrfToken = signedIn.csrfToken;
    const me = await onB.call("GET", "/api/me");
    if (me.status !== 200) throw new Error(`server B refused ${email}'s session from server A: HTTP ${me.status}`);
    users.push({ client: onB, server: "B" });
  }

  const questions = JSON.parse(readFileSync(corpus("dev-questions.json"), "utf8")) as { question: string; answers: string[] }[];
  const latencies = { A: [] as number[], B: [] as number[] };
  const errors: string[] = [];
  // Latency per question: under saturation the tail shows which questions cost most (or wait longest).
  const byQuestion = questions.map(() => [] as number[]);
  let refused = 0;
  // A check that the servers answer from the library (not fast refusals): answers holding an accepted figure.
  let answerable = 0;
  let accepted = 0;
  const deadline = performance.now() + seconds * 1000;
  const runUser = async ({ client, server }: { client: ApiClient; server: "A" | "B" }, offset: number): Promise<void> => {
    for (let turn = offset; performance.now() < deadline; turn++) {
      const { question, answers } = questions[turn % questions.length] ?? { question: "", answers: [] };
      const started = performance.now();
      try {
        const response = await client.request("POST", `/api/workspaces/${workspaceId}/ask`, { json: { question } });
        if (response.status !== 200) {
          errors.push(`server ${server}: HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
          continue;
        }
        const answerEvents = await readEvents(response);
        const last = answerEvents.at(-1);
        if (last?.event !== "answer") {
          errors.push(`server ${server}: no answer event: ${JSON.stringify(last).slice(0, 200)}`);
          continue;
        }
        const answer = last.data as { answer: string; refused?: boolean };
        if (answer.refused) refused++;
        if (answers.length > 0) {
          answerable++;
          if (answers.some((figure) => answer.answer.includes(figure))) accepted++;
        }
        latencies[server].push(performance.now() - started);
        byQuestion[turn % questions.length]?.push(performance.now() - started);
      } catch (error) {
        errors.push(`server ${server}: ${String(error)}`);
      }
    }
  };
  const health = { A: [] as number[], B: [] as number[] };
  const pollHealth = async (server: "A" | "B", url: string): Promise<void> => {
    while (performance.now() < deadline) {
      const began = performance.now();
      try {
        const response = await fetch(`${url}/api/health`);
        await response.arrayBuffer();
        if (response.status === 200) health[server].push(performance.now() - began);
        else errors.push(`server ${server} health: HTTP ${response.status}`);
      } catch (error) {
        errors.push(`server ${server} health: ${String(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const postgresPid = postmasterPid(new URL(postgres.url).port);
  const hearthPids = children.flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
  const postgresPids = postgresPid === undefined ? [] : [postgresPid];
  if (withStatements) await statements(postgres.url, "reset");
  // The servers' event loops (HTTP, sessions, the answer's events; answers are computed in their threads).
  const serverPids = hearthPids.slice(0, 2);
  // The machine's speed now, before the CPU counters are read (this process's own work, not the servers').
  const speedBefore = machineSpeedMilliseconds();
  const cpuBefore = { hearth: cpuSeconds(hearthPids), postgres: cpuSeconds(postgresPids), loops: mainThreadCpuSeconds(serverPids) };
  const loadBefore = loadavg();
  console.log(`${users.length} users asking for ${seconds} s…`);
  const started = performance.now();
  await Promise.all([...users.map((user, index) => runUser(user, index * 3)), pollHealth("A", urlA), pollHealth("B", urlB)]);
  const elapsed = (performance.now() - started) / 1000;
  const loadAfter = loadavg();
  const cpuAfter = { hearth: cpuSeconds(hearthPids), postgres: cpuSeconds(postgresPids), loops: mainThreadCpuSeconds(serverPids) };
  const speedAfter = machineSpeedMilliseconds();
  const loopSeconds = cpuBefore.loops === undefined || cpuAfter.loops === undefined ? undefined : cpuAfter.loops - cpuBefore.loops;
  const cpuUsed = cpuBefore.hearth === undefined || cpuAfter.hearth === undefined ? undefined : { hearth: cpuAfter.hearth - cpuBefore.hearth, postgres: (cpuAfter.postgres ?? 0) - (cpuBefore.postgres ?? 0) };

  const all = [...latencies.A, ...latencies.B];
  const perAnswer = (seconds: number): string => `${((seconds * 1000) / Math.max(1, all.length)).toFixed(0)} ms`;
  const perServer = (server: "A" | "B"): string =>
    `server ${server} (${users.filter((user) => user.server === server).length} users): ${latencies[server].length} answers, p50 ${milliseconds(percentile(latencies[server], 0.5))}, p95 ${milliseconds(percentile(latencies[server], 0.95))}; /api/health p95 ${milliseconds(percentile(health[server], 0.95))} (${health[server].length} checks)`;
  const lines = [
    `### ${users.length} users for ${seconds} s: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    "",
    `- corpus: ${documents} documents ingested by the worker in ${ingestSeconds.toFixed(1)} s${withReal ? " (library and real)" : " (library)"}`,
    `- answers p50 ${milliseconds(percentile(all, 0.5))}, p95 ${milliseconds(percentile(all, 0.95))}, max ${milliseconds(Math.max(...all))} (goal: p95 under 1 s); ${(all.length / elapsed).toFixed(1)} answers/s; ${errors.length} errors; ${refused} answered "not in the library"; ${accepted} of ${answerable} answers to answerable questions hold an accepted figure`,
    ...(cpuUsed === undefined
      ? []
      : [
          `- CPU per answer: ${perAnswer(cpuUsed.hearth + cpuUsed.postgres)} (hearth processes ${perAnswer(cpuUsed.hearth)}, of which the servers' event loops ${loopSeconds === undefined ? "–" : perAnswer(loopSeconds)}; PostgreSQL ${postgresPid === undefined ? "not found" : perAnswer(cpuUsed.postgres)}); ${((cpuUsed.hearth + cpuUsed.postgres) / elapsed).toFixed(2)} cores busy on average`,
        ]),
    `- ${perServer("A")}`,
    `- ${perServer("B")}`,
    `- load average (1, 5, 15 min) before ${loadBefore.map((value) => value.toFixed(2)).join(", ")}, after ${loadAfter.map((value) => value.toFixed(2)).join(", ")}; ${cpus().length} cores shared with other agents' work`,
    `- ${machineSpeedLine(speedBefore, speedAfter)}`,
    "",
  ];
  for (const line of lines) console.log(line);
  for (const error of errors.slice(0, 5)) console.log(`  error: ${error}`);
  console.log("Per question (answers, p50, p95):");
  questions.forEach(({ question }, index) => {
    const values = byQuestion[index] ?? [];
    console.log(`  ${String(values.length).padStart(4)} ${milliseconds(percentile(values, 0.5)).padStart(8)} ${milliseconds(percentile(values, 0.95)).padStart(8)}  ${question.slice(0, 90)}`);
  });
  if (withStatements) await statements(postgres.url, "print", all.length);
  mkdirSync(join(repositoryRoot, "bench", "out"), { recursive: true });
  appendFileSync(join(repositoryRoot, "bench", "out", "latest.md"), `${lines.join("\n")}\n`);
  if (errors.length > 0 || !(percentile(all, 0.95) < 1000)) process.exitCode = 1;
} finally {
  await stopAll();
}
