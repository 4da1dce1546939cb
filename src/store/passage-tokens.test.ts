import { describe, expect, it } from "vitest";
import { charactersReadOtherwise } from "../../test/support/basic-plane.ts";
import { countTokens, tokenize } from "./passage-tokens.ts";

/** The tokens by the full Unicode route (NFKD, marks removed, lower case, letters, digits and private use). */
function unicodeTokens(text: string): string[] {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().match(/[\p{L}\p{N}\p{Co}]+/gu) ?? [];
}

describe("passage tokens", () => {
  it("reads text with curly quotes, dashes, bullets, £ and no-break spaces as plain ASCII words", () => {
    const text = "The council’s “sufficiency” duty – 2023\u00a0to 2025 • £4,200 per week…";
    expect(tokenize(text)).toEqual(["the", "council", "s", "sufficiency", "duty", "2023", "to", "2025", "4", "200", "per", "week"]);
    expect(countTokens(text)).toBe(12);
  });

  it("folds accents, ligatures and compatibility characters as the index does", () => {
    expect(tokenize("Café ﬁnance™ naïve")).toEqual(["cafe", "financetm", "naive"]);
    expect(tokenize("e\u0301tude")).toEqual(["etude"]);
    expect(tokenize("𝐀𝐁 ① Ⅻ")).toEqual(["ab", "1", "xii"]);
  });

  it("gives the Unicode route's tokens for every character of the Basic Multilingual Plane between words", () => {
    expect(charactersReadOtherwise(tokenize, unicodeTokens)).toEqual([]);
  });
});
