/**
 * The relevance check: a page that holds most of a question's words but not its focus (the field term in the
 * phrase the question asks about) answers another question. "How much is the Ofsted registration fee" is not
 * answered by a weekly unit cost, nor "Cumberland's area SEND inspection" by Cumberland's ILACS or by another
 * council's SEND inspection: the answer refuses, says what the library lacks and shows the nearest passages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestSmallLibrary, type SmallLibrary } from "../../test/support/small-library.ts";
import { createSearcher } from "../retrieval/search.ts";
import type { ExtractiveAnswerer } from "./extractive-answerer.ts";
import { createExtractiveAnswerer } from "./extractive-answerer.ts";
import { questionFocusRuns } from "./question-analysis.ts";

describe("the question's focus", () => {
  it("is read from the clause that asks, as runs of adjacent content words", () => {
    expect(questionFocusRuns("How much is the Ofsted registration fee for a new childrens home?")[0]).toEqual(["ofsted", "registration", "fee"]);
    expect(questionFocusRuns("What was the outcome of Cumberland's area SEND inspection?")[0]).toEqual(["area", "send", "inspection"]);
    // The clause before the dash describes the asker; the focus is in the clause that asks.
    expect(questionFocusRuns("We're a private childrens home provider - what lawful basis should we use?")[0]).toEqual(["lawful", "basis"]);
  });
});

describe("an answer's page speaks of the question's focus", () => {
  let library: SmallLibrary | undefined;
  let answerer: ExtractiveAnswerer;

  beforeAll(async () => {
    const documents: Record<string, string> = {
      "Cumberland children's services inspection 2024.txt":
        "Inspection of Cumberland local authority children's services.\n\nThis was the first inspection of Cumberland local authority children's services. The overall effectiveness of children's services in Cumberland requires improvement to be good. Leaders have a clear plan for improving practice with children in care.",
      "Blackpool area SEND inspection 2024.txt":
        "Area SEND inspection of Blackpool Local Area Partnership.\n\nThe outcome of this area SEND inspection: the local area partnership's arrangements lead to inconsistent experiences and outcomes for children and young people with special educational needs and/or disabilities (SEND). The next full area SEND inspection will be within approximately three years.",
      "Registering a children's home.txt":
        "Registering a children's home with Ofsted.\n\nA provider applies to Ofsted for registration before a new children's home opens. Ofsted checks the registered manager's suitability during registration.",
      "Cumberland care leavers 2024.txt":
        "Care leavers in Cumberland.\n\nInspectors found that care leavers in Cumberland receive good support from their personal advisers. Care leavers in Cumberland are helped into suitable homes.",
      "Blackpool care leavers 2023.txt":
        "Care leavers in Blackpool.\n\nInspectors found that care leavers in Blackpool receive good support from their personal advisers. Inspectors found that care leavers are helped into education and work.",
      "Placement costs 2015.txt":
        "Unit costs of placements.\n\nIn-house residential children's homes cost £2,278 per week for a new placement. External residential children's homes cost £3,290 per week. In-house foster care costs £460 per week.",
    };
    library = await ingestSmallLibrary(documents, { prefix: "hearth-focus-" });
    const { store } = library;
    answerer = createExtractiveAnswerer({ store, searcher: createSearcher(store) });
  }, 60_000);

  afterAll(async () => {
    await library?.close();
  });

  it("refuses a fee question answered only by unit costs, naming what is missing and the nearest passage", async () => {
    const answer = await answerer.answer("How much is the Ofsted registration fee for a new children's home?");
    expect(answer.refused).toBe(true);
    expect(answer.answer).toContain('say nothing of "Ofsted registration fee"');
    expect(answer.answer).toContain("Nearest passages:");
    expect(answer.citations.some((citation) => citation.file === "Placement costs 2015.txt")).toBe(true);
  });

  it("still answers the cost the library does hold", async () => {
    const answer = await answerer.answer("How much does an in-house residential children's home cost per week?");
    expect(answer.refused).toBe(false);
    expect(answer.answer).toContain("£2,278");
  });

  it("refuses one council's SEND inspection when the library holds only its ILACS and another council's SEND inspection", async () => {
    const answer = await answerer.answer("What was the outcome of Cumberland's area SEND inspection?");
    expect(answer.refused).toBe(true);
    // The SEND inspection found is another council's: the refusal says whom it is not about.
    expect(answer.answer).toMatch(/"area SEND inspection"|not about "Cumberland"/);
  });

  it("answers the council whose SEND inspection the library holds, citing that report only", async () => {
    const answer = await answerer.answer("What was the outcome of Blackpool's area SEND inspection?");
    expect(answer.refused).toBe(false);
    expect(answer.answer).toContain("inconsistent experiences and outcomes");
    expect(answer.citations.every((citation) => citation.file === "Blackpool area SEND inspection 2024.txt")).toBe(true);
  });

  it("keeps another council's pages out of a council's answer's supporting points", async () => {
    const answer = await answerer.answer("What did inspectors find about care leavers in Cumberland?");
    expect(answer.refused).toBe(false);
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(answer.citations.every((citation) => citation.file.startsWith("Cumberland"))).toBe(true);
  });
});
