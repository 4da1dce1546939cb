import { describe, expect, it } from "vitest";
import { analyseQuery } from "./query.ts";
import { classifyQuestion, hasSearchedShape } from "./question-shape.ts";
import { loadDefaultGlossary } from "./glossary.ts";
import { titleHoldsTerm, writtenAsName } from "./search.ts";
import { stems } from "./tokenize.ts";

describe("a term in a document's title with a name set into it", () => {
  const ilacs = stems("inspection of local authority children's services");

  it("finds a long term whose words a council's name interrupts", () => {
    expect(titleHoldsTerm(stems("Inspection of Blackpool local authority children's services"), ilacs, 3)).toBe(true);
    expect(titleHoldsTerm(stems("Inspection of Sunderland City Council local authority children's services"), ilacs, 3)).toBe(true);
  });

  it("keeps the order, the gap limit, and exact matching for short terms", () => {
    expect(titleHoldsTerm(stems("Inspection of Blackpool local authority children's services"), ilacs, 0)).toBe(false);
    expect(titleHoldsTerm(stems("Area SEND inspection of Blackpool Local Area Partnership"), ilacs, 3)).toBe(false);
    expect(titleHoldsTerm(stems("local authority children's services: inspection of"), ilacs, 3)).toBe(false);
    expect(titleHoldsTerm(stems("net number of carers gained"), stems("net gain"), 3)).toBe(false);
    expect(titleHoldsTerm(stems("Net gain of children looked after"), stems("net gain"), 3)).toBe(true);
  });

  it("gives what trying every place in the title gives, found from where the term's first word stands", () => {
    // The plain form of the test: the term at any place, else (three words or more) walked from each place its first
    // word stands, a gap word at a time, up to `gapWords` of them.
    const plain = (title: string[], term: string[], gapWords: number, mayStandBetween: (stem: string) => boolean): boolean => {
      if (term.length === 0) return false;
      const at = (start: number): boolean => term.every((stem, offset) => title[start + offset] === stem);
      if (title.some((_, start) => at(start))) return true;
      if (term.length < 3 || gapWords === 0) return false;
      const walk = (next: number, matched: number, gaps: number): boolean => {
        if (matched === term.length) return gaps <= gapWords;
        if (next >= title.length || gaps > gapWords) return false;
        if (title[next] === term[matched]) return walk(next + 1, matched + 1, gaps);
        return mayStandBetween(title[next]!) && walk(next + 1, matched, gaps + 1);
      };
      return title.some((stem, start) => stem === term[0] && walk(start + 1, 1, 0));
    };
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const vocabulary = ["a", "b", "c", "d", "e"];
    const draw = (most: number): string[] => Array.from({ length: Math.floor(next() * (most + 1)) }, () => vocabulary[Math.floor(next() * vocabulary.length)]!);
    const outcomes = new Set<boolean>();
    for (let round = 0; round < 20_000; round++) {
      const title = draw(9);
      const term = draw(4);
      const gapWords = Math.floor(next() * 4);
      const mayStandBetween = round % 2 === 0 ? (): boolean => true : (stem: string): boolean => stem !== "e";
      const expected = plain(title, term, gapWords, mayStandBetween);
      outcomes.add(expected);
      expect([title, term, gapWords, round % 2, titleHoldsTerm(title, term, gapWords, mayStandBetween)]).toEqual([title, term, gapWords, round % 2, expected]);
    }
    expect(outcomes).toEqual(new Set([true, false]));
  });
});

describe("which words of a question name a subject", () => {
  const concept = (question: string, label: string) => {
    const found = analyseQuery(question, loadDefaultGlossary()).concepts.find((candidate) => candidate.label === label);
    if (!found) throw new Error(`no concept ${label} in ${question}`);
    return found;
  };

  it("takes the words the question capitalises as names, not its ordinary words", () => {
    const question = "List the areas Blackpool needs to improve from its last ILACS";
    expect(writtenAsName(concept(question, "blackpool"), question)).toBe(true);
    expect(writtenAsName(concept(question, "areas"), question)).toBe(false);
    expect(writtenAsName(concept(question, "needs"), question)).toBe(false);
    expect(writtenAsName(concept("Does Sunderland's report praise leaders?", "sunderland"), "Does Sunderland's report praise leaders?")).toBe(true);
  });

  it("gives every word the benefit of the doubt in a question written in lower case", () => {
    const question = "whats the name of blackpools children in care council";
    expect(writtenAsName(concept(question, "name"), question)).toBe(true);
  });
});

describe("a list question favours passages that list", () => {
  it("reads a run of bullets as a list's shape", () => {
    const list = classifyQuestion("List the areas Blackpool needs to improve from its last ILACS");
    const bullets = "What needs to improve?\n\n◼ The multi-agency response.\n\n◼ Work with partners.\n\n◼ Sufficient placements.";
    expect(hasSearchedShape(list, bullets)).toBe(true);
    expect(hasSearchedShape(list, "Blackpool needs to improve its work with partners - and quickly.")).toBe(false);
    expect(hasSearchedShape(classifyQuestion("How many homes does Kent have?"), bullets)).toBe(false);
  });
});
