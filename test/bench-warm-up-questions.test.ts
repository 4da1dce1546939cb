import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { questionSets } from "../bench/question-sets.ts";
import { warmUpArgument, warmUpQuestions } from "../bench/warm-up-questions.ts";

describe("the profiles' --warm-up argument", () => {
  it("takes the count from anywhere among the positional arguments, which keep their order", () => {
    expect(warmUpArgument(["postgres://x/y", "scale-1m", "--warm-up", "10", "dev,tuning", "123"])).toEqual({
      warmUp: 10,
      positionals: ["postgres://x/y", "scale-1m", "dev,tuning", "123"],
    });
    expect(warmUpArgument(["--warm-up=3", "a", "b"])).toEqual({ warmUp: 3, positionals: ["a", "b"] });
  });

  it("is 0 when not given", () => {
    expect(warmUpArgument(["a", "b", "dev"])).toEqual({ warmUp: 0, positionals: ["a", "b", "dev"] });
  });

  it("refuses what is not a count, and options it does not know", () => {
    for (const bad of ["ten", "-1", "2.5", ""]) expect(() => warmUpArgument(["a", `--warm-up=${bad}`])).toThrow(/--warm-up: ".*" is not a count/);
    expect(() => warmUpArgument(["a", "--warmup", "3"])).toThrow(/warmup/);
  });
});

describe("warm-up questions", () => {
  it("are the first questions of the tuning-library set, in order", () => {
    const library = JSON.parse(readFileSync(new URL("../bench/tuning-questions-library.json", import.meta.url), "utf8")) as { question: string }[];
    expect(warmUpQuestions(0)).toEqual([]);
    expect(warmUpQuestions(10)).toEqual(library.slice(0, 10).map((item) => item.question));
    expect(() => warmUpQuestions(library.length + 1)).toThrow(`holds ${library.length} questions`);
  });

  it("share no question with the measured sets (dev, dev2, tuning), so none is measured warm from its own answer", () => {
    const warmUp = new Set(warmUpQuestions(10));
    const measured = questionSets()
      .filter((set) => ["dev", "dev2", "tuning"].includes(set.name) && existsSync(set.file))
      .flatMap((set) => (JSON.parse(readFileSync(set.file, "utf8")) as { question: string }[]).map((item) => item.question));
    expect(measured.length).toBeGreaterThan(0);
    expect(measured.filter((question) => warmUp.has(question))).toEqual([]);
  });
});
