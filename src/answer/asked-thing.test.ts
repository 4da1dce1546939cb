/**
 * The thing a "what <thing> ..." question asks for leads the answer: a sentence that speaks of it answers before one
 * that speaks only of the question's subject. And a provision's paragraph restates guidance only when it states the
 * guidance's figures.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDefaultGlossary } from "../retrieval/glossary.ts";
import { analyseQuery } from "../retrieval/query.ts";
import { createSearcher } from "../retrieval/search.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import type { Store } from "../store/types.ts";
import { sampleDocument } from "../store/test-fixtures/sample-documents.ts";
import type { ExtractiveAnswerer, WeightedConcept } from "./extractive-answerer.ts";
import { askedThing, createExtractiveAnswerer, statesSameFigures } from "./extractive-answerer.ts";
import { classifyQuestion } from "./question-type.ts";

const weighted = (question: string): WeightedConcept[] => analyseQuery(question, loadDefaultGlossary()).concepts.map((concept) => ({ concept, weight: 1 }));
const asked = (question: string): string | null => askedThing(question, weighted(question), classifyQuestion(question))?.label ?? null;

describe("the thing a question asks for", () => {
  it("is the subject word after 'what' or 'which', for a question answered by a sentence", () => {
    expect(asked("What experience must a registered manager have?")).toBe("experience");
    expect(asked("What checks must be made before a new member of staff starts?")).toBe("checks");
    // No thing named ("What does ..."), or the answer's own shape says what it is (a figure).
    expect(asked("What does the role of a responsible individual entail?")).toBeNull();
    expect(asked("What percentage of children in care are placed out of area?")).toBeNull();
    // A verb after "what" asks for no thing; nor does a word that is not followed by the verb of the question.
    expect(asked("What happens to our leadership grade if the manager has not applied to register?")).toBeNull();
    expect(asked("What SEMH support can children get while they wait?")).toBeNull();
  });

  it("restates guidance from a provision only where the provision states the guidance's figures", () => {
    expect(statesSameFigures("Any staff member starting in a care role has 2 years to gain the qualification.", "the date which falls 2 years after the date")).toBe(true);
    expect(statesSameFigures("Regulations 48 and 49 require notice if the manager is absent for 28 days or more.", "not later than 7 days after the date of return")).toBe(false);
    // Citations are no figures of the requirement: "Regulation 32(4)" and "Regulations 2015" leave nothing to match.
    expect(statesSameFigures("Staff should meet regulation 32(4) of the Children's Homes Regulations 2015 on mandatory qualifications.", "the appropriate qualification")).toBe(true);
    // Every provision word and instrument of question-words.json, plural or not: the 20 days alone must be restated.
    const guidance = "Under the Children Act 1989, section 22(3), Schedules 2 and paragraph 4(1)(b), review within 20 days.";
    expect(statesSameFigures(guidance, "section 22 of the Act 1989 and paragraph 4")).toBe(false);
    expect(statesSameFigures(guidance, "a review no later than 20 working days")).toBe(true);
  });
});

describe("an answer speaking of the thing asked", () => {
  let store: Store;
  let answerer: ExtractiveAnswerer;

  beforeAll(async () => {
    store = openSqliteStore({ path: ":memory:" });
    const pages = [
      "The registered manager must undertake continuing professional development so that the registered manager keeps the skills needed.\n\nStaff experience and training records are kept for every member of staff.",
      "A registered manager should have substantial relevant experience of working in a children's home.",
      ...["fostering allowances", "adoption panels", "school admissions", "youth justice", "short breaks", "kinship care"].map(
        (subject) => `This note describes ${subject}, the experience of families, and how the service for ${subject} is arranged this year.`,
      ),
    ];
    const guide = sampleDocument("Guide.pdf", { format: "pdf", paged: true, paragraphsPerPage: 2, text: pages.join("\n\n") });
    await store.documents.replace(guide.document, guide.units, guide.chunks);
    answerer = createExtractiveAnswerer({ store, searcher: createSearcher(store) });
  });

  afterAll(async () => {
    await store.close();
  });

  it("leads with the sentence about experience, not the one about the manager's other duties", async () => {
    const answer = await answerer.answer("What experience must a registered manager have?");
    expect(answer.answer.split("\n")[0]).toContain("substantial relevant experience");
  });
});
