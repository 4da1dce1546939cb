import { describe, expect, it } from "vitest";
import { classifyQuestion, definedTerm, shapeFit } from "./question-type.ts";

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

  it("wants the thing counted for 'how many', never a date's or an address's numbers", () => {
    const children = classifyQuestion("How many children were in care in Hampshire at the focused visit?");
    expect(children.counted).toBe("children");
    expect(shapeFit(children, "The local authority is currently caring for 1,827 children.")).toBe(1);
    expect(shapeFit(children, "This letter summarises the focused visit on 31 January and 1 February 2023.")).toBe(0);
    expect(shapeFit(children, "3rd Floor, Elizabeth II Court North, Winchester")).toBe(0);
    const homes = classifyQuestion("How many children's homes will the partnership provide?");
    expect(shapeFit(homes, "Up to 10 children’s homes")).toBe(1);
    expect(shapeFit(classifyQuestion("How many placements will the service add?"), "increase capacity by at least fifty-five placements")).toBe(1);
    // "places" is not "placed", and a paragraph's own number ("1.2") is no figure; a table row read with its column
    // names counts what its column is named after.
    const places = classifyQuestion("How many places does the secure children's home have?");
    expect(shapeFit(places, "1.2 Children may be placed in secure children's homes if they:")).toBe(0);
    expect(shapeFit(places, "Children may be placed in 12 secure children's homes")).toBe(0.3);
    expect(shapeFit(places, "Provision type: Secure children's home; Places: 16; Sector: Local Authority")).toBe(1);
    expect(classifyQuestion("How many does Notts have?").counted).toBeUndefined();
  });

  it("reads a table cell's semicolons as list items", () => {
    const list = classifyQuestion("What are the mitigations for the school development risk?");
    expect(list.type).toBe("list");
    expect(shapeFit(list, "Close liaison with the regional office; Significant development work; School site agreed.")).toBeGreaterThanOrEqual(0.5);
    expect(shapeFit(list, "Close liaison with the regional office")).toBe(0);
  });

  it("wants a length of time for 'how long'", () => {
    const contract = classifyQuestion("How long is the Somerset strategic partner contract?");
    expect(shapeFit(contract, "10 year contract")).toBe(1);
    expect(shapeFit(contract, "Exchanged contracts on 2 homes")).toBe(0.4);
    expect(shapeFit(contract, "Property owned by SCC")).toBe(0);
  });
});

describe("definitions", () => {
  it("finds the term a definition question asks about, and its acronym", () => {
    expect(definedTerm("what counts as a child missing education (CME)?")).toEqual({ keys: ["child", "missing", "education"], acronym: "CME" });
    expect(definedTerm("What does NIPE stand for in Norfolk?")).toEqual({ keys: ["nipe"], acronym: "NIPE" });
    expect(definedTerm("What is the number of children in care?")).toBeNull();
    expect(definedTerm("What is Kent's overall grade?")).toBeNull();
  });

  it("prefers the defining sentence and the expansion to a sentence that only uses the term", () => {
    const cme = classifyQuestion("what counts as a child missing education (CME)?");
    expect(shapeFit(cme, "Children missing education are children of compulsory school age who are not registered pupils at a school.")).toBe(1);
    expect(shapeFit(cme, "Local authorities have other duties to support their work on CME.")).toBeLessThan(0.5);
    const ffa = classifyQuestion("What is Fostering for Adoption (FfA)?");
    expect(shapeFit(ffa, "Fostering for Adoption (FfA) is about those cases where a child is placed with carers who are both approved adopters and approved foster carers.")).toBe(1);
    expect(shapeFit(classifyQuestion("What does NIPE stand for?"), "Continued investment in Norfolk’s Institute for Practice Excellence (NIPE) ensures support")).toBe(1);
    const issue = classifyQuestion("In the West Sussex residential QA survey what counts as an issue?");
    expect(shapeFit(issue, "Something is considered to be an issue when a minimum of two negative responses have been made")).toBe(1);
  });

  it("reads a count in words, none included, and a duration in words or at the end of a range", () => {
    const count = classifyQuestion("How many children were living in unregistered homes?");
    expect(shapeFit(count, "No children were living in unregistered children’s homes at the time of the inspection.")).toBe(1);
    expect(shapeFit(count, "Two children live in unregistered homes.")).toBe(1);
    const duration = classifyQuestion("How long does the school have to tell the local authority?");
    expect(shapeFit(duration, "Schools must notify the local authority within a week")).toBe(1);
    expect(shapeFit(duration, "a review between 6 and 12 months later")).toBe(1);
  });

  it("wants a grade for 'what grade' and an amount of money for 'how much is the fee'", () => {
    const grade = classifyQuestion("What ILACS grade did Westmorland and Furness get?");
    expect(shapeFit(grade, "Cumberland and Westmorland and Furness unitary authorities came into being on 1 April 2023.")).toBe(0);
    expect(shapeFit(grade, "Overall effectiveness: Requires improvement to be good")).toBe(1);
    const fee = classifyQuestion("How much is the registration fee for a new children's home?");
    expect(shapeFit(fee, "the inspector usually spends up to 4 days on site")).toBe(0);
    expect(shapeFit(fee, "The fee is £2,000 per year")).toBe(1);
  });
});

