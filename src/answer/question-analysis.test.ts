import { describe, expect, it } from "vitest";
import type { QuestionContext } from "./question-analysis.ts";
import { analyseQuestion, loadQuestionWords } from "./question-analysis.ts";

/** A library that holds these words (with their passage counts), spelt exactly so. */
function libraryOf(counts: Record<string, number>, ownName?: string): QuestionContext {
  return {
    passagesHolding: async (terms) => new Map(terms.map((term) => [term, counts[term] ?? 0])),
    holdsWord: async (word) => (counts[word] ?? 0) > 0,
    ownName,
  };
}

const library = libraryOf({ individual: 40, responsible: 30, role: 50, inspection: 80, statement: 20, purpose: 20, qualification: 12 });

describe("analyseQuestion", () => {
  it("reads a typo as the library's word one edit away, and only a word the library lacks", async () => {
    const analysis = await analyseQuestion("What is the role of a Responsible Indeividual?", library);
    expect(analysis.corrections).toEqual([{ from: "Indeividual", to: "individual" }]);
    expect(analysis.text).toBe("What is the role of a Responsible individual?");
    // A word the library lacks with no close neighbour stays as it is (then the answer says the library lacks it).
    expect((await analyseQuestion("What should our policy say about vaping?", library)).corrections).toEqual([]);
  });

  it("sets task words aside but keeps a question made only of them", async () => {
    const analysis = await analyseQuestion("Mock inspection: outline what the inspection entails", library);
    expect(analysis.taskWords.map((word) => word.toLowerCase())).toEqual(["mock", "outline", "entails"]);
    expect(analysis.text).toBe("inspection: what the inspection");
    expect((await analyseQuestion("Draft KPIs", library)).text).toBe("Draft KPIs");
  });

  it("sets the provider's own name aside: from the profile, or a name ending in Homes that the library never holds", async () => {
    expect((await analyseQuestion("Lumen Way Homes: what must a statement of purpose include?", library)).ownNames).toEqual(["Lumen Way Homes"]);
    const profiled = await analyseQuestion("What qualification does Brightwater's manager need?", libraryOf({ qualification: 3 }, "Brightwater"));
    expect(profiled.ownNames).toEqual(["Brightwater"]);
    expect(profiled.text).toBe("What qualification does manager need?");
  });

  it("tells a question about the provider's own document from one about what the rules want of it", async () => {
    expect((await analyseQuestion("What KPIs are in our business plan for next year?", library)).ownDocument).toBe("business plan");
    expect((await analyseQuestion("Summarise our service model", library)).ownDocument).toBe("service model");
    expect((await analyseQuestion("What should our statement of purpose include?", library)).ownDocument).toBeNull();
    expect((await analyseQuestion("We've revised our statement of purpose - how long do we have to send it?", library)).ownDocument).toBeNull();
  });

  it("parts a multi-part question, each part readable alone", async () => {
    expect((await analyseQuestion("What experience must a registered manager have, and what qualification?", library)).parts).toEqual([
      "What experience must a registered manager have",
      "what qualification must registered manager",
    ]);
    expect((await analyseQuestion("How often should the independent person visit and who gets their report? reg 44", library)).parts).toEqual([
      "How often should the independent person visit reg 44",
      "who gets their report independent person visit reg 44",
    ]);
    expect((await analyseQuestion("What does regulation 44 require?", library)).parts).toEqual(["What does regulation 44 require?"]);
    // Every provision word of question-words.json scopes the parts, as the answerer reads provisions: "paragraph" too.
    expect((await analyseQuestion("How often should the independent person visit and who gets their report? paragraph 12", library)).parts).toEqual([
      "How often should the independent person visit paragraph 12",
      "who gets their report independent person visit paragraph 12",
    ]);
  });

  it("answers a comparison of places place by place", async () => {
    expect((await analyseQuestion("Cambs or Notts - which had the higher net gain of children in childrens homes in 2024?", library)).parts).toEqual([
      "Cambridgeshire: which had the higher net gain of children in childrens homes in 2024?",
      "Nottinghamshire: which had the higher net gain of children in childrens homes in 2024?",
    ]);
    expect((await analyseQuestion("Blackpool CLA rate per 10k in 2025 compared to England?", library)).parts).toEqual([
      "Blackpool: CLA rate per 10k in 2025?",
      "England: CLA rate per 10k in 2025?",
    ]);
    // Two places in one question are not a comparison unless they are joined or compared.
    expect((await analyseQuestion("How many children from Nottinghamshire are placed in Derbyshire?", library)).parts).toHaveLength(1);
  });

  it("reads its word lists from question-words.json", async () => {
    expect(loadQuestionWords().taskWords).toContain("mock");
  });
});
