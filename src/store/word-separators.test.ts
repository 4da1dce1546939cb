import { describe, expect, it } from "vitest";
import { basicPlaneBeyondAscii } from "../../test/support/basic-plane.ts";
import { onlySeparatorsBeyondAscii, separatesWords } from "./word-separators.ts";

/** A character's form as the index folds it (NFKD, marks removed). */
const folded = (character: string): string => character.normalize("NFKD").replace(/\p{M}/gu, "");

describe("word separators beyond ASCII", () => {
  it("names as separators only characters whose folded form leaves no letter, digit or private-use character", () => {
    const wrong: string[] = [];
    let separators = 0;
    for (const point of basicPlaneBeyondAscii) {
      if (!separatesWords(point)) continue;
      separators++;
      const character = String.fromCodePoint(point);
      if (folded(character) === "" || /[\p{L}\p{N}\p{Co}]/u.test(folded(character)) || character.toLowerCase() !== character) wrong.push(point.toString(16));
    }
    expect(wrong).toEqual([]);
    // Punctuation, symbols and spaces are many; the rule is not an empty one.
    expect(separators).toBeGreaterThan(3_000);
  });

  it("separates on typographic punctuation, currency, arrows and no-break spaces, never on letters, digits, marks or surrogates", () => {
    for (const character of ["\u00a0", "£", "§", "«", "·", "–", "—", "’", "“", "•", "…", "›", "€", "→", "✓", "\u2009"]) expect(separatesWords(character.codePointAt(0)!), character).toBe(true);
    for (const character of ["é", "ß", "ﬁ", "™", "½", "²", "Ⅻ", "\u0301", "\ue000", "五", "\u212a"]) expect(separatesWords(character.codePointAt(0)!), character).toBe(false);
    expect(separatesWords(0xd835)).toBe(false);
    expect(separatesWords("𝐀".codePointAt(0)!)).toBe(false);
  });

  it("reads text as its ASCII words only when every character beyond ASCII separates", () => {
    expect(onlySeparatorsBeyondAscii("The council’s “sufficiency” duty – £4,200 per week…")).toBe(true);
    expect(onlySeparatorsBeyondAscii("plain ASCII")).toBe(true);
    expect(onlySeparatorsBeyondAscii("Café")).toBe(false);
    expect(onlySeparatorsBeyondAscii("bold 𝐀 letter")).toBe(false);
  });
});
