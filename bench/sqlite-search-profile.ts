/**
 * `node --import tsx bench/sqlite-search-profile.ts <library folder> [sets] [question id]`: per-question CPU of the
 * search and the answer on a SQLite library (as bench/scale.ts runs them), with the SQL statements each spends more
 * than 5 ms in and every statement's total (better-sqlite3's Statement methods wrapped). Used for docs/benchmarks.md,
 * "SQLite at 1M". Point it at a copy: a large library gains champion lists and phrase counts as it runs.
 */
import Database from "better-sqlite3";
import { evaluationDependencies } from "../src/cli/evaluation-setup.ts";
import { openSqliteStore } from "../src/store/sqlite-store.ts";
import { questionsOf } from "./question-sets.ts";

const folder = process.argv[2]!;
const wanted = (process.argv[3] ?? "dev,dev2").split(",");
const only = process.argv[4];
// Time every statement by its SQL (first 60 chars) and by argument for FTS MATCH.
const sqlTime = new Map<string, { ms: number; calls: number }>();
let perQuestion: { sql: string; arg: string; ms: number }[] = [];
const probe = new Database(":memory:");
const proto = Object.getPrototypeOf(probe.prepare("SELECT 1"));
for (const method of ["all", "get", "run", "iterate"] as const) {
  const original = proto[method];
  proto[method] = function (this: { source: string }, ...args: unknown[]) {
    const started = process.cpuUsage();
    const result = original.apply(this, args);
    const spent = process.cpuUsage(started);
    const ms = (spent.user + spent.system) / 1000;
    const key = this.source.replace(/\s+/g, " ").slice(0, 90);
    const entry = sqlTime.get(key) ?? { ms: 0, calls: 0 };
    entry.ms += ms;
    entry.calls++;
    sqlTime.set(key, entry);
    if (ms > 5) perQuestion.push({ sql: key.slice(0, 50), arg: String(args[0]).slice(0, 140), ms });
    return result;
  };
}
const store = openSqliteStore({ dataDir: folder });
const dependencies = await evaluationDependencies(store, 5);
const questions = questionsOf(wanted).filter((q) => only === undefined || q.id === only);
const cpu = (since: NodeJS.CpuUsage) => { const s = process.cpuUsage(since); return (s.user + s.system) / 1000; };
let started = process.cpuUsage();
await dependencies.answerer.answer(questions[0]!.question);
console.log(`warm-up ${cpu(started).toFixed(0)} ms`);
sqlTime.clear();
const rows: { id: string; kind: string; ms: number; sql: number; top: string }[] = [];
for (const kind of ["search", "answer"]) {
  for (const q of questions) {
    perQuestion = [];
    started = process.cpuUsage();
    if (kind === "search") {
      const text = (await dependencies.retrievalText?.(q.question)) ?? q.question;
      await dependencies.searcher.search(text, { limit: 5 });
    } else await dependencies.answerer.answer(q.question);
    const ms = cpu(started);
    const sql = perQuestion.reduce((s, e) => s + e.ms, 0);
    rows.push({ id: `${q.set}:${q.id}`, kind, ms, sql, top: perQuestion.sort((a, b) => b.ms - a.ms).slice(0, 6).map((e) => `    ${e.ms.toFixed(0)}ms ${e.sql} | ${e.arg}`).join("\n") });
  }
}
const pct = (values: number[], p: number) => { const s = [...values].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]!; };
for (const kind of ["search", "answer"]) {
  const mine = rows.filter((r) => r.kind === kind);
  console.log(`\n== ${kind}: p50 ${pct(mine.map((r) => r.ms), 0.5).toFixed(0)} p95 ${pct(mine.map((r) => r.ms), 0.95).toFixed(0)} total ${mine.reduce((s, r) => s + r.ms, 0).toFixed(0)} (SQL>5ms ${mine.reduce((s, r) => s + r.sql, 0).toFixed(0)})`);
  for (const r of mine.sort((a, b) => b.ms - a.ms).slice(0, 12)) console.log(`${r.ms.toFixed(0)} ms (sql ${r.sql.toFixed(0)}) ${r.id}\n${r.top}`);
}
console.log("\n== SQL by statement");
for (const [key, e] of [...sqlTime].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) console.log(`${e.ms.toFixed(0)} ms ${e.calls} calls  ${key}`);
