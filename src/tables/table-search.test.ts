/**
 * Search that leads with a data-set question's evidence row: a CSV whose file name shares no word with the question
 * (it is found by its column headings and values, as the table answerer finds it), among prose passages that share the
 * question's words. Expected rows are worked out here from the fixture, not by the code under test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestSmallLibrary, type SmallLibrary } from "../../test/support/small-library.ts";
import { createSearcher } from "../retrieval/search.ts";
import type { Store } from "../store/types.ts";
import { withTableRows } from "./table-search.ts";

const councils = ["Kent", "Essex", "Surrey", "Devon", "Norfolk", "Suffolk", "Dorset", "Somerset", "Tameside", "Bury", "Wigan", "Oldham", "Bolton", "Salford", "Trafford", "Stockport", "Rochdale", "Cumberland", "Lancashire", "Cheshire East"];
// Enough rows for the data set to be many alike passages, of which plain search picks by length, not by figure.
const years = [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024];
// Turnover per council and year; Oldham leads in 2024, Wigan in 2022.
const turnover = (council: string, year: number): number =>
  council === "Oldham" && year === 2024 ? 41.2 : council === "Wigan" && year === 2022 ? 39.5 : 10 + ((councils.indexOf(council) * 7 + year) % 17);

describe("search led by a data-set question's evidence row", () => {
  let library: SmallLibrary;
  let store: Store;

  beforeAll(async () => {
    const files: Record<string, string> = {};
    const lines = ["time_period,geographic_level,la_name,inpost_fte,turnover_rate_fte,vacancy_rate_fte"];
    for (const year of years) {
      councils.forEach((council, index) => lines.push(`${year},Local authority,${council},${200 + index},${turnover(council, year)},${5 + index}`));
    }
    files["ind_2016_to_2024.csv"] = `${lines.join("\n")}\n`;
    // Short prose passages that share the question's words: word by word they outrank every row.
    const topics = ["caseloads", "supervision", "training", "agency staff", "recruitment", "retention", "morale", "leadership", "practice", "pay", "sickness", "workload"];
    topics.forEach((topic, index) => {
      files[`inspection ${index}.txt`] = `Inspection of ${councils[index]}: social worker turnover in the council was high in 2024; leaders monitor the rate of turnover, ${topic} and how social workers feel about ${topic}.\n`;
    });
    library = await ingestSmallLibrary(files, { prefix: "hearth-table-search-" });
    store = library.store;
  }, 60_000);

  afterAll(async () => {
    await library.close();
  });

  it("puts the row the ranking's figure comes from first, which plain search does not find", async () => {
    const question = "Which council had the highest social worker turnover rate in 2024?";
    const evidence = "2024 | Local authority | Oldham | 211 | 41.2";
    // Plain search finds the data set by the words its rows share with the question, but not the leading row.
    const plain = await createSearcher(store).search(question, { limit: 5 });
    expect(plain.some((result) => result.text.includes(evidence))).toBe(false);
    const results = await withTableRows(createSearcher(store), store).search(question, { limit: 5 });
    expect(results).toHaveLength(plain.length);
    expect(results[0]?.fileName).toBe("ind_2016_to_2024.csv");
    expect(results[0]?.text).toContain(evidence);
    // One passage per data set, as the searcher keeps one per page.
    expect(results.filter((result) => result.fileName.endsWith(".csv"))).toHaveLength(1);
  });

  it("puts a change's latest row first", async () => {
    const results = await withTableRows(createSearcher(store), store).search("How has the turnover rate in Wigan changed between 2022 and 2024?", { limit: 5 });
    expect(results[0]?.text).toContain(`2024 | Local authority | Wigan | 210 | ${turnover("Wigan", 2024)}`);
  });

  it("leaves a question the tables cannot answer, or a search kept to other documents, as plain search ranks it", async () => {
    const searcher = withTableRows(createSearcher(store), store);
    const prose = "What do inspectors say about social worker turnover?";
    expect((await searcher.search(prose, { limit: 5 })).map((result) => result.chunkId)).toEqual((await createSearcher(store).search(prose, { limit: 5 })).map((result) => result.chunkId));
    const documents = await store.documents.list();
    const proseOnly = documents.filter((document) => document.fileName.endsWith(".txt")).map((document) => document.id);
    const kept = await searcher.search("Which council had the highest social worker turnover rate in 2024?", { limit: 5, documentIds: proseOnly });
    expect(kept.every((result) => result.fileName.endsWith(".txt"))).toBe(true);
  });
});
