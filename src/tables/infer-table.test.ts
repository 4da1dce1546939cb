/** Typing a data set's columns: numbers as statistics write them, periods, units, suppressed cells, notes rows. */
import { describe, expect, it } from "vitest";
import type { LoadedDocument } from "../loaders/types.ts";
import { formatPeriod, parseDate, parseNumber, parsePeriod } from "./cell-values.ts";
import { dataTablesOf } from "./infer-table.ts";

describe("cell values", () => {
  it("reads numbers, dates and periods as statistics write them, and suppression markers as missing", () => {
    expect([parseNumber("1,234"), parseNumber("£2,278"), parseNumber("55.2%"), parseNumber("−31"), parseNumber("-300"), parseNumber("c"), parseNumber("12 to 15")]).toEqual([
      1234, 2278, 55.2, -31, -300, null, null,
    ]);
    expect([parseDate("31/03/2025"), parseDate("2025-03-31"), parseDate("31/13/2025"), parseDate("March 2025")]).toEqual(["2025-03-31", "2025-03-31", null, null]);
    expect([parsePeriod("2025"), parsePeriod("2023-24"), parsePeriod("2012/13"), parsePeriod("202324"), parsePeriod("2023-25"), parsePeriod("Q1")]).toEqual([2025, 2023.5, 2012.5, 2023.5, null, null]);
    expect(formatPeriod(2012.5)).toBe("2012-13");
  });
});

describe("typed tables of a loaded data set", () => {
  it("types each column, finds units, keeps the title and notes as the description, and leaves prose documents alone", () => {
    const document: LoadedDocument = {
      format: "xlsx",
      title: null,
      warnings: [],
      units: [
        {
          page: null,
          section: "Table 1",
          blocks: [
            { kind: "paragraph", text: "2017-01-05T08:33:27.920Z" },
            { kind: "paragraph", text: "Children looked after by local authority, 2021 to 2025" },
            {
              kind: "table",
              header: ["time_period", "la_name", "children_count", "rate_per_10000", "Weekly cost (£)", "URN", "Comment"],
              rows: [
                ["2024", "Kent", "1,956", "56", "£4,100", "2590934", "first comment here"],
                ["2025", "Kent", "1,896", "53", "£4,250", "2775403", "second comment"],
                ["2025", "Devon", "c", "c", "£3,900", "2775561", "third"],
                ["Source: SSDA903. c = suppressed", "", "", "", "", "", ""],
              ],
            },
          ],
        },
        { page: null, section: "Notes", blocks: [{ kind: "paragraph", text: "Only notes here" }] },
      ],
    };
    const [table, ...others] = dataTablesOf(document);
    expect(others).toEqual([]);
    expect(table?.sheet).toBe("Table 1");
    expect(table?.title).toBe("Children looked after by local authority, 2021 to 2025");
    expect(table?.description).toContain("Source: SSDA903. c = suppressed");
    expect(table?.rows).toHaveLength(3);
    expect(table?.columns.map((column) => [column.name, column.type, column.unit])).toEqual([
      ["time_period", "date", "year"],
      ["la_name", "category", null],
      ["children_count", "number", null],
      ["rate_per_10000", "number", "per 10,000 children"],
      ["Weekly cost (£)", "number", "£"],
      ["URN", "text", null],
      ["Comment", "category", null],
    ]);
    expect(dataTablesOf({ ...document, format: "pdf" })).toEqual([]);
  });

  it("finds a dashboard sheet's header below its title block, naming merged group headers over repeated columns", () => {
    const sheet = (header: string[], rows: string[][]): LoadedDocument => ({
      format: "xlsx",
      title: null,
      warnings: [],
      units: [{ page: null, section: "Dashboard", blocks: [{ kind: "table", header, rows }] }],
    });
    // Merged group headers ("2011/12" over Value and Lower CI) above the repeated names.
    const [grouped] = dataTablesOf(
      sheet(
        ["Column 1", "2011/12", "Column 3", "2012/13", "Column 5"],
        [
          ["", "Value", "Lower CI", "Value", "Lower CI"],
          ["Adur", "9.68%", "7.63%", "9.74%", "7.79%"],
          ["Arun", "9.68%", "8.28%", "9.74%", "8.35%"],
        ],
      ),
    );
    expect(grouped?.columns.map((column) => column.name)).toEqual(["Column 1", "2011/12 Value", "2011/12 Lower CI", "2012/13 Value", "2012/13 Lower CI"]);
    expect(grouped?.rows).toEqual([
      ["Adur", "9.68%", "7.63%", "9.74%", "7.79%"],
      ["Arun", "9.68%", "8.28%", "9.74%", "8.35%"],
    ]);
    // A title and a source note in the first row, the years below: the title row is the description, not a header.
    const [titled] = dataTablesOf(
      sheet(
        ["Births to mothers < 20", "Column 2", "From ONS birth summary tables", "Column 4"],
        [
          ["", "2012", "2013", "2014"],
          ["Adur", "37", "26", "30"],
          ["Arun", "76", "77", "81"],
        ],
      ),
    );
    expect(titled?.columns.map((column) => [column.name, column.type])).toEqual([
      ["Column 1", "category"],
      ["2012", "number"],
      ["2013", "number"],
      ["2014", "number"],
    ]);
    expect(titled?.title).toBe("Births to mothers < 20 From ONS birth summary tables");
    expect(titled?.rows).toHaveLength(2);
    // A full header is left as the loader found it.
    const [plain] = dataTablesOf(sheet(["Area", "Births"], [["Adur", "692"], ["Arun", "1463"]]));
    expect(plain?.columns.map((column) => column.name)).toEqual(["Area", "Births"]);
  });
});
