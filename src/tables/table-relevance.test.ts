/**
 * When a data set is not the question's subject, the offline planner leaves the question to the documents: a
 * council the table neither holds nor is about, and a dashboard's lookup block whose hundreds of column names cover
 * nearly any question's words. Each refusal has a control question the same table does answer, so the test fails if
 * the planner stops answering from tables altogether.
 */
import { describe, expect, it } from "vitest";
import { ingestSmallLibrary, type SmallLibrary } from "../../test/support/small-library.ts";
import { createTableAnswerer } from "./table-answerer.ts";
import { tableVocabulary } from "./vocabulary.ts";

const districts = ["Adur", "Arun", "Chichester", "Crawley", "Horsham", "Mid Sussex", "Worthing"];

function districtCsv(): string {
  const lines = ["District,Number of children,Families in households"];
  districts.forEach((district, index) => lines.push(`${district},${1000 + index * 250},${800 + index * 100}`));
  return `${lines.join("\n")}\n`;
}

/** A lookup block: one column per indicator and year, as a dashboard's hidden data sheet has. */
function lookupCsv(width: number): string {
  const indicators = ["Total respondents (smoking in the home)", "Births to mothers under 20", "Emergency admissions", "Limit of detection", "Responsible adults"];
  const header = ["District", ...Array.from({ length: width - 1 }, (_, index) => index < indicators.length ? (indicators[index] as string) : `${indicators[index % indicators.length]} ${1998 + Math.floor(index / indicators.length)}`)];
  const lines = [header.join(",")];
  districts.forEach((district, row) => lines.push([district, ...Array.from({ length: width - 1 }, (_, column) => String(10 + row + column))].join(",")));
  return `${lines.join("\n")}\n`;
}

describe("data sets that are not the question's subject", () => {
  async function libraryOf(name: string, text: string): Promise<SmallLibrary> {
    const library = await ingestSmallLibrary({ [name]: text }, { prefix: "hearth-table-relevance-" });
    expect(library.summary.failed).toBe(0);
    return library;
  }

  it("leaves a question about councils the table neither holds nor is about to the documents", async () => {
    const library = await libraryOf("districts.csv", districtCsv());
    const { store } = library;
    try {
      const answerer = createTableAnswerer({ store });
      const total = districts.reduce((sum, _, index) => sum + 1000 + index * 250, 0);
      // Control: the same table answers a question about its own places.
      const control = await answerer.answer("What is the total number of children?");
      expect(control?.answer).toContain(total.toLocaleString("en-GB"));
      expect(await answerer.answer("How many Somerset children in care live in Devon?")).toBeNull();
    } finally {
      await library.close();
    }
  });

  it("does not plan over a lookup block wider than the vocabulary's limit", async () => {
    const limit = tableVocabulary().maxPlannedColumns;
    const narrowLibrary = await libraryOf("narrow.csv", lookupCsv(6));
    const wideLibrary = await libraryOf("wide.csv", lookupCsv(limit + 10));
    const [narrow, wide] = [narrowLibrary.store, wideLibrary.store];
    try {
      const question = "What is the total number of emergency admissions?";
      expect((await createTableAnswerer({ store: narrow }).answer(question))?.answer).toMatch(/\d/);
      expect((await wide.tables.list())[0]?.columns.length).toBe(limit + 10);
      expect(await createTableAnswerer({ store: wide }).answer(question)).toBeNull();
      expect(await createTableAnswerer({ store: wide }).answer("is there a limit on how many homes an RI can be responsible for?")).toBeNull();
    } finally {
      await narrowLibrary.close();
      await wideLibrary.close();
    }
  });
});
