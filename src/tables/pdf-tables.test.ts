/**
 * Well-formed PDF tables as typed tables: a PDF made here with pdfkit holds a real table (a bold header row, a
 * column of councils, columns of numbers) on page 2, a contents list and a ragged table that must not become
 * tables. The figure computed from it cites page 2, and its quote is verbatim page text. Expected figures are
 * computed here from the rows written, not by the code under test.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pdfLoader } from "../loaders/pdf.ts";
import { pdfkitPdf } from "../loaders/pdf-fixtures.ts";
import { defaultLoadLimits } from "../loaders/types.ts";
import type { LoadedDocument } from "../loaders/types.ts";
import type { SqliteStore } from "../store/sqlite-store.ts";
import { corpus, withoutCorpus } from "../../test/support/corpus.ts";
import { verifierOverLibrary } from "../../test/support/quote-verifier.ts";
import { ingestSmallLibrary, type SmallLibrary } from "../../test/support/small-library.ts";
import { dataTablesOf, pdfTableFault } from "./infer-table.ts";
import { createOpenAICompatible } from "../providers/openai-compatible.ts";
import { startFakeModelServer } from "../providers/testing/fake-model-server.ts";
import { answerFromTables, createTableAnswerer } from "./table-answerer.ts";
import { openTableRows } from "./table-rows.ts";

const header = ["Council", "Children's homes", "Places", "Rated good or better"];
const body = [
  ["Ashfield", "14", "52", "11"],
  ["Bassetlaw", "9", "31", "8"],
  ["Broxtowe", "6", "22", "6"],
  ["Gedling", "11", "40", "7"],
  ["Mansfield", "17", "61", "12"],
  ["Newark and Sherwood", "8", "27", "5"],
];

function tablePdf(): Promise<Uint8Array> {
  return pdfkitPdf({ size: "A4", margin: 56 }, (document) => {
    const grid = (rows: string[][], y: number, widths: number[], boldFirst: boolean): void => {
      rows.forEach((row, index) => {
        document.font(boldFirst && index === 0 ? "Helvetica-Bold" : "Helvetica").fontSize(11);
        let x = 56;
        row.forEach((cell, column) => {
          document.text(cell, x, y + index * 24, { width: (widths[column] ?? 100) - 10, lineBreak: false });
          x += widths[column] ?? 100;
        });
      });
    };
    document.font("Helvetica-Bold").fontSize(18).text("District sufficiency review");
    document.moveDown().font("Helvetica").fontSize(11).text("This review looks at residential care for children in each district of the county.");
    // A contents list lines up in two columns: it is not a table to compute on.
    grid(
      [
        ["Introduction", "1"],
        ["Homes by council", "2"],
        ["Staffing", "3"],
        ["Next steps", "4"],
      ],
      document.y + 20,
      [300, 60],
      false,
    );
    document.addPage().font("Helvetica-Bold").fontSize(13).text("Table 2: Children's homes by council, 31 March 2024", 56, 56);
    grid([header, ...body], 90, [150, 110, 80, 140], true);
    document.addPage().font("Helvetica-Bold").fontSize(13).text("Actions", 56, 56);
    // Ragged: a header, then rows that fill only some of the columns.
    grid(
      [
        ["Action", "Owner", "Due", "Cost"],
        ["Open two homes", "", "2025", ""],
        ["Recruit staff", "HR", "", ""],
        ["Review fees", "", "", "12"],
      ],
      90,
      [150, 110, 80, 80],
      true,
    );
  });
}

describe("well-formed PDF tables as typed tables", () => {
  let library: SmallLibrary;
  let store: SqliteStore;
  let loaded: LoadedDocument;

  beforeAll(async () => {
    const bytes = await tablePdf();
    library = await ingestSmallLibrary({ "District sufficiency review.pdf": bytes }, { prefix: "hearth-pdf-tables-" });
    store = library.store;
    expect(library.summary.failed).toBe(0);
    const path = library.path("District sufficiency review.pdf");
    const result = await pdfLoader.load(bytes, { path, fileName: "District sufficiency review.pdf", limits: defaultLoadLimits, ocr: { enabled: false, command: "tesseract", language: "eng" } });
    if (!result.ok) throw result.error;
    loaded = result.value;
  });

  afterAll(async () => {
    await library.close();
  });

  it("keeps the real table with its page, caption and column types; skips the contents list and the ragged table", () => {
    const found = loaded.units.flatMap((unit) => unit.blocks.flatMap((block) => (block.kind === "table" ? [{ page: unit.page, block }] : [])));
    // The layout pass sees all three; only one is well formed.
    expect(found.length).toBeGreaterThanOrEqual(2);
    const tables = dataTablesOf(loaded);
    expect(tables).toHaveLength(1);
    const [table] = tables;
    expect(loaded.units[table?.unitIndex ?? -1]?.page).toBe(2);
    expect(table?.title).toBe("Table 2: Children's homes by council, 31 March 2024");
    expect(table?.columns.map((column) => [column.name, column.type])).toEqual([
      ["Council", "category"],
      ["Children's homes", "number"],
      ["Places", "number"],
      ["Rated good or better", "number"],
    ]);
    expect(table?.rows).toEqual(body);
    const faults = found.filter(({ page }) => page !== 2).map(({ block }) => (block.kind === "table" ? pdfTableFault(block) : null));
    expect(faults.every((fault) => fault !== null)).toBe(true);
  });

  it("is stored beside the passages, and a computed figure cites page 2 with a verbatim row", async () => {
    const [record] = await store.tables.list();
    expect(record?.rowCount).toBe(body.length);
    const places = body.reduce((sum, row) => sum + Number(row[2]), 0);
    const answerer = createTableAnswerer({ store });
    const total = await answerer.answer("How many places are there in total across the councils?");
    expect(total?.answer).toContain(places.toLocaleString("en-GB"));
    const citation = total?.citations[0];
    expect(citation?.page).toBe(2);
    expect(citation?.file).toBe("District sufficiency review.pdf");
    const document = (await store.documents.list())[0];
    expect((await verifierOverLibrary(store)).verify(document?.id ?? -1, 2, citation?.quote ?? "")).not.toBeNull();
    const opened = await openTableRows(store, citation?.table ?? { tableId: -1, query: {} });
    if (!opened.ok) throw opened.error;
    expect(opened.value.page).toBe(2);
    expect(opened.value.rows).toHaveLength(body.length);
  });

  it("does not ask a model to propose a query over a PDF's tables (their figures are in the passages the answer quotes)", async () => {
    const server = await startFakeModelServer("openai");
    try {
      const model = createOpenAICompatible({ baseURL: server.url, model: "test-model", maxRetries: 0, timeoutMs: 5_000 });
      // A figure question the offline planner leaves alone ("operate" and "settings" are in no column).
      const question = "How many care settings does Gedling operate?";
      expect(await createTableAnswerer({ store }).answer(question)).toBeNull();
      expect(await answerFromTables(store, question, model)).toBeNull();
      expect(server.requests).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it("answers a ranking from the PDF table", async () => {
    const [top] = [...body].sort((left, right) => Number(right[1]) - Number(left[1]));
    const answer = await createTableAnswerer({ store }).answer("Which council has the most children's homes?");
    expect(answer?.answer.startsWith(`${top?.[0]} has the highest`)).toBe(true);
    expect(answer?.answer).toContain(`${top?.[0]}: ${top?.[1]}`);
  });
});

describe.skipIf(withoutCorpus())("tables in the corpus PDFs", () => {
  async function tablesOf(relative: string): Promise<{ page: number | null | undefined; columns: string[] }[]> {
    const path = corpus(relative);
    const fileName = path.split("/").pop() ?? path;
    const result = await pdfLoader.load(new Uint8Array(readFileSync(path)), { path, fileName, limits: defaultLoadLimits, ocr: { enabled: false, command: "tesseract", language: "eng" } });
    if (!result.ok) throw result.error;
    return dataTablesOf(result.value).map((table) => ({ page: result.value.units[table.unitIndex]?.page, columns: table.columns.map((column) => column.name) }));
  }

  it("keeps only the well-formed statistics tables of the strategies (no contents pages, no prose in columns)", async () => {
    // Nottinghamshire: the current-position table on page 5; its age-band tables mix numbers and sentences in a column.
    expect(await tablesOf("library/Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf")).toEqual([
      { page: 5, columns: ["Current Position (July 2022)", "As Percentage", "Actual Number of Young People"] },
    ]);
    // Cambridgeshire: the placement-mix table on page 28 (one column per year); its contents page and its tables
    // of costs written as "£2,278 per week" are not computed on.
    expect(await tablesOf("library/Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf")).toEqual([
      { page: 28, columns: ["Row label", "2011/12", "2012/13", "2013/14", "2014/15", "Overall Change"] },
    ]);
  });
});
