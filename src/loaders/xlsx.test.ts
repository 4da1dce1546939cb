import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { contextFor, corpusPath, describeLoaderContract, loadCorpusFile, withoutCorpus } from "./loader-contract.ts";
import type { CorpusLoad } from "./loader-contract.ts";
import { sampleXlsx } from "./sample-documents.ts";
import type { ContentBlock, LoadedDocument } from "./types.ts";
import { displayValue, maxRowsPerSheet, xlsxLoader } from "./xlsx.ts";
import { buildZip, deflatedEntry, encryptedOfficeHeader, zerosDeflateStream } from "./zip-fixtures.ts";

const samplePath = corpusPath(
  "real/West-Sussex-Childrens-Workforce-JSNA-Data-Profiles-2016-Supporting-the-Health4Families-Programme-1.xlsx",
);

describeLoaderContract(xlsxLoader, {
  fixture: sampleXlsx,
  samplePath,
  expectedWords: ["Health4Families", "Angmering", "Births ONS", "Hospital admissions caused by unintentional and deliberate injuries"],
  paged: false,
});

function tableOf(document: LoadedDocument, sheet: string): Extract<ContentBlock, { kind: "table" }> {
  const table = document.units.find((unit) => unit.section === sheet)?.blocks.find((block) => block.kind === "table");
  if (table?.kind !== "table") throw new Error(`no table on sheet ${sheet}`);
  return table;
}

async function workbookBytes(build: (workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe.skipIf(withoutCorpus())("xlsxLoader on the West Sussex data profiles", () => {
  // The 2.6 MB workbook takes seconds of CPU to read: loaded once for these tests and the contract's real sample.
  const westSussex = (): Promise<CorpusLoad> => loadCorpusFile(xlsxLoader, samplePath);

  it("gives one unit per sheet, named by the sheet", async () => {
    const { result, milliseconds } = await westSussex();
    if (!result.ok) throw result.error;
    console.info(`West Sussex XLSX (2.6 MB, ${result.value.units.length} sheets) loaded in ${Math.round(milliseconds)} ms`);
    const sections = result.value.units.map((unit) => unit.section);
    expect(sections.slice(0, 4)).toEqual(["Intro", "Contents", "Population", "Family Structure"]);
    expect(sections).toContain("ONS births");
    expect(result.value.units.every((unit) => unit.page === null)).toBe(true);

    const births = tableOf(result.value, "ONS births");
    expect(births.header).toEqual(["Column 1", "2009", "2010", "2011", "2012", "2013", "2014"]);
    expect(births.rows[0]).toEqual(["Adur", "682", "718", "679", "775", "758", "692"]);
    expect(result.value.units.find((unit) => unit.section === "ONS births")?.blocks[0]).toEqual({ kind: "paragraph", text: "Births ONS" });

    const admissions = tableOf(result.value, "Emergency Admissions");
    expect(admissions.header.slice(0, 9)).toEqual(["Time Period", "Area Name", "Value", "Lower CI", "Upper CI", "Count", "Denominator", "Sex", "Age"]);
    expect(admissions.rows[0]?.slice(0, 3)).toEqual(["2010/11", "Adur", "141.21037464"]);
  });

  it("shows formula results as the sheet displays them (percent formats kept)", async () => {
    const { result } = await westSussex();
    if (!result.ok) throw result.error;
    const breastfeeding = tableOf(result.value, "Breastfeeding CCG");
    expect(breastfeeding.rows[1]?.slice(0, 4)).toEqual(["NHS Crawley CCG", "385", "215", "55.8%"]);
  });
});

describe("xlsxLoader on built workbooks", () => {
  it("keeps titles as paragraphs, names empty and merged header cells, and formats values", async () => {
    const bytes = await workbookBytes((workbook) => {
      const sheet = workbook.addWorksheet("Placements");
      sheet.getCell("B1").value = "Placements by type, 2024";
      sheet.mergeCells("B1:E1");
      sheet.getRow(3).values = [undefined, "Home", "Opened", "Beds", "Occupancy", ""];
      sheet.mergeCells("E3:F3");
      sheet.getRow(4).values = [undefined, { richText: [{ text: "Oak " }, { text: "House", font: { bold: true } }] }, new Date(Date.UTC(2023, 4, 2)), 4, 0.755, "note"];
      sheet.getCell("E4").numFmt = "0.0%";
      sheet.getCell("F4").value = { formula: "D4*2", result: 8 };
      sheet.getRow(6).values = [undefined, { text: "Elm Lodge", hyperlink: "https://example.org/elm" }, new Date(Date.UTC(2024, 0, 15, 9, 30)), 0.1 + 0.2, { error: "#N/A" }, true];
      workbook.addWorksheet("Empty");
    });
    const result = await xlsxLoader.load(bytes, contextFor("/tmp/placements.xlsx"));
    if (!result.ok) throw result.error;
    expect(result.value.units).toHaveLength(1);
    expect(result.value.units[0]).toEqual({
      page: null,
      section: "Placements",
      blocks: [
        { kind: "paragraph", text: "Placements by type, 2024" },
        {
          kind: "table",
          header: ["Home", "Opened", "Beds", "Occupancy", "Column 5"],
          rows: [
            ["Oak House", "2023-05-02", "4", "75.5%", "8"],
            ["Elm Lodge", "2024-01-15T09:30:00Z", "0.3", "#N/A", "TRUE"],
          ],
        },
      ],
    });
  });

  it(`reads at most ${maxRowsPerSheet} rows of a sheet, with a warning`, async () => {
    const bytes = await workbookBytes((workbook) => {
      const sheet = workbook.addWorksheet("Log");
      sheet.addRow(["Day", "Count"]);
      for (let day = 1; day <= maxRowsPerSheet + 50; day += 1) sheet.addRow([`Day ${day}`, day]);
    });
    const result = await xlsxLoader.load(bytes, contextFor("/tmp/log.xlsx"));
    if (!result.ok) throw result.error;
    const table = tableOf(result.value, "Log");
    expect(table.rows).toHaveLength(maxRowsPerSheet);
    expect(table.rows.at(-1)).toEqual([`Day ${maxRowsPerSheet}`, String(maxRowsPerSheet)]);
    expect(result.value.warnings).toEqual([`log.xlsx: sheet "Log" has 20,051 rows; only the first 20,000 were read`]);
  });

  it("inflates and counts media parts too (exceljs would read them), so a lying image is caught", async () => {
    const archive = buildZip([
      deflatedEntry("[Content_Types].xml", "<Types/>"),
      { name: "xl/media/image1.png", data: zerosDeflateStream(2 * 1024 * 1024 * 1024), declaredSize: 100 * 1024, crc: 0 },
    ]);
    const result = await xlsxLoader.load(archive, contextFor("/tmp/pictures.xlsx"));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("ZIP_BOMB");
      expect(result.error.message).toContain("pictures.xlsx: archive entry xl/media/image1.png inflates beyond its declared size");
    }
  });

  it("reports a password-protected workbook and a mislabelled text file", async () => {
    const locked = await xlsxLoader.load(encryptedOfficeHeader(), contextFor("/tmp/budget.xlsx"));
    expect(!locked.ok && locked.error.code).toBe("ENCRYPTED_FILE");
    const text = await xlsxLoader.load(Buffer.from("a,b\n1,2\n"), contextFor("/tmp/data.xlsx"));
    expect(!text.ok && text.error.message).toBe("data.xlsx is not an XLSX file (no ZIP signature)");
  });
});

describe("displayValue", () => {
  it("formats numbers by their number format", () => {
    expect(displayValue(0.25, "0%")).toBe("25%");
    expect(displayValue(1234.5, "#,##0.00")).toBe("1234.50");
    expect(displayValue(0.1 + 0.2)).toBe("0.3");
    expect(displayValue({ sharedFormula: "A1", result: 0.5 }, "0.0%")).toBe("50.0%");
    expect(displayValue({ formula: "A1", result: undefined })).toBe("");
  });
});
