/**
 * End-to-end: the real CLI over the real corpus. The data folder starts as a copy of the run's shared corpus library
 * (library/ and real/, ingested once per run by the same ingest code: test/support/corpus-library.ts); `hearth ingest`
 * then reads formats/ into it and finds the other two unchanged, so the folder holds all three, in the order
 * library/, real/, formats/. The CLI is then searched the way a provider would. formats/ holds the scanned PDF: its
 * pages are read here through OCR, once a run (src/loaders/ocr.test.ts reads a scan it builds).
 */
import { readFileSync, rmSync } from "node:fs";
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpus, hearthBin, runHearth } from "./support/run-hearth.ts";
import type { SearchJson } from "./support/run-hearth.ts";
import { withoutCorpus } from "./support/corpus.ts";
import { copyOfCorpusLibrary } from "./support/corpus-library.ts";
import { openSqliteStore } from "../src/store/sqlite-store.ts";

interface DevQuestion {
  id: string;
  question: string;
  answers: string[];
  gold: { file: string; pages: number[] }[];
}

interface IngestJson {
  ingested: number;
  unchanged: number;
  failed: number;
  files: { file: string; path: string; status: string; units?: number; passages?: number; warnings?: string[]; error?: string }[];
}

const devQuestions = withoutCorpus() ? [] : (JSON.parse(readFileSync(corpus("dev-questions.json"), "utf8")) as DevQuestion[]);
const scanned = "Cambridgeshire Placement Strategy pages 3-6 (scanned).pdf";

describe.skipIf(withoutCorpus())("hearth CLI over the shared corpus", () => {
  let data: string;
  let ingestOutput: IngestJson;

  beforeAll(async () => {
    data = await copyOfCorpusLibrary();
    const run = await runHearth(["ingest", "--json", corpus("library"), corpus("formats"), corpus("real")], {
      data,
      timeoutMs: 300_000,
    });
    expect(run.stderr).not.toMatch(/TypeError|ReferenceError|at .*\.ts:\d+/);
    ingestOutput = JSON.parse(run.stdout) as IngestJson;
  }, 300_000);
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  it("reads formats/ and finds library/ and real/ unchanged, every real document in the library", async () => {
    const failures = ingestOutput.files.filter((file) => file.status === "failed");
    expect(failures).toEqual([]);
    const byStatus = (status: string): string[] => ingestOutput.files.filter((file) => file.status === status).map((file) => file.path);
    expect(byStatus("ingested").length).toBe(5);
    expect(byStatus("ingested").every((path) => path.startsWith(corpus("formats")))).toBe(true);
    expect(byStatus("unchanged").length).toBeGreaterThanOrEqual(3 + 18);
    expect(byStatus("unchanged").some((path) => path.startsWith(corpus("formats")))).toBe(false);
    expect(ingestOutput).toMatchObject({ ingested: 5, failed: 0 });
    const list = JSON.parse((await runHearth(["list", "--json"], { data })).stdout) as { documents: { file: string }[] };
    expect(list.documents.length).toBeGreaterThanOrEqual(3 + 5 + 18);
  });

  it("reads the scanned PDF's four pages through OCR, as pages 1-4, without a warning", async () => {
    const entry = ingestOutput.files.find((file) => file.file === scanned);
    expect(entry).toMatchObject({ status: "ingested", units: 4, warnings: [] });
    const store = openSqliteStore({ dataDir: data });
    try {
      const document = (await store.documents.list()).find((candidate) => candidate.fileName === scanned);
      const units = (await store.documents.unitTexts([document!.id])).get(document!.id) ?? [];
      expect(units.map((unit) => unit.page)).toEqual([1, 2, 3, 4]);
      const text = units.map((unit) => unit.text).join("\n");
      for (const phrase of ["Looked After Children", "Average Cost of Placements", "Savings Targets"]) expect(text).toContain(phrase);
      expect(units[1]?.text).toContain("Numbers of Looked After Children");
    } finally {
      await store.close();
    }
  });

  it("prints search results in the exact --json schema", async () => {
    const run = await runHearth(["search", "--json", "-k", "5", "weekly cost in-house residential"], { data });
    expect(run.code).toBe(0);
    const parsed = JSON.parse(run.stdout) as SearchJson;
    expect(Object.keys(parsed)).toEqual(["results"]);
    expect(parsed.results.length).toBe(5);
    for (const result of parsed.results) {
      expect(Object.keys(result)).toEqual(["file", "page", "section", "text", "score"]);
      expect(typeof result.file).toBe("string");
      expect(result.page === null || Number.isInteger(result.page)).toBe(true);
      expect(typeof result.score).toBe("number");
    }
  });

  it.each(devQuestions.map((question) => [question.id, question] as const))(
    "dev question %s: a gold file and page is in the top 5",
    async (_id, question) => {
      const run = await runHearth(["search", "--json", "-k", "5", question.question], { data });
      const parsed = JSON.parse(run.stdout) as SearchJson;
      const hit = parsed.results.some((result) =>
        question.gold.some((gold) => gold.file === result.file && result.page !== null && gold.pages.includes(result.page)),
      );
      expect(hit, JSON.stringify(parsed.results.map((result) => [result.file, result.page]))).toBe(true);
    },
  );

  it("re-ingesting unchanged files is a no-op", async () => {
    const run = await runHearth(["ingest", "--json", corpus("library")], { data });
    const parsed = JSON.parse(run.stdout) as typeof ingestOutput;
    expect(parsed.unchanged).toBe(3);
    expect(parsed.ingested).toBe(0);
  });

  it("finds the scanned PDF's table, and across the library its original PDF's page instead", async () => {
    const run = await runHearth(["search", "--json", "-k", "3", "--file", scanned, "In-house Residential Children's Homes weekly cost"], { data });
    const parsed = JSON.parse(run.stdout) as SearchJson;
    expect(parsed.results[0]).toMatchObject({ file: scanned, page: 2 });
    expect(parsed.results[0]?.text).toContain("£2,278");
    // Across the library the same table's original PDF stands for the scan: one result with a page, not two.
    const everywhere = JSON.parse((await runHearth(["search", "--json", "-k", "3", "In-house Residential Children's Homes weekly cost"], { data })).stdout) as SearchJson;
    expect(everywhere.results[0]).toMatchObject({ file: "Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf", page: 4 });
    // The .txt and .html copies of that table (no pages) are folded into it.
    expect(everywhere.results.filter((result) => result.text.includes("£2,611") && result.page === null)).toEqual([]);
    const missing = await runHearth(["search", "--file", "nope.pdf", "cost"], { data });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('--file "nope.pdf": no document of that name in the library');
  });

  it("stops quietly when the reader of its output goes away (hearth search ... | head -1)", async () => {
    const child = spawn(process.execPath, [hearthBin, "--data", data, "search", "-k", "50", "children in care"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // Like `head -1`: read the first piece of output, then close the pipe.
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("close", (exitCode) => resolve(exitCode)));
    expect(stderr).not.toContain("EPIPE");
    expect(code).toBe(0);
  });

  it("lists documents and passes the integrity check", async () => {
    const list = await runHearth(["list", "--json"], { data });
    const documents = (JSON.parse(list.stdout) as { documents: { file: string; units: number }[] }).documents;
    expect(documents.find((document) => document.file === "Somerset Homes and Horizons Members Briefing.pptx")?.units).toBe(11);
    const doctor = await runHearth(["doctor", "--json"], { data });
    expect(doctor.code).toBe(0);
    expect((JSON.parse(doctor.stdout) as { ok: boolean }).ok).toBe(true);
  });
});
