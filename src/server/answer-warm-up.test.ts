/**
 * The answer threads' warm-up: each thread answers the built-in questions from the built-in synthetic library when
 * hearth serve starts (answer-warm-up.ts), so V8 has compiled the answering code before people ask. Checked: the
 * questions are answered from that library (not refused: refusals would leave the scoring cold), nothing is left on
 * disk, and the answer pool's warm() has every thread do it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { createAnswerPool } from "./answer-pool.ts";
import { warmUpAnswering, warmUpPlan } from "./answer-warm-up.ts";

/**
 * This process's warm-up folders. Only its own: other processes' come and go beside it (the other test worker's
 * servers warm up too), and a warm-up removes those a stopped process left behind (the next test), so the whole
 * list changed under the check whenever a killed server had left one in the temporary folder.
 */
const warmUpFolders = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith(`hearth-warm-up-${process.pid}-`));

describe("answer threads' warm-up", () => {
  it("answers the built-in questions from the built-in library and leaves nothing behind", async () => {
    const plan = { ...warmUpPlan(), rounds: 1 };
    expect(warmUpFolders()).toEqual([]);
    const outcome = await warmUpAnswering(plan);
    expect(outcome.answered).toBe(plan.questions.length);
    // The questions about the synthetic council are answered with citations; the ones naming councils it does not
    // cover are refused, as a real library would refuse them.
    expect(outcome.cited).toBeGreaterThanOrEqual(plan.questions.length - 3);
    expect(warmUpFolders()).toEqual([]);
  });

  it("removes the temporary library a stopped server left behind, never a running one's", async () => {
    // A process that has ended (its pid not reused this soon), and this test's parent, which runs.
    const ended = spawnSync(process.execPath, ["-e", ""]).pid;
    const abandoned = join(tmpdir(), `hearth-warm-up-${ended}-test`);
    const running = join(tmpdir(), `hearth-warm-up-${process.ppid}-test`);
    mkdirSync(abandoned, { recursive: true });
    mkdirSync(running, { recursive: true });
    try {
      await warmUpAnswering({ ...warmUpPlan(), rounds: 1, questions: warmUpPlan().questions.slice(0, 1) });
      expect(existsSync(abandoned)).toBe(false);
      expect(existsSync(running)).toBe(true);
    } finally {
      rmSync(abandoned, { recursive: true, force: true });
      rmSync(running, { recursive: true, force: true });
    }
  });

  it("stops a warm-up still running when the pool closes, rather than waiting for it", async () => {
    const pool = createAnswerPool({ threads: 1 });
    const warming = pool.warm();
    await pool.close();
    expect(await warming).toBe(0);
    // The stopped thread's temporary library, if it had made one (a thread shares this process's id).
    for (const name of warmUpFolders()) if (name.startsWith(`hearth-warm-up-${process.pid}-`)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }, 60_000);

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
