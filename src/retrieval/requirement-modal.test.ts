/**
 * "must" in a question says a requirement is wanted, as "should" and "may" do (stop words): it weighs like the other
 * answer-shape words, not like the thing asked about, so "what must it include about admissions?" is about admissions.
 */
import { describe, expect, it } from "vitest";
import { loadDefaultGlossary } from "./glossary.ts";
import { analyseQuery } from "./query.ts";
import { answerShapeWordWeight } from "./question-shape.ts";

describe("a requirement's modal verb in a question", () => {
  it("weighs 'must' as an answer-shape word and the subject in full", () => {
    const concepts = analyseQuery("What must a statement of purpose include about admissions?", loadDefaultGlossary()).concepts;
    expect(concepts.find((concept) => concept.label === "must")?.weightFactor).toBe(answerShapeWordWeight);
    expect(concepts.find((concept) => concept.label === "admissions")?.weightFactor).toBe(1);
    expect(answerShapeWordWeight).toBeLessThan(1);
  });
});
