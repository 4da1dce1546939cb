import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { answerShapeWords, classifyQuestion, hasSearchedShape, parseShapeCues, shapeFit } from "./question-shape.ts";

const shipped = (): Record<string, unknown> => JSON.parse(readFileSync(new URL("./question-shape.json", import.meta.url), "utf8")) as Record<string, unknown>;

describe("question-shape.json", () => {
  it("holds the cues the search and the answerer read", () => {
    const cues = parseShapeCues(shipped());
    expect(cues.question.definition.length).toBeGreaterThan(0);
    expect(cues.retrieval.map((rule) => rule.passage)).toEqual(expect.arrayContaining(["roleAndName", "dayAndMonth", "percentage", "digit"]));
    expect(answerShapeWords.has("proportion")).toBe(true);
  });

  it("rejects a retrieval rule naming a passage shape that does not exist, and a broken pattern", () => {
    const file = shipped();
    expect(() => parseShapeCues({ ...file, retrieval: [{ question: "who", passage: "nowhere" }] })).toThrow(/nowhere/);
    expect(() => parseShapeCues({ ...file, passage: { ...(file.passage as object), digit: "(" } })).toThrow();
  });
});

describe("one analysis per question", () => {
  it("reads a question once and hands the same shape to every caller", () => {
    const question = "Who chairs the Cambridgeshire Placements Strategy Sponsor Group?";
    expect(classifyQuestion(question)).toBe(classifyQuestion(question));
  });

  it("says which passages the search favours, from the same shape the answerer fits", () => {
    const who = classifyQuestion("Who chairs the sponsor group?");
    expect(who.type).toBe("name");
    expect(hasSearchedShape(who, "The group is chaired by the director Jane Smith.")).toBe(true);
    expect(hasSearchedShape(who, "The group meets monthly.")).toBe(false);
    expect(shapeFit(who, "The group is chaired by the director Jane Smith.")).toBeGreaterThan(shapeFit(who, "The group meets monthly."));

    const share = classifyQuestion("What percentage of children live out of area?");
    expect(hasSearchedShape(share, "58.8% live outside the footprint")).toBe(true);
    expect(hasSearchedShape(share, "Most live outside the footprint")).toBe(false);
    expect(classifyQuestion("Describe the placement market").searchShapes).toEqual([]);
  });
});

describe("requirement timescales", () => {
  it("answers how soon, by when and what timescales with a requirement's timescale", () => {
    for (const question of ["How soon must we notify Ofsted of a serious incident?", "Restraint in a children's home - what are the timescales for the record?"]) {
      const shape = classifyQuestion(question);
      expect(shape.wantsTimescale).toBe(true);
      expect(shapeFit(shape, "The registered person must notify HMCI within 24 hours of the incident.")).toBe(1);
      expect(shapeFit(shape, "A record must be made without delay.")).toBe(1);
      expect(shapeFit(shape, "Incidents are recorded in the home's log.")).toBeLessThan(1);
    }
    expect(classifyQuestion("What qualification does a registered manager need?").wantsTimescale).toBeUndefined();
  });
});

describe("how often", () => {
  it("is answered by a frequency, not by a footnote's or a regulation's number", () => {
    const shape = classifyQuestion("How often does a looked after child's health plan get reviewed?");
    const frequency = shapeFit(shape, "The review must happen at least once every six months before a child's fifth birthday.");
    const footnote = shapeFit(shape, "This must be done in accordance with the relevant Regulations.6");
    expect(frequency).toBe(1);
    expect(footnote).toBeGreaterThan(0);
    expect(footnote).toBeLessThan(0.5);
  });
});

describe("small numbers in words", () => {
  it("searches an age as the words a passage writes it in, but not a number that labels something", async () => {
    const { analyseQuery } = await import("./query.ts");
    const { loadDefaultGlossary } = await import("./glossary.ts");
    const forms = (question: string, label: string): string[] =>
      analyseQuery(question, loadDefaultGlossary())
        .concepts.find((concept) => concept.label === label)
        ?.forms.flatMap((form) => form.words) ?? [];
    expect(forms("How often is the health plan of a child under 5 reviewed?", "5")).toEqual(expect.arrayContaining(["5", "five", "fifth"]));
    expect(forms("Who must hold a level 3 diploma?", "3")).toEqual(["3"]);
  });
});

describe("a text's names and figures, kept per text", () => {
  it("counts a name or a figure as new against each question's own words, whichever question read the text first", () => {
    const sentence = "Adrian Loades attended.";
    const asksWho = classifyQuestion("Who chairs the sponsor group?");
    const namesHim = classifyQuestion("Who is Adrian Loades?");
    expect(shapeFit(asksWho, sentence)).toBeGreaterThan(0);
    // The name is the second question's own: nothing new.
    expect(shapeFit(namesHim, sentence)).toBe(0);
    expect(shapeFit(namesHim, sentence)).toBe(shapeFit(classifyQuestion("Who is Adrian Loades?"), sentence));
    expect(shapeFit(asksWho, sentence)).toBe(shapeFit(classifyQuestion("Who chairs the sponsor group?"), sentence));
    const cost = classifyQuestion("What is the weekly cost of a placement?");
    const statesIt = classifyQuestion("Is the weekly cost of a placement 4500?");
    const stated = "The weekly cost of a placement is 4500.";
    expect(shapeFit(cost, stated)).toBeGreaterThan(0);
    // The same sentence, already read for the first question: its only figure is the second question's own.
    expect(shapeFit({ ...cost, questionWords: statesIt.questionWords }, stated)).toBe(0);
    expect(shapeFit(cost, stated)).toBeGreaterThan(0);
  });
});
