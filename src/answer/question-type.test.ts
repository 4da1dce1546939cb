import { describe, expect, it } from "vitest";
import { classifyQuestion, shapeFit } from "./question-type.ts";

describe("classifyQuestion", () => {
  it.each([
    ["What percentage of Nottinghamshire's children are in unrelated foster care?", "figure"],
    ["How many Somerset children in care live in Devon?", "figure"],
    ["What is Cambridgeshire's weekly cost for in-house residential children's homes?", "figure"],
    ["Who chairs the Cambridgeshire Placements Strategy Sponsor Group?", "name"],
    ["Which East Midlands project recruited foster carers for asylum seeking children?", "name"],
    ["Which two Nottinghamshire homes provide mainstream residential care?", "list"],
    ["What is the Stronger Families Team made up of?", "list"],
    ["When will the new home open?", "date"],
    ["How will Somerset reassure immediate neighbours of the new home?", "description"],
  ])("%s -> %s", (question, type) => {
    expect(classifyQuestion(question).type).toBe(type);
  });

  it("marks broad questions for a briefing and leaves specific ones alone", () => {
    expect(classifyQuestion("What are the challenges in children's residential care?").briefing).toBe("challenges");
    expect(classifyQuestion("Who are the key stakeholders for a new children's home?").briefing).toBe("stakeholders");
    expect(classifyQuestion("Describe the landscape of residential care").briefing).toBe("landscape");
    expect(classifyQuestion("How many Somerset children in care live in Devon?").briefing).toBeNull();
  });
});

describe("shapeFit", () => {
  it("wants a new number for figure questions and a new name for who questions", () => {
    const figure = classifyQuestion("What percentage of children are in foster care?");
    expect(shapeFit(figure, "55.2% are in unrelated foster care")).toBe(1);
    expect(shapeFit(figure, "Most children are in foster care")).toBe(0);
    const name = classifyQuestion("Who chairs the Placements Strategy Sponsor Group?");
    expect(shapeFit(name, "Adrian Loades | Chair")).toBeGreaterThan(0.9);
    // Capitalised words taken from the question are not an answer.
    expect(shapeFit(name, "Terms of Reference for the Placements Strategy Sponsor Group")).toBeLessThan(0.7);
    // An organisation's acronym answers "who" too; one the question already names does not.
    const owner = classifyQuestion("Who owns the property for Somerset's new homes?");
    expect(shapeFit(owner, "Property owned by SCC")).toBeGreaterThan(0.5);
    expect(shapeFit(classifyQuestion("Who funds the SCC homes?"), "Property owned by SCC")).toBe(0);
  });
});
