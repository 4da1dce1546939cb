/**
 * The way providers ask, read through the shipped data files: the search favours a length of time for "how long"
 * and a frequency for "how often" (question-shape.json), the field's acronyms and job titles are one concept with
 * the words the regulations use (glossary.json), and contractions like "whats" carry no weight (stop-words.json).
 */
import { describe, expect, it } from "vitest";
import { loadDefaultGlossary } from "./glossary.ts";
import { analyseQuery } from "./query.ts";
import { classifyQuestion, hasSearchedShape, shapeFit } from "./question-shape.ts";

const formsOf = (question: string): string[][] =>
  analyseQuery(question, loadDefaultGlossary()).concepts.map((concept) => concept.forms.map((form) => form.words.join(" ")));

describe("answer shapes the search favours", () => {
  it("favours a length of time for 'how long' and a frequency for 'how often'", () => {
    const duration = classifyQuestion("How long must a children's home keep case records?");
    expect(hasSearchedShape(duration, "Records must be kept for 75 years from the date of birth.")).toBe(true);
    expect(hasSearchedShape(duration, "Records must be kept securely.")).toBe(false);
    const frequency = classifyQuestion("How often should the independent person visit?");
    expect(hasSearchedShape(frequency, "The independent person must visit the home once each month.")).toBe(true);
    expect(hasSearchedShape(frequency, "The independent person must visit the home.")).toBe(false);
    expect(classifyQuestion("What is the statement of purpose?").searchShapes).not.toContain("duration");
  });
});

describe("the field's words", () => {
  it("reads CPD as continuing professional development", () => {
    expect(formsOf("What CPD does the responsible individual have to do?")).toContainEqual(
      expect.arrayContaining(["cpd", "continuing professional development"]),
    );
  });

  it("reads a residential support worker as the home's staff, and away as absent", () => {
    const forms = formsOf("how long does a new residential support worker have to get their level 3?");
    expect(forms).toContainEqual(expect.arrayContaining(["residential support worker", "staff"]));
    expect(formsOf("How long can our registered manager be away?")).toContainEqual(expect.arrayContaining(["away", "absent", "absence"]));
  });

  it("gives a contraction without its apostrophe no weight", () => {
    const labels = analyseQuery("Whats the average caseload?", loadDefaultGlossary()).concepts.map((concept) => concept.label);
    expect(labels).not.toContain("whats");
    expect(labels).toContain("caseload");
  });
});

describe("a role the question names, beside a new name", () => {
  it("fits a 'who' question when the question's own role stands beside a name", () => {
    const shape = classifyQuestion("Who was the lead inspector on the re-inspection?");
    expect(shapeFit(shape, "Lead inspector: Donna Marriott")).toBe(1);
    // The role repeated without a name beside it, or a name without a role, fits less.
    expect(shapeFit(shape, "The lead inspector met the team on the first day.")).toBeLessThan(1);
    expect(shapeFit(shape, "Donna Marriott wrote to the council.")).toBeLessThan(1);
  });
});

describe("a yes-or-no question that says 'how many'", () => {
  it("wants a sentence, not a count", () => {
    const shape = classifyQuestion("is there a limit on how many homes an RI can be responsible for?");
    expect(shape.type).toBe("description");
    expect(shape.counted).toBeUndefined();
    expect(shapeFit(shape, "There is no limit to the number of homes a Responsible Individual can oversee.")).toBeGreaterThan(0);
    // Put to the assistant, it still asks for the figure.
    const count = classifyQuestion("Can you tell me how many children live in children's homes?");
    expect(count.type).toBe("figure");
    expect(count.counted).toBe("children");
    expect(classifyQuestion("How many homes does the provider run?").type).toBe("figure");
  });
});

describe("a name given in brackets", () => {
  it("fits a 'who' question with the name in brackets after what it names", () => {
    const shape = classifyQuestion("Who does Dorset use as its regional adoption agency?");
    expect(shapeFit(shape, "Active family finding by the regional adoption agency (Aspire) means less delay.")).toBeGreaterThan(0);
    expect(shapeFit(shape, "Active family finding by the regional adoption agency means less delay.")).toBe(0);
    // A year or a number in brackets names no one.
    expect(shapeFit(shape, "Active family finding by the regional adoption agency (2024) means less delay.")).toBe(0);
  });
});

describe("a list asked for at the end", () => {
  it("reads '... - which ones?' as a list question", () => {
    expect(classifyQuestion("Cumberland still shares some services after the split - which ones?").type).toBe("list");
    expect(classifyQuestion("Some services are still shared - what are they?").type).toBe("list");
    expect(classifyQuestion("Cumberland still shares some services after the split.").type).toBe("description");
  });
});
