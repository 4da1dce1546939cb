/** examples/questions.json, the question set the README shows `hearth eval` with, stays valid and answerable. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseQuestionSet } from "../src/answer/evaluate.ts";
import { corpus, repositoryRoot, withoutCorpus } from "./support/corpus.ts";
import { runHearth, temporaryDirectory } from "./support/run-hearth.ts";

const examples = join(repositoryRoot, "examples", "questions.json");

describe("examples/questions.json", () => {
  it("is a valid question set whose gold files are in the sample library", () => {
    const parsed = parseQuestionSet(JSON.parse(readFileSync(examples, "utf8")), "questions.json");
    if (!parsed.ok) throw parsed.error;
    expect(parsed.value.length).toBeGreaterThanOrEqual(5);
    const files = new Set(parsed.value.flatMap((question) => question.gold.map((gold) => gold.file)));
    expect([...files].sort()).toEqual([
      "Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf",
      "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf",
      "Somerset Homes and Horizons Members Briefing.pptx",
    ]);
  });

  it.skipIf(withoutCorpus())("hearth eval over the sample library finds and answers every question", async () => {
    const data = temporaryDirectory();
    expect((await runHearth(["ingest", corpus("library")], { data, env: { HEARTH_OCR: "off" } })).code).toBe(0);
    const run = await runHearth(["eval", "--json", examples], { data });
    const summary = JSON.parse(run.stdout) as { questions: number; topKHitRate: number; answerKeyRate: number };
    expect(summary).toMatchObject({ questions: 5, topKHitRate: 1, answerKeyRate: 1 });
  }, 120_000);
});
