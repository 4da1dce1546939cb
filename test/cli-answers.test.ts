/**
 * End-to-end: `hearth ask`, sessions, reports and eval through the real CLI over the corpus library.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { corpus, runHearth, temporaryDirectory } from "./support/run-hearth.ts";
import { withoutCorpus } from "./support/corpus.ts";
import { without } from "./support/tools.ts";

interface AnswerJson {
  question: string;
  answer: string;
  citations: { n: number; file: string; page: number | null; section: string | null; quote: string }[];
  mode: string;
}

describe.skipIf(withoutCorpus())("hearth ask, sessions, report and eval", () => {
  const data = temporaryDirectory();
  const output = temporaryDirectory("hearth-report-");

  beforeAll(async () => {
    const run = await runHearth(["ingest", corpus("library")], { data, timeoutMs: 120_000 });
    expect(run.code).toBe(0);
  }, 120_000);

  it.skipIf(without("pdftotext"))("answers with the exact --json schema, cited to a gold page with a verbatim quote", async () => {
    const run = await runHearth(["ask", "--json", "What is Cambridgeshire's weekly cost for in-house residential children's homes?"], { data });
    expect(run.code, run.stderr).toBe(0);
    const parsed = JSON.parse(run.stdout) as AnswerJson;
    expect(Object.keys(parsed).slice(0, 6)).toEqual(["question", "answer", "citations", "mode", "gaps", "notes"]);
    expect(parsed.mode).toBe("extractive");
    expect(parsed.answer).toContain("2,278");
    expect(parsed.answer).toMatch(/\[1\]/);
    for (const citation of parsed.citations) expect(Object.keys(citation)).toEqual(["n", "file", "page", "section", "quote"]);
    const first = parsed.citations[0];
    expect(first?.file).toBe("Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf");
    expect(first?.page).toBe(4);
    const pageText = execFileSync("pdftotext", ["-f", "4", "-l", "4", corpus(`library/${first?.file}`), "-"]).toString();
    for (const cell of (first?.quote ?? "").split(" | ")) expect(pageText.replace(/\s+/g, " ")).toContain(cell.replace(/\s+/g, " "));
  });

  it("refuses what the library cannot answer, without inventing a figure", async () => {
    const run = await runHearth(["ask", "--json", "What is the fee for an Ofsted registration in Wales?"], { data });
    const parsed = JSON.parse(run.stdout) as AnswerJson;
    expect(parsed.answer).toMatch(/^The library does not hold an answer/);
    // Nearest passages may quote real figures; the answer itself states none.
    expect(parsed.answer.split("Nearest passages:")[0]).not.toMatch(/\d/);
    expect(parsed.answer).toContain("Nearest passages:");
  });

  it.skipIf(without("pandoc", "pdftotext"))("keeps a session and exports it as Markdown, DOCX and PDF that read back", async () => {
    for (const question of [
      "What percentage of Nottinghamshire's children are in unrelated foster care?",
      "Who chairs the Cambridgeshire Placements Strategy Sponsor Group?",
    ]) {
      const run = await runHearth(["ask", "--session", "Board briefing", question], { data });
      expect(run.code, run.stderr).toBe(0);
    }
    const sessions = await runHearth(["sessions", "--json"], { data });
    expect(JSON.parse(sessions.stdout)).toMatchObject({ sessions: [{ name: "Board briefing", exchangeCount: 2 }] });

    const markdownPath = join(output, "board.md");
    await runHearth(["report", "Board briefing", "--format", "md", "-o", markdownPath], { data });
    const markdown = readFileSync(markdownPath, "utf8");
    expect(markdown).toMatch(/^# .*Session Report$/m);
    expect(markdown.match(/^## QUESTION$/gm)).toHaveLength(2);
    expect(markdown.match(/^## RESPONSE$/gm)).toHaveLength(2);
    expect(markdown.match(/^### SOURCES CONSULTED$/gm)).toHaveLength(2);
    expect(markdown.match(/^---$/gm)?.length).toBeGreaterThanOrEqual(2);
    expect(markdown).toContain("- File: Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf, Page: 4");
    expect(markdown).toContain("55.2");
    expect(markdown).toContain("Adrian Loades");

    const docxPath = join(output, "board.docx");
    await runHearth(["report", "Board briefing", "--format", "docx", "-o", docxPath], { data });
    const docxText = execFileSync("pandoc", ["-t", "plain", docxPath]).toString().replace(/\s+/g, " ");
    expect(docxText).toContain("QUESTION");
    expect(docxText).toContain("55.2");
    expect(docxText).toContain("File: Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf, Page: 4");

    const pdfPath = join(output, "board.pdf");
    await runHearth(["report", "Board briefing", "--format", "pdf", "-o", pdfPath], { data });
    const pdfText = execFileSync("pdftotext", [pdfPath, "-"]).toString();
    expect(pdfText).toContain("SOURCES CONSULTED");
    expect(pdfText).toContain("Adrian Loades");
  });

  it("names a missing session", async () => {
    const run = await runHearth(["report", "No such session", "--format", "md"], { data });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no session called "No such session"');
  });

  it("evaluates a question set", async () => {
    const run = await runHearth(["eval", "--json", corpus("dev-questions.json")], { data, timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { questions: number; topKHitRate: number; answerKeyRate: number; quoteVerifiedRate: number };
    expect(summary.questions).toBe(10);
    expect(summary.topKHitRate).toBe(1);
    expect(summary.answerKeyRate).toBeGreaterThanOrEqual(0.9);
    expect(summary.quoteVerifiedRate).toBe(1);
  });
});
