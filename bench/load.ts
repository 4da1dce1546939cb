/**
 * `npm run bench` (second part): load on `hearth serve`. The server runs as its own process (as in use) on
 * 127.0.0.1 with the extractive answerer and the corpus library uploaded through the API; 20 signed-in users each
 * ask the dev questions in turn, one at a time, for 60 s. Reports requests, errors and answer latency p50/p95
 * (request sent to `answer` event received), and appends the figures to bench/out/latest.md.
 * HEARTH_LOAD_SECONDS and HEARTH_LOAD_USERS change the duration and the number of users.
 */
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { ApiClient, readEvents } from "../src/server/test-support.ts";

const repositoryRoot = new URL("..", import.meta.url).pathname;
const shared = process.env.HEARTH_SHARED_DIR ?? join(repositoryRoot, "..", "shared");
const corpus = (relative: string): string => join(shared, "corpus", relative);
const seconds = Number(process.env.HEARTH_LOAD_SECONDS ?? 60);
const userCount = Number(process.env.HEARTH_LOAD_USERS ?? 20);
const password = "load test password";

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? NaN;
}

const dataDir = mkdtempSync(join(tmpdir(), "hearth-load-"));
const child = spawn(process.execPath, [join(repositoryRoot, "bin", "hearth"), "--data", dataDir, "serve", "--host", "127.0.0.1", "--port", "0"], {
  env: { ...process.env, HEARTH_LLM_PROVIDER: "extractive", HEARTH_EMBEDDINGS_PROVIDER: "none", HEARTH_OCR: "off" },
  stdio: ["ignore", "pipe", "inherit"],
});
const url = await new Promise<string>((resolve, reject) => {
  let output = "";
  child.stdout.on("data", (part: Buffer) => {
    output += part.toString();
    const match = /running at (http:\/\/[^\s/]+)/.exec(output);
    if (match?.[1]) resolve(match[1]);
  });
  child.once("exit", (code) => reject(new Error(`hearth serve exited (${code}) before it was ready`)));
});

try {
  const admin = new ApiClient(url);
  const { workspaceId } = await admin.setup({ name: "Admin", email: "admin@example.org", password, workspaceName: "Load" });
  const library = readdirSync(corpus("library")).map((name) => ({ name, bytes: readFileSync(corpus(`library/${name}`)) }));
  const { events } = await admin.uploadAndWait(workspaceId, library);
  const done = events.at(-1)?.data as { ingested: number; failed: number };
  if (done.ingested !== library.length) throw new Error(`library upload: ${JSON.stringify(done)}`);

  const users: ApiClient[] = [admin];
  for (let index = 1; index < userCount; index++) {
    const email = `user${index}@example.org`;
    const added = await admin.call("POST", `/api/workspaces/${workspaceId}/members`, { json: { email, name: `User ${index}`, role: "viewer", password } });
    if (added.status !== 201) throw new Error(`adding ${email}: ${added.status}`);
    const user = new ApiClient(url);
    if ((await user.signIn(email, password)) !== 200) throw new Error(`${email} could not sign in`);
    users.push(user);
  }

  const questions = (JSON.parse(readFileSync(corpus("dev-questions.json"), "utf8")) as { question: string }[]).map((entry) => entry.question);
  const latencies: number[] = [];
  const errors: string[] = [];
  let refused = 0;
  const deadline = performance.now() + seconds * 1000;
  const runUser = async (user: ApiClient, offset: number): Promise<void> => {
    for (let turn = offset; performance.now() < deadline; turn++) {
      const question = questions[turn % questions.length] ?? "";
      const started = performance.now();
      try {
        const response = await user.request("POST", `/api/workspaces/${workspaceId}/ask`, { json: { question } });
        if (response.status !== 200) {
          errors.push(`HTTP ${response.status}: ${await response.text()}`);
          continue;
        }
        const answerEvents = await readEvents(response);
        const last = answerEvents.at(-1);
        if (last?.event !== "answer") {
          errors.push(`no answer event: ${JSON.stringify(last)}`);
          continue;
        }
        if ((last.data as { refused?: boolean }).refused) refused++;
        latencies.push(performance.now() - started);
      } catch (error) {
        errors.push(String(error));
      }
    }
  };
  const started = performance.now();
  await Promise.all(users.map((user, index) => runUser(user, index * 3)));
  const elapsed = (performance.now() - started) / 1000;

  const lines = [
    `## Load: ${users.length} concurrent users asking for ${seconds} s (hearth serve, extractive, loopback, ${cpus().length} cores)`,
    "",
    `${latencies.length + errors.length} requests (${(latencies.length / elapsed).toFixed(1)} answers/s), ${errors.length} errors, ${refused} answered "not in the library"`,
    `answer latency p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p95 ${percentile(latencies, 0.95).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms (goal: p95 under 1 s on 2 cores)`,
    "",
  ];
  for (const line of lines) console.log(line);
  for (const error of errors.slice(0, 5)) console.log(`  error: ${error}`);
  mkdirSync(join(repositoryRoot, "bench", "out"), { recursive: true });
  appendFileSync(join(repositoryRoot, "bench", "out", "latest.md"), `${lines.join("\n")}\n`);
  if (errors.length > 0) process.exitCode = 1;
} finally {
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
