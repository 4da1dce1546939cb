import { describe, expect, it } from "vitest";
import type { QuestionContext } from "./question-analysis.ts";
import { analyseQuestion } from "./question-analysis.ts";

/** A library holding these words (passage counts), and a glossary of the field's words. */
function libraryOf(counts: Record<string, number>, glossary: string[]): QuestionContext {
  return {
    passagesHolding: async (terms) => new Map(terms.map((term) => [term, counts[term] ?? 0])),
    holdsWord: async (word) => (counts[word] ?? 0) > 0,
    glossaryWords: new Set(glossary),
  };
}

describe("typos read against the glossary", () => {
  it("reads a typo as the glossary's word one edit away, even one few passages spell", async () => {
    const library = libraryOf({ safeguarding: 1, children: 90, policy: 30 }, ["safeguarding", "ofsted"]);
    const analysis = await analyseQuestion("What must a safegaurding policy cover for children?", library);
    expect(analysis.corrections).toEqual([{ from: "safegaurding", to: "safeguarding" }]);
    // Shorter words than the library's own correction takes, when the glossary knows them.
    expect((await analyseQuestion("When did Ofstd last inspect?", library)).corrections).toEqual([{ from: "Ofstd", to: "ofsted" }]);
  });

  it("leaves a word the library holds, a glossary word, and a word near neither", async () => {
    const library = libraryOf({ vaping: 0, policy: 30 }, ["ofsted", "vetting"]);
    expect((await analyseQuestion("What should our policy say about vaping?", library)).corrections).toEqual([]);
    expect((await analyseQuestion("What is vetting?", library)).corrections).toEqual([]);
  });

  it("uses the shipped glossary by default", async () => {
    const library: QuestionContext = { passagesHolding: async (terms) => new Map(terms.map((term) => [term, 0])), holdsWord: async () => false };
    expect((await analyseQuestion("What does a Responsible Indeividual do?", library)).corrections.map((correction) => correction.to)).toEqual(["individual"]);
  });
});

describe("ages written as plurals", () => {
  it("reads 'under 5s' and 'over-16s' as the age the library writes", async () => {
    const library = libraryOf({ health: 40, plan: 30 }, []);
    expect((await analyseQuestion("How often is a health plan reviewed - under 5s vs older?", library)).text).toBe("How often is a health plan reviewed - under 5 vs older?");
    expect((await analyseQuestion("What support do over-16s get?", library)).text).toBe("What support do over-16 get?");
    expect((await analyseQuestion("What changed in the 1990s?", library)).text).toBe("What changed in the 1990s?");
  });
});
