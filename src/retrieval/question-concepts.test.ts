import { describe, expect, it } from "vitest";
import { compileGlossary, loadDefaultGlossary } from "./glossary.ts";
import { analyseQuery, spelledOutAcronyms } from "./query.ts";
import { readFileSync } from "node:fs";
import type { DefinedTerm } from "./question-shape.ts";
import { classifyQuestion, definesTerm, definitionPatterns, shapeFit, singular } from "./question-shape.ts";
import { words } from "./tokenize.ts";

const formsOf = (question: string, label: string): string[] =>
  analyseQuery(question, loadDefaultGlossary())
    .concepts.find((concept) => concept.label === label)
    ?.forms.map((form) => form.words.join(" ")) ?? [];

describe("an acronym the question spells out in brackets", () => {
  it("makes the words and the acronym one concept, so a passage with either holds it", () => {
    const question = "what counts as a child missing education (CME)?";
    const concepts = analyseQuery(question, loadDefaultGlossary()).concepts;
    expect(concepts.map((concept) => concept.label)).toEqual(["counts", "child missing education (cme)"]);
    expect(formsOf(question, "child missing education (cme)")).toEqual(["child missing education", "children missing education", "cme"]);
  });

  it("allows small joining words and mixed case, and leaves brackets that are not an acronym of the words alone", () => {
    const adoption = "What is Fostering for Adoption (FfA)?";
    expect(spelledOutAcronyms(adoption, words(adoption))).toEqual([{ start: 2, end: 5, acronymAt: 5 }]);
    const name = "Who runs the regional adoption agency (Aspire)?";
    expect(spelledOutAcronyms(name, words(name))).toEqual([]);
    const lower = "what is the thing (abc)?";
    expect(spelledOutAcronyms(lower, words(lower))).toEqual([]);
  });
});

describe("irregular forms of a word", () => {
  it("reads 'child' and 'children', 'person' and 'people' as one word, from the glossary's inflections", () => {
    expect(formsOf("Which people may visit?", "people")).toEqual(["people", "person"]);
    const child = analyseQuery("Where does each child sleep?", loadDefaultGlossary()).concepts[0];
    expect(child?.forms.filter((form) => form.original).map((form) => form.words.join(" ")).sort()).toEqual(["child", "children"]);
    const glossary = compileGlossary({ groups: [], spellings: [], inflections: [["person", "people"]] });
    expect(analyseQuery("which people", glossary).concepts[0]?.forms.map((form) => form.words[0])).toEqual(["people", "person"]);
  });

  it("reads the informal 'kid' as the child or pupil a document writes of", () => {
    const forms = analyseQuery("A new kid starts at school", loadDefaultGlossary()).concepts.find((concept) => concept.forms.some((form) => form.words[0] === "kid"))?.forms;
    expect(forms?.map((form) => form.words.join(" "))).toEqual(expect.arrayContaining(["child", "children", "pupil"]));
  });

  it("weighs a word the question repeats once", () => {
    const labels = analyseQuery("A new kid starts at school - how long has the school got?", loadDefaultGlossary()).concepts.map((concept) => concept.label);
    expect(labels.filter((label) => label === "school")).toHaveLength(1);
  });
});

describe("a definition found in a passage", () => {
  const shape = classifyQuestion("what counts as a child missing education (CME)?");

  it("is the term's defining sentence, wherever in the passage it opens", () => {
    const defining = "Introduction - overview\n\nAll children are entitled to an education.\n\nChildren missing education are children of compulsory school age who are not registered pupils at a school.";
    expect(definesTerm(shape, defining)).toBe(true);
    expect(definesTerm(shape, "Local authorities should trace children missing education quickly.")).toBe(false);
    expect(definesTerm(classifyQuestion("How many homes are there?"), defining)).toBe(false);
  });

  it("is found whatever the case and number its words are written in", () => {
    // The text is looked through for the term's words before its words are made singular: "tenancies" holds
    // "tenanc", not "tenancy"; capitals are the term's words too.
    const tenancy = classifyQuestion("what counts as a secure tenancy?");
    expect(definesTerm(tenancy, "Secure Tenancy means a tenancy let by a council.")).toBe(true);
    expect(definesTerm(shape, "CHILDREN MISSING EDUCATION are children of compulsory school age who are not registered pupils.")).toBe(true);
    // Named, not defined: a mention fits better than a passage without the term.
    const mention = shapeFit(tenancy, "Councils let secure tenancies to young people leaving care.");
    expect(mention).toBeGreaterThan(shapeFit(tenancy, "A council may let a secure flat under a tenancy."));
    expect(mention).toBe(shapeFit(tenancy, "Councils let a secure tenancy to young people leaving care."));
  });
});

describe("a definition's tests, tried only where they can pass", () => {
  const fits = (JSON.parse(readFileSync(new URL("./question-shape.json", import.meta.url), "utf8")) as { fit: Record<string, number> }).fit;
  /** The tests as one pattern each over the whole piece, in definitionFit's order: what the quick forms must equal. */
  const plainFit = (term: DefinedTerm, text: string): number => {
    const patterns = definitionPatterns(term);
    const acronym = patterns.acronymDefined;
    if (acronym !== null && (acronym.expansion.test(text) || acronym.meaning.test(text))) return fits.definitionFound!;
    const tokens = (text.match(/[\p{L}\p{N}]+/gu) ?? []).map(singular);
    if (!` ${tokens.join(" ")} `.includes(patterns.key)) return patterns.acronymAlone?.test(text) ? fits.definitionAcronymOnly! : fits.definitionAbsent!;
    const opening = new RegExp(`(?:^|[.!?:]\\s+|\\n\\s*)${patterns.openingAt.source}`, "iu");
    if (opening.test(text.replace(/^\s*[\d.]+\s+/, ""))) return fits.definitionFound!;
    if (patterns.consideredAs.test(text) || patterns.means.test(text)) return fits.definitionFound!;
    return patterns.knownAs.test(text) ? fits.definitionKnownAs! : fits.definitionMention!;
  };
  const questions = ["what does net gain mean?", "What counts as an issue?", "what is a secure tenancy?", "what counts as a child missing education (CME)?"];
  const shapes = questions.map((question) => classifyQuestion(question));

  it("give what the plain patterns give, on pieces made to sit at their edges", () => {
    // A seeded generator: the same pieces every run.
    let seed = 20261203;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <Item>(items: readonly Item[]): Item => items[Math.floor(next() * items.length)]!;
    const words = ["net", "gain", "gains", "issue", "issues", "secure", "tenancy", "tenancies", "child", "children", "missing", "education", "CME", "the", "a", "an", "term", "is", "are", "means", "mean", "refers", "to", "defined", "as", "considered", "be", "known", "referred", "counted", "includes", "about", "Net", "GAIN", "Issue", "meanſ", "\u212Anown", "kno\u212An", "conſidered", "(the", "figure)", "“Net", "gain”", "'issue'", "3.2", "12", "known as", "referred to as", "known  as the", "is considered to be", "are counted as", "is defined as", "net gain", "secure tenancy", "child missing education", "(CME)", "(cme)", "(Cme)", "Children Missing Education", "CME means", "cme stands for", "İssue", "\u{1D40D}et", "net\u{1D400}", "gaïn", "net’s", "net-gain", "internet", "netgain", "issue’s"];
    const gaps = [" ", " ", " ", "  ", "\n", "\n\n", "\t", "\u00a0", ". ", ".\n", ": ", "? ", "! ", ", ", " - ", ".", ":", "\n  ", ". \u00a0", ".\u00a0", "!\t", ":\u2028"];
    const pieces: string[] = [];
    for (let index = 0; index < 4000; index++) {
      const length = 3 + Math.floor(next() * 14);
      let piece = pick(["", "", "1.2 ", "  ", "\n", "Introduction\n"]);
      for (let word = 0; word < length; word++) piece += pick(words) + pick(gaps);
      pieces.push(piece);
    }
    const kinds = new Set<number>();
    for (const shape of shapes) {
      for (const piece of pieces) {
        const plain = plainFit(shape.defines!, piece);
        kinds.add(plain);
        expect([piece, shapeFit(shape, piece)]).toEqual([piece, plain]);
      }
    }
    // The pieces reach every outcome, so the equality says something about each.
    expect([...kinds].sort()).toEqual([fits.definitionFound, fits.definitionKnownAs, fits.definitionMention, fits.definitionAbsent].sort());
  });

  it("find a definition after more space or marks than one space, and a cue word written with a letter that folds to it", () => {
    const netGain = shapes[0]!;
    expect(shapeFit(netGain, "Figures for the year.   \u00a0 “Net gain” is the number of places opened less those closed.")).toBe(fits.definitionFound);
    expect(shapeFit(netGain, "Figures for the year.\u00a0Net gain is the number of places opened less those closed.")).toBe(fits.definitionFound);
    expect(shapeFit(netGain, "Figures for the year:\n\n  - Net gain: the places opened less those closed, is shown below.")).toBe(fits.definitionMention);
    expect(shapeFit(netGain, "Figures for the year.Net gain is the number of places opened.")).toBe(fits.definitionMention);
    expect(shapeFit(netGain, "In this table net gain meanſ the places opened less those closed.")).toBe(fits.definitionFound);
    expect(shapeFit(netGain, "In this table the figure is \u212Anown as net gain.")).toBe(fits.definitionKnownAs);
  });
});
