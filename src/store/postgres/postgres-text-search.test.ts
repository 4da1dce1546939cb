/** The tsvector and tsquery literals the PostgreSQL store writes: the scorer's stems, positions, weights, no syntax. */
import { describe, expect, it } from "vitest";
import { compileTextQuery, inverseDocumentFrequency, passageTerms } from "./postgres-text-search.ts";

describe("passageTerms", () => {
  it("indexes Porter stems with positions, the text at weight A and the context at B one position apart", () => {
    const terms = passageTerms("Placements of looked-after children: £2,278 per week.", "Cambridgeshire › Unit Costs");
    expect(terms.vector).toBe("'placement':1A 'of':2A 'look':3A 'after':4A 'children':5A '2':6A '278':7A 'per':8A 'week':9A 'cambridgeshir':11B 'unit':12B 'cost':13B");
    expect(terms.textTokens).toBe(9);
    expect(terms.indexedLength).toBe(12);
    expect(JSON.parse(terms.textCounts)).toMatchObject({ placement: 1, children: 1 });
    expect(JSON.parse(terms.contextCounts)).toEqual({ cambridgeshir: 1, unit: 1, cost: 1 });
    expect([...terms.stems]).toContain("cambridgeshir");
  });

  it("counts repeats, folds case and diacritics, and leaves out tokens too long for PostgreSQL", () => {
    const terms = passageTerms(`Café CAFE cafe ${"x".repeat(3000)} end`, "");
    expect(terms.vector).toBe("'cafe':1A,2A,3A 'end':5A");
    expect(JSON.parse(terms.textCounts)).toEqual({ cafe: 3, end: 1 });
    expect(terms.textTokens).toBe(5);
  });
});

describe("compileTextQuery", () => {
  it("ORs phrases of stems, quoting every lexeme so user text is never tsquery syntax", () => {
    const query = compileTextQuery([
      { phrase: ["looked", "after"], weight: 1 },
      { phrase: ["placements"], weight: 2 },
      { phrase: ["'&|!<->:*"], weight: 1 },
      { phrase: ["placements"], weight: 1 },
      { phrase: ["***"], weight: 1 },
    ]);
    expect(query).toEqual({ tsquery: "('look' <-> 'after') | ('placement')", phrases: [["look", "after"], ["placement"]] });
    expect(compileTextQuery([{ phrase: ["£2,278"], weight: 1 }])?.tsquery).toBe("('2' <-> '278')");
    expect(compileTextQuery([{ phrase: ["", "*"], weight: 1 }])).toBeNull();
    expect(compileTextQuery([{ phrase: ["a".repeat(5000)], weight: 1 }])).toBeNull();
  });

  it("keeps phrases that stem alike but are written differently, as FTS5 does", () => {
    expect(compileTextQuery([{ phrase: ["placement"], weight: 1 }, { phrase: ["placements"], weight: 1 }])?.phrases).toEqual([["placement"], ["placement"]]);
  });
});

describe("inverseDocumentFrequency", () => {
  it("is FTS5's, floored for phrases in more than half the passages", () => {
    expect(inverseDocumentFrequency(100, 1)).toBeCloseTo(Math.log(99.5 / 1.5), 12);
    expect(inverseDocumentFrequency(100, 80)).toBe(1e-6);
  });
});
