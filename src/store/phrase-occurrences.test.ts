import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { corpus, withoutCorpus } from "../../test/support/corpus.ts";
import { basicPlaneBeyondAscii } from "../../test/support/basic-plane.ts";
import { phraseOccurrences } from "./phrase-occurrences.ts";
import { indexStem } from "./sqlite-text-search.ts";

/** The reference: every token tokenized as unicode61 does and stemmed, phrases counted on the stems. */
function naive(phrases: string[][], text: string, context: string) {
  const stemsOf = (input: string): string[] =>
    (input.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().match(/[\p{L}\p{N}\p{Co}]+/gu) ?? []).map(indexStem);
  const count = (words: string[], phrase: string[]): number => {
    let found = 0;
    for (let start = 0; start + phrase.length <= words.length; start++) if (phrase.every((stem, offset) => words[start + offset] === stem)) found++;
    return found;
  };
  const textStems = stemsOf(text);
  const contextStems = stemsOf(context);
  return {
    textLength: textStems.length,
    contextLength: contextStems.length,
    text: phrases.map((phrase) => count(textStems, phrase)),
    context: phrases.map((phrase) => count(contextStems, phrase)),
  };
}

/** Every stem of the text as a one-word phrase, and every pair of neighbouring stems: each token passes the gate or not. */
function everyPhraseOf(text: string): string[][] {
  const stems = (text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().match(/[\p{L}\p{N}\p{Co}]+/gu) ?? []).map(indexStem);
  const phrases = new Map<string, string[]>();
  stems.forEach((stem, index) => {
    phrases.set(stem, [stem]);
    const next = stems[index + 1];
    if (next !== undefined) phrases.set(`${stem} ${next}`, [stem, next]);
  });
  return [...phrases.values()];
}

const asPlain = (found: ReturnType<ReturnType<typeof phraseOccurrences>>) => ({
  textLength: found.textLength,
  contextLength: found.contextLength,
  text: [...found.text],
  context: [...found.context],
});

describe("phrase occurrences for the SQLite store's own BM25", () => {
  it("counts phrases and tokens as stemming every token would, stemming only tokens that may be phrase words", () => {
    const text =
      "The local authorities' sufficiency duty: looked-after children (LAC) in care, 1,245 placements in 2023/24; a child's " +
      "ties, flies and I; authority, authorized, generalizations, happiness, relational; Café naïve résumé ÆSIR Straße 五 σοφία. " +
      "Children in care; children-in-care; CHILDREN IN CARE.";
    const context = "Nottinghamshire › Placement sufficiency › Children in care";
    const phrases = [["children", "in", "care"], ["local", "author"], ["i"], ["ti"], ["cafe"], ["naiv"], ["2023"], ["placement"], ["lac"], ["straße"], ["absent"]].map(
      (phrase) => phrase.map(indexStem),
    );
    const counted = asPlain(phraseOccurrences(phrases, indexStem)(text, context));
    expect(counted).toEqual(naive(phrases, text, context));
    expect(counted.text[0]).toBe(3);
    expect(counted.context[0]).toBe(1);
    expect(counted.text[10]).toBe(0);
    // Every stem and pair of the text as a phrase: a token the gate wrongly turned away would be missed here.
    const all = everyPhraseOf(`${text} ${context}`);
    expect(asPlain(phraseOccurrences(all, indexStem)(text, context))).toEqual(naive(all, text, context));
  });

  it("counts as stemming every token would with any character of the Basic Multilingual Plane between two words", () => {
    const phrases = [["ab"], ["cd"], ["ab", "cd"]].map((phrase) => phrase.map(indexStem));
    const count = phraseOccurrences(phrases, indexStem);
    // In blocks of 256 characters, each between "Ab" and "Cd": a block that differs is named by its first code.
    const differing: string[] = [];
    for (let start = 0; start < basicPlaneBeyondAscii.length; start += 0x100) {
      const points = basicPlaneBeyondAscii.slice(start, start + 0x100);
      const text = points.map((point) => `Ab${String.fromCodePoint(point)}Cd`).join(" ");
      if (JSON.stringify(asPlain(count(text, ""))) !== JSON.stringify(naive(phrases, text, ""))) differing.push(points[0]!.toString(16));
    }
    expect(differing).toEqual([]);
  });

  it("treats as separators only characters whose folded form holds no letter, digit or private-use character", () => {
    const text = "£1,245\u00a0per week · “Children’s homes” – 2023›24 … ½ ² ﬁre";
    const phrases = everyPhraseOf(text);
    expect(asPlain(phraseOccurrences(phrases, indexStem)(text, ""))).toEqual(naive(phrases, text, ""));
  });

  it("grows past its first buffer and reuses it between passages", () => {
    const long = Array.from({ length: 3_000 }, (_, index) => (index % 7 === 0 ? "residential children's homes" : `word${index}`)).join(" ");
    const phrases = [["residential", "children", "s", "home"].map(indexStem)];
    const count = phraseOccurrences(phrases, indexStem);
    expect(asPlain(count(long, ""))).toEqual(naive(phrases, long, ""));
    expect(asPlain(count("Residential children's homes.", "homes"))).toEqual(naive(phrases, "Residential children's homes.", "homes"));
  });

  describe.skipIf(withoutCorpus())("over the sample corpus's words", () => {
    // Prose, a regulator's text and a data set's rows (place names, figures, codes).
    const texts = ["formats/Cambridgeshire Placement Strategy 2011-2015.txt", "real/Ofsted SCCIF children's homes.txt", "real/provider_at_march_2025.csv", "dev-questions.json"]
      .filter((relative) => existsSync(corpus(relative)))
      .map((relative) => readFileSync(corpus(relative), "utf8"));

    it("holds the gate's premise for every word: a stem begins with its word's first two letters (one for a one-letter stem)", () => {
      const words = new Set(texts.flatMap((text) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().match(/[\p{L}\p{N}\p{Co}]+/gu) ?? []));
      expect(words.size).toBeGreaterThan(5_000);
      const broken = [...words].filter((word) => {
        const stem = indexStem(word);
        return stem.length >= 2 ? stem.slice(0, 2) !== word.slice(0, 2) : stem !== word.slice(0, 1);
      });
      expect(broken).toEqual([]);
    });

    it("agrees with stemming every token on every stem and pair of a few thousand characters of each", () => {
      const text = texts.map((whole) => whole.slice(0, 3_000)).join(" ");
      const phrases = everyPhraseOf(text);
      expect(asPlain(phraseOccurrences(phrases, indexStem)(text, text.slice(0, 500)))).toEqual(naive(phrases, text, text.slice(0, 500)));
    });
  });
});
