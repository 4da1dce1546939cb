/**
 * The way people ask (issue 11): typos, task words, the provider's own name, multi-part questions, partial answers,
 * definitions and questions about the provider's own documents, over the real regulations and guidance.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withoutCorpus } from "../../test/support/corpus.ts";
import type { AnswerFixture } from "./answer-fixture.ts";
import { libraryFixture } from "./answer-fixture.ts";
import { createExtractiveAnswerer, loadAnswerWeights, refusalSentence } from "./extractive-answerer.ts";
import type { Answer } from "./types.ts";
import { profileSetting } from "../profile/organisation-profile.ts";

const regulations = "real/The Children's Home (England) regulations 2015.pdf";
const guide = "real/Guide_to_Children_s_Home_Standards_inc_quality_standards_Version__1.17_FINAL.pdf";
const framework = "real/Ofsted SCCIF children's homes.txt";
const missingEducation = "dev2/docs/Children_missing_education_guidance_-_August_2024.pdf";
const missingFromCare = "dev2/docs/children-missing-from-care.md";
const sunderland = "dev2/docs/children's services inspection - 11 march 2025.pdf";

/** Every [n] marker names a citation and every citation's quote is on its page. */
async function expectCited(fixture: AnswerFixture, answer: Answer): Promise<void> {
  const markers = new Set([...answer.answer.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1])));
  expect([...markers].sort((left, right) => left - right)).toEqual(answer.citations.map((citation) => citation.n));
  for (const citation of answer.citations) {
    const document = (await fixture.store.documents.list()).find((candidate) => candidate.fileName === citation.file);
    const units = ((await fixture.store.documents.unitTexts([document?.id ?? -1])).get(document?.id ?? -1) ?? []).filter((unit) => unit.page === citation.page);
    expect(units.some((unit) => unit.text.includes(citation.quote)), citation.quote).toBe(true);
  }
}

describe.skipIf(withoutCorpus())("asking the way providers ask", () => {
  let fixture: AnswerFixture;

  beforeAll(async () => {
    fixture = await libraryFixture([regulations, guide, framework, missingEducation, missingFromCare, sunderland]);
  }, 120_000);

  afterAll(() => fixture?.store.close());

  it("reads a typo as the library's own word and says so", async () => {
    const answer = await fixture.answerer.answer("What does the role of a Responsible Indeividual entail?");
    expect(answer.refused).toBe(false);
    expect(answer.answer).toContain("supervise the management of the home");
    expect(answer.answer).toContain('Read "Indeividual" as "individual"');
    expect((await fixture.answerer.analyse("What does the role of a Responsible Indeividual entail?")).corrections).toEqual([
      { from: "Indeividual", to: "individual" },
    ]);
    await expectCited(fixture, answer);
  });

  it("does not refuse over a task word ('Mock', 'entail', 'KPIs')", async () => {
    const question = "Mock inspection: what happens to the leadership judgement if the manager has not applied to register after 12 weeks?";
    expect((await fixture.answerer.analyse(question)).taskWords).toEqual(["Mock"]);
    const answer = await fixture.answerer.answer(question);
    expect(answer.refused).toBe(false);
    expect(answer.answer).toContain("will usually be inadequate");
    await expectCited(fixture, answer);
  });

  it("answers for any provider when the question names the provider itself", async () => {
    const named = await fixture.answerer.answer("Lumen Way Homes is writing its statement of purpose - what must it include about its ethos?");
    expect(named.refused).toBe(false);
    expect(named.answer).toContain("The library holds nothing about Lumen Way Homes itself");
    expect(named.answer).not.toContain('mentions "Lumen"');
    await fixture.store.settings.set(profileSetting, { name: "Brightwater" });
    try {
      const profiled = await fixture.answerer.answer("How often must Brightwater's independent person visit under regulation 44?");
      expect(profiled.refused).toBe(false);
      expect(profiled.answer).toContain("once each month");
      expect(profiled.answer).toContain("The library holds nothing about Brightwater itself");
    } finally {
      await fixture.store.settings.set(profileSetting, {});
    }
  });

  it("answers a multi-part question part by part", async () => {
    const answer = await fixture.answerer.answer("Is there a cap on the number of homes one Responsible Individual can oversee, and what must they show?");
    expect(answer.refused).toBe(false);
    const parts = answer.answer.split("\n").filter((line) => line.startsWith("### "));
    expect(parts).toHaveLength(2);
    expect(parts[1]).toMatch(/responsible individual/i);
    await expectCited(fixture, answer);
  });

  it("names the gap of a part the library does not cover, and answers the other part", async () => {
    const answer = await fixture.answerer.answer("How often must the independent person visit the home, and how much are they paid?");
    expect(answer.refused).toBe(false);
    const [first, second] = answer.answer.split(/\n(?=### )/);
    expect(first).toContain("once each month");
    expect(second).toMatch(/^### how much are they paid/);
    expect(second).toContain(refusalSentence);
    await expectCited(fixture, answer);
  });

  it("leaves a real word the library lacks alone rather than 'correcting' it", async () => {
    expect((await fixture.answerer.analyse("What must staff do when a child goes missing in winter?")).corrections).toEqual([]);
  });

  it("answers what a passage covers of a question and names what it lacks instead of refusing", async () => {
    // With the bar for a direct answer out of reach, the best passage that covers part of the question answers it.
    const weights = loadAnswerWeights();
    const strict = createExtractiveAnswerer({
      store: fixture.store,
      searcher: fixture.searcher,
      weights: { ...weights, thresholds: { ...weights.thresholds, minimumCoverage: 0.99 } },
    });
    const answer = await strict.answer("an under 12 hasnt come back to the placement - how long before we report them missing to the police?");
    expect(answer.refused).toBe(false);
    expect(answer.answer).toMatch(/^The library does not answer this (in full: nothing found says anything about "[^"]+"( or "[^"]+")* here|directly)/);
    expect(answer.answer).toContain("1 hour (under 12s)");
    await expectCited(fixture, answer);
    // The answerer as configured states it directly.
    expect((await fixture.answerer.answer("an under 12 hasnt come back to the placement - how long before we report them missing to the police?")).answer).toMatch(
      /^1 hour \(under 12s\)/,
    );
  });

  it("answers a yes-or-no question about a number with the sentence that says so", async () => {
    const answer = await fixture.answerer.answer("Is there a cap on the number of homes one Responsible Individual can oversee?");
    expect(answer.refused).toBe(false);
    expect(answer.answer).toContain("There is no limit to the number of homes");
  });

  it("still refuses what nothing in the library covers, naming the nearest passages", async () => {
    const answer = await fixture.answerer.answer("What should our policy say about young people vaping in the home?");
    expect(answer.refused).toBe(true);
    expect(answer.answer).toContain('Nothing in it mentions "vaping"');
  });

  it("says a question about the provider's own business plan needs its own documents, and how to add them", async () => {
    const answer = await fixture.answerer.answer("What KPIs are in our business plan for next year?");
    expect(answer.refused).toBe(true);
    expect(answer.answer).toContain("your own business plan");
    expect(answer.answer).toContain("hearth ingest");
    // Asking what the rules want of that document is not asking what it says.
    expect((await fixture.answerer.analyse("What should our statement of purpose include about admissions?")).ownDocument).toBeNull();
  });

  it("answers a list question with the whole bullet list under the heading that asks it", async () => {
    const answer = await fixture.answerer.answer("What 3 things does Sunderland need to improve?");
    const lead = answer.answer.split("\n")[0] ?? "";
    for (const item of ["return home interviews", "unaccompanied asylum-seeking children", "workloads of PAs"]) expect(lead).toContain(item);
    expect(answer.citations[0]?.quote).toContain("The workloads of PAs in the Next Steps service.");
    await expectCited(fixture, answer);
  });

  it("states a requirement with its provision", async () => {
    const answer = await fixture.answerer.answer("How often must the independent person visit a children's home?");
    expect(answer.answer.split("\n")[0]).toMatch(/^Regulation 44: .*once each month/);
    await expectCited(fixture, answer);
  });

  it("answers a definition with the defining sentence", async () => {
    const answer = await fixture.answerer.answer("what counts as a child missing education (CME)?");
    expect(answer.refused).toBe(false);
    expect(answer.answer.split("\n")[0]).toContain("not registered pupils at a school");
    await expectCited(fixture, answer);
  });
});
