import { describe, expect, it } from "vitest";
import { charactersReadOtherwise } from "../../test/support/basic-plane.ts";
import { words } from "./tokenize.ts";

/** What `words` computed before its ASCII fast path: every text decomposed, marks removed, Unicode letters and digits. */
const reference = (text: string): string[] => text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "").match(/[\p{L}\p{N}]+/gu) ?? [];

describe("words", () => {
  it("gives the same words on its fast paths (ASCII, ASCII with typographic punctuation) as decomposing every text", () => {
    const texts = [
      "Local authorities' sufficiency duty: 1,245 placements in 2023/24.",
      "“Children’s homes” – £4,500 per week · 2023›24 … see § 12\u00a0and ½ ² ﬁre",
      "Café naïve résumé Straße İstanbul KELVIN\u212a σοφία 五",
      "",
      "— … ›",
    ];
    for (const text of texts) expect(words(text), text).toEqual(reference(text));
    expect(words("“Children’s homes” – £4,500")).toEqual(["children", "s", "homes", "4", "500"]);
  });

  it("gives the decomposed words for every character of the Basic Multilingual Plane between two words", () => {
    expect(charactersReadOtherwise(words, reference)).toEqual([]);
    expect(words("Arrows → and euros € 5 ✓ done")).toEqual(["arrows", "and", "euros", "5", "done"]);
  });
});
