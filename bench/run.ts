/**
 * `npm run bench`: the figures the issues ask for, printed and written to bench/out/latest.md.
 * - ingest (extract, chunk, index) of a ~500-page PDF built with pdfunite, against pdftotext on the same file
 * - search latency p50/p95 over the corpus library
 * - peak memory (max RSS) of this process
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config/config.ts";
import { ingestFile, ingestPaths } from "../src/ingest/ingest.ts";
import { createExtractiveAnswerer } from "../src/answer/extractive-answerer.ts";
import { createSearcher } from "../src/retrieval/search.ts";
import { openSqliteStore } from "../src/store/sqlite-store.ts";
import { buildBigPdf } from "./big-pdf.ts";
import { median, percentile } from "./statistics.ts";

const repositoryRoot = new URL("..", import.meta.url).pathname;
const shared = process.env.HEARTH_SHARED_DIR ?? join(repositoryRoot, "..", "shared");
const corpus = (relative: string): string => join(shared, "corpus", relative);
const workDir = mkdtempSync(join(tmpdir(), "hearth-bench-"));
const lines: string[] = [];
const report = (line: string): void => {
  lines.push(line);
  console.log(line);
};

function configFor(dataDir: string) {
  const result = loadConfig({ ...process.env, HEARTH_OCR: "off" }, { dataDir });
  if (!result.ok) throw result.error;
  return result.value;
}

async function benchIngest(): Promise<void> {
  const { path: bigPdf, pages } = buildBigPdf(corpus, workDir);

  const pdftotextTimes: number[] = [];
  const hearthTimes: number[] = [];
  for (let round = 0; round < 3; round++) {
    let started = performance.now();
    execFileSync("pdftotext", ["-layout", bigPdf, join(workDir, "big.txt")]);
    pdftotextTimes.push(performance.now() - started);

    const dataDir = join(workDir, `ingest-${round}`);
    const store = openSqliteStore({ dataDir });
    started = performance.now();
    const outcome = await ingestFile(bigPdf, { store, config: configFor(dataDir) });
    hearthTimes.push(performance.now() - started);
    if (outcome.status !== "ingested") throw new Error(`bench ingest failed: ${JSON.stringify(outcome)}`);
    await store.close();
  }
  const hearth = median(hearthTimes);
  const poppler = median(pdftotextTimes);
  report(`## Ingest: ${pages}-page PDF (pdfunite of the corpus PDFs)`);
  report("");
  report("| tool | median of 3 (s) | pages/s |");
  report("| --- | --- | --- |");
  report(`| pdftotext -layout (extract only) | ${(poppler / 1000).toFixed(2)} | ${(pages / (poppler / 1000)).toFixed(0)} |`);
  report(`| hearth ingest (extract, chunk, index) | ${(hearth / 1000).toFixed(2)} | ${(pages / (hearth / 1000)).toFixed(0)} |`);
  report("");
  report(`Ratio hearth / pdftotext: **${(hearth / poppler).toFixed(2)}x** (goal: within 2x)`);
  report("");
}

async function benchSearch(folders: string[], label: string, withAnswers: boolean): Promise<void> {
  const dataDir = join(workDir, `search-${label.replace(/\W+/g, "-")}`);
  const store = openSqliteStore({ dataDir });
  await ingestPaths(folders.map(corpus), { store, config: configFor(dataDir) });
  const searcher = createSearcher(store);
  const questions = (JSON.parse(readFileSync(corpus("dev-questions.json"), "utf8")) as { question: string }[]).map(
    (entry) => entry.question,
  );
  const queries = [
    ...questions,
    "UASC placements Notts",
    "£2,278",
    "55.2%",
    "regulation 44 independent person visits",
    "children in care out of area placements",
    "Ofsted grades for children's homes",
    "quality standards education",
    "IFA weekly cost",
    "Somerset new children's home neighbours",
    "Statement of Purpose requirements",
  ];
  for (const query of queries) await searcher.search(query, { limit: 5 }); // warm caches
  const times: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (const query of queries) {
      const started = performance.now();
      await searcher.search(query, { limit: 5 });
      times.push(performance.now() - started);
    }
  }
  const statistics = await store.passages.statistics();
  report(`## Search latency (${label}: ${statistics.chunkCount} passages, ${times.length} searches of ${queries.length} queries)`);
  report("");
  report(`p50 ${percentile(times, 0.5).toFixed(2)} ms, p95 ${percentile(times, 0.95).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms (goal: p95 under 20 ms)`);
  report("");

  if (!withAnswers) {
    await store.close();
    return;
  }
  // Answers: the extractive answerer after start-up (one warm-up question), over the dev and tuning questions.
  const answerer = createExtractiveAnswerer({ store, searcher });
  const tuning = (JSON.parse(readFileSync(join(repositoryRoot, "bench", "tuning-questions.json"), "utf8")) as { question: string }[]).map(
    (entry) => entry.question,
  );
  const answerQuestions = [...questions, ...tuning, "What are the challenges in children's residential care?", "Who are the key stakeholders for a new children's home?"];
  await answerer.answer("What is the weekly cost of residential care?");
  const answerTimes: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const question of answerQuestions) {
      const started = performance.now();
      await answerer.answer(question);
      answerTimes.push(performance.now() - started);
    }
  }
  await store.close();
  report(`## Answer latency (extractive, ${answerTimes.length} answers over ${answerQuestions.length} questions, after start-up)`);
  report("");
  report(`p50 ${percentile(answerTimes, 0.5).toFixed(1)} ms, p95 ${percentile(answerTimes, 0.95).toFixed(1)} ms, max ${Math.max(...answerTimes).toFixed(1)} ms (goal: p95 under 300 ms)`);
  report("");
}

const started = new Date();
report(`# Benchmarks (${started.toISOString().slice(0, 10)}, ${process.version}, ${(await import("node:os")).cpus().length} cores)`);
report("");
report("Command: `npm run bench`");
report("");
await benchIngest();
await benchSearch(["library"], "corpus library/", false);
await benchSearch(["library", "real"], "library/ + real/", true);
report(`## Memory`);
report("");
report(`Peak resident memory of the benchmark process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
mkdirSync(join(repositoryRoot, "bench", "out"), { recursive: true });
writeFileSync(join(repositoryRoot, "bench", "out", "latest.md"), `${lines.join("\n")}\n`);
