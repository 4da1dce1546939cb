import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { databaseFileName, openSqliteStore } from "./sqlite-store.ts";
import { cambridgeshirePath } from "./store-contract.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";

const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));
const writerScript = fileURLToPath(new URL("./test-fixtures/crash-writer.ts", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "hearth-crash-"));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface KillOutcome {
  lastBegun: number;
  lastCommitted: number;
  signal: NodeJS.Signals | null;
}

/** Runs the writer until it has begun write `killAfterBegin`, waits `delayMs` into it, then SIGKILLs it. */
function runAndKill(first: number, killAfterBegin: number, delayMs: number): Promise<KillOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", writerScript, dataDir, cambridgeshirePath, String(first)], {
      cwd: repositoryRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let lastBegun = -1;
    let lastCommitted = -1;
    let stderr = "";
    let pending = "";
    let killScheduled = false;
    child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
    child.stdout.on("data", (data: Buffer) => {
      pending += data.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const [event, value] = line.split(" ");
        if (event === "begin") lastBegun = Number(value);
        if (event === "commit") lastCommitted = Number(value);
        if (event === "begin" && Number(value) >= killAfterBegin && !killScheduled) {
          killScheduled = true;
          setTimeout(() => child.kill("SIGKILL"), delayMs);
        }
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`writer exited with ${code ?? signal}: ${stderr}`));
      else resolve({ lastBegun, lastCommitted, signal });
    });
  });
}

describe.skipIf(withoutCorpus())("SQLite store crash recovery", () => {
  it("leaves whole documents only after the writer is killed mid-write, round after round", async () => {
    let next = 0;
    let killedInsideWrite = 0;
    const delays = [0, 3, 7, 12, 5, 1];
    for (const [round, delay] of delays.entries()) {
      const outcome = await runAndKill(next, next + 2 + (round % 3), delay);
      expect(outcome.signal).toBe("SIGKILL");
      expect(outcome.lastCommitted).toBeGreaterThanOrEqual(next);
      if (outcome.lastBegun > outcome.lastCommitted) killedInsideWrite += 1;

      const store = openSqliteStore({ dataDir });
      const report = await store.documents.checkIntegrity();
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);

      const documents = await store.documents.list();
      // One document per path slot, never two versions.
      expect(new Set(documents.map((document) => document.sourcePath)).size).toBe(documents.length);
      expect(documents.length).toBeLessThanOrEqual(3);
      // The counts are read on a second connection, as a tool inspecting the file would.
      const database = new Database(join(dataDir, databaseFileName), { readonly: true });
      const countChunks = database.prepare<[number], { n: number }>("SELECT count(*) AS n FROM chunks WHERE document_id = ?");
      const countUnits = database.prepare<[number], { n: number }>("SELECT count(*) AS n FROM units WHERE document_id = ?");
      for (const document of documents) {
        expect(document.chunkCount).toBeGreaterThan(1000);
        expect(countChunks.get(document.id)?.n).toBe(document.chunkCount);
        expect(countUnits.get(document.id)?.n).toBe(document.unitCount);
      }
      // Every reported commit survived; the write in flight is either whole or absent.
      const sequences = documents.map((document) => Number(document.warnings[0]?.replace("sequence ", "")));
      expect(sequences).toContain(outcome.lastCommitted);
      expect(Math.max(...sequences)).toBeLessThanOrEqual(outcome.lastBegun);
      expect((await store.passages.statistics()).chunkCount).toBe(documents.reduce((sum, document) => sum + document.chunkCount, 0));
      expect((await store.passages.searchText({ terms: [{ phrase: ["£2,278"], weight: 1 }], limit: 5 })).length).toBeGreaterThan(0);
      database.close();
      await store.close();
      next = outcome.lastBegun + 1;
    }
    console.log(`crash recovery: ${killedInsideWrite} of ${delays.length} kills landed inside a write`);
    // The kills are timed to land inside a write; most must have (a write takes ~20 ms).
    expect(killedInsideWrite).toBeGreaterThanOrEqual(delays.length / 2);
  }, 120_000);
});
