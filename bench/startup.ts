/**
 * `npm run bench` (start-up part; alone: `npm run bench:startup`): what a user waits for, as whole processes of
 * `bin/hearth` (the compiled dist/ that `npm install` builds), each run several times, min and median:
 * - `hearth --version` (goal under 150 ms), `hearth search` (under 300 ms) and `hearth ask` with the extractive
 *   answerer (under 450 ms) over the corpus library;
 * - `hearth ingest` of a ~500-page PDF (pdfunite of the corpus PDFs) against `pdftotext -layout` on the same file in
 *   the same run, the two interleaved round by round (goal: within 1.5x).
 * Uses hyperfine when it is installed, else times the processes itself. Appends to bench/out/latest.md.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { buildBigPdf } from "./big-pdf.ts";
import { extractiveEnvironment, measuredProcess } from "./process-timing.ts";
import type { ProcessRun } from "./process-timing.ts";
import { median } from "./statistics.ts";

const repositoryRoot = new URL("..", import.meta.url).pathname;
const shared = process.env.HEARTH_SHARED_DIR ?? join(repositoryRoot, "..", "shared");
const corpus = (relative: string): string => join(shared, "corpus", relative);
const hearth = join(repositoryRoot, "bin", "hearth");
const workDir = mkdtempSync(join(tmpdir(), "hearth-startup-"));
const environment = extractiveEnvironment;
const lines: string[] = [];
const report = (line: string): void => {
  lines.push(line);
  console.log(line);
};

interface Timing {
  label: string;
  minimum: number;
  median: number;
  /** Mean CPU time (user + system) per run: less sensitive than wall time to other work on the machine. */
  cpu: number;
  runs: number;
}

const hasHyperfine = spawnSync("hyperfine", ["--version"]).status === 0;

/** Single-quotes a word for hyperfine's command splitting (and a shell). */
const quote = (word: string): string => (/^[\w./=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** Times `command args` as a whole process `runs` times (after one warm-up) in `env` (default: this run's environment). */
function time(label: string, command: string, args: string[], runs: number, { env = environment }: { env?: NodeJS.ProcessEnv } = {}): Timing {
  if (hasHyperfine) {
    const exportPath = join(workDir, "hyperfine.json");
    const hyperfineArgs = ["-N", "--style", "none", "--warmup", "1", "--runs", String(runs), "--export-json", exportPath];
    const result = spawnSync("hyperfine", [...hyperfineArgs, [command, ...args].map(quote).join(" ")], { env, stdio: ["ignore", "ignore", "inherit"] });
    if (result.status !== 0) throw new Error(`hyperfine failed for ${label}`);
    const exported = (JSON.parse(readFileSync(exportPath, "utf8")) as { results: { times: number[]; user: number; system: number }[] }).results[0];
    const milliseconds = (exported?.times ?? []).map((seconds) => seconds * 1000);
    const cpu = ((exported?.user ?? NaN) + (exported?.system ?? NaN)) * 1000;
    return { label, minimum: Math.min(...milliseconds), median: median(milliseconds), cpu, runs: milliseconds.length };
  }
  const measured: ProcessRun[] = [];
  for (let run = -1; run < runs; run++) {
    const measuredRun = measuredProcess(label, command, args, env);
    if (run >= 0) measured.push(measuredRun); // run -1 warms up
  }
  return summary(label, measured);
}

/** The timing of several runs of one command: wall minimum and median, mean CPU. */
function summary(label: string, runs: ProcessRun[]): Timing {
  const walls = runs.map((run) => run.wall);
  return { label, minimum: Math.min(...walls), median: median(walls), cpu: runs.reduce((sum, run) => sum + run.cpu, 0) / runs.length, runs: runs.length };
}

const row = (timing: Timing, goal: string): string =>
  `| ${timing.label} | ${timing.minimum.toFixed(0)} | ${timing.median.toFixed(0)} | ${Number.isNaN(timing.cpu) ? "-" : timing.cpu.toFixed(0)} | ${timing.runs} | ${goal} |`;

if (!existsSync(join(repositoryRoot, "dist", "build-stamp.json"))) {
  throw new Error("no dist/: run `npm run build` first (npm run bench does)");
}

// The corpus library, ingested once, for search and ask.
const libraryData = join(workDir, "library");
execFileSync(process.execPath, [hearth, "--data", libraryData, "ingest", corpus("library")], { env: environment, stdio: "ignore" });

// The ~500-page PDF, the same file bench/run.ts times.
const { path: bigPdf, pages } = buildBigPdf(corpus, workDir);
const ingestData = join(workDir, "ingest");

const node = process.execPath;
const clearIngest = (): void => rmSync(ingestData, { recursive: true, force: true });
/** Node itself, then each Hearth command, in the environment `env`; `suffix` labels the rows. */
const commands = (env: NodeJS.ProcessEnv, suffix: string) => ({
  node: time(`node -e 0 (Node alone, for comparison)${suffix}`, node, ["-e", "0"], 20, { env }),
  version: time(`hearth --version${suffix}`, node, [hearth, "--version"], 20, { env }),
  search: time(`hearth search (corpus library)${suffix}`, node, [hearth, "--data", libraryData, "search", "weekly cost of residential care"], 15, { env }),
  ask: time(`hearth ask, extractive (corpus library)${suffix}`, node, [hearth, "--data", libraryData, "ask", "What is the weekly cost of residential care?"], 15, { env }),
});
const asRun = commands(environment, "");
// The ingest against pdftotext, interleaved round by round (each pair in turn, the order alternating), so that both
// meet the same load: this machine's speed drifts by a quarter over minutes, so timed one after the other (each
// command's runs together, as hyperfine does) the ratio moved with the drift more than with the code (1.51-1.72x in
// one hour on the same build, docs/benchmarks.md "issue 10, twelfth stop").
const runIngest = (): ProcessRun => {
  clearIngest();
  return measuredProcess("hearth ingest", node, [hearth, "--data", ingestData, "ingest", bigPdf], environment);
};
const runPdftotext = (): ProcessRun => measuredProcess("pdftotext", "pdftotext", ["-layout", bigPdf, join(workDir, "big.txt")], environment);
const pairRounds = 7;
const pairs: Array<{ ingest: ProcessRun; pdftotext: ProcessRun }> = [];
for (let round = -1; round < pairRounds; round++) {
  let ingest;
  let pdftotext;
  if (round % 2 === 0) {
    ingest = runIngest();
    pdftotext = runPdftotext();
  } else {
    pdftotext = runPdftotext();
    ingest = runIngest();
  }
  if (round >= 0) pairs.push({ ingest, pdftotext }); // round -1 warms both up
}
const ingestTiming = summary(`hearth ingest (${pages} pages), interleaved with pdftotext`, pairs.map((pair) => pair.ingest));
const pdftotext = summary(`pdftotext -layout (${pages} pages), interleaved with the ingest`, pairs.map((pair) => pair.pdftotext));
const ratios = pairs.map((pair) => pair.ingest.wall / pair.pdftotext.wall);
// NODE_EXTRA_CA_CERTS makes every Node process read and parse that certificate file as it starts, before any of
// Hearth's code (~50 ms a process measured on a 2-core machine whose shell sets it to the system's whole bundle). Where
// the shell sets it, the commands are timed again without it: the figures a machine without it gets.
const withoutExtraCertificates = process.env.NODE_EXTRA_CA_CERTS === undefined ? undefined : (() => {
  const { NODE_EXTRA_CA_CERTS: _certificates, ...rest } = environment;
  return commands(rest, " (without NODE_EXTRA_CA_CERTS)");
})();

report(`## Start-up and ingest as whole processes (${new Date().toISOString().slice(0, 10)}, ${process.version}, ${cpus().length} cores, ${hasHyperfine ? "hyperfine" : "node timer"})`);
report("");
report("Command: `npm run bench:startup` (part of `npm run bench`); `bin/hearth` running the compiled dist/.");
report("");
report(`Load average (1, 5, 15 min) at the end: ${loadavg().map((load) => load.toFixed(1)).join(", ")} on ${cpus().length} cores (wall times grow with it; CPU time much less).`);
report("");
report("| command | min (ms) | median (ms) | CPU user+sys, mean (ms) | runs | goal |");
report("| --- | --- | --- | --- | --- | --- |");
for (const set of [asRun, withoutExtraCertificates]) {
  if (set === undefined) continue;
  report(row(set.node, ""));
  report(row(set.version, "< 150 ms"));
  report(row(set.search, "< 300 ms"));
  report(row(set.ask, "< 450 ms"));
}
report(row(ingestTiming, "within 1.5x of pdftotext"));
report(row(pdftotext, ""));
report("");
// The headline is the median of the rounds' own ratios (each pair met the same load); the ratio of the two medians
// is printed beside it, since the two can differ by a tenth or more where the machine's speed moves within a round.
report(
  `Ratio hearth ingest / pdftotext, ${pairRounds} interleaved rounds (${process.env.NODE_EXTRA_CA_CERTS === undefined ? "no" : "with"} NODE_EXTRA_CA_CERTS): median of the rounds' ratios **${median(ratios).toFixed(2)}x** (goal: within 1.5x); ratio of the medians ${(ingestTiming.median / pdftotext.median).toFixed(2)}x; per round ${ratios.map((ratio) => ratio.toFixed(2)).join(", ")}`,
);
report("");
mkdirSync(join(repositoryRoot, "bench", "out"), { recursive: true });
appendFileSync(join(repositoryRoot, "bench", "out", "latest.md"), `${lines.join("\n")}\n`);
rmSync(workDir, { recursive: true, force: true });
