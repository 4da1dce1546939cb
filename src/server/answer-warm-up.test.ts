/**
 * The answer threads' warm-up: each thread answers the built-in questions from the built-in synthetic library when
 * hearth serve starts (answer-warm-up.ts), so V8 has compiled the answering code before people ask. Checked: the
 * questions are answered from that library (not refused: refusals would leave the scoring cold), nothing is left on
 * disk, and the answer pool's warm() has every thread do it.
 */
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { createAnswerPool } from "./answer-pool.ts";
import { warmUpAnswering, warmUpPlan } from "./answer-warm-up.ts";

const warmUpFolders = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith("hearth-warm-up-"));

describe("answer threads' warm-up", () => {
  it("answers the built-in questions from the built-in library and leaves nothing behind", async () => {
    const plan = { ...warmUpPlan(), rounds: 1 };
    const before = warmUpFolders();
    const outcome = await warmUpAnswering(plan);
    expect(outcome.answered).toBe(plan.questions.length);
    // The questions about the synthetic council are answered with citations; the ones naming councils it does not
    // cover are refused, as a real library would refuse them.
    expect(outcome.cited).toBeGreaterThanOrEqual(plan.questions.length - 3);
    expect(warmUpFolders()).toEqual(before);
  });

  it("runs in every answer thread when the pool is warmed", async () => {
    const plan = warmUpPlan();
    const pool = createAnswerPool({ threads: 2 });
    try {
      expect(await pool.warm()).toBe(2 * plan.rounds * plan.questions.length);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
