/**
 * Data-set questions over the real corpus files (Ofsted's provider list, DfE's children looked after table, dev2's
 * two DfE CSVs), ingested once for every test here: counts, sums, rankings, trends and comparisons, then more of the
 * kinds providers ask (dates read as years, rankings within a region, ratings and sector mix, shares, councils by
 * their short names, an organisation by its first word, a measure the table does not hold). Every expected figure
 * is computed here with csv-parse and plain filtering of the file itself, never by the code under test.
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

type Row = CsvRecord;

/** Counts by key, most first (ties by name), as a ranking reads them. */
function ranked(rows: Row[], key: (row: Row) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
  return [...counts.entries()].sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]));
}

describe.skipIf(withoutCorpus())("data-set questions over the corpus CSVs", () => {
  let store: SqliteStore;
  let answerer: TableAnswerer;
  let providers: Row[];
  let looked: Row[];
  let netGain: Row[];
  let workforce: Row[];

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
  const isHome = (row: Row): boolean => row["Provision type"]?.toLowerCase() === "children's home";
  const homesIn = (council: string): Row[] => providers.filter((row) => isHome(row) && row["Local authority"] === council);
  const stock = (council: string, year: string): Row | undefined =>
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

  describe("more questions of the kinds providers ask", () => {
    const ask = async (question: string): Promise<string> => (await answerer.answer(question))?.answer ?? "";



    const homes = (): Row[] => providers.filter((row) => row["Provision type"]?.toLowerCase() === "children's home");
    const rating = "Overall experiences and progress of children and young people";
    const stockRows = (): Row[] => looked.filter((row) => row.population_type === "Children looked after on 31 March each year");

    it("reads a year against the registration and inspection dates", async () => {
      const kent = homes().filter((row) => row["Local authority"] === "Kent");
      const in2023 = kent.filter((row) => row["Registration date"]?.endsWith("/2023")).length;
      expect(await ask("How many children's homes in Kent were registered in 2023?")).toContain(`lists ${in2023} row`);
      const range = kent.filter((row) => {
        const year = Number(row["Registration date"]?.slice(-4));
        return year >= 2021 && year <= 2024;
      }).length;
      expect(await ask("How many children's homes in Kent were registered between 2021 and 2024?")).toContain(`lists ${range} row`);
      const devon = homes().filter((row) => row["Local authority"] === "Devon" && row["Latest full inspection date"]?.endsWith("/2024")).length;
      expect(await ask("How many children's homes in Devon were inspected in 2024?")).toContain(`lists ${devon} row`);
    });

    it("counts and sums with one and two filters, and ranks within a region and nationally", async () => {
      const agencies = providers.filter((row) => row["Provision type"]?.toLowerCase() === "independent fostering agency" && row["Government Office Region"] === "North West");
      expect(await ask("How many independent fostering agencies are there in the North West?")).toContain(`lists ${agencies.length} rows`);
      const places = homes()
        .filter((row) => row["Local authority"] === "Lancashire")
        .reduce((sum, row) => sum + (Number(row.Places) || 0), 0);
      expect(await ask("What is the total number of places in children's homes in Lancashire?")).toContain(`: ${figure(places)}`);
      const [top] = ranked(homes(), (row) => row["Local authority"] ?? "");
      expect(await ask("Which local authority has the most children's homes?")).toContain(`${top?.[0]}: ${figure(top?.[1] ?? 0)}`);
      const westMidlands = ranked(
        homes().filter((row) => row["Ofsted Region"] === "West Midlands"),
        (row) => row["Local authority"] ?? "",
      ).slice(0, 3);
      expect(await ask("top 3 councils in the West Midlands by number of children's homes")).toContain(westMidlands.map(([name, count]) => `${name}: ${count}`).join("; "));
    });

    it("gives the ratings mix and the sector mix of a council's homes, and a share", async () => {
      const cornwall = homes().filter((row) => row["Local authority"] === "Cornwall");
      const ratings = ranked(cornwall.filter((row) => (row[rating] ?? "") !== ""), (row) => row[rating] ?? "");
      const mix = await ask("How are children's homes in Cornwall rated?");
      for (const [name, count] of ratings) expect(mix).toContain(`${name}: ${count}`);
      // The method line counts the rows that have a rating; the headline counts every home and names those without one.
      const rated = ratings.reduce((total, [, count]) => total + count, 0);
      expect(mix).toContain(`lists ${cornwall.length} rows`);
      expect(mix).toContain(`${rated} rows with a ${rating} value`);
      const norfolk = ranked(
        homes().filter((row) => row["Local authority"] === "Norfolk"),
        (row) => row.Sector ?? "",
      );
      const sectors = await ask("What is the sector mix of children's homes in Norfolk?");
      for (const [name, count] of norfolk) expect(sectors).toContain(`${name}: ${count}`);
      const kent = homes().filter((row) => row["Local authority"] === "Kent");
      const outstanding = kent.filter((row) => row[rating] === "Outstanding").length;
      expect(await ask("What percentage of children's homes in Kent are rated outstanding?")).toContain(`${figure(Math.round((outstanding / kent.length) * 10000) / 100)}%`);
    });

    it("ranks regions and councils within a region on the looked-after rate", async () => {
      const regional = stockRows().filter((row) => row.geographic_level === "Regional" && row.time_period === "2025");
      const [topRegion] = [...regional].sort((left, right) => Number(right.rate_per_10000) - Number(left.rate_per_10000));
      expect(await ask("Which region has the highest rate of looked after children?")).toContain(`${topRegion?.region_name}: ${topRegion?.rate_per_10000} per 10,000`);
      const northWest = stockRows().filter((row) => row.geographic_level === "Local authority" && row.time_period === "2025" && row.region_name === "North West");
      const [topCouncil] = [...northWest].sort((left, right) => (Number(right.rate_per_10000) || 0) - (Number(left.rate_per_10000) || 0));
      const answer = await ask("Which council in the North West has the highest rate of children looked after?");
      expect(answer.startsWith(`${topCouncil?.la_name} has the highest`)).toBe(true);
    });

    it("answers net gain rankings and trends, and workforce rates and trends", async () => {
      const gains = netGain.filter((row) => row.geographic_level === "Local authority" && row.time_period === "2024" && /^-?\d+$/.test(row.number ?? ""));
      const [lowest] = [...gains].sort((left, right) => Number(left.number) - Number(right.number));
      expect(await ask("Which council had the lowest net gain of children in children's homes in 2024?")).toContain(`${lowest?.la_name}: ${lowest?.number}`);
      const kent = (year: string): string | undefined => netGain.find((row) => row.la_name === "Kent" && row.time_period === year)?.number;
      expect(await ask("How has Kent's net gain changed between 2014 and 2024?")).toContain(`from ${kent("2014")} in 2014 to ${kent("2024")} in 2024`);
      const vacancy = workforce.find((row) => row.la_name === "Kent" && row.time_period === "2024")?.vacancy_rate_fte;
      expect(await ask("What was the vacancy rate for social workers in Kent in 2024?")).toContain(`: ${vacancy}%`);
      const turnover = workforce
        .filter((row) => row.geographic_level === "Local authority" && row.time_period === "2024" && Number.isFinite(Number.parseFloat(row.turnover_rate_fte ?? "")))
        .sort((left, right) => Number.parseFloat(right.turnover_rate_fte ?? "") - Number.parseFloat(left.turnover_rate_fte ?? ""));
      expect(await ask("Which council had the highest social worker turnover rate in 2024?")).toContain(`${turnover[0]?.la_name}: ${turnover[0]?.turnover_rate_fte}%`);
      const national = (year: string): number => Number(workforce.find((row) => row.geographic_level === "National" && row.time_period === year)?.inpost_fte);
      expect(await ask("How has the number of FTE social workers in England changed between 2017 and 2024?")).toContain(
        `from ${figure(national("2017"))} FTE in 2017 to ${figure(national("2024"))} FTE in 2024`,
      );
    });

    it("compares two councils, finds councils by their short names, and an organisation by its first word", async () => {
      const stock = (council: string, year: string): string | undefined =>
        stockRows().find((row) => row.la_name === council && row.time_period === year && row.geographic_level === "Local authority")?.children_count;
      const compared = await ask("Compare the number of children looked after in Leeds and Manchester in 2024");
      expect(compared).toContain(`Leeds: ${figure(Number(stock("Leeds", "2024")))}`);
      expect(compared).toContain(`Manchester: ${figure(Number(stock("Manchester", "2024")))}`);
      expect(await ask("How many looked after children are there in Bristol?")).toContain(`: ${figure(Number(stock("Bristol, City of", "2025")))}`);
      const southend = stock("Southend-on-Sea", "2025");
      expect(await ask("How many children are looked after in Southend?")).toContain(`: ${figure(Number(southend))}`);
      const brighton = homes().filter((row) => row["Local authority"] === "Brighton and Hove").length;
      expect(await ask("How many children's homes in Brighton?")).toContain(`lists ${brighton} rows`);
      const hull = homes().filter((row) => row["Local authority"]?.startsWith("Kingston upon Hull")).length;
      expect(await ask("How many children's homes are in Hull?")).toContain(`lists ${hull} rows`);
      const cambian = homes().filter((row) => row["Organisation which owns the provider"]?.toLowerCase().startsWith("cambian ")).length;
      const owned = await ask("How many children's homes does Cambian own?");
      expect(owned).toContain(`lists ${cambian} rows`);
      expect(owned).toContain('"Cambian" is taken as Organisation which owns the provider');
    });

    it("answers a two-part count with its breakdown, the most common type, and a lookup named by measure, place and year", async () => {
      const somerset = homes().filter((row) => row["Local authority"] === "Somerset");
      const privateHomes = somerset.filter((row) => row.Sector === "Private").length;
      const both = await ask("How many children's homes are there in Somerset and how many are private?");
      expect(both).toContain(`lists ${somerset.length} rows`);
      expect(both).toContain(`${privateHomes} Private`);
      const [commonest] = ranked(
        providers.filter((row) => row["Local authority"] === "Kent"),
        (row) => row["Provision type"] ?? "",
      );
      expect((await ask("Which provider type is most common in Kent?")).startsWith(`${commonest?.[0]} has the highest`)).toBe(true);
      const caseload = workforce.find((row) => row.la_name === "Blackpool" && row.time_period === "2023")?.caseload_fte;
      expect(await ask("What was the caseload per social worker in Blackpool in 2023?")).toContain(`: ${caseload}`);
      const leavers = workforce.find((row) => row.la_name === "Kent" && row.time_period === "2024")?.leavers_fte;
      expect(await ask("How many social workers left Kent in 2024?")).toContain(`: ${leavers}`);
    });

    it("names a measure the table does not hold instead of reading another one", async () => {
      const answer = await answerer.answer("What is the average occupancy rate of children's homes in Devon?");
      expect(answer?.refused).toBe(true);
      expect(answer?.answer).toMatch(/has no column for occupancy/);
      expect(answer?.answer).not.toMatch(/rate_per_10000/);
      // A council the table does not hold (misspelt) is named, not read as England.
      const missing = await answerer.answer("How many children are looked after in Sothend?");
      expect(missing?.refused).toBe(true);
      expect(missing?.answer).toMatch(/no rows for Sothend/);
    });
  });
});
