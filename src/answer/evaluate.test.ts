import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnswerFixture } from "./answer-fixture.ts";
import { devQuestions, libraryFixture, unanswerableQuestions } from "./answer-fixture.ts";
import { evaluate, parseQuestionSet } from "./evaluate.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";

let fixture: AnswerFixture;

beforeAll(async () => {
  fixture = await libraryFixture();
});

afterAll(() => fixture?.store.close());

describe.skipIf(withoutCorpus())("evaluate", () => {
  it("measures the dev set and the refusals", async () => {
    const questions = [...devQuestions(), ...unanswerableQuestions.map((question) => ({ question, answers: [], gold: [] }))];
    const summary = await evaluate(questions, { ...fixture, k: 5 });
    expect(summary.questions).toBe(15);
    expect(summary.topKHitRate).toBeGreaterThanOrEqual(0.9);
    expect(summary.meanReciprocalRank).toBeGreaterThan(0.7);
    expect(summary.meanReciprocalRank).toBeLessThanOrEqual(summary.topKHitRate);
    expect(summary.answerKeyRate).toBe(1);
    expect(summary.goldCitationRate).toBe(1);
    expect(summary.citationPrecision).toBeGreaterThan(0.3);
    expect(summary.citationPrecision).toBeLessThanOrEqual(1);
    expect(summary.quoteVerifiedRate).toBe(1);
    expect(summary.refusalAccuracy).toBe(1);
    expect(summary.latency.p95).toBeGreaterThanOrEqual(summary.latency.p50);
    expect(summary.details.map((detail) => detail.id).slice(0, 2)).toEqual(["d01", "d02"]);
  });

  it("counts a wrong answer as a miss", async () => {
    const summary = await evaluate(
      [{ question: "How many Somerset children in care live in Devon?", answers: ["4,711"], gold: [{ file: "nope.pdf", pages: [1] }] }],
      { searcher: fixture.searcher, answerer: fixture.answerer, k: 3 },
    );
    expect(summary.answerKeyRate).toBe(0);
    expect(summary.topKHitRate).toBe(0);
    expect(summary.citationPrecision).toBe(0);
    expect(summary.quoteVerifiedRate).toBeNull();
  });
});

describe.skipIf(withoutCorpus())("parseQuestionSet", () => {
  it("names the file and the field that is wrong", async () => {
    const parsed = parseQuestionSet([{ question: "Why?" }], "questions.json");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toMatch(/^questions\.json: not a question set \(0\.answers/);
  });
});
