/**
 * `npm run bench` (second part): load on `hearth serve`. The server runs as its own process (as in use) on
 * 127.0.0.1 with the extractive answerer and the corpus library uploaded through the API; 20 signed-in users each
 * ask the dev questions in turn, one at a time, for 60 s. Meanwhile a ~500-page PDF (the corpus's PDFs grafted
 * together with mupdf) and the 2.6 MB West Sussex XLSX are uploaded and ingested, 40 wrong-password sign-ins
 * arrive at once, and /api/health is polled every 250 ms. Reports answer latency p50/p95 (request sent to `answer`
 * event received), health latency p95, the sign-ins' statuses and errors, and appends the figures to
 * bench/out/latest.md. HEARTH_LOAD_SECONDS and HEARTH_LOAD_USERS change the duration and the number of users.
 */
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
// Before "mupdf": hands MuPDF the object its WebAssembly module fills in (see src/loaders/mupdf-module.ts).
import "../src/loaders/mupdf-module.ts";
import * as mupdf from "mupdf";
import { ApiClient, readEvents } from "../src/server/test-support.ts";
import { percentile } from "./statistics.ts";
import { extractiveEnvironment } from "./process-timing.ts";

const repositoryRoot = new URL("..", import.meta.url).pathname;
const shared = process.env.HEARTH_SHARED_DIR ?? join(repositoryRoot, "..", "shared");
const corpus = (relative: string): string => join(shared, "corpus", relative);
const seconds = Number(process.env.HEARTH_LOAD_SECONDS ?? 60);
const userCount = Number(process.env.HEARTH_LOAD_USERS ?? 20);
const password = "load test password";
/** HEARTH_LOAD_BACKGROUND=0: questions only, without the uploads and the sign-in burst (to compare). */
const withBackground = process.env.HEARTH_LOAD_BACKGROUND !== "0";

/** A PDF of about `pages` pages: the corpus's PDFs grafted together, over and over (real layouts, real text). */
function bigPdf(pages: number): Uint8Array {
  const sources = [...readdirSync(corpus("real")), ...readdirSync(corpus("library"))]
    .filter((name) => name.endsWith(".pdf"))
    .map((name) => corpus(existsSync(corpus(`real/${name}`)) ? `real/${name}` : `library/${name}`))
    .map((path) => mupdf.Document.openDocument(readFileSync(path), "application/pdf") as mupdf.PDFDocument);
  const output = new mupdf.PDFDocument();
  for (let round = 0; output.countPages() < pages; round++) {
    for (const source of sources) {
      for (let page = 0; page < source.countPages() && output.countPages() < pages; page++) output.graftPage(-1, source, page);
    }
  }
  const bytes = new Uint8Array(output.saveToBuffer("compress").asUint8Array());
  for (const source of sources) source.destroy();
  output.destroy();
  return bytes;
}

const dataDir = mkdtempSync(join(tmpdir(), "hearth-load-"));
const child = spawn(process.execPath, [join(repositoryRoot, "bin", "hearth"), "--data", dataDir, "serve", "--host", "127.0.0.1", "--port", "0"], {
  env: extractiveEnvironment,
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
  // Beside the questions: two big uploads, a burst of wrong-password sign-ins, and a health check every 250 ms.
  const pdf = withBackground ? bigPdf(500) : new Uint8Array();
  const xlsxName = "West-Sussex-Childrens-Workforce-JSNA-Data-Profiles-2016-Supporting-the-Health4Families-Programme-1.xlsx";
  const ingests: string[] = [];
  const ingest = async (name: string, bytes: Uint8Array): Promise<void> => {
    const began = performance.now();
    const uploader = new ApiClient(url);
    uploader.cookie = admin.cookie;
    uploader.csrfToken = admin.csrfToken;
    const { events: uploadEvents } = await uploader.uploadAndWait(workspaceId, [{ name, bytes }]);
    const last = uploadEvents.at(-1)?.data as { ingested: number; failed: number };
    const progress = uploadEvents.filter((event) => event.event === "progress").at(-1)?.data as { passages?: number; error?: string };
    ingests.push(`${name.slice(0, 40)}: ${last.ingested === 1 ? "ingested" : `FAILED ${progress.error ?? ""}`} in ${((performance.now() - began) / 1000).toFixed(1)} s (${progress.passages ?? 0} passages)`);
    if (last.ingested !== 1) errors.push(`ingest of ${name} failed`);
  };
  const signInStatuses = new Map<number, number>();
  const signIns = async (): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const statuses = await Promise.all(
      Array.from({ length: 40 }, async (_, index) => (await new ApiClient(url).call("POST", "/api/auth/login", { json: { email: `guess${index}@example.org`, password: "wrong password" } })).status),
    );
    for (const status of statuses) signInStatuses.set(status, (signInStatuses.get(status) ?? 0) + 1);
  };
  const health: number[] = [];
  const pollHealth = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const began = performance.now();
      const response = await fetch(`${url}/api/health`);
      await response.arrayBuffer();
      if (response.status === 200) health.push(performance.now() - began);
      else errors.push(`health: HTTP ${response.status}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const started = performance.now();
  const background = withBackground
    ? Promise.all([ingest("Big 500-page strategy compendium.pdf", pdf), ingest(xlsxName, readFileSync(corpus(`real/${xlsxName}`))), signIns()])
    : Promise.resolve();
  await Promise.all([...users.map((user, index) => runUser(user, index * 3)), pollHealth()]);
  const elapsed = (performance.now() - started) / 1000;
  await background;

  const lines = [
    `## Load: ${users.length} concurrent users asking for ${seconds} s (hearth serve, extractive, loopback, ${cpus().length} cores)`,
    "",
    `${latencies.length + errors.length} requests (${(latencies.length / elapsed).toFixed(1)} answers/s), ${errors.length} errors, ${refused} answered "not in the library"`,
    `answer latency p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p95 ${percentile(latencies, 0.95).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms (goal: p95 under 1 s on 2 cores)`,
    `/api/health (every 250 ms, ${health.length} checks) p50 ${percentile(health, 0.5).toFixed(0)} ms, p95 ${percentile(health, 0.95).toFixed(0)} ms, max ${Math.max(...health).toFixed(0)} ms (goal: p95 under 100 ms)`,
    ...(withBackground ? [`40 wrong-password sign-ins at once: ${[...signInStatuses].map(([status, count]) => `${count} × HTTP ${status}`).join(", ")}`] : ["(no uploads or sign-ins meanwhile: HEARTH_LOAD_BACKGROUND=0)"]),
    ...ingests.map((line) => `ingested meanwhile: ${line}`),
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
