/**
 * `npm run bench` (data sets): a generated 100,000-row CSV in the layout of Ofsted's provider list is ingested
 * through the real pipeline, then data-set questions (counts, sums, rankings, comparisons, a missing column) are
 * answered from its typed table. Goal: p95 under 200 ms per answer once the table is loaded; the first question
 * (which reads and parses the table from SQLite) is reported on its own.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config/config.ts";
import { ingestPaths } from "../src/ingest/ingest.ts";
import { localAuthorityNames } from "../src/market/local-authority-names.ts";
import { openSqliteStore } from "../src/store/sqlite-store.ts";
import { createTableAnswerer } from "../src/tables/table-answerer.ts";
import { percentile } from "./statistics.ts";

const rowCount = Number(process.env.HEARTH_BENCH_TABLE_ROWS ?? 100_000);
const repetitions = 10;
const workDir = mkdtempSync(join(tmpdir(), "hearth-bench-tables-"));

/** A deterministic pseudo-random sequence, so every run measures the same file. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function generateCsv(path: string): void {
  const random = generator(42);
  const councils = localAuthorityNames();
  const regions = ["North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands", "East of England", "London", "South East", "South West"];
  const types = ["Children's home", "Children's home", "Children's home", "Supported Accommodation", "Independent Fostering Agency", "Residential Special School"];
  const sectors = ["Private", "Private", "Private", "Local Authority", "Voluntary"];
  const ratings = ["Good", "Good", "Outstanding", "Requires improvement to be good", "Inadequate", ""];
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const lines = ["Generated providers as at 31 March 2025,,,,,,,", "", "URN,Provision type,Local authority,Region,Sector,Places,Overall rating,Registration date"];
  for (let index = 0; index < rowCount; index += 1) {
    const council = councils[index % councils.length] as string;
    const region = regions[(index % councils.length) % regions.length] as string;
    const day = String(1 + Math.floor(random() * 28)).padStart(2, "0");
    const month = String(1 + Math.floor(random() * 12)).padStart(2, "0");
    lines.push(
      [`SC${100000 + index}`, `"${pick(types)}"`, `"${council}"`, region, pick(sectors), random() < 0.05 ? "c" : String(1 + Math.floor(random() * 6)), pick(ratings), `${day}/${month}/${2000 + Math.floor(random() * 25)}`].join(","),
    );
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
}

const questions = [
  "How many children's homes are there in Somerset?",
  "How many children's homes in Kent are rated outstanding?",
  "How many places are there in children's homes in Devon?",
  "Which council in the South West has the most children's homes?",
  "top 5 councils with the most private children's homes",
  "Compare the number of children's homes in Devon and Cornwall",
  "Which region has the most children's homes?",
  "What is the average bed occupancy of children's homes in Somerset?",
  "How many independent fostering agencies are there in Lancashire?",
  "How many children's homes are rated inadequate?",
  "How many children's homes were registered in 2023?",
  "What is the sector mix of children's homes in Kent?",
];

async function main(): Promise<void> {
  const csvPath = join(workDir, "generated-providers.csv");
  generateCsv(csvPath);
  const dataDir = join(workDir, "library");
  mkdirSync(dataDir, { recursive: true });
  const config = loadConfig({ HEARTH_OCR: "off" }, { dataDir });
  if (!config.ok) throw config.error;
  const store = openSqliteStore({ dataDir });
  const ingestStarted = performance.now();
  const summary = await ingestPaths([csvPath], { store, config: config.value });
  const ingestSeconds = (performance.now() - ingestStarted) / 1000;
  if (summary.failed > 0) throw new Error("the generated CSV did not ingest");
  const answerer = createTableAnswerer({ store });
  const firstStarted = performance.now();
  const first = await answerer.answer(questions[0] as string);
  const firstMs = performance.now() - firstStarted;
  if (!first || !/lists [\d,]+ rows/.test(first.answer)) throw new Error(`unexpected answer: ${first?.answer ?? "none"}`);
  const times: number[] = [];
  for (let round = 0; round < repetitions; round += 1) {
    for (const question of questions) {
      const started = performance.now();
      const answer = await answerer.answer(question);
      times.push(performance.now() - started);
      if (!answer) throw new Error(`no table answer for: ${question}`);
    }
  }
  console.log(`## Data-set answers over a generated ${rowCount.toLocaleString("en-GB")}-row CSV`);
  console.log(`ingest (load, type the columns, chunk, index, store the typed table): ${ingestSeconds.toFixed(1)} s`);
  console.log(`first question (reads and parses the table from SQLite): ${firstMs.toFixed(0)} ms`);
  console.log(
    `${times.length} answers (${questions.length} questions x ${repetitions}): p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms (goal: p95 under 200 ms)`,
  );
  await store.close();
  rmSync(workDir, { recursive: true, force: true });
}

await main();
