/**
 * Years read against a column of days: "registered in 2023" filters Registration date, "inspected between 2021 and
 * 2022" the inspection date, over a self-made CSV (always runs). Expected counts come from plain filtering here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestSmallLibrary, type SmallLibrary } from "../../test/support/small-library.ts";
import type { SqliteStore } from "../store/sqlite-store.ts";
import { createTableAnswerer } from "./table-answerer.ts";
import { openTableRows } from "./table-rows.ts";
import { validateTableQuery } from "./table-query.ts";

interface Home {
  council: string;
  registered: string;
  inspected: string;
}

const homes: Home[] = Array.from({ length: 60 }, (_, index) => ({
  council: ["Kent", "Devon", "Essex"][index % 3] as string,
  registered: `${String((index % 28) + 1).padStart(2, "0")}/${String((index % 12) + 1).padStart(2, "0")}/${2018 + (index % 7)}`,
  inspected: index % 5 === 0 ? "" : `${String((index % 27) + 1).padStart(2, "0")}/0${(index % 9) + 1}/${2021 + (index % 4)}`,
}));

const yearOf = (day: string): number => Number(day.slice(-4));

describe("years read against a column of days", () => {
  let library: SmallLibrary;
  let store: SqliteStore;

  beforeAll(async () => {
    const lines = ["Homes as listed on 31 March 2025,,,", "", "Provision type,Local authority,Registration date,Latest inspection date"];
    for (const home of homes) lines.push(`Children's home,${home.council},${home.registered},${home.inspected}`);
    library = await ingestSmallLibrary({ "homes.csv": `${lines.join("\n")}\n` }, { prefix: "hearth-date-years-" });
    store = library.store;
    expect(library.summary.failed).toBe(0);
  });

  afterAll(async () => {
    await library.close();
  });

  it("filters the date the question names by one year and by a range of years", async () => {
    const answerer = createTableAnswerer({ store });
    const in2023 = homes.filter((home) => yearOf(home.registered) === 2023).length;
    const one = await answerer.answer("How many children's homes were registered in 2023?");
    expect(one?.answer).toContain(`lists ${in2023} rows where`);
    expect(one?.answer).toContain("Registration date in 2023");
    const kent = homes.filter((home) => home.council === "Kent" && yearOf(home.registered) >= 2019 && yearOf(home.registered) <= 2021).length;
    const range = await answerer.answer("How many children's homes in Kent were registered between 2019 and 2021?");
    expect(range?.answer).toContain(`lists ${kent} rows where`);
    expect(range?.answer).toContain("Registration date between 2019 and 2021");
    const inspected = homes.filter((home) => home.inspected !== "" && yearOf(home.inspected) === 2022 && home.council === "Devon").length;
    const other = await answerer.answer("How many homes in Devon were inspected in 2022?");
    expect(other?.answer).toContain(`lists ${inspected} rows where`);
    expect(other?.answer).toContain("Latest inspection date in 2022");
    // The rows behind the figure are the rows in that year, recomputed from the table.
    const opened = await openTableRows(store, other?.citations[0]?.table ?? { tableId: -1, query: {} });
    if (!opened.ok) throw opened.error;
    expect(opened.value.rows).toHaveLength(inspected);
    expect(opened.value.filters).toContain("Latest inspection date in 2022");
  });

  it("refuses a date filter on a column that holds no days", async () => {
    const [table] = await store.tables.list();
    if (!table) throw new Error("no table");
    expect(validateTableQuery({ tableId: table.id, measure: { kind: "count" }, dates: { column: "Local authority", from: "2023-01-01", to: "2023-12-31" } }, table).ok).toBe(false);
    expect(validateTableQuery({ tableId: table.id, measure: { kind: "count" }, dates: { column: "Registration date", from: "2023-01-01", to: "2023-12-31" } }, table).ok).toBe(true);
  });
});
