/**
 * Lists and negated asks in extractive answers: the bullets under a heading that asks the question ("What needs to
 * improve?") lead a list answer, not a numbered paragraph under a long heading that happens to hold two of its words;
 * "what improvements did ... ask for" asks for a list; an inspection report's title names its kind with the inspected
 * council set into it, which counts for a question about that council only; "which judgement wasn't outstanding"
 * is answered by the judgement graded otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestSmallLibrary, type SmallLibrary } from "../../test/support/small-library.ts";
import { loadDefaultGlossary } from "../retrieval/glossary.ts";
import { analyseQuery } from "../retrieval/query.ts";
import { createSearcher } from "../retrieval/search.ts";
import { stems } from "../retrieval/tokenize.ts";
import type { Store } from "../store/types.ts";
import type { ExtractiveAnswerer } from "./extractive-answerer.ts";
import { conceptInTitle, createExtractiveAnswerer, withoutNegated } from "./extractive-answerer.ts";
import { negatedStems } from "./question-analysis.ts";
import { classifyQuestion } from "./question-type.ts";

describe("reading a list or a negated ask", () => {
  it("reads 'what <things> did/must ...' as asking for a list, not 'what process does ...'", () => {
    expect(classifyQuestion("What improvements did the Blackpool area SEND inspection ask the partnership to make?").type).toBe("list");
    expect(classifyQuestion("What changes must a provider notify Ofsted of?").type).toBe("list");
    expect(classifyQuestion("What process does Ofsted follow after an inspection?").type).not.toBe("list");
  });

  it("finds the word a 'which <thing> was not X' question asks the answer not to say", () => {
    expect(negatedStems("Sunderland got outstanding overall at ILACS - which judgement wasnt outstanding?")).toEqual(["outstand"]);
    expect(negatedStems("Which areas were not rated good?")).toEqual(["good"]);
    // "What is not allowed?" asks for what is not allowed: nothing negated to avoid.
    expect(negatedStems("What is not allowed in a children's home?")).toEqual([]);
    expect(negatedStems("Which judgement was outstanding?")).toEqual([]);
  });

  it("credits a title holding a term with the question's own words set between its words, and only those", () => {
    const [ilacs] = analyseQuery("ILACS", loadDefaultGlossary()).concepts;
    if (!ilacs) throw new Error("no concept read from ILACS");
    const title = stems("Inspection of Blackpool local authority children's services");
    expect(conceptInTitle(ilacs, title, new Set(stems("blackpool ilacs")), 3)).toBeGreaterThan(0);
    // Another council's report is no ILACS of the council asked about; nor is anything credited with no gap allowed.
    expect(conceptInTitle(ilacs, title, new Set(stems("westmorland furness ilacs")), 3)).toBe(0);
    expect(conceptInTitle(ilacs, title, new Set(stems("blackpool ilacs")), 0)).toBe(0);
  });

  it("lowers pieces saying the negated word, unless they deny it themselves", () => {
    const piece = (quote: string, score: number): { quote: string; stems: string[]; score: number } => ({ quote, stems: stems(quote), score });
    const ranked = withoutNegated(
      [piece("Overall effectiveness | Outstanding", 0.9), piece("Care leavers were not outstanding this time", 0.7), piece("Care leavers | Good", 0.6)],
      ["outstand"],
      0.5,
    );
    expect(ranked.map((item) => item.quote)).toEqual(["Care leavers were not outstanding this time", "Care leavers | Good", "Overall effectiveness | Outstanding"]);
    expect(withoutNegated([piece("a", 1)], [], 0.5)[0]?.score).toBe(1);
  });
});

describe("list answers and inspection titles over a small library", () => {
  let library: SmallLibrary;
  let store: Store;
  let answerer: ExtractiveAnswerer;

  beforeAll(async () => {
    const documents: Record<string, string> = {
      "report 2023.md": [
        "# Inspection of Blackpool local authority children's services",
        "Since the last inspection in 2018, leaders in Blackpool have overseen improvements across children's social care and need to keep going.",
        "## What needs to improve?",
        "- The multi-agency response to children suffering domestic abuse or long-term neglect.",
        "- Work with partners to strengthen early help.",
        "- Sufficient placements to meet children's assessed needs.",
        "## The experiences and progress of children who need help and protection: requires improvement to be good",
        "1. There has been steady progress in improving services for children in Blackpool who need help and protection, from a low base.",
        "2. The multi-agency hub in Blackpool has been strengthened, and most children receive a timely response.",
      ].join("\n\n"),
      // The field's words are in the library, though not in the reports' own text.
      "inspection frameworks.md": "# Inspection frameworks\n\nThe ILACS framework sets out the areas inspectors judge in a council's children's services.",
      "report 2024.md": [
        "# Inspection of Cumberland local authority children's services",
        "Cumberland Council was formed in April 2023, when Cumbria County Council was split into Cumberland and Westmorland and Furness.",
        "## Judgements",
        "Children's services in the predecessor local authority, Cumbria County Council, were judged requires improvement to be good in November 2022.",
        "The overall effectiveness of children's services in Cumberland is good.",
      ].join("\n\n"),
    };
    // Other subjects, so that the reports' words are not in most of the library's passages (a library's usual state).
    const subjects = ["fostering allowances", "adoption panels", "school admissions", "youth justice", "short breaks", "kinship care", "health visiting", "speech therapy", "housing benefit", "transport policy"];
    subjects.forEach((subject, index) => {
      documents[`note ${index}.md`] = `# A note on ${subject}\n\nThis note describes ${subject} and how the service for ${subject} is arranged this year.`;
    });
    library = await ingestSmallLibrary(Object.fromEntries(Object.entries(documents).map(([name, text]) => [name, `${text}\n`])), { prefix: "hearth-lists-" });
    store = library.store;
    answerer = createExtractiveAnswerer({ store, searcher: createSearcher(store) });
  }, 60_000);

  afterAll(async () => {
    await library.close();
  });

  it("leads with the bullets under the heading that asks the question, the whole list", async () => {
    const answer = await answerer.answer("List the areas Blackpool needs to improve from its last ILACS");
    expect(answer.refused).toBe(false);
    const lead = answer.answer.split("\n")[0] ?? "";
    expect(lead).toContain("domestic abuse or long-term neglect");
    expect(lead).toContain("Sufficient placements");
    expect(lead).not.toContain("steady progress");
  });

  it("does not take one council's inspection report for another council's inspection", async () => {
    const answer = await answerer.answer("What ILACS grade did Westmorland and Furness get?");
    expect(answer.refused).toBe(true);
  });
});
