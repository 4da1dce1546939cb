#!/usr/bin/env node
// Part of scripts/build.mjs: makes V8's code cache for dist/cached/main.cjs (see bin/cached-cli.mjs). It ingests a
// small library into a temporary folder and runs the commands bin/hearth takes from the cached bundle against it,
// all through the cached bundle in this process (so V8 compiles what they run, ingest included), then writes the
// cache. Nothing outside the temporary folder and dist/cached/ is touched.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { loadCachedBundle } from "../bin/cached-cli.mjs";

const root = new URL("..", import.meta.url);
const folder = mkdtempSync(join(tmpdir(), "hearth-warm-"));
const documents = join(folder, "documents");
const data = join(folder, "data");
mkdirSync(documents);

// The facts of src/loaders/sample-documents.ts: prose, a table in Markdown and a data set.
writeFileSync(
  join(documents, "Northshire Placement Strategy.md"),
  [
    "# Northshire Placement Strategy 2024-27",
    "",
    "The weekly cost of an in-house residential placement is £2,278 per week.",
    "",
    "The council plans to open two new children's homes by 2026 to reduce placements at a distance.",
    "",
    "Recruitment and retention of residential staff remains the main workforce pressure.",
    "",
    "## Unit costs",
    "",
    "| Type of placement | Northshire | Average |",
    "| --- | --- | --- |",
    "| In-house residential | £2,278 | £2,611 |",
    "| External residential | £3,290 | £2,774 |",
    "| Independent fostering | £838 | £877 |",
    "",
  ].join("\n"),
);
writeFileSync(
  join(documents, "Northshire unit costs.csv"),
  'Type of placement,Northshire,Average\n"In-house residential","£2,278","£2,611"\n"External residential","£3,290","£2,774"\n',
);

const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
const io = {
  // Only these settings: none of the user's (a model, a PostgreSQL store) reaches the warm-up.
  environment: { HEARTH_LLM_PROVIDER: "extractive", HEARTH_EMBEDDINGS_PROVIDER: "none", HEARTH_OCR: "off" },
  stdout: discard,
  stderr: discard,
};
const hearth = (cli, ...args) => cli.runCli(["node", "hearth", "--data", data, ...args], io);

try {
  const cached = loadCachedBundle(new URL("dist/cached/main.cjs", root).pathname, "never");
  if ((await hearth(cached.exports, "ingest", documents)) !== 0) throw new Error("ingest failed");
  const commands = [
    ["--version"],
    ["search", "weekly cost of residential care"],
    ["search", "--json", "new children's homes"],
    ["ask", "What is the weekly cost of residential care?"],
    ["ask", "--json", "How many new children's homes does the council plan to open?"],
    ["ask", "What is the weekly cost of external residential placements in Northshire?"],
    ["draft", "stakeholder-map"],
    ["list"],
    ["sessions"],
    ["templates"],
  ];
  for (const command of commands) {
    const code = await hearth(cached.exports, ...command);
    if (code !== 0) throw new Error(`hearth ${command.join(" ")} exited ${code}`);
  }
  cached.save();
} catch (error) {
  console.error(`warm-code-cache: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  rmSync(folder, { recursive: true, force: true });
}
