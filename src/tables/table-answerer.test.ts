/**
 * Computed answers over a self-made CSV (always runs): title and note rows above the header, a notes row below,
 * suppressed cells, councils whose names hold each other ("Somerset", "North Somerset"). Expected figures are
 * computed here with csv-parse and plain filtering, not by the code under test.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestSmallLibrary, type SmallLibrary } from "../../test/support/small-library.ts";
import type { SqliteStore } from "../store/sqlite-store.ts";
import { verifierOverLibrary } from "../../test/support/quote-verifier.ts";
import { createTableAnswerer } from "./table-answerer.ts";
import { openTableRows, rowsToCsv } from "./table-rows.ts";
import { validateTableQuery } from "./table-query.ts";

const councils = ["Somerset", "North Somerset", "Devon", "Cornwall", "Plymouth"];
const types = ["Children's home", "Children's home", "Independent Fostering Agency", "Residential Special School"];
const sectors = ["Private", "Private", "Local Authority", "Voluntary"];
const ratings = ["Good", "Outstanding", "Requires improvement to be good", "Good", ""];

function fixtureCsv(): string {
  const lines = [
    "Homes in the example region as at 31 March 2025,,,,,",
    "This table begins in cell A4.,,,,,",
    "",
    "Provision type,Local authority,Region,Sector,Places,Overall rating",
  ];
  for (let index = 0; index < 120; index += 1) {
    const council = councils[index % councils.length] as string;
    const places = index % 17 === 0 ? "c" : String((index % 6) + 1);
    lines.push(
      [types[index % types.length], council, council === "Plymouth" ? "South West" : index % 2 === 0 ? "South West" : "South East", sectors[index % sectors.length], places, ratings[index % ratings.length]]
        .map((cell) => (String(cell).includes(",") ? `"${cell}"` : cell))
        .join(","),
    );
  }
  lines.push("Source: an example made for tests. c = suppressed,,,,,");
  return `${lines.join("\n")}\n`;
}

interface Row {
  type: string;
  council: string;
  region: string;
  sector: string;
  places: string;
  rating: string;
}

describe("data-set answers over a self-made CSV", () => {
  let library: SmallLibrary;
  let store: SqliteStore;
  let rows: Row[];

  beforeAll(async () => {
    const text = fixtureCsv();
    const parsed = parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
    rows = parsed
      .slice(parsed.findIndex((cells) => cells[0] === "Provision type") + 1)
      .filter((cells) => cells.filter((cell) => cell.length > 0).length > 1)
      .map(([type = "", council = "", region = "", sector = "", places = "", rating = ""]) => ({ type, council, region, sector, places, rating }));
    library = await ingestSmallLibrary({ "example-homes.csv": text }, { prefix: "hearth-tables-" });
    store = library.store;
    expect(library.summary.failed).toBe(0);
  });

  afterAll(async () => {
    await library.close();
  });

  it("stores the CSV as a typed table: types, the title and the notes row as its description", async () => {
    const [table] = await store.tables.list();
    expect(table?.rowCount).toBe(rows.length);
    expect(table?.columns.map((column) => [column.name, column.type])).toEqual([
      ["Provision type", "category"],
      ["Local authority", "category"],
      ["Region", "category"],
      ["Sector", "category"],
      ["Places", "number"],
      ["Overall rating", "category"],
    ]);
    expect(table?.title).toBe("Homes in the example region as at 31 March 2025");
    expect(table?.description).toContain("c = suppressed");
  });

  it("counts with one and two filters, resolves Somerset against North Somerset and says so", async () => {
    const answerer = createTableAnswerer({ store });
    const homes = rows.filter((row) => row.type === "Children's home");
    const one = await answerer.answer("How many children's homes are there?");
    expect(one?.answer).toContain(`lists ${homes.length} rows`);
    const somerset = homes.filter((row) => row.council === "Somerset");
    const answer = await answerer.answer("How many children's homes are there in Somerset?");
    expect(answer?.answer).toContain(`lists ${somerset.length} rows`);
    expect(answer?.answer).toMatch(/not .*North Somerset/);
    expect(answer?.citations[0]?.table?.rowCount).toBe(somerset.length);
    const north = homes.filter((row) => row.council === "North Somerset");
    expect((await answerer.answer("How many children's homes are there in North Somerset?"))?.answer).toContain(`lists ${north.length} rows`);
  });

  it("sums a column, leaving suppressed cells out and saying how many", async () => {
    const matching = rows.filter((row) => row.type === "Children's home" && row.council === "Devon");
    const present = matching.filter((row) => row.places !== "c");
    const total = present.reduce((sum, row) => sum + Number(row.places), 0);
    const answer = await createTableAnswerer({ store }).answer("How many places are there in children's homes in Devon?");
    expect(answer?.answer).toContain(`: ${total.toLocaleString("en-GB")}`);
    if (present.length < matching.length) expect(answer?.answer).toContain(`${matching.length - present.length} with no value`);
  });

  it("ranks councils within a region", async () => {
    const counts = new Map<string, number>();
    for (const row of rows.filter((entry) => entry.region === "South West" && entry.type === "Children's home")) counts.set(row.council, (counts.get(row.council) ?? 0) + 1);
    const [top] = [...counts.entries()].sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]));
    const answer = await createTableAnswerer({ store }).answer("Which council in the South West has the most children's homes?");
    expect(answer?.answer.startsWith(`${top?.[0]} has the highest`)).toBe(true);
    expect(answer?.answer).toContain(`${top?.[0]}: ${top?.[1]}`);
  });

  it("names a missing column with the columns there are, and refuses", async () => {
    const answer = await createTableAnswerer({ store }).answer("What is the average bed occupancy of children's homes in Devon?");
    expect(answer?.refused).toBe(true);
    expect(answer?.answer).toMatch(/no column for bed occupancy/);
    expect(answer?.answer).toContain("Places");
  });

  it("leaves questions that are not about the table to the passage answerer", async () => {
    const answerer = createTableAnswerer({ store });
    expect(await answerer.answer("What does the regulation say about bedrooms?")).toBeNull();
    expect(await answerer.answer("How many Somerset children in care live in Devon?")).toBeNull();
  });

  it("cites the first matching row verbatim, and reopens the rows recomputed from the table as CSV", async () => {
    const answer = await createTableAnswerer({ store }).answer("How many children's homes in Cornwall are rated outstanding?");
    const citation = answer?.citations[0];
    expect(citation?.table).toBeDefined();
    const document = (await store.documents.list())[0];
    expect((await verifierOverLibrary(store)).verify(document?.id ?? -1, null, citation?.quote ?? "")).not.toBeNull();
    const expected = rows.filter((row) => row.type === "Children's home" && row.council === "Cornwall" && row.rating === "Outstanding");
    const opened = await openTableRows(store, citation?.table ?? { tableId: -1, query: {} });
    if (!opened.ok) throw opened.error;
    expect(opened.value.rows).toHaveLength(expected.length);
    const csv = rowsToCsv(opened.value);
    expect(csv.split("\r\n")[0]).toBe("Provision type,Local authority,Region,Sector,Places,Overall rating");
    expect(csv.trimEnd().split("\r\n")).toHaveLength(expected.length + 1);
  });

  it("never runs a query that does not fit the table", async () => {
    const [table] = await store.tables.list();
    if (!table) throw new Error("no table");
    expect(validateTableQuery({ tableId: table.id, measure: { kind: "sum", column: "Bed occupancy" } }, table).ok).toBe(false);
    expect(validateTableQuery({ tableId: table.id, measure: { kind: "sum", column: "Sector" } }, table).ok).toBe(false);
    expect(validateTableQuery({ tableId: table.id, measure: { kind: "count" }, sql: "DROP TABLE x" }, table).ok).toBe(true);
    expect(validateTableQuery({ tableId: table.id + 1, measure: { kind: "count" } }, table).ok).toBe(false);
    expect((await openTableRows(store, { tableId: table.id, query: { tableId: table.id, measure: { kind: "drop" } } })).ok).toBe(false);
  });
});
