import { describe, expect, it } from "vitest";
import { compileGlossary, loadDefaultGlossary } from "./glossary.ts";
import { analyseQuery, spelledOutAcronyms } from "./query.ts";
import { classifyQuestion, definesTerm, shapeFit } from "./question-shape.ts";
import { words } from "./tokenize.ts";

const formsOf = (question: string, label: string): string[] =>
  analyseQuery(question, loadDefaultGlossary())
    .concepts.find((concept) => concept.label === label)
    ?.forms.map((form) => form.words.join(" ")) ?? [];

describe("an acronym the question spells out in brackets", () => {
  it("makes the words and the acronym one concept, so a passage with either holds it", () => {
    const question = "what counts as a child missing education (CME)?";
    const concepts = analyseQuery(question, loadDefaultGlossary()).concepts;
    expect(concepts.map((concept) => concept.label)).toEqual(["counts", "child missing education (cme)"]);
    expect(formsOf(question, "child missing education (cme)")).toEqual(["child missing education", "children missing education", "cme"]);
  });

  it("allows small joining words and mixed case, and leaves brackets that are not an acronym of the words alone", () => {
    const adoption = "What is Fostering for Adoption (FfA)?";
    expect(spelledOutAcronyms(adoption, words(adoption))).toEqual([{ start: 2, end: 5, acronymAt: 5 }]);
    const name = "Who runs the regional adoption agency (Aspire)?";
    expect(spelledOutAcronyms(name, words(name))).toEqual([]);
    const lower = "what is the thing (abc)?";
    expect(spelledOutAcronyms(lower, words(lower))).toEqual([]);
  });
});

describe("irregular forms of a word", () => {
  it("reads 'child' and 'children', 'person' and 'people' as one word, from the glossary's inflections", () => {
    expect(formsOf("Which people may visit?", "people")).toEqual(["people", "person"]);
    const child = analyseQuery("Where does each child sleep?", loadDefaultGlossary()).concepts[0];
    expect(child?.forms.filter((form) => form.original).map((form) => form.words.join(" ")).sort()).toEqual(["child", "children"]);
    const glossary = compileGlossary({ groups: [], spellings: [], inflections: [["person", "people"]] });
    expect(analyseQuery("which people", glossary).concepts[0]?.forms.map((form) => form.words[0])).toEqual(["people", "person"]);
  });

  it("reads the informal 'kid' as the child or pupil a document writes of", () => {
    const forms = analyseQuery("A new kid starts at school", loadDefaultGlossary()).concepts.find((concept) => concept.forms.some((form) => form.words[0] === "kid"))?.forms;
    expect(forms?.map((form) => form.words.join(" "))).toEqual(expect.arrayContaining(["child", "children", "pupil"]));
  });

  it("weighs a word the question repeats once", () => {
    const labels = analyseQuery("A new kid starts at school - how long has the school got?", loadDefaultGlossary()).concepts.map((concept) => concept.label);
    expect(labels.filter((label) => label === "school")).toHaveLength(1);
  });
});

describe("a definition found in a passage", () => {
  const shape = classifyQuestion("what counts as a child missing education (CME)?");

  it("is the term's defining sentence, wherever in the passage it opens", () => {
    const defining = "Introduction - overview\n\nAll children are entitled to an education.\n\nChildren missing education are children of compulsory school age who are not registered pupils at a school.";
    expect(definesTerm(shape, defining)).toBe(true);
    expect(definesTerm(shape, "Local authorities should trace children missing education quickly.")).toBe(false);
    expect(definesTerm(classifyQuestion("How many homes are there?"), defining)).toBe(false);
  });

  it("is found whatever the case and number its words are written in", () => {
    // The text is looked through for the term's words before its words are made singular: "tenancies" holds
    // "tenanc", not "tenancy"; capitals are the term's words too.
    const tenancy = classifyQuestion("what counts as a secure tenancy?");
    expect(definesTerm(tenancy, "Secure Tenancy means a tenancy let by a council.")).toBe(true);
    expect(definesTerm(shape, "CHILDREN MISSING EDUCATION are children of compulsory school age who are not registered pupils.")).toBe(true);
    // Named, not defined: a mention fits better than a passage without the term.
    const mention = shapeFit(tenancy, "Councils let secure tenancies to young people leaving care.");
    expect(mention).toBeGreaterThan(shapeFit(tenancy, "A council may let a secure flat under a tenancy."));
    expect(mention).toBe(shapeFit(tenancy, "Councils let a secure tenancy to young people leaving care."));
  });
});
