import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { csvLoader, detectDelimiter } from "./csv.ts";
import { contextFor, corpusPath, describeLoaderContract, withoutCorpus } from "./loader-contract.ts";
import { sampleCsv } from "./sample-documents.ts";
import type { ContentBlock, LoadedDocument } from "./types.ts";

const rates = corpusPath("real/cla_number_and_rate_per_10k_children.csv");
const providers = corpusPath("real/provider_at_march_2025.csv");

describeLoaderContract(csvLoader, {
  fixture: sampleCsv,
  samplePath: rates,
  expectedWords: ["rate_per_10000", "Waltham Forest", "Children looked after on 31 March each year"],
  paged: false,
});

async function load(bytes: Uint8Array, path = "/tmp/data.csv"): Promise<LoadedDocument> {
  const result = await csvLoader.load(bytes, contextFor(path));
  if (!result.ok) throw result.error;
  return result.value;
}

function onlyTable(document: LoadedDocument): Extract<ContentBlock, { kind: "table" }> {
  expect(document.units).toHaveLength(1);
  expect(document.units[0]).toMatchObject({ page: null, section: null });
  const blocks = document.units[0]?.blocks ?? [];
  expect(blocks).toHaveLength(1);
  const table = blocks[0];
  if (table?.kind !== "table") throw new Error("expected one table block");
  return table;
}

describe("csvLoader", () => {
  it.skipIf(withoutCorpus())("loads the DfE rates file as one table with its header names (BOM stripped)", async () => {
    const table = onlyTable(await load(new Uint8Array(readFileSync(rates)), rates));
    expect(table.header.slice(0, 3)).toEqual(["time_period", "time_identifier", "geographic_level"]);
    expect(table.header).toContain("rate_per_10000");
    expect(table.rows).toHaveLength(2505);
    expect(table.rows[0]).toEqual([
      "2025", "Reporting year", "National", "E92000001", "England", "", "", "", "", "",
      "Children ceasing to be looked after each year", "12183016", "34450", "28",
    ]);
  });

  it.skipIf(withoutCorpus())("finds the header below the title rows of the Ofsted provider file, ", async () => {
    const bytes = new Uint8Array(readFileSync(providers));
    const document = await load(bytes, providers);
    expect(document.title).toBe("Children's social care data in England 2025 – Provider level as at 31 March 2025");
    const table = onlyTable(document);
    expect(table.caption).toContain("this table begins in cell A4");
    // Header cells with line breaks inside their quotes come out on one line; padding columns are dropped.
    expect(table.header).toContain("Latest Full inspection event type");
    expect(table.header).toContain("How well children and young people are helped and protected");
    expect(table.header).toHaveLength(32);
    expect(table.rows).toHaveLength(5600);
    const provisionType = table.header.indexOf("Provision type");
    expect(table.rows.filter((row) => row[provisionType] === "Children's home").length).toBeGreaterThan(2000);
  });

  it("detects semicolon and tab delimiters, and reads quoted commas and line breaks", async () => {
    expect(detectDelimiter("Home;Places;Rating\nOak House;4;Good\nElm Lodge;2;Outstanding\n")).toBe(";");
    expect(detectDelimiter("Home\tPlaces\nOak House, Leeds\t4\n")).toBe("\t");
    const table = onlyTable(await load(new Uint8Array(Buffer.from('Home,Notes\n"Oak House, Leeds","Two beds\nand an annex"\n'))));
    expect(table).toEqual({ kind: "table", header: ["Home", "Notes"], rows: [["Oak House, Leeds", "Two beds\nand an annex"]] });
  });

  it("keeps ragged rows and names unnamed columns", async () => {
    const table = onlyTable(await load(new Uint8Array(Buffer.from("Home,Places\nOak,4,extra note\nElm\n"))));
    expect(table.header).toEqual(["Home", "Places", "Column 3"]);
    expect(table.rows).toEqual([["Oak", "4", "extra note"], ["Elm", "", ""]]);
  });

  it("reads a Windows-1252 export from Excel without mojibake", async () => {
    const bytes = new Uint8Array([...Buffer.from("Item,Cost\nFees,", "latin1"), 0xa3, 0x35, 0x30, 0x0a]);
    expect(onlyTable(await load(bytes)).rows).toEqual([["Fees", "£50"]]);
  });

  it("fails a whitespace-only file with NO_TEXT naming the file", async () => {
    const result = await csvLoader.load(new Uint8Array(Buffer.from("\n \n")), contextFor("/tmp/blank.csv"));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: "NO_TEXT", message: expect.stringContaining("blank.csv") });
  });
});
