import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mammoth from "mammoth";
import { beforeAll, describe, expect, it } from "vitest";
import { renderDocxReport } from "./docx-report.ts";
import { seedSession } from "./fixtures/seed-reports.ts";
import { fixtureGeneratedAt, fixtureSession } from "./fixtures/session-fixture.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";
import { without } from "../../test/support/tools.ts";

const directory = mkdtempSync(join(tmpdir(), "hearth-docx-report-"));

async function writeReport(name: string, buffer: Promise<Buffer>): Promise<string> {
  const path = join(directory, name);
  writeFileSync(path, await buffer);
  return path;
}

/** pandoc's plain-text reading, whitespace collapsed so line wrapping does not matter. */
function pandocText(path: string): string {
  return execFileSync("pandoc", ["-f", "docx", "-t", "plain", "--wrap=none", path], { encoding: "utf8" }).replace(/\s+/g, " ");
}

describe.skipIf(withoutCorpus() || without("pandoc"))("renderDocxReport", () => {
  let path = "";
  let text = "";
  let html = "";

  beforeAll(async () => {
    path = await writeReport("fixture.docx", renderDocxReport(fixtureSession, { generatedAt: fixtureGeneratedAt }));
    text = pandocText(path);
    html = (await mammoth.convertToHtml({ path })).value;
  });

  it("carries the questions, answers, table cells and Unicode through to pandoc", () => {
    for (const expected of [
      "Placement costs review — Hearth Strategy Session Report",
      "Generated 14 March 2026 at 10:30 · 2 exchanges · Every [n] marker refers to the numbered source below it.",
      "What does Cambridgeshire pay each week for a residential children’s home placement?",
      "Where do Somerset’s children in care live?",
      "£2,278 – a figure the strategy calls the “quoted” weekly cost [1]",
      "Residential placements drive the high average cost per child [1]",
      "Five live in Devon [1][3]",
      "In-house residential",
      "£3,290 [1]",
    ]) {
      expect(text).toContain(expected);
    }
    // Markdown syntax is turned into formatting, not left as characters.
    expect(text).not.toContain("**");
    expect(text).not.toContain("| --- |");
    expect(text).not.toContain("### ");
  });

  it("lists every source with its page or section and its numbered verbatim quote", () => {
    for (const expected of [
      "File: Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf, Page: 4 [1] “In-house Residential Children's Homes £2,278 per week”",
      "File: Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf, Page: 4 [2] “Of our 953 children (at July 31st 2022) 55.2% are in unrelated foster care,”",
      "File: Somerset Homes and Horizons Members Briefing.pptx, Page: 3 [1] “Somerset 27 Hampshire 6 Devon 5”",
      "File: Sufficiency notes.md, Section: Where children live [2]",
      "File: Placement list.csv [3] “Devon, 5”",
    ]) {
      expect(text).toContain(expected);
    }
  });

  it("uses real Word headings, lists, bold runs and tables", () => {
    expect(html).toContain("<h1>Placement costs review — Hearth Strategy Session Report</h1>");
    expect(html.match(/<h2>QUESTION<\/h2>/g)).toHaveLength(2);
    expect(html.match(/<h2>RESPONSE<\/h2>/g)).toHaveLength(2);
    expect(html.match(/<h3>SOURCES CONSULTED<\/h3>/g)).toHaveLength(2);
    expect(html).toContain("<h3>Cost drivers</h3>");
    expect(html).toMatch(/<ul><li><strong>Residential placements<\/strong> drive the high average cost per child \[1\]<\/li>/);
    expect(html).toMatch(/<table>.*<th><p><strong>Placement type<\/strong><\/p><\/th>.*<td><p>£2,278 \[1\]<\/p><\/td>.*<\/table>/);
  });

  it("keeps a real assistant report's numbered items and nested bullets", async () => {
    const seedPath = await writeReport("seed.docx", renderDocxReport(seedSession("001_"), { generatedAt: fixtureGeneratedAt }));
    const seedText = pandocText(seedPath);
    const seedHtml = (await mammoth.convertToHtml({ path: seedPath })).value;
    expect(seedText).toContain("1. Shortage of Suitable Placements & Rising Costs:");
    expect(seedText).toContain("Formal MOUs: Formal agreements outline shared responsibilities");
    expect(seedText).toContain("File: Comprehensive Market Research Analysis_ Crisis Placements for Children and Young People.pdf, Page: 12");
    expect(seedHtml).toContain("<h3>The Current Landscape of Children's Residential Care in the UK: Challenges and Opportunities</h3>");
    // The nested "    * Formal MOUs" bullet sits in a list inside a list.
    expect(seedHtml).toMatch(/<li>[^<]*<strong>How to build relationships:<\/strong><ul><li><strong>Formal MOUs:<\/strong>/);
  });
});
