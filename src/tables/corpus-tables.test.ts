/**
 * Data-set questions over the real corpus files (Ofsted's provider list, DfE's children looked after table, dev2's
 * two DfE CSVs). Every expected figure is computed here with csv-parse and plain filtering of the file itself.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpus, withoutCorpus } from "../../test/support/corpus.ts";
import { loadConfig } from "../config/config.ts";
import { ingestPaths } from "../ingest/ingest.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import type { SqliteStore } from "../store/sqlite-store.ts";
import { createTableAnswerer } from "./table-answerer.ts";
import { figure, recordsOf } from "../../test/support/csv-records.ts";
import type { CsvRecord } from "../../test/support/csv-records.ts";
import type { TableAnswerer } from "./table-answerer.ts";

type Record = CsvRecord;

describe.skipIf(withoutCorpus())("data-set questions over the corpus CSVs", () => {
  let store: SqliteStore;
  let answerer: TableAnswerer;
  let providers: Record[];
  let looked: Record[];
  let netGain: Record[];
  let workforce: Record[];

  beforeAll(async () => {
    const config = loadConfig({}, { dataDir: "/nonexistent-hearth-test" });
    if (!config.ok) throw config.error;
    store = openSqliteStore({ path: ":memory:" });
    const files = [
      corpus("real/provider_at_march_2025.csv"),
      corpus("real/cla_number_and_rate_per_10k_children.csv"),
      corpus("dev2/docs/FOI 2024-0040813 part 1.csv"),
      corpus("dev2/docs/csww_indicators_2017_to_2024.csv"),
    ];
    const summary = await ingestPaths(files, { store, config: config.value });
    expect(summary.failed).toBe(0);
    answerer = createTableAnswerer({ store });
    providers = recordsOf(files[0] as string, "Web link");
    looked = recordsOf(files[1] as string, "time_period");
    netGain = recordsOf(files[2] as string, "time_period");
    workforce = recordsOf(files[3] as string, "time_period");
  }, 120_000);

  afterAll(() => store.close());

  // Filters compare values case-insensitively ("Children's Home" is the same provision type as "Children's home").
  const isHome = (row: Record): boolean => row["Provision type"]?.toLowerCase() === "children's home";
  const homesIn = (council: string): Record[] => providers.filter((row) => isHome(row) && row["Local authority"] === council);
  const stock = (council: string, year: string): Record | undefined =>
    looked.find((row) => row.la_name === council && row.time_period === year && row.population_type === "Children looked after on 31 March each year");

  it("counts with one filter and with two, with the sector mix", async () => {
    const homes = providers.filter(isHome);
    expect((await answerer.answer("How many children's homes are there in England?"))?.answer ?? "").toContain(`lists ${figure(homes.length)} rows`);
    const somerset = homesIn("Somerset");
    const privateHomes = somerset.filter((row) => row.Sector === "Private").length;
    const answer = await answerer.answer("how many children's homes are there in Somerset?");
    expect(answer?.answer).toContain(`lists ${somerset.length} rows`);
    expect(answer?.answer).toContain(`${privateHomes} Private`);
  });

  it("resolves an ambiguous council as the LA list does, and says so", async () => {
    const answer = await answerer.answer("How many children's homes are in Somerset?");
    expect(answer?.answer).toMatch(/"Somerset" is taken as the council Somerset, not .*North Somerset/);
    const north = homesIn("North Somerset");
    expect((await answerer.answer("How many children's homes are in North Somerset?"))?.answer).toContain(`lists ${north.length} row`);
  });

  it("sums a column", async () => {
    const kent = homesIn("Kent");
    const places = kent.reduce((sum, row) => sum + (Number(row.Places) || 0), 0);
    expect((await answerer.answer("How many places are there in children's homes in Kent?"))?.answer).toContain(`: ${figure(places)} (total across ${kent.length} rows)`);
  });

  it("ranks councils within a region", async () => {
    const counts = new Map<string, number>();
    for (const row of providers) {
      if (isHome(row) && row["Ofsted Region"] === "South West") counts.set(row["Local authority"] ?? "", (counts.get(row["Local authority"] ?? "") ?? 0) + 1);
    }
    const ranked = [...counts.entries()].sort((left, right) => right[1] - left[1]);
    const answer = (await answerer.answer("which council in the South West has the most children's homes"))?.answer ?? "";
    expect(answer.startsWith(`${ranked[0]?.[0]} has the highest`)).toBe(true);
    expect(answer).toContain(`${ranked[0]?.[0]}: ${ranked[0]?.[1]}; ${ranked[1]?.[0]}: ${ranked[1]?.[1]}`);
  });

  it("gives the trend between two years, on the stock measure (not children ceasing), and says which measure", async () => {
    const from = Number(stock("Blackpool", "2021")?.children_count);
    const to = Number(stock("Blackpool", "2025")?.children_count);
    const answer = (await answerer.answer("How has the number of looked after children in Blackpool changed between 2021 and 2025?"))?.answer ?? "";
    expect(answer).toContain(`from ${figure(from)} in 2021 to ${figure(to)} in 2025`);
    expect(answer).toContain(`Measure used: population_type = "Children looked after on 31 March each year"`);
    const ceasing = looked.find((row) => row.la_name === "Kent" && row.time_period === "2024" && row.population_type?.startsWith("Children ceasing"));
    expect((await answerer.answer("How many children ceased to be looked after in Kent in 2024?"))?.answer).toContain(`: ${figure(Number(ceasing?.children_count))}`);
  });

  it("compares two councils", async () => {
    const devon = stock("Devon", "2025");
    const cornwall = stock("Cornwall", "2025");
    const answer = (await answerer.answer("Compare the rate of children looked after per 10,000 in Devon and Cornwall"))?.answer ?? "";
    expect(answer).toContain(`Devon: ${devon?.rate_per_10000} per 10,000 children (2025)`);
    expect(answer).toContain(`Cornwall: ${cornwall?.rate_per_10000} per 10,000 children (2025)`);
  });

  it("reads dev2's two DfE CSVs: net gain and the workforce indicators", async () => {
    const blackpool = netGain.find((row) => row.la_name === "Blackpool" && row.time_period === "2024");
    expect((await answerer.answer("What was the net gain of children in Blackpool's children's homes in 2024?"))?.answer).toContain(`: ${blackpool?.number}`);
    const england = workforce.find((row) => row.geographic_level === "National" && row.time_period === "2024");
    expect((await answerer.answer("what is the average caseload of social workers in England in 2024?"))?.answer).toContain(`: ${england?.caseload_fte}`);
    const cumberland = workforce.find((row) => row.la_name === "Cumberland" && row.time_period === "2024");
    expect((await answerer.answer("What was the agency rate in Cumberland in 2024?"))?.answer).toContain(`: ${cumberland?.agency_rate_fte}%`);
  });

  it("names a missing column with the columns there are", async () => {
    const answer = await answerer.answer("What is the average bed occupancy of children's homes in Somerset?");
    expect(answer?.refused).toBe(true);
    expect(answer?.answer).toMatch(/provider_at_march_2025\.csv has no column for bed occupancy/);
    expect(answer?.answer).toContain("Places");
  });
});
