/**
 * `node --import tsx bench/sqlite-rare-lists-exact.ts <library folder>`: whether a large SQLite library's rare side
 * summed from kept lists (src/store/text-search.json `rareListRows`) gives FTS5's statement's hits and scores, bit for
 * bit. Records every full-text query the dev, dev2 and tuning questions' searches make, then runs each through a
 * searcher with lists and one without (`rareListRows` 0) on the same library, and compares; prints their CPU. Used
 * for docs/benchmarks.md, "issue 14, seventh stop". Point it at a copy: it keeps lists as it runs.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { evaluationDependencies } from "../src/cli/evaluation-setup.ts";
import { openSqliteStore, databaseFileName } from "../src/store/sqlite-store.ts";
import { createSqliteTextSearch, textSearchSettings } from "../src/store/sqlite-text-search.ts";
import type { TextQuery } from "../src/store/types.ts";
import { questionsOf } from "./question-sets.ts";
const folder = process.argv[2]!;
const store = openSqliteStore({ dataDir: folder });
const queries: TextQuery[] = [];
const original = store.passages.searchText;
store.passages.searchText = async (query) => { queries.push(structuredClone(query)); return original(query); };
const dependencies = await evaluationDependencies(store, 5);
const questions = questionsOf(["dev", "dev2", "tuning"]);
for (const q of questions) await dependencies.searcher.search((await dependencies.retrievalText?.(q.question)) ?? q.question, { limit: 5 });
const database = new Database(join(folder, databaseFileName));
const count = (await store.passages.statistics()).chunkCount;
const withLists = createSqliteTextSearch(database, textSearchSettings);
const withoutLists = createSqliteTextSearch(database, { ...textSearchSettings, rareListRows: 0 });
let same = 0, differ = 0;
const cpu = (s: NodeJS.CpuUsage) => { const d = process.cpuUsage(s); return (d.user + d.system) / 1000; };
let a = 0, b = 0;
for (const query of queries) {
  let s = process.cpuUsage(); const left = withLists.search(query, count); a += cpu(s);
  s = process.cpuUsage(); const right = withoutLists.search(query, count); b += cpu(s);
  const equal = left.length === right.length && left.every((hit, i) => hit.chunkId === right[i]!.chunkId && hit.score === right[i]!.score);
  if (equal) same++; else { differ++; if (differ <= 5) console.log("DIFFER", JSON.stringify(query).slice(0, 300), left.slice(0, 5), right.slice(0, 5), left.length, right.length); }
}
console.log(`${queries.length} queries: ${same} identical (ids and scores bit for bit), ${differ} differ; CPU with lists ${a.toFixed(0)} ms, FTS5 ${b.toFixed(0)} ms`);
database.close();
await store.close();
