import { describe, expect, it } from "vitest";
import { analyseQuery } from "./query.ts";
import { classifyQuestion, hasSearchedShape } from "./question-shape.ts";
import { loadDefaultGlossary } from "./glossary.ts";
import { titleHoldsTerm, writtenAsName } from "./search.ts";
import { stems } from "./tokenize.ts";

describe("a term in a document's title with a name set into it", () => {
  const ilacs = stems("inspection of local authority children's services");

  it("finds a long term whose words a council's name interrupts", () => {
    expect(titleHoldsTerm(stems("Inspection of Blackpool local authority children's services"), ilacs, 3)).toBe(true);
    expect(titleHoldsTerm(stems("Inspection of Sunderland City Council local authority children's services"), ilacs, 3)).toBe(true);
  });

  it("keeps the order, the gap limit, and exact matching for short terms", () => {
    expect(titleHoldsTerm(stems("Inspection of Blackpool local authority children's services"), ilacs, 0)).toBe(false);
    expect(titleHoldsTerm(stems("Area SEND inspection of Blackpool Local Area Partnership"), ilacs, 3)).toBe(false);
    expect(titleHoldsTerm(stems("local authority children's services: inspection of"), ilacs, 3)).toBe(false);
    expect(titleHoldsTerm(stems("net number of carers gained"), stems("net gain"), 3)).toBe(false);
    expect(titleHoldsTerm(stems("Net gain of children looked after"), stems("net gain"), 3)).toBe(true);
  });
});

describe("which words of a question name a subject", () => {
  const concept = (question: string, label: string) => {
    const found = analyseQuery(question, loadDefaultGlossary()).concepts.find((candidate) => candidate.label === label);
    if (!found) throw new Error(`no concept ${label} in ${question}`);
    return found;
  };

  it("takes the words the question capitalises as names, not its ordinary words", () => {
    const question = "List the areas Blackpool needs to improve from its last ILACS";
    expect(writtenAsName(concept(question, "blackpool"), question)).toBe(true);
    expect(writtenAsName(concept(question, "areas"), question)).toBe(false);
    expect(writtenAsName(concept(question, "needs"), question)).toBe(false);
    expect(writtenAsName(concept("Does Sunderland's report praise leaders?", "sunderland"), "Does Sunderland's report praise leaders?")).toBe(true);
  });

  it("gives every word the benefit of the doubt in a question written in lower case", () => {
    const question = "whats the name of blackpools children in care council";
    expect(writtenAsName(concept(question, "name"), question)).toBe(true);
  });
});

describe("a list question favours passages that list", () => {
  it("reads a run of bullets as a list's shape", () => {
    const list = classifyQuestion("List the areas Blackpool needs to improve from its last ILACS");
    const bullets = "What needs to improve?\n\n◼ The multi-agency response.\n\n◼ Work with partners.\n\n◼ Sufficient placements.";
    expect(hasSearchedShape(list, bullets)).toBe(true);
    expect(hasSearchedShape(list, "Blackpool needs to improve its work with partners - and quickly.")).toBe(false);
    expect(hasSearchedShape(classifyQuestion("How many homes does Kent have?"), bullets)).toBe(false);
  });
});
