/**
 * The compiled SQLite store counts a long document's passages per stem in a worker thread while it writes their rows
 * (src/store/passage-terms-thread.ts); the sources count them in the writing thread. Both must store exactly the same
 * rows: passages and their token counts, the full-text index, and the passage counts per stem, also when a new
 * version of a document replaces an old one (counts out, then in). Runs where dist/ is built and current; skips,
 * saying so, otherwise.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { countPassageStems } from "../src/store/passage-terms.ts";
import { distIsCurrent } from "./support/compiled-build.ts";
import { hearthBin, repositoryRoot, runHearth, temporaryDirectory } from "./support/run-hearth.ts";

const skip = !distIsCurrent();
if (skip) console.warn("skipped: dist/ is missing or older than src/ (npm run build) for the passage-terms worker test");

/** A report of `sections` headed sections, long enough for the worker (the settings ask for 500 passages). */
function longReport(sections: number, edition: number): string {
  const lines = ["# Placement sufficiency review", ""];
  for (let section = 1; section <= sections; section++) {
    lines.push(`## Section ${section}: children’s homes in area ${section % 37}`, "");
    lines.push(
      `In edition ${edition}, ${section * 3} children were placed within 20 miles of home at a weekly cost of £${2000 + section}. ` +
        `Commissioners reviewed café-style “drop-in” sessions, naïve forecasts and the ﬁnancial risks of ${section % 2 === 0 ? "residential" : "fostering"} placements. ` +
        `Providers said recruitment of staff—especially registered managers—remained the main constraint in quarter ${section % 4}.`,
      "",
    );
  }
  return lines.join("\n");
}

/** Every row of the tables a passage write fills, in order (timestamps left out). */
function storedRows(data: string): { documents: unknown[]; chunks: unknown[]; index: unknown[]; indexData: unknown[]; terms: unknown[] } {
  const database = new Database(join(data, "hearth.db"), { readonly: true });
  try {
    const rows = (sql: string): unknown[] => database.prepare(sql).raw().all();
    return {
      documents: rows("SELECT id, file_name, source_path, content_hash, unit_count, chunk_count FROM documents ORDER BY id"),
      chunks: rows("SELECT * FROM chunks ORDER BY id"),
      index: rows("SELECT rowid, text, context FROM chunks_fts ORDER BY rowid"),
      indexData: rows("SELECT id, hex(block) FROM chunks_fts_data ORDER BY id"),
      terms: rows("SELECT stem, passages FROM term_passages ORDER BY stem"),
    };
  } finally {
    database.close();
  }
}

/**
 * `countPassageStemsInWorker` of the compiled store in a child process (a module file: a worker inherits the
 * process's options, and `--input-type` would stop it), with its real worker or one whose module throws; `again`:
 * whether a second request is taken by a worker.
 */
function inChildProcess(passages: Array<{ text: string; context: string }>, worker: "worker" | "broken"): unknown {
  const folder = temporaryDirectory();
  const broken = join(folder, "broken-worker.mjs");
  writeFileSync(broken, 'throw new Error("this worker does not start");\n');
  const script = join(folder, "count.mjs");
  writeFileSync(
    script,
    `import { readFileSync } from "node:fs";
    const { countPassageStemsInWorker } = await import(${JSON.stringify(new URL("../dist/store/passage-terms-thread.js", import.meta.url).href)});
    const url = ${worker === "broken" ? `new URL(${JSON.stringify(`file://${broken}`)})` : "undefined"};
    const passages = JSON.parse(readFileSync(0, "utf8"));
    const started = performance.now();
    const counts = countPassageStemsInWorker(passages, url)?.take() ?? null;
    const milliseconds = performance.now() - started;
    const again = countPassageStemsInWorker(passages, url) !== null;
    process.stdout.write(JSON.stringify({ counts, again, milliseconds }));
    process.exit(0);`,
  );
  const output = JSON.parse(execFileSync(process.execPath, [script], { encoding: "utf8", input: JSON.stringify(passages) })) as Record<string, unknown>;
  if (worker === "worker") delete output.milliseconds;
  return output;
}

describe.skipIf(skip)("the passage-terms worker of the compiled store", () => {
  it("counts passages per stem exactly as the writing thread does", () => {
    const passages = Array.from({ length: 600 }, (_, index) => ({
      text: longReport(1, index).split("\n")[4]!,
      context: `Review › Section ${index % 7}`,
    }));
    expect(inChildProcess(passages, "worker")).toEqual({ counts: countPassageStems(passages), again: true });
  }, 60_000);

  it("gives nothing, soon, when the worker cannot start, so the writer counts itself", () => {
    const passages = Array.from({ length: 600 }, (_, index) => ({ text: `placements ${index}`, context: "Review" }));
    const run = inChildProcess(passages, "broken") as { counts: unknown; again: boolean; milliseconds: number };
    expect(run).toMatchObject({ counts: null, again: false });
    // startMilliseconds (2 s) for the start that never comes, not waitMilliseconds (10 s).
    expect(run.milliseconds).toBeLessThan(9_000);
  }, 60_000);

  it("leaves `hearth ingest` through bin/hearth storing what the in-process CLI stores, a replaced version included", async () => {
    const folder = temporaryDirectory();
    const path = join(folder, "sufficiency review.md");
    const viaBin = join(folder, "bin-data");
    const inProcess = join(folder, "in-process-data");
    for (const edition of [1, 2]) {
      // The second edition replaces the first at the same path: its passages are counted out, then the new ones in.
      writeFileSync(path, longReport(edition === 1 ? 700 : 650, edition));
      const child = spawnSync(process.execPath, [hearthBin, "--data", viaBin, "ingest", "--json", path], { encoding: "utf8", cwd: repositoryRoot });
      expect(child.stderr).toBe("");
      expect(JSON.parse(child.stdout)).toMatchObject({ ingested: 1, failed: 0 });
      const run = await runHearth(["ingest", "--json", path], { data: inProcess });
      expect(JSON.parse(run.stdout)).toMatchObject({ ingested: 1, failed: 0 });
    }
    const expected = storedRows(inProcess);
    expect(expected.chunks.length).toBeGreaterThanOrEqual(500);
    expect(storedRows(viaBin)).toEqual(expected);
  }, 120_000);
});
