/**
 * `npm run bench:scale [-- --sizes 10k,100k,1m] [--store <folder|postgres-url>]`: how Hearth behaves as the
 * library grows. For each size, a fresh library holds the real corpus (../shared/corpus library, real and dev2
 * documents, so the development questions keep their real answers) and synthetic documents recombined from its
 * sentences (bench/scale-library.ts) up to that many passages. Reported per size: ingest passages/s of the
 * synthetic writes, peak RSS, size on disk, search p50/p95, answer p50/p95 (the `hearth ask` path: extractive,
 * typed tables, source authority), and the share of dev and dev2 questions with a gold page in the search top 5.
 *
 * Each size runs in its own Node process (`--run <size>`), so peak memory and caches are its own. Results are
 * printed and written to bench/out/scale.md. `--keep` leaves the libraries in place (default: a temporary folder,
 * removed at the end); `--reuse` measures the library a size already has under `--store` instead of building it
 * (for tuning search against the same library), and with `--append 10k` writes that many more passages into it
 * first (the ingest rate of a library already that large); `--ingest-only` skips the questions.
 *
 * `--postgres` measures PostgreSQL instead of SQLite in one command: it starts a throwaway cluster of the newest
 * installed PostgreSQL (test/support/postgres-server.ts, as the postgres user when run as root) with the settings in
 * `benchmarkPostgresSettings`, gives each size its own database (so "on disk" is that size's alone), and stops and
 * removes the cluster at the end. After the bulk load a PostgreSQL library is `ANALYZE`d, as a deployment would be.
 * `--sets dev,tuning` measures fewer question sets (default dev,dev2,tuning) when a store is slow. `--writers 3` writes
 * three synthetic documents at once (each its own transaction), as several ingestion workers would (default 1).
 * `--warm-up 10` answers ten questions of the tuning-library set (not measured) after the usual one warm-up answer, so
 * "warm" is a process whose JIT has compiled the search path (default 0: one warm-up answer, as before); past 18 the
 * tuning-providers set follows (38 at most). After ten answers V8 was still compiling the search path for the first
 * time in the measured searches (2.6 s of a background thread over the 95 at 1M passages, against 1.1 s after 38
 * answers: docs/benchmarks.md, issue 14 nineteenth stop).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { evaluate } from "../src/answer/evaluate.ts";
import { evaluationDependencies } from "../src/cli/evaluation-setup.ts";
import { loadConfig } from "../src/config/config.ts";
import { ingestPaths } from "../src/ingest/ingest.ts";
import { isPostgresUrl } from "../src/store/postgres/postgres-connection.ts";
import type { PassageRecord } from "../src/store/types.ts";
import { machineSpeedLine, machineSpeedMilliseconds } from "./machine-speed.ts";
import { corpus, questionSets, questionsOf, readQuestionSet } from "./question-sets.ts";
import { sentenceTemplates, syntheticDocuments } from "./scale-library.ts";
import { benchmarkPostgresSettings, openScaleStore } from "./scale-store.ts";
import pg from "pg";
import { findPostgresBin, startPostgres, type RunningPostgres } from "../test/support/postgres-server.ts";
import { nearestRankPercentile } from "./statistics.ts";

const { values: options } = parseArgs({
  options: {
    sizes: { type: "string", default: "10k,100k,1m" },
    store: { type: "string" },
    keep: { type: "boolean", default: false },
    reuse: { type: "boolean", default: false },
    append: { type: "string", default: "0" },
    "ingest-only": { type: "boolean", default: false },
    run: { type: "string" },
    result: { type: "string" },
    seed: { type: "string", default: "14" },
    postgres: { type: "boolean", default: false },
    sets: { type: "string", default: "dev,dev2,tuning" },
    writers: { type: "string", default: "1" },
    // More warm-up answers (questions of the tuning-library set, then the tuning-providers set, not measured) after the
    // first: the first searches after one answer pay the process's JIT compilation (docs/benchmarks.md, issue 14
    // seventh and nineteenth stops).
    "warm-up": { type: "string", default: "0" },
  },
});

interface SizeResult {
  size: string;
  passages: number;
  documents: number;
  syntheticPassages: number;
  realIngestSeconds: number;
  writeSeconds: number;
  passagesPerSecond: number;
  /** Passages per second of this process's own CPU time: the rate on a machine with a core to spare. */
  passagesPerCpuSecond: number;
  peakRssMegabytes: number;
  diskMegabytes: number | null;
  searches: number;
  searchP50: number;
  searchP95: number;
  /** CPU time of this process per search and per answer: what the wall times would be on an idle machine. */
  searchCpuP50: number;
  searchCpuP95: number;
  answerCpuP50: number;
  answerCpuP95: number;
  answers: number;
  answerP50: number;
  answerP95: number;
  answerMax: number;
  topFive: { set: string; hits: number; answerable: number }[];
  loadAverage: number[];
}

function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([km]?)$/i.exec(text.trim());
  if (!match) throw new Error(`--sizes: "${text}" is not a size such as 10k, 100k or 1m`);
  const factor = { "": 1, k: 1_000, m: 1_000_000 }[match[2]!.toLowerCase() as "" | "k" | "m"];
  return Math.round(Number(match[1]) * factor);
}

/** One size, in this process: build the library, then time search and answers and measure quality. */
async function runSize(sizeLabel: string, location: string): Promise<SizeResult> {
  const target = parseSize(sizeLabel);
  const reuse = options.reuse && (isPostgresUrl(location) || existsSync(join(location, sizeLabel)));
  const scaleStore = await openScaleStore(location, sizeLabel, reuse);
  const { store, label, sizeOnDisk } = scaleStore;
  try {
    const config = loadConfig({ ...process.env, HEARTH_OCR: "off" }, { dataDir: join(tmpdir(), "hearth-scale-config") });
    if (!config.ok) throw config.error;
    let started = performance.now();
    if (!reuse) await ingestPaths([corpus("library"), corpus("real"), corpus("dev2/docs")], { store, config: config.value });
    const realIngestSeconds = (performance.now() - started) / 1000;
    if (!reuse) await scaleStore.afterBulkLoad();
    const real = await store.passages.statistics();

    // Sentences of the real documents' passages (ids are never reused, so a range past the count finds them all).
    const passages: PassageRecord[] = [];
    // With --reuse the corpus is still the library's first documents; --append writes that many more passages.
    const append = reuse ? parseSize(options.append) : 0;
    const harvestUpTo = reuse ? (append > 0 ? 20_000 : 0) : real.chunkCount * 2 + 1000;
    for (let first = 1; first <= harvestUpTo; first += 5000) {
      passages.push(...(await store.passages.getPassages(Array.from({ length: 5000 }, (_, offset) => first + offset))));
    }
    const templates = sentenceTemplates(passages);
    const wordsPerPassage = Math.max(40, Math.round(real.averageLength * 0.9));

    let writeMilliseconds = 0;
    let writeCpuMicroseconds = 0;
    let syntheticPassages = 0;
    // The corpus alone is about 13k passages (its data sets are row passages), so a size counts the synthetic passages.
    const toMake = reuse ? append : target;
    started = performance.now();
    let reported = 0;
    // --writers N: N documents in flight at once, as N ingestion workers would write them (each still its own
    // transaction). Wall and CPU time are then those of the whole write phase rather than summed per write.
    const writers = Math.max(1, Number(options.writers) || 1);
    const inFlight = new Set<Promise<void>>();
    const phaseStarted = performance.now();
    const phaseCpu = process.cpuUsage();
    for (const synthetic of syntheticDocuments(templates, { passages: toMake, seed: Number(options.seed) + (reuse ? real.chunkCount : 0), wordsPerPassage })) {
      const written = performance.now();
      const cpu = process.cpuUsage();
      if (writers === 1) {
        await store.documents.replace(synthetic.document, synthetic.units, synthetic.chunks);
        writeMilliseconds += performance.now() - written;
        const spent = process.cpuUsage(cpu);
        writeCpuMicroseconds += spent.user + spent.system;
      } else {
        const write: Promise<void> = store.documents.replace(synthetic.document, synthetic.units, synthetic.chunks).then(() => {
          inFlight.delete(write);
        });
        inFlight.add(write);
        if (inFlight.size >= writers) await Promise.race(inFlight);
        writeMilliseconds = performance.now() - phaseStarted;
        const spent = process.cpuUsage(phaseCpu);
        writeCpuMicroseconds = spent.user + spent.system;
      }
      syntheticPassages += synthetic.chunks.length;
      if (syntheticPassages - reported >= 100_000) {
        reported = syntheticPassages;
        console.error(`  ${sizeLabel}: ${syntheticPassages} passages written, ${(syntheticPassages / (writeMilliseconds / 1000)).toFixed(0)}/s (load ${loadavg()[0]?.toFixed(1)})`);
      }
    }
    if (writers > 1) {
      await Promise.all(inFlight);
      writeMilliseconds = performance.now() - phaseStarted;
      const spent = process.cpuUsage(phaseCpu);
      writeCpuMicroseconds = spent.user + spent.system;
    }
    if (syntheticPassages > 0) await scaleStore.afterBulkLoad();
    const statistics = await store.passages.statistics();
    const documents = (await store.documents.list()).length;

    const dependencies = await evaluationDependencies(store, 5);
    const wanted = options.sets.split(",").map((name) => name.trim());
    const sets = questionSets().filter((set) => wanted.includes(set.name) && existsSync(set.file));
    const parsed = (options["ingest-only"] ? [] : sets).map((set) => ({ name: set.name, questions: readQuestionSet(set.file) }));
    const allQuestions = parsed.flatMap((set) => set.questions);
    // Warm-up: one answer, as after start-up (statement caches, glossary, stems of the real documents).
    if (allQuestions.length > 0) await dependencies.answerer.answer(allQuestions[0]!.question);
    const warmUpAnswers = Number(options["warm-up"]) || 0;
    const warmUpQuestions = warmUpAnswers > 0 ? questionsOf(["tuning-library", "tuning-providers"]).slice(0, warmUpAnswers) : [];
    for (const question of warmUpQuestions) await dependencies.answerer.answer(question.question);

    const cpuMilliseconds = (since: NodeJS.CpuUsage): number => {
      const spent = process.cpuUsage(since);
      return (spent.user + spent.system) / 1000;
    };
    const searchTimes: number[] = [];
    const searchCpu: number[] = [];
    for (const question of allQuestions) {
      const text = (await dependencies.retrievalText?.(question.question)) ?? question.question;
      const searchStarted = performance.now();
      const cpu = process.cpuUsage();
      await dependencies.searcher.search(text, { limit: 5 });
      searchCpu.push(cpuMilliseconds(cpu));
      searchTimes.push(performance.now() - searchStarted);
    }
    // Answers as evaluate() times them, and again one by one for their CPU time.
    const answerTimes: number[] = [];
    const answerCpu: number[] = [];
    for (const question of allQuestions) {
      const cpu = process.cpuUsage();
      await dependencies.answerer.answer(question.question);
      answerCpu.push(cpuMilliseconds(cpu));
    }
    const topFive: SizeResult["topFive"] = [];
    for (const set of parsed) {
      const summary = await evaluate(set.questions, dependencies);
      answerTimes.push(...summary.details.map((detail) => detail.milliseconds));
      topFive.push({
        set: set.name,
        hits: summary.details.filter((detail) => !detail.expectedRefusal && detail.goldRank !== null).length,
        answerable: summary.answerable,
      });
    }
    return {
      size: sizeLabel,
      passages: statistics.chunkCount,
      documents,
      syntheticPassages,
      realIngestSeconds,
      writeSeconds: writeMilliseconds / 1000,
      passagesPerSecond: syntheticPassages > 0 ? syntheticPassages / (writeMilliseconds / 1000) : 0,
      passagesPerCpuSecond: syntheticPassages > 0 ? syntheticPassages / (writeCpuMicroseconds / 1_000_000) : 0,
      peakRssMegabytes: process.resourceUsage().maxRSS / 1024,
      diskMegabytes: ((bytes) => (bytes === null ? null : bytes / 1024 / 1024))(await sizeOnDisk()),
      searches: searchTimes.length,
      searchP50: nearestRankPercentile(searchTimes, 0.5),
      searchP95: nearestRankPercentile(searchTimes, 0.95),
      searchCpuP50: nearestRankPercentile(searchCpu, 0.5),
      searchCpuP95: nearestRankPercentile(searchCpu, 0.95),
      answerCpuP50: nearestRankPercentile(answerCpu, 0.5),
      answerCpuP95: nearestRankPercentile(answerCpu, 0.95),
      answers: answerTimes.length,
      answerP50: nearestRankPercentile(answerTimes, 0.5),
      answerP95: nearestRankPercentile(answerTimes, 0.95),
      answerMax: Math.max(...answerTimes),
      topFive,
      loadAverage: loadavg(),
    };
  } finally {
    await store.close();
    console.error(`  ${sizeLabel}: library at ${label}`);
  }
}

/** A figure to `digits` places, or "n/a" when it was not measured (JSON keeps NaN as null). */
function figure(value: number | null, digits: number): string {
  return value === null || !Number.isFinite(value) ? "n/a" : value.toFixed(digits);
}

function table(results: SizeResult[]): string[] {
  const lines = [
    "| passages | documents | ingest passages/s (per CPU-s) | peak RSS | on disk | search p50 / p95 | search CPU p50 / p95 | answer p50 / p95 (max) | answer CPU p50 / p95 | gold page in top 5 | load avg (1 min) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const result of results) {
    lines.push(
      `| ${result.passages.toLocaleString("en-GB")} | ${result.documents.toLocaleString("en-GB")} | ${figure(result.passagesPerSecond, 0)} (${figure(result.passagesPerCpuSecond, 0)}) | ${figure(result.peakRssMegabytes, 0)} MB | ${
        result.diskMegabytes === null ? "n/a" : `${figure(result.diskMegabytes, 0)} MB`
      } | ${figure(result.searchP50, 1)} / ${figure(result.searchP95, 1)} ms | ${figure(result.searchCpuP50, 1)} / ${figure(result.searchCpuP95, 1)} ms | ${figure(result.answerP50, 0)} / ${figure(result.answerP95, 0)} ms (${figure(result.answerMax, 0)}) | ${figure(result.answerCpuP50, 0)} / ${figure(result.answerCpuP95, 0)} ms | ${result.topFive
        .map((entry) => `${entry.set} ${entry.hits}/${entry.answerable}`)
        .join(", ")} | ${result.loadAverage[0]?.toFixed(2) ?? "?"} |`,
    );
  }
  return lines;
}

async function main(): Promise<void> {
  if (!existsSync(corpus("dev2/questions.json"))) {
    console.error(`bench:scale needs the shared corpus at ${corpus("")} (set HEARTH_SHARED_DIR)`);
    process.exitCode = 1;
    return;
  }
  if (options.run) {
    // A child run: one size, its figures as JSON for the parent.
    const result = await runSize(options.run, options.store ?? join(tmpdir(), "hearth-scale"));
    writeFileSync(options.result ?? join(tmpdir(), `hearth-scale-${options.run}.json`), JSON.stringify(result));
    return;
  }
  let server: RunningPostgres | undefined;
  if (options.postgres) {
    if (options.store !== undefined) throw new Error("--postgres starts its own cluster: give --store or --postgres, not both");
    const bin = findPostgresBin();
    if (bin === undefined) throw new Error("--postgres needs PostgreSQL installed (/usr/lib/postgresql/<version>/bin)");
    server = await startPostgres(bin, benchmarkPostgresSettings);
    console.error(`PostgreSQL ${basename(join(bin, ".."))} at ${server.url} (${benchmarkPostgresSettings.join(", ")})`);
  }
  try {
    await measure(server);
  } finally {
    server?.stop();
  }
}

/** A database of its own for one size on the throwaway cluster, and its URL. */
async function createSizeDatabase(server: RunningPostgres, size: string): Promise<string> {
  const name = `hearth_scale_${size.replace(/[^a-z0-9]/g, "_")}`;
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name}`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return url.toString();
}

async function measure(server: RunningPostgres | undefined): Promise<void> {
  const temporary = options.store === undefined && server === undefined ? mkdtempSync(join(tmpdir(), "hearth-scale-")) : null;
  const fixedLocation = options.store ?? temporary;
  const sizes = options.sizes.split(",").map((size) => size.trim().toLowerCase()).filter((size) => size.length > 0);
  sizes.forEach(parseSize); // refuse a bad size before any work
  const results: SizeResult[] = [];
  const script = new URL(import.meta.url).pathname;
  const speedBefore = machineSpeedMilliseconds();
  try {
    for (const size of sizes) {
      const resultFile = join(tmpdir(), `hearth-scale-${process.pid}-${size}.json`);
      const location = fixedLocation ?? (await createSizeDatabase(server!, size));
      console.error(`${size}: building and measuring (load average ${loadavg().map((value) => value.toFixed(2)).join(" ")})`);
      const childOptions = ["--run", size, "--store", location, "--result", resultFile, "--seed", options.seed, ...(options.reuse ? ["--reuse", "--append", options.append] : []), ...(options["ingest-only"] ? ["--ingest-only"] : []), "--sets", options.sets, "--writers", options.writers, "--warm-up", options["warm-up"]];
      execFileSync(process.execPath, ["--import", "tsx", script, ...childOptions], {
        stdio: ["ignore", "inherit", "inherit"],
      });
      results.push(JSON.parse(readFileSync(resultFile, "utf8")) as SizeResult);
      rmSync(resultFile, { force: true });
      for (const line of table(results).slice(-1)) console.log(line);
    }
  } finally {
    if (temporary !== null && !options.keep) rmSync(temporary, { recursive: true, force: true });
  }
  const report = [
    `# Scale benchmark (${new Date().toISOString().slice(0, 16)}Z, ${process.version}, ${cpus().length} cores)`,
    "",
    `Command: \`npm run bench:scale -- --sizes ${sizes.join(",")}${server === undefined ? "" : " --postgres"}${options.sets === "dev,dev2,tuning" ? "" : ` --sets ${options.sets}`}${options["warm-up"] === "0" ? "" : ` --warm-up ${options["warm-up"]}`}\` (store: ${
      server !== undefined
        ? `a throwaway PostgreSQL cluster, one database per size (${benchmarkPostgresSettings.join(", ")})`
        : options.store === undefined
          ? "SQLite in a temporary folder"
          : fixedLocation
    })`,
    "",
    ...table(results),
    "",
    machineSpeedLine(speedBefore, machineSpeedMilliseconds()),
    "",
  ];
  mkdirSync(new URL("./out/", import.meta.url), { recursive: true });
  writeFileSync(new URL("./out/scale.md", import.meta.url), `${report.join("\n")}\n`);
  console.log(report.join("\n"));
}

await main();
