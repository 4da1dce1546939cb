/**
 * Follow-ups in a session, offline (the extractive answerer shares the follow-up resolver with the model path):
 * "what about residential care?" after a question about unrelated foster care is answered about Nottinghamshire's
 * residential care, and the CLI and the JSON show the question it was answered as.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { corpus, withoutCorpus } from "./support/corpus.ts";
import { runHearth, temporaryDirectory } from "./support/run-hearth.ts";

describe.skipIf(withoutCorpus())("follow-up questions in a session", () => {
  const data = temporaryDirectory();
  const env = { HEARTH_OCR: "off", HEARTH_LLM_PROVIDER: "extractive", HEARTH_EMBEDDINGS_PROVIDER: "none" };

  beforeAll(async () => {
    const ingest = await runHearth(["ingest", corpus("library/Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf")], { data, env });
    expect(ingest.code).toBe(0);
  }, 60_000);

  it("answers a follow-up about the previous exchange's subject and shows the rewritten question", async () => {
    const first = await runHearth(["ask", "--session", "notts", "What percentage of Nottinghamshire's children are in unrelated foster care?"], { data, env });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("55.2%");
    const followUp = await runHearth(["ask", "--session", "notts", "--json", "what about residential care?"], { data, env });
    expect(followUp.code).toBe(0);
    const parsed = JSON.parse(followUp.stdout) as { question: string; resolvedQuestion?: string; answer: string };
    expect(parsed.question).toBe("what about residential care?");
    expect(parsed.resolvedQuestion).toBe("What percentage of Nottinghamshire's children are in residential care?");
    expect(parsed.answer).toMatch(/residential care/);
    const text = await runHearth(["ask", "--session", "notts", "and Kent?"], { data, env });
    expect(text.stdout).toMatch(/^\(answering: What percentage of Kent's children are in residential care\?\)\n/);
  });
});
