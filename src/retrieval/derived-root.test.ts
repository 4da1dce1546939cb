/**
 * Words the stemmer leaves apart although they are one idea: a noun whose verb's root is one syllable ("placement",
 * "children placed") is searched with its root as a variant, as Porter already does for longer roots ("assessment",
 * "assessed"); and verbs whose meaning lies in what follows them ("make them welcome", "look like") weigh less than
 * the thing asked about.
 */
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../store/sqlite-store.ts";
import { sampleDocument } from "../store/test-fixtures/sample-documents.ts";
import { derivedRoot } from "./derived-root.ts";
import { loadDefaultGlossary } from "./glossary.ts";
import { analyseQuery } from "./query.ts";
import { answerShapeWordWeight } from "./question-shape.ts";
import { createSearcher } from "./search.ts";

const glossary = loadDefaultGlossary();

describe("a noun the stemmer keeps apart from its verb", () => {
  it("takes -ment off where the stemmer did not, and only there", () => {
    expect(derivedRoot("placement")).toBe("place");
    expect(derivedRoot("placements")).toBe("place");
    expect(derivedRoot("treatment")).toBe("treat");
    expect(derivedRoot("movement")).toBe("move");
    // The stemmer links these itself (assess, recruit); a short root is no root ("comment", "element"); a stop word's
    // uses are mostly scaffolding ("statement": "the guidance states").
    for (const word of ["assessment", "recruitment", "comment", "element", "statement", "placed", "welcome"]) expect(derivedRoot(word)).toBeNull();
  });

  it("searches the root as a variant of the question's word", () => {
    const placement = analyseQuery("What should the first days of a placement be like?", glossary).concepts.find((concept) => concept.label === "placement");
    expect(placement?.forms.map((form) => [form.stems.join(" "), form.original])).toEqual([
      ["placement", true],
      ["place", false],
    ]);
  });

  it("finds 'children placed' for a question's 'placement', which no longer marks the passage as off-subject", async () => {
    const store = openSqliteStore({ path: ":memory:" });
    const documents = [
      sampleDocument("Placement Strategy.txt", {
        format: "text",
        paged: true,
        paragraphsPerPage: 1,
        text: "The council's placement strategy sets out the homes it will commission.",
      }),
      sampleDocument("Home guide.txt", {
        format: "text",
        paged: true,
        paragraphsPerPage: 1,
        text: [
          "On the first day a child is placed in the home, staff show them round and introduce the other children.",
          "The first day of the school term is in September.",
          "The kitchen rota is agreed each week.",
        ].join("\n\n"),
      }),
      sampleDocument("Fostering notes.txt", { format: "text", paged: true, paragraphsPerPage: 1, text: "Foster carers are paid an allowance each week." }),
    ];
    for (const sample of documents) await store.documents.replace(sample.document, sample.units, sample.chunks);
    const results = await createSearcher(store).search("what happens on the first day of a placement", { limit: 3 });
    expect(results[0]?.text).toMatch(/^On the first day a child is placed/);
    await store.close();
  });
});

describe("verbs whose meaning lies in what follows them", () => {
  it("weighs 'make', 'look' and 'like' as answer-shape words and the thing asked about in full", () => {
    const concepts = analyseQuery("What should the first days look like - how do we make them welcome?", glossary).concepts;
    const factor = (label: string): number | undefined => concepts.find((concept) => concept.label === label)?.weightFactor;
    expect(factor("make")).toBe(answerShapeWordWeight);
    expect(factor("look")).toBe(answerShapeWordWeight);
    expect(factor("like")).toBe(answerShapeWordWeight);
    expect(factor("welcome")).toBe(1);
    expect(factor("days")).toBe(1);
  });

  it("ranks the passage about the thing asked above one that repeats the light verbs", async () => {
    const store = openSqliteStore({ path: ":memory:" });
    const sample = sampleDocument("Home guide.txt", {
      format: "text",
      paged: true,
      paragraphsPerPage: 1,
      text: [
        "Staff make the rota and make sure the house looks like a home.",
        "A welcoming environment helps a child settle.",
        "The garden is kept tidy by the staff.",
        "Meals are cooked fresh each day.",
        "The fire alarm is tested every Monday.",
        "Visitors sign the book at the door.",
        "Bedrooms are decorated with the young person.",
        "Pocket money is paid on Fridays.",
      ].join("\n\n"),
    });
    await store.documents.replace(sample.document, sample.units, sample.chunks);
    const results = await createSearcher(store).search("how do we make a child welcome and what should it look like", { limit: 2 });
    expect(results[0]?.text).toMatch(/^A welcoming environment/);
    await store.close();
  });
});
