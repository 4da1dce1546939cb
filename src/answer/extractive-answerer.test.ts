import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnswerFixture } from "./answer-fixture.ts";
import { devQuestions, libraryFixture, unanswerableQuestions } from "./answer-fixture.ts";
import { createSearcher } from "../retrieval/search.ts";
import { createExtractiveAnswerer, refusalSentence, renderRow, splitSentences } from "./extractive-answerer.ts";
import type { ExtractiveAnswerer } from "./extractive-answerer.ts";
import type { Answer } from "./types.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";
import { ingestSmallLibrary, type SmallLibrary } from "../../test/support/small-library.ts";

let fixture: AnswerFixture;

beforeAll(async () => {
  if (withoutCorpus()) return;
  fixture = await libraryFixture();
});

afterAll(() => fixture?.store.close());

/** Every citation's quote must be text of its own page, exactly. */
async function expectQuotesOnTheirPages(answer: Answer): Promise<void> {
  const documents = await fixture.store.documents.list();
  for (const citation of answer.citations) {
    const document = documents.find((candidate) => candidate.fileName === citation.file);
    expect(document, citation.file).toBeDefined();
    const pages = ((await fixture.store.documents.unitTexts([document?.id ?? -1])).get(document?.id ?? -1) ?? []).filter((unit) => unit.page === citation.page);
    expect(pages.some((unit) => unit.text.includes(citation.quote)), `[${citation.n}] ${citation.quote}`).toBe(true);
    expect(citation.quote.trim().length).toBeGreaterThan(0);
  }
}

/** Every [n] in the text names a citation, every citation is used, numbered 1..n in order of first use. */
function expectMarkersMatchCitations(answer: Answer): void {
  const used = [...answer.answer.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
  const firstUse = [...new Set(used)];
  expect(firstUse).toEqual(answer.citations.map((citation) => citation.n));
  expect(answer.citations.map((citation) => citation.n)).toEqual(answer.citations.map((_, index) => index + 1));
}

describe("splitSentences and renderRow", () => {
  it("splits wrapped lines, bullets and sentences without losing text", async () => {
    const text = "We have two homes, Oakhurst and\nLyndene, that will continue. Dr. Smith agreed.\n\n• Invite immediate neighbours\n• Speak to local leaders";
    expect(splitSentences(text)).toEqual([
      "We have two homes, Oakhurst and\nLyndene, that will continue.",
      "Dr. Smith agreed.",
      "Invite immediate neighbours",
      "Speak to local leaders",
    ]);
  });

  it("shows a table row with its column names", async () => {
    expect(renderRow("Name | Role", "Adrian Loades | Chair")).toBe("Name: Adrian Loades; Role: Chair");
    expect(renderRow(null, "In-house Foster Care | £460 per week")).toBe("In-house Foster Care; £460 per week");
  });
});

describe.skipIf(withoutCorpus())("extractive answerer on the dev questions", () => {
  for (const item of withoutCorpus() ? [] : devQuestions()) {
    it(`${item.id ?? ""}: ${item.question}`, async () => {
      const answer = await fixture.answerer.answer(item.question);
      expect(answer.refused).toBe(false);
      expect(answer.mode).toBe("extractive");
      const text = answer.answer.toLowerCase();
      expect(item.answers.some((accepted) => text.includes(accepted.toLowerCase())), answer.answer).toBe(true);
      const goldCited = answer.citations.some((citation) =>
        item.gold.some((gold) => gold.file === citation.file && gold.pages.includes(citation.page)),
      );
      expect(goldCited, JSON.stringify(answer.citations)).toBe(true);
      await expectQuotesOnTheirPages(answer);
      expectMarkersMatchCitations(answer);
      // Each line of the answer that says something carries a citation.
      for (const line of answer.answer.split("\n")) {
        if (line.trim().length === 0 || line === "Supporting points:") continue;
        expect(line).toMatch(/\[\d+\]$/);
      }
    });
  }

  it("answers with a table row whose page names the field's acronym in another form", async () => {
    // "CLA" is vocabulary, not a name: the row need not repeat it (its table is about children in care).
    const answer = await fixture.answerer.answer("What proportion of CLA in Notts are placed out of county?");
    expect(answer.refused).toBe(false);
    expect(answer.answer.split("\n")[0]).toContain("58.8%");
    expect(answer.citations[0]).toMatchObject({ file: "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf", page: 5 });
  });

  it("puts the figure first for a table question", async () => {
    const answer = await fixture.answerer.answer("What is Cambridgeshire's weekly cost for in-house residential children's homes?");
    const firstLine = answer.answer.split("\n")[0] ?? "";
    expect(firstLine).toContain("£2,278");
    expect(answer.citations[0]?.quote).toBe("In-house Residential Children's Homes | £2,278 per week | £2,611 per week");
    expect(answer.citations[0]?.page).toBe(4);
  });
});

describe.skipIf(withoutCorpus())("honest refusal", () => {
  for (const question of unanswerableQuestions) {
    it(question, async () => {
      const answer = await fixture.answerer.answer(question);
      expect(answer.refused).toBe(true);
      expect(answer.answer.startsWith(refusalSentence)).toBe(true);
      expect(answer.answer).toContain("Nearest passages:");
      expect(answer.citations.length).toBeGreaterThan(0);
      await expectQuotesOnTheirPages(answer);
      expectMarkersMatchCitations(answer);
    });
  }

  it("names what the library lacks", async () => {
    const answer = await fixture.answerer.answer("Who is the Director of Children's Services in Leeds in 2031?");
    expect(answer.answer).toContain('"Leeds"');
  });
});

describe.skipIf(withoutCorpus())("broad questions", () => {
  it.each([
    "What are the challenges in children's residential care?",
    "Who are the key stakeholders for a new children's home?",
    "Describe the landscape of residential care placements",
  ])("%s gets a briefing by theme across documents", async (question) => {
    const answer = await fixture.answerer.answer(question);
    expect(answer.refused).toBe(false);
    expect(answer.answer.split("\n").filter((line) => line.startsWith("### ")).length).toBeGreaterThanOrEqual(2);
    expect(new Set(answer.citations.map((citation) => citation.file)).size).toBeGreaterThanOrEqual(2);
    await expectQuotesOnTheirPages(answer);
    expectMarkersMatchCitations(answer);
    for (const line of answer.answer.split("\n")) {
      if (line.startsWith("- ")) expect(line).toMatch(/\[\d+\]$/);
    }
  });
});

/** An extractive answerer over a small library of these files (name to text), ingested into an in-memory store. */
async function answererOver(files: Record<string, string>, prefix: string): Promise<{ library: SmallLibrary; answerer: ExtractiveAnswerer }> {
  const library = await ingestSmallLibrary(files, { prefix });
  return { library, answerer: createExtractiveAnswerer({ store: library.store, searcher: createSearcher(library.store) }) };
}

describe.skipIf(withoutCorpus())("evidence that only looks like an answer", () => {
  it("skips a contents page's page numbers, and an LA whose name holds the one asked about", async () => {
    const files: Record<string, string> = {};
    files["Exampleshire Sufficiency Strategy.md"] = [
      "# Contents",
      "",
      "| Section | Page |",
      "| --- | --- |",
      "| Purpose | 4 |",
      "| Profile of Exampleshire Children in Care | 24 |",
      "| Action Plan | 27 |",
      "",
      "# Profile",
      "",
      "Of our 953 children, 55.2% are in unrelated foster care.",
    ].join("\n");
    files["North Somerset briefing.md"] = "# Briefing\n\nNorth Somerset's partnership runs 12 children's homes with local providers.\n";
    files["Somerset briefing.md"] = "# Briefing\n\nThe partnership will provide up to 10 children's homes.\n";
    // A data set: every row is a children's home; one belongs to a company with "Scotland" in its name.
    const providers = ["URN,Provision type,Local authority,Owner,Places"];
    for (let index = 0; index < 60; index++) {
      providers.push(`SC${100000 + index},Children's home,${index === 7 ? "Exampleshire" : "Kent"},${index === 3 ? "INSPIRE SCOTLAND LIMITED" : "Care Ltd"},${(index % 5) + 2}`);
    }
    files["providers.csv"] = `${providers.join("\n")}\n`;
    const { library, answerer } = await answererOver(files, "hearth-lookalike-");
    const count = await answerer.answer("How many children are in care in Exampleshire?");
    expect(count.answer.split("\n")[0]).toContain("953 children");
    expect(count.citations.map((citation) => citation.quote)).not.toContainEqual(expect.stringContaining("| 24"));
    const homes = await answerer.answer("How many children's homes will the Somerset partnership provide?");
    expect(homes.answer.split("\n")[0]).toContain("up to 10 children's homes");
    expect(homes.citations[0]?.file).toBe("Somerset briefing.md");
    // A row that only mentions "Scotland" is no count of homes in Scotland; a row whose column counts places is one.
    expect((await answerer.answer("How many children's homes are there in Scotland?")).refused).toBe(true);
    const places = await answerer.answer("How many places does the Exampleshire children's home have?");
    expect(places.answer.split("\n")[0]).toContain("Local authority: Exampleshire");
    expect(places.answer.split("\n")[0]).toContain("Places: 4");
    await library.close();
  });
});

describe.skipIf(withoutCorpus())("a library with a large data set", () => {
  it("finds a 'how often' answer by its frequency wording among a data set's rows", async () => {
    const files: Record<string, string> = {};
    files["Inspection framework.md"] = [
      "# Scheduling",
      "",
      "## Frequency of inspections",
      "",
      "Children's homes normally receive a full inspection at least once annually.",
      "",
      "## Judgements",
      "",
      "Inspectors judge the overall experiences and progress of children.",
    ].join("\n");
    // 400 rows, each naming a children's home and its latest inspection: "inspection" is in most passages.
    const rows = ["URN,Provision type,Local authority,Latest full inspection,Latest inspection outcome"];
    for (let index = 0; index < 400; index++) rows.push(`SC${200000 + index},Children's home,Kent,Full inspection ${index % 28 + 1}/03/2025,Good`);
    files["provider register.csv"] = `${rows.join("\n")}\n`;
    const { library, answerer } = await answererOver(files, "hearth-dataset-");
    const often = await answerer.answer("How often are children's homes inspected?");
    expect(often.answer.split("\n")[0]).toContain("at least once annually");
    expect(often.citations[0]?.file).toBe("Inspection framework.md");
    await library.close();
  }, 60_000);
});
