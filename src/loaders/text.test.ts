import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contextFor, corpusPath, describeLoaderContract, withoutCorpus } from "./loader-contract.ts";
import { sampleText } from "./sample-documents.ts";
import { blocksFromPlainText, textLoader } from "./text.ts";
import type { ContentBlock, LoadedDocument } from "./types.ts";

const cambridgeshire = corpusPath("formats/Cambridgeshire Placement Strategy 2011-2015.txt");
const sccif = corpusPath("real/Ofsted SCCIF children's homes.txt");

describeLoaderContract(textLoader, {
  fixture: sampleText,
  samplePath: cambridgeshire,
  expectedWords: ["Placement Strategy for Looked After Children", "£1,074", "Appendix 4 – The Proposed Model"],
  paged: false,
});

async function load(path: string): Promise<LoadedDocument> {
  const result = await textLoader.load(new Uint8Array(readFileSync(path)), contextFor(path));
  if (!result.ok) throw result.error;
  return result.value;
}

function headings(blocks: readonly ContentBlock[]): { level: number; text: string }[] {
  return blocks.flatMap((block) => (block.kind === "heading" ? [{ level: block.level, text: block.text }] : []));
}

describe("textLoader", () => {
  it.skipIf(withoutCorpus())("finds the headings of the Cambridgeshire strategy, numbered ones beneath plain ones", async () => {
    const document = await load(cambridgeshire);
    expect(document.title).toBe("Cambridgeshire Children and Young People's Services");
    const found = headings(document.units[0]?.blocks ?? []);
    expect(found).toContainEqual({ level: 1, text: "Introduction and Purpose" });
    expect(found).toContainEqual({ level: 1, text: "Objective 1: Support families to stay together" });
    expect(found).toContainEqual({ level: 2, text: "1. Support Parents and Parenting" });
    expect(found).toContainEqual({ level: 1, text: "Appendix 3 - Terms of Reference for Placements Strategy Sponsor Group" });
    // Sentences and list items are not headings.
    expect(found.some((heading) => heading.text.startsWith("- "))).toBe(false);
    expect(found.some((heading) => heading.text.endsWith("."))).toBe(false);
  });

  it.skipIf(withoutCorpus())("keeps tab-separated lines as tables with their header names", async () => {
    const document = await load(cambridgeshire);
    const tables = (document.units[0]?.blocks ?? []).filter((block) => block.kind === "table");
    const unitCosts = tables.find((table) => table.header[0] === "Type of Placement");
    expect(unitCosts?.header).toEqual(["Type of Placement", "Cambridgeshire Unit Cost", "Average Unit Cost"]);
    expect(unitCosts?.rows[0]).toEqual(["In-house Residential Children's Homes", "£2,278 per week", "£2,611 per week"]);
    expect(tables.find((table) => table.header[0] === "Section")?.rows).toHaveLength(15);
  });

  it.skipIf(withoutCorpus())("takes '#' headings at their depth in the SCCIF text and guesses no others", async () => {
    const document = await load(sccif);
    expect(document.title).toBe("Social care common inspection framework (SCCIF): children's homes");
    const found = headings(document.units[0]?.blocks ?? []);
    expect(found[0]).toEqual({ level: 2, text: "Introduction" });
    expect(found).toContainEqual({ level: 3, text: "Judgement structure" });
    expect(found).toContainEqual({ level: 4, text: "Making judgements in a multi-building children’s home" });
    expect(found.every((heading) => heading.level >= 2)).toBe(true);
    expect(found.length).toBeGreaterThan(100);
  });

  it("emits one unit per form-feed page, carrying the section across pages", async () => {
    const text = "1. Introduction\n\nWe care for children.\f2. Staffing\n\nStaff are trained.\n\fMore about staffing here.\n\f";
    const result = await textLoader.load(new Uint8Array(Buffer.from(text)), contextFor("/tmp/report.txt"));
    if (!result.ok) throw result.error;
    expect(result.value.units.map((unit) => [unit.page, unit.section])).toEqual([
      [1, null],
      [2, "1. Introduction"],
      [3, "2. Staffing"],
    ]);
  });

  it("reads a Windows-1252 file without mojibake", async () => {
    const bytes = new Uint8Array([...Buffer.from("Weekly cost ", "latin1"), 0xa3, ...Buffer.from("3,290 ", "latin1"), 0x93, 0x6f, 0x6b, 0x94]);
    const result = await textLoader.load(bytes, contextFor("/tmp/legacy.txt"));
    if (!result.ok) throw result.error;
    expect(result.value.units[0]?.blocks).toEqual([{ kind: "paragraph", text: "Weekly cost £3,290 “ok”" }]);
  });

  it("rejoins wrapped prose, keeps list lines, and treats a numeric first row as data", () => {
    const blocks = blocksFromPlainText(
      "Staffing\n\nThe home has six staff\nworking shifts.\n\n- Manager\n- Deputy\n\nSomerset\t27\nDevon\t5\n",
    );
    expect(blocks).toEqual([
      { kind: "heading", level: 1, text: "Staffing" },
      { kind: "paragraph", text: "The home has six staff working shifts." },
      { kind: "paragraph", text: "- Manager\n- Deputy" },
      { kind: "table", header: [], rows: [["Somerset", "27"], ["Devon", "5"]] },
    ]);
  });

  it("fails a whitespace-only file with NO_TEXT naming the file", async () => {
    const result = await textLoader.load(new Uint8Array(Buffer.from(" \n\n\t\n")), contextFor("/tmp/blank.txt"));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: "NO_TEXT", message: expect.stringContaining("blank.txt") });
  });
});
