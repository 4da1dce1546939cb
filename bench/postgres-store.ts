/**
 * PostgreSQL library store (issue 14): ingest rate, full-text search and document-frequency latency on a library of
 * corpus documents repeated to HEARTH_BENCH_PASSAGES passages (default 10,000). Uses HEARTH_BENCH_POSTGRES_URL (a
 * superuser URL; a database is created and dropped) or starts a throwaway cluster with Debian's PostgreSQL.
 *   npx tsx bench/postgres-store.ts
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { stopWords, words } from "../src/retrieval/tokenize.ts";
import { openPostgresStore } from "../src/store/postgres/postgres-store.ts";
import { sampleDocument } from "../src/store/test-fixtures/sample-documents.ts";
import { corpus } from "../test/support/corpus.ts";
import { findPostgresBin, startPostgres, type RunningPostgres } from "../test/support/postgres-server.ts";
import { percentile } from "./statistics.ts";

const targetPassages = Number(process.env.HEARTH_BENCH_PASSAGES ?? 10_000);
const repetitions = 10;

const corpusPath = corpus;
const questions = (JSON.parse(readFileSync(corpusPath("dev-questions.json"), "utf8")) as { question: string }[]).map((entry) => entry.question);

let server: RunningPostgres | undefined;
let serverUrl = process.env.HEARTH_BENCH_POSTGRES_URL;
if (!serverUrl) {
  const bin = findPostgresBin();
  if (bin === undefined) throw new Error("no PostgreSQL: set HEARTH_BENCH_POSTGRES_URL or install PostgreSQL");
  server = await startPostgres(bin);
  serverUrl = server.url;
}
const name = `hearth_bench_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
try {
  const plans = { "rare-first": 0, full: 0, narrowed: 0, champions: 0 };
  const store = await openPostgresStore({ url: url.toString(), workspaceId: "bench" }, { onSearchPlan: (plan) => (plans[plan] += 1) });
  const sccif = corpusPath("real/Ofsted SCCIF children's homes.txt");
  const bases = [
    sampleDocument(corpusPath("formats/Cambridgeshire Placement Strategy 2011-2015.txt"), { format: "text", paged: true }),
    sampleDocument(corpusPath("formats/Somerset Homes and Horizons Members Briefing.md"), { format: "markdown", paged: false }),
    sampleDocument(sccif, { format: "text", paged: true }),
  ];
  let passages = 0;
  const started = performance.now();
  for (let copy = 0; passages < targetPassages; copy += 1) {
    for (const [index, base] of bases.entries()) {
      const document = { ...base.document, fileName: `${copy} ${base.document.fileName}`, sourcePath: `/bench/${copy}/${index}`, contentHash: `${copy}-${index}`.padEnd(64, "0") };
      await store.documents.replace(document, base.units, base.chunks);
      passages += base.chunks.length;
    }
  }
  const ingestSeconds = (performance.now() - started) / 1000;
  const database = new pg.Client({ connectionString: url.toString() });
  await database.connect();
  await database.query("ANALYZE");
  await database.end();

  const searchTimes: number[] = [];
  const frequencyTimes: number[] = [];
  for (let round = 0; round < repetitions; round += 1) {
    for (const question of questions) {
      const content = words(question).filter((word) => !stopWords.has(word));
      const terms = content.map((word) => ({ phrase: [word], weight: 1 }));
      let start = performance.now();
      await store.passages.searchText({ terms, limit: 200 });
      searchTimes.push(performance.now() - start);
      start = performance.now();
      await store.passages.documentFrequencies([...content, content.slice(0, 2).join(" ")]);
      frequencyTimes.push(performance.now() - start);
    }
  }
  await store.close();
  const figures = (times: number[]) => `p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms`;
  console.log(`passages ${passages}: ingest ${ingestSeconds.toFixed(1)} s (${Math.round(passages / ingestSeconds)} passages/s)`);
  console.log(`searchText (top 200, dev questions' content words): ${figures(searchTimes)}; plans: ${plans["rare-first"]} rare-first, ${plans.full} full`);
  console.log(`documentFrequencies (words + one phrase): ${figures(frequencyTimes)}`);
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  server?.stop();
}
