/**
 * End-to-end: the real CLI over the real corpus. Ingests library/, formats/ and real/ into one data folder,
 * then searches it the way a provider would.
 */
import { readFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { corpus, hearthBin, runHearth, temporaryDirectory } from "./support/run-hearth.ts";
import type { SearchJson } from "./support/run-hearth.ts";
import { withoutCorpus } from "./support/corpus.ts";

interface DevQuestion {
  id: string;
  question: string;
  answers: string[];
  gold: { file: string; pages: number[] }[];
}

const devQuestions = withoutCorpus() ? [] : (JSON.parse(readFileSync(corpus("dev-questions.json"), "utf8")) as DevQuestion[]);

describe.skipIf(withoutCorpus())("hearth CLI over the shared corpus", () => {
  const data = temporaryDirectory();
  let ingestOutput: { ingested: number; unchanged: number; failed: number; files: { file: string; status: string; error?: string }[] };

  beforeAll(async () => {
    const run = await runHearth(["ingest", "--json", corpus("library"), corpus("formats"), corpus("real")], {
      data,
      timeoutMs: 300_000,
    });
    expect(run.stderr).not.toMatch(/TypeError|ReferenceError|at .*\.ts:\d+/);
    ingestOutput = JSON.parse(run.stdout) as typeof ingestOutput;
  }, 300_000);

  it("ingests every real document of library/, formats/ and real/", () => {
    const failures = ingestOutput.files.filter((file) => file.status === "failed");
    expect(failures).toEqual([]);
    expect(ingestOutput.ingested).toBeGreaterThanOrEqual(3 + 5 + 18);
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

  it("reads the scanned PDF through OCR when tesseract is installed", async () => {
    const scanned = "Cambridgeshire Placement Strategy pages 3-6 (scanned).pdf";
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
