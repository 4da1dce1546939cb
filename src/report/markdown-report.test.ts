import { describe, expect, it } from "vitest";
import type { Session } from "../answer/types.ts";
import { seedReport, seedSession } from "./fixtures/seed-reports.ts";
import { fixtureGeneratedAt, fixtureSession } from "./fixtures/session-fixture.ts";
import { renderMarkdownReport } from "./markdown-report.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";

/** The structural lines of a session report, with runs of source lines counted as one. */
function skeleton(report: string): string[] {
  const classes: string[] = [];
  for (const line of report.split("\n")) {
    let kind: string | null = null;
    if (/^# .+ Session Report$/.test(line)) kind = "title";
    else if (line === "## QUESTION") kind = "question";
    else if (line === "## RESPONSE") kind = "response";
    else if (line === "### SOURCES CONSULTED") kind = "sources";
    else if (/^- File: [^,]+(, (Page: \d+|Section: .+))?$/.test(line)) kind = "source";
    else if (line === "---") kind = "rule";
    if (kind !== null && !(kind === "source" && classes[classes.length - 1] === "source")) classes.push(kind);
  }
  return classes;
}

/** Blank-line rules the seed reports follow around their headings. */
function spacingProblems(report: string): string[] {
  const lines = report.split("\n");
  const problems: string[] = [];
  lines.forEach((line, index) => {
    const before = lines[index - 1];
    if (line === "## RESPONSE" && before !== "") problems.push(`line ${index + 1}: no blank line before ## RESPONSE`);
    if (line === "### SOURCES CONSULTED" && (before !== "" || lines[index - 2] !== ""))
      problems.push(`line ${index + 1}: not two blank lines before ### SOURCES CONSULTED`);
    if (line === "---" && (before !== "" || lines[index + 1] !== "")) problems.push(`line ${index + 1}: --- not between blank lines`);
    if (line === "## QUESTION" && before !== "") problems.push(`line ${index + 1}: no blank line before ## QUESTION`);
  });
  return problems;
}

describe.skipIf(withoutCorpus())("renderMarkdownReport", () => {
  const report = renderMarkdownReport(fixtureSession, { generatedAt: fixtureGeneratedAt });

  it("has the same skeleton and spacing as the two-exchange seed report", () => {
    const seed = seedReport("001_");
    expect(skeleton(seed)).toEqual([
      "title", "question", "response", "sources", "source", "rule",
      "question", "response", "sources", "source", "rule",
    ]);
    expect(skeleton(report)).toEqual(skeleton(seed));
    expect(spacingProblems(seed)).toEqual([]);
    expect(spacingProblems(report)).toEqual([]);
    expect(spacingProblems(seedReport("000_"))).toEqual([]);
  });

  it("writes the title, the header line and every exchange exactly", () => {
    expect(report).toBe(
      [
        "# Placement costs review — Hearth Strategy Session Report",
        "",
        "Generated 14 March 2026 at 10:30 · 2 exchanges · Every [n] marker refers to the numbered source below it.",
        "",
        "## QUESTION",
        "What does Cambridgeshire pay each week for a residential children’s home placement?",
        "",
        "## RESPONSE",
        "In-house residential children’s homes cost £2,278 – a figure the strategy calls the “quoted” weekly cost [1]. External homes cost more [1].",
        "",
        "### Cost drivers",
        "",
        "- **Residential placements** drive the high average cost per child [1]",
        "- Most Nottinghamshire children are in unrelated foster care [2]",
        "",
        "| Placement type | Weekly cost |",
        "| --- | --- |",
        "| In-house residential | £2,278 [1] |",
        "| External residential | £3,290 [1] |",
        "",
        "",
        "### SOURCES CONSULTED",
        "- File: Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf, Page: 4",
        "  > [1] “In-house Residential Children's Homes £2,278 per week”",
        "- File: Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf, Page: 4",
        "  > [2] “Of our 953 children (at July 31st 2022) 55.2% are in unrelated foster care,”",
        "",
        "---",
        "",
        "## QUESTION",
        "Where do Somerset’s children in care live?",
        "",
        "## RESPONSE",
        "Most live in Somerset; others live in neighbouring counties [1].",
        "",
        "- Five live in Devon [1][3]",
        "- Details are in the sufficiency section [2]",
        "",
        "",
        "### SOURCES CONSULTED",
        "- File: Somerset Homes and Horizons Members Briefing.pptx, Page: 3",
        "  > [1] “Somerset 27 Hampshire 6 Devon 5”",
        "- File: Sufficiency notes.md, Section: Where children live",
        "  > [2] “Placements outside the county are reviewed.”",
        "- File: Placement list.csv",
        "  > [3] “Devon, 5”",
        "",
        "---",
        "",
        // The seeds end with a blank line after the last rule too.
        "",
      ].join("\n"),
    );
  });

  it("reproduces a seed report's questions, responses and source lines when given its exchanges", () => {
    const seed = seedReport("001_");
    const rendered = renderMarkdownReport(seedSession("001_"), { generatedAt: fixtureGeneratedAt });
    // Everything from the first question on matches the seed, apart from the added quote lines.
    const body = (text: string): string => text.slice(text.indexOf("## QUESTION")).replace(/^ {2}> .*\n/gm, "");
    expect(body(rendered)).toBe(body(seed));
  });

  it("lists sources in [n] order whatever order the answer holds them in", () => {
    const numbers = [...report.matchAll(/^ {2}> \[(\d+)\]/gm)].map((match) => Number(match[1]));
    expect(numbers).toEqual([1, 2, 1, 2, 3]);
  });

  it("says so when an answer cites nothing, and puts quotes and newlines on one line", () => {
    const session: Session = {
      name: "  Night\nshift  ",
      createdAt: "2026-03-14T09:00:00Z",
      exchanges: [
        {
          askedAt: "2026-03-14T09:05:00Z",
          answer: { question: "Is there a policy on pets?", answer: "The library does not hold this.", citations: [], mode: "extractive", refused: true },
        },
        {
          askedAt: "2026-03-14T09:06:00Z",
          answer: {
            question: "Staffing?",
            answer: "Two staff at night [1].",
            citations: [{ n: 1, file: "Rota.docx", page: null, section: "", quote: "Two waking\n  staff at night." }],
            mode: "extractive",
            refused: false,
          },
        },
      ],
    };
    const lines = renderMarkdownReport(session, { generatedAt: fixtureGeneratedAt }).split("\n");
    expect(lines[0]).toBe("# Night shift — Hearth Strategy Session Report");
    expect(lines).toContain("- None: the library holds no source for this answer.");
    expect(lines).toContain("- File: Rota.docx");
    expect(lines).toContain("  > [1] “Two waking staff at night.”");
    expect(lines[2]).toMatch(/ · 2 exchanges · /);
  });
});
