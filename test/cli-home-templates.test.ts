/**
 * End to end through the real CLI: the templates for opening and running a home are listed by group, drafted with
 * the home's options and exported with their cover line; a plain (misspelt) request in `hearth ask` reaches one,
 * names it and offers the close others; a follow-up in the same session revises the draft.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { withoutCorpus } from "./support/corpus.ts";
import { corpus, runHearth, temporaryDirectory } from "./support/run-hearth.ts";

interface JsonAnswer {
  question: string;
  answer: string;
  citations: { n: number; file: string; page: number | null; section: string | null }[];
  notes?: string[];
}

describe.skipIf(withoutCorpus())("hearth templates, draft and ask for the home templates", () => {
  const data = temporaryDirectory();
  const output = temporaryDirectory("hearth-home-drafts-");

  beforeAll(async () => {
    const ingested = await runHearth(["ingest", corpus("real/The Children's Home (England) regulations 2015.pdf"), corpus("real/Ofsted SCCIF children's homes.txt")], {
      data,
      timeoutMs: 120_000,
    });
    expect(ingested.code, ingested.stderr).toBe(0);
    for (const args of [
      ["profile", "set", "name", "Lumen Way Homes"],
      ["profile", "set", "specialisms", "trauma, SEMH"],
    ]) {
      const run = await runHearth(args, { data });
      expect(run.code, run.stderr).toBe(0);
    }
  }, 120_000);

  it("lists the templates under their groups, each with a request to ask", async () => {
    const listed = await runHearth(["templates"], { data });
    expect(listed.code, listed.stderr).toBe(0);
    const groups = listed.stdout.split("\n").filter((line) => /^[A-Z]/.test(line) && !line.startsWith("Your own templates"));
    expect(groups).toEqual(["Registering a home", "Running a home", "Working with commissioners"]);
    expect(listed.stdout).toMatch(/Registering a home\n(?:.*\n)*? {2}staffing-training-matrix {2}v1 {2}Staffing plan and training and qualifications matrix/);
    expect(listed.stdout).toContain('      ask: "Create a mock inspection checklist against the SCCIF"');
    const json = JSON.parse((await runHearth(["templates", "--json"], { data })).stdout) as { templates: { id: string; group: string | null; examples: string[] }[] };
    expect(json.templates.find((template) => template.id === "regulation-44-visit-report")).toMatchObject({ group: "Running a home" });
  });

  it("drafts the staffing matrix with the home's options and exports it with its cover line", async () => {
    const file = join(output, "staffing.md");
    const run = await runHearth(["draft", "staffing-training-matrix", "--beds", "3", "--age-range", "11-17", "-o", file], { data });
    expect(run.code, run.stderr).toBe(0);
    const markdown = readFileSync(file, "utf8");
    expect(markdown).toContain("Template: Staffing plan and training and qualifications matrix (staffing-training-matrix, version 1)");
    expect(markdown).toContain("Lumen Way Homes: a home for 3 children aged 11 to 17.");
    expect(markdown).toContain("Needs the staff must be trained for: trauma, SEMH.");
    expect(markdown).toMatch(/Level 5 Diploma in Leadership and Management for Residential Childcare/);
    expect(markdown).toMatch(/- File: The Children's Home \(England\) regulations 2015\.pdf, Page: 22/);
    const pdf = join(output, "staffing.pdf");
    expect((await runHearth(["draft", "staffing-training-matrix", "-o", pdf], { data })).code).toBe(0);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe("%PDF-");
    const bad = await runHearth(["draft", "staffing-training-matrix", "--beds", "lots"], { data });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--beds: a whole number of beds");
  });

  it("reaches a template from a misspelt request, then revises the draft in the session", async () => {
    const asked = await runHearth(["ask", "--json", "--session", "Opening", "help me drfat a regulaton 44 report for our 2-bed home"], { data });
    expect(asked.code, asked.stderr).toBe(0);
    const draft = JSON.parse(asked.stdout) as JsonAnswer;
    expect(draft.answer).toContain("Template: Independent person's visit report (regulation 44) (regulation-44-visit-report, version 1)");
    // Hearth's own notes about the draft stand apart from the drafted text.
    expect(draft.notes?.join("\n")).toContain('Drafted with the "Independent person\'s visit report (regulation 44)" template');
    expect(draft.answer).not.toContain("Drafted with the");
    expect(draft.answer).toMatch(/44\.—\(1\) The registered person must ensure that an independent person visits the children's home at least once each month\. \[\d+\]/);
    expect(draft.notes?.join("\n")).toContain('Ask "shorter", "more on …" or "as a letter" in this session to revise it.');

    const letter = JSON.parse((await runHearth(["ask", "--json", "--session", "Opening", "now write it as a letter"], { data })).stdout) as JsonAnswer;
    expect(letter.notes?.join("\n")).toContain("This revises the last draft in the session with the regulation-44-visit-report template");
    expect(letter.answer).toContain("Dear [recipient],");
    expect(letter.answer).toContain("Yours sincerely,");
    expect(letter.answer).not.toContain("### ");

    const shorter = JSON.parse((await runHearth(["ask", "--json", "--session", "Opening", "shorter please"], { data })).stdout) as JsonAnswer;
    expect(shorter.citations.length).toBeLessThan(draft.citations.length);
    // Revisions add up: still a letter.
    expect(shorter.answer).toContain("Yours sincerely,");
    // A question outside any session is still a question.
    const question = JSON.parse((await runHearth(["ask", "--json", "What should a mock inspection cover?"], { data })).stdout) as JsonAnswer;
    expect(question.answer).not.toMatch(/^Draft:/);
  });
});
