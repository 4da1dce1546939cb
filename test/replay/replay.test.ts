/**
 * The replay suite: hand-written model replies for recorded prompts over the shared corpus (library/ + real/),
 * served by a loopback OpenAI-compatible server, streamed and not, through the real grounded answerer. It prints
 * "faithful kept" and "flawed caught" and fails below 0.95 for either. The recorded passages travel with the cases,
 * so the suite runs without the corpus.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeModelServer } from "../../src/providers/testing/fake-model-server.ts";
import { startFakeModelServer } from "../../src/providers/testing/fake-model-server.ts";
import type { ScoredSentence } from "./replay-harness.ts";
import { answererFor, checkDraftCase, loadCases, outcomesOfAnswer, replyOf, score, storeFor } from "./replay-harness.ts";

const cases = loadCases();

describe("replay of realistic model replies", () => {
  let server: FakeModelServer;
  const scored: (ScoredSentence & { holdout: boolean })[] = [];

  beforeAll(async () => {
    server = await startFakeModelServer("openai");
  });
  afterAll(async () => {
    await server.close();
    const faithful = scored.filter((sentence) => sentence.label !== "flaw");
    const flawed = scored.filter((sentence) => sentence.label === "flaw");
    const kept = faithful.filter((sentence) => sentence.verdict === "kept").length;
    const caught = flawed.filter((sentence) => sentence.verdict === "caught").length;
    const holdout = scored.filter((sentence) => sentence.holdout);
    const holdoutFaithful = holdout.filter((sentence) => sentence.label !== "flaw");
    const holdoutFlawed = holdout.filter((sentence) => sentence.label === "flaw");
    console.log(
      `replay (held-out cases only): faithful kept ${holdoutFaithful.filter((sentence) => sentence.verdict === "kept").length}/${holdoutFaithful.length}, flawed caught ${holdoutFlawed.filter((sentence) => sentence.verdict === "caught").length}/${holdoutFlawed.length}`,
    );
    console.log(
      `replay: faithful kept ${kept}/${faithful.length} (${(kept / faithful.length).toFixed(3)}), flawed caught ${caught}/${flawed.length} (${(caught / flawed.length).toFixed(3)})`,
    );
  });

  it("has cases with about one flawed sentence in seven", async () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
    const sentences = cases.flatMap((replayCase) => replyOf(replayCase).sentences);
    const flawed = sentences.filter((sentence) => sentence.label === "flaw").length;
    expect(flawed / sentences.length).toBeGreaterThan(0.1);
    expect(flawed / sentences.length).toBeLessThan(0.2);
  });

  for (const replayCase of cases) {
    for (const streaming of [false, true]) {
      it(`${replayCase.id} (${streaming ? "streamed" : "whole"})`, async () => {
        const { text, sentences } = replyOf(replayCase);
        const { store, results } = await storeFor(replayCase);
        try {
          server.respond = () => text;
          let outcomes;
          let gaps: string[] = [];
          if (replayCase.kind === "draft") {
            const answerer = answererFor(store, results, server);
            // The reply comes over the wire like any other; the draft rule then checks it.
            const streamed: string[] = [];
            const answered = await answerer.answer(replayCase.question, streaming ? { onToken: (token) => streamed.push(token) } : {});
            expect(answered.ok).toBe(true);
            if (streaming) expect(streamed.join("")).toBe(text);
            outcomes = checkDraftCase(replayCase, text, results);
          } else {
            const answerer = answererFor(store, results, server);
            const streamed: string[] = [];
            const answered = await answerer.answer(replayCase.question, streaming ? { onToken: (token) => streamed.push(token) } : {});
            if (!answered.ok) throw answered.error;
            const answer = answered.value;
            if (streaming) expect(streamed.join("")).toBe(text);
            expect(answer.mode).toBe("llm");
            // Every citation quotes its page verbatim.
            for (const citation of answer.citations) expect(citation.quote.length).toBeGreaterThan(0);
            outcomes = outcomesOfAnswer(answer, sentences);
            gaps = answer.gaps ?? [];
          }
          const result = score(sentences, outcomes, gaps);
          if (!streaming) scored.push(...result.map((entry) => ({ ...entry, holdout: replayCase.holdout === true })));
          for (const sentence of result.filter((entry) => entry.verdict === "lost" || entry.verdict === "missed")) {
            console.log(`  ${replayCase.id}: ${sentence.verdict} [${sentence.label}${sentence.why ? `: ${sentence.why}` : ""}] ${sentence.outcome} — ${sentence.text}${sentence.reason ? ` (${sentence.reason})` : ""}`);
          }
        } finally {
          await store.close();
        }
      });
    }
  }

  it("keeps at least 95% of faithful sentences and catches at least 95% of flawed ones", async () => {
    const faithful = scored.filter((sentence) => sentence.label !== "flaw");
    const flawed = scored.filter((sentence) => sentence.label === "flaw");
    expect(faithful.length).toBeGreaterThan(60);
    expect(faithful.filter((sentence) => sentence.verdict === "kept").length / faithful.length).toBeGreaterThanOrEqual(0.95);
    expect(flawed.filter((sentence) => sentence.verdict === "caught").length / flawed.length).toBeGreaterThanOrEqual(0.95);
  });
});
