import { describe, expect, it } from "vitest";
import { analyseQuestion } from "./question-analysis.ts";

const library = {
  passagesHolding: async (terms: string[]) => new Map(terms.map((term) => [term, 10])),
  holdsWord: async () => true,
};

describe("task words in their -ing forms", () => {
  // "We are writing our statement of purpose" says what the provider is doing, not what the answer is about: a
  // passage that says "in writing" is no nearer to it.
  it("sets 'writing' and 'preparing' aside as it does 'write' and 'prepare'", async () => {
    const writing = await analyseQuestion("Lumen Way Homes is writing its statement of purpose - what must it include about admissions?", library);
    expect(writing.taskWords.map((word) => word.toLowerCase())).toEqual(["writing"]);
    expect(writing.text).not.toMatch(/writing/i);
    const preparing = await analyseQuestion("We are preparing for inspection: what will Ofsted judge?", library);
    expect(preparing.taskWords.map((word) => word.toLowerCase())).toEqual(["preparing"]);
  });
});
