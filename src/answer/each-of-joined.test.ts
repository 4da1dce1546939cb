/**
 * "X had an ILACS and an area SEND inspection - what were the outcomes of each?": a question asking the same of each
 * of the things one clause joins with "and" is answered thing by thing, each part readable alone (its place lent).
 */
import { describe, expect, it } from "vitest";
import type { QuestionContext } from "./question-analysis.ts";
import { analyseQuestion, eachOfJoined } from "./question-analysis.ts";

const library: QuestionContext = {
  passagesHolding: async (terms) => new Map(terms.map((term) => [term, 5])),
  holdsWord: async () => true,
};

describe("a question asking the same of each of two things", () => {
  it("asks of each thing on its own, the first thing's place lent to the others", () => {
    expect(eachOfJoined("Blackpool had an ILACS in Dec 2022 and an area SEND inspection in May 2024 - what were the headline outcomes of each?")).toEqual([
      "Blackpool had an ILACS in Dec 2022 - what were the headline outcomes?",
      "Blackpool - an area SEND inspection in May 2024 - what were the headline outcomes?",
    ]);
    expect(eachOfJoined("The fostering panel and the adoption panel: how often must both meet?")).toEqual([
      "The fostering panel - how often must meet?",
      "the adoption panel - how often must meet?",
    ]);
  });

  it("leaves alone a phrase joined by 'and', and a question that asks nothing of each", () => {
    expect(eachOfJoined("What support do children and families get? Describe each")).toBeNull();
    expect(eachOfJoined("How many children and young people are in care in Kent?")).toBeNull();
    expect(eachOfJoined("Blackpool had an ILACS in Dec 2022 and an area SEND inspection in May 2024 - what were the headline outcomes?")).toBeNull();
  });

  it("gives the analysis one part per thing", async () => {
    const analysis = await analyseQuestion("Kent had a focused visit in 2023 and an ILACS in 2026 - what did each find?", library);
    expect(analysis.parts).toEqual(["Kent had a focused visit in 2023 - what did find?", "Kent - an ILACS in 2026 - what did find?"]);
  });
});
