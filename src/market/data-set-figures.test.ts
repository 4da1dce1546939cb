/** Children in care per authority from data sets: DfE's long layout (the real CSV) and a wide one. */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.ts";
import { ingestPaths } from "../ingest/ingest.ts";
import { corpusPath } from "../loaders/loader-contract.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import { dataSetFigures } from "./data-set-figures.ts";
import { buildLaProfile, buildLaProfiles } from "./la-profiles.ts";
import { pagePieces } from "./page-pieces.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";

function figuresOf(text: string): ReturnType<typeof dataSetFigures> {
  return dataSetFigures(pagePieces({ index: 0, page: null, section: null, text }));
}

describe.skipIf(withoutCorpus())("data-set figures", () => {
  it("reads the long layout: the latest count on 31 March per authority, never a flow, a rate or a national row", async () => {
    const table = [
      "time_period | geographic_level | la_name | population_type | children_count | rate_per_10000",
      "2025 | National |  | Children looked after on 31 March each year | 81770 | 67",
      "2024 | Local authority | Exampleshire | Children looked after on 31 March each year | 1,210 | 55",
      "2025 | Local authority | Exampleshire | Children starting to be looked after each year | 640 | 29",
      "2025 | Local authority | Kent | Children looked after on 31 March each year | 1896 | 53",
      "2024 | Local authority | Kent | Children looked after on 31 March each year | 1956 | 56",
      "2025 | Local authority | Leeds | Children looked after on 31 March each year | c | c",
    ].join("\n");
    expect(figuresOf(table).map((figure) => [figure.authority, figure.value, figure.date])).toEqual([["Kent", "1896", "31 March 2025"]]);
  });

  it("reads a wide layout whose column is the count", async () => {
    const table = ["Local authority | Children looked after at 31 March | Rate per 10,000", "Nottinghamshire | 1,013 | 60", "Somerset | 624 | 55"].join("\n");
    expect(figuresOf(table).map((figure) => [figure.authority, figure.value, figure.quote])).toEqual([
      ["Nottinghamshire", "1,013", "Nottinghamshire | 1,013 | 60"],
      ["Somerset", "624", "Somerset | 624 | 55"],
    ]);
    expect(figuresOf(["Local authority | Rate per 10,000", "Somerset | 55"].join("\n"))).toEqual([]);
  });

  it("adds the DfE count to an LA's profile after its own documents, and profiles an LA only the data set names", async () => {
    const config = loadConfig({}, { dataDir: "/nonexistent-hearth-test" });
    if (!config.ok) throw config.error;
    const store = openSqliteStore({ path: ":memory:" });
    await ingestPaths(
      [
        corpusPath("real/cla_number_and_rate_per_10k_children.csv"),
        corpusPath("real/ofsted-ilacs_kent_02-february-2026.pdf"),
        corpusPath("real/ofsted-focused-visit_hampshire_07-march-2023.pdf"),
      ],
      { store, config: config.value },
    );
    const kent = await buildLaProfile(store, "Kent");
    const counts = kent?.figures.filter((figure) => figure.field === "children_in_care") ?? [];
    // The report's "over 1,200 children in care ... placed from elsewhere" are other authorities' children.
    expect(counts.map((figure) => [figure.value, figure.date, figure.file, figure.page])).toEqual([
      ["1896", "31 March 2025", "cla_number_and_rate_per_10k_children.csv", null],
    ]);
    expect(counts[0]?.quote).toContain("| Kent | E10000016 | Children looked after on 31 March each year | 355390 | 1896 | 53");
    expect((await buildLaProfiles(store)).map((profile) => profile.name)).toEqual(["Hampshire", "Kent"]);
    // "currently caring for": as at the date the letter carries on its first page.
    const hampshire = (await buildLaProfile(store, "Hampshire"))?.figures.filter((figure) => figure.field === "children_in_care") ?? [];
    expect(hampshire.map((figure) => [figure.value, figure.date, figure.page])).toEqual([
      ["1,827", "7 March 2023, date of the document", 2],
      ["1738", "31 March 2025", null],
    ]);
    // The count from the row, then the trends computed from the typed table (2021 to 2025: 329 to 366, rate 66 to 71).
    expect((await buildLaProfile(store, "Barnsley"))?.figures.map((figure) => [figure.field, figure.value])).toEqual([
      ["children_in_care", "366"],
      ["looked_after_trend", "329 in 2021 to 366 in 2025, +37 (+11.25%)"],
      ["looked_after_rate_trend", "66 in 2021 to 71 in 2025, +5 (+7.58%)"],
    ]);
  }, 60_000);
});
