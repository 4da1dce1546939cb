import { describe, expect, it } from "vitest";
import type { SourceRank } from "./briefing.ts";
import { briefingThemes, broadWords, inLeadOrder, isFragment } from "./briefing.ts";

const prose = (display: string, passage = `${display} More follows.`) => ({ quote: display, display, isRow: false, passage });

describe("briefing points", () => {
  it("keeps whole sentences and drops headings, cut sentences, amendment clauses and header rows", () => {
    expect(isFragment(prose("Sufficiency of homes for children in care is a challenge in Blackpool."))).toBe(false);
    expect(isFragment(prose("Developing Our Relationship with the Wider Residential Market"))).toBe(true);
    expect(isFragment(prose("ensure that Ofsted hold records of the latest qualifications for the manager."))).toBe(true);
    const cut = "The number of children placed out of county has risen because";
    expect(isFragment({ quote: cut, display: cut, isRow: false, passage: `Earlier text. ${cut}` })).toBe(true);
    expect(isFragment(prose("In regulation 5(2), for “five” substitute “six”."))).toBe(true);
    expect(isFragment({ quote: "Workstream | Lead | Due By | Saving Attributed", display: "Workstream; Lead; Due By; Saving Attributed", isRow: true, passage: "" })).toBe(true);
    expect(isFragment({ quote: "External residential | £3,290 per week", display: "External residential; £3,290 per week", isRow: true, passage: "" })).toBe(false);
  });

  it("leads a theme with the most authoritative, then the most recent, of its close points", () => {
    const sources: Record<string, SourceRank> = {
      council2011: { kind: "la_strategy", year: 2011 },
      council2025: { kind: "la_strategy", year: 2025 },
      guidance: { kind: "statutory_guidance", year: 2015 },
      weak: { kind: "statute", year: 2024 },
    };
    const candidates = [
      { name: "council2011", score: 1 },
      { name: "council2025", score: 0.95 },
      { name: "guidance", score: 0.9 },
      { name: "weak", score: 0.3 },
    ];
    const order = (namesCouncil: boolean) => inLeadOrder(candidates, (candidate) => sources[candidate.name]!, namesCouncil).map((candidate) => candidate.name);
    // The statute scores too little to lead: relevance first, then authority and recency among the close ones.
    expect(order(false)).toEqual(["guidance", "council2025", "council2011", "weak"]);
    // A question naming a council orders its close points by recency only.
    expect(order(true)).toEqual(["council2025", "guidance", "council2011", "weak"]);
  });

  it("reads its themes and broad words from briefing.json", () => {
    expect(briefingThemes("challenges").map((theme) => theme.title)).toContain("Opportunities");
    expect(broadWords().has("landscape")).toBe(true);
  });
});
