import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Session } from "../answer/types.ts";
import { seedSession } from "./fixtures/seed-reports.ts";
import { fixtureGeneratedAt, fixtureSession } from "./fixtures/session-fixture.ts";
import { defaultPdfFonts, renderPdfReport, resolvePdfFonts, toWinAnsi } from "./pdf-report.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";
import { without } from "../../test/support/tools.ts";

const directory = mkdtempSync(join(tmpdir(), "hearth-pdf-report-"));
const missingFonts = { regular: "/nonexistent/Sans.ttf", bold: "/nonexistent/Sans-Bold.ttf", italic: "/nonexistent/Sans-Oblique.ttf", boldItalic: "/nonexistent/Sans-BoldOblique.ttf" };
const dejaVuInstalled = Object.values(defaultPdfFonts).every((path) => existsSync(path));

async function writeReport(name: string, buffer: Promise<Buffer>): Promise<string> {
  const path = join(directory, name);
  writeFileSync(path, await buffer);
  return path;
}

/** pdftotext's layout reading, whitespace collapsed so line wrapping and column gaps do not matter. */
function pdfText(path: string): string {
  return execFileSync("pdftotext", ["-layout", path, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
}

const expectedStrings = [
  "Placement costs review — Hearth Strategy Session Report",
  "Every [n] marker refers to the numbered source below it.",
  "QUESTION What does Cambridgeshire pay each week for a residential children’s home placement?",
  "RESPONSE In-house residential children’s homes cost £2,278 – a figure the strategy calls the “quoted” weekly cost [1].",
  "Cost drivers",
  "• Residential placements drive the high average cost per child [1]",
  "• Five live in Devon [1][3]",
  "Where do Somerset’s children in care live?",
  // Table rows stay rows: both cells on one line.
  "Placement type Weekly cost",
  "In-house residential £2,278 [1]",
  "External residential £3,290 [1]",
  "SOURCES CONSULTED",
  "• File: Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf, Page: 4 [1] “In-house Residential Children's Homes £2,278 per week”",
  "• File: Somerset Homes and Horizons Members Briefing.pptx, Page: 3 [1] “Somerset 27 Hampshire 6 Devon 5”",
  "• File: Sufficiency notes.md, Section: Where children live [2] “Placements outside the county are reviewed.”",
  "• File: Placement list.csv [3] “Devon, 5”",
];

describe.skipIf(withoutCorpus() || without("pdftotext"))("renderPdfReport", () => {
  let path = "";
  let text = "";

  beforeAll(async () => {
    path = await writeReport("fixture.pdf", renderPdfReport(fixtureSession, { generatedAt: fixtureGeneratedAt }));
    text = pdfText(path);
  });

  it("carries the questions, answers, table rows, sources and Unicode through to pdftotext", () => {
    for (const expected of expectedStrings) expect(text).toContain(expected);
    expect(text).not.toContain("**");
    expect(text).not.toContain("| --- |");
  });

  it("is A4, starts each exchange on a new page and numbers its pages", () => {
    const info = execFileSync("pdfinfo", [path], { encoding: "utf8" });
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    expect(info).toMatch(/Pages:\s+2\n/);
    const pages = execFileSync("pdftotext", ["-layout", path, "-"], { encoding: "utf8" }).split("\f");
    expect(pages[0]).toContain("Page 1 of 2");
    expect(pages[0]).not.toContain("Somerset");
    expect(pages[1]).toContain("Where do Somerset’s children in care live?");
    expect(pages[1]).toContain("Page 2 of 2");
  });

  it.skipIf(!dejaVuInstalled)("embeds DejaVu Sans so any character survives", async () => {
    const fonts = execFileSync("pdffonts", [path], { encoding: "utf8" });
    expect(fonts).toMatch(/DejaVuSans-Bold\s+CID TrueType\s+Identity-H\s+yes/);
    const session: Session = structuredClone(fixtureSession);
    session.exchanges[0]!.answer.answer += "\n\nZłoty ≥ 5 → Ærø";
    expect(pdfText(await writeReport("unicode.pdf", renderPdfReport(session)))).toContain("Złoty ≥ 5 → Ærø");
  });

  it("falls back to Helvetica without the font files and still shows £ – “ ” ’", async () => {
    expect(resolvePdfFonts(missingFonts).embedded).toBe(false);
    const session: Session = structuredClone(fixtureSession);
    session.exchanges[0]!.answer.answer += "\n\nZłoty ≥ 5 → Ærø";
    const fallbackPath = await writeReport("fallback.pdf", renderPdfReport(session, { generatedAt: fixtureGeneratedAt, fonts: missingFonts }));
    const fallbackText = pdfText(fallbackPath);
    for (const expected of expectedStrings) expect(fallbackText).toContain(expected);
    // Outside WinAnsi: a question mark rather than garbage bytes.
    expect(fallbackText).toContain("Z?oty ? 5 ? Ærø");
    expect(execFileSync("pdffonts", [fallbackPath], { encoding: "utf8" })).toMatch(/Helvetica\s+Type 1\s+WinAnsi/);
  });

  it("lays out a real assistant report: numbered items, nested bullets, every source line", async () => {
    const seedText = pdfText(await writeReport("seed.pdf", renderPdfReport(seedSession("001_"), { generatedAt: fixtureGeneratedAt })));
    expect(seedText).toContain("1. Shortage of Suitable Placements & Rising Costs:");
    expect(seedText).toContain("• Formal MOUs: Formal agreements outline shared responsibilities");
    expect(seedText.match(/File: Comprehensive Market Research Analysis_ Crisis Placements for Children and Young People\.pdf, Page: 1[12]/g)).toHaveLength(5);
  });
});

describe.skipIf(withoutCorpus())("toWinAnsi", () => {
  it("keeps Windows-1252 characters, strips accents it can, and marks the rest", () => {
    expect(toWinAnsi("£2,278 – “quoted” home’s € …")).toBe("£2,278 – “quoted” home’s € …");
    expect(toWinAnsi("Łódź ő ﬁ 😀")).toBe("?ódz o fi ?");
  });
});
