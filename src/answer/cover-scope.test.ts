/**
 * A report's cover page scopes all of it: a place or a year the question names may stand only on page 1 ("Norfolk
 * Council ... Inspection date: 13 November 2017"), while the answer is on a later page ("Lead inspector: Donna
 * Marriott" on the last). A name or year that is nowhere in the library is still refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withoutCorpus } from "../../test/support/corpus.ts";
import type { AnswerFixture } from "./answer-fixture.ts";
import { libraryFixture } from "./answer-fixture.ts";

const norfolk = "dev2/docs/children's services inspection - 19 january 2018.pdf";

describe.skipIf(withoutCorpus())("a document's cover page scopes its later pages", () => {
  let fixture: AnswerFixture;

  beforeAll(async () => {
    fixture = await libraryFixture([norfolk]);
  }, 120_000);

  afterAll(() => fixture?.store.close());

  it("answers a 'who' question whose year is on the cover and whose answer is on the last page", async () => {
    const answer = await fixture.answerer.answer("Who was the lead inspector on Norfolk's 2017 re-inspection?");
    expect(answer.refused).toBe(false);
    expect(answer.answer).toContain("Lead inspector: Donna Marriott");
    expect(answer.citations.some((citation) => citation.page === 20 && citation.quote.includes("Donna Marriott"))).toBe(true);
  });

  it("still refuses a year the library never states", async () => {
    const answer = await fixture.answerer.answer("Who was the lead inspector on Norfolk's 2009 re-inspection?");
    expect(answer.refused).toBe(true);
  });
});
