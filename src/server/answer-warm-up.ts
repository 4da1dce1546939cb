/**
 * Warming an answer thread up before people ask: V8 compiles a thread's answering code as it runs it (interpreted
 * first, then optimised once hot), and each thread compiles it again for itself. Measured on PostgreSQL, a fresh
 * thread's first few hundred answers cost about twice the CPU of a warm thread's, so under load right after a start
 * the threads spend much of the machine compiling. `hearth serve` asks each answer thread to answer a few built-in
 * questions from a small synthetic library (answer-warm-up/, in a temporary SQLite library of its own, removed
 * afterwards) while it starts, so the code people's questions run is compiled before they ask. Nothing of it is
 * stored in any workspace or shown to anyone.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as z from "zod";
import { createAnswerer } from "../answer/create-answerer.ts";
import { loadConfig } from "../config/config.ts";
import { ingestFile } from "../ingest/ingest.ts";
import { openStore } from "../store/open-store.ts";
import { memoizeReads } from "../store/read-memo.ts";

const warmUpSchema = z.object({
  /** How many times the questions are asked in turn (V8 optimises a function once it has run often enough). */
  rounds: z.number().int().min(1).max(50),
  questions: z.array(z.string().min(1)).min(1),
});

export type WarmUpPlan = z.infer<typeof warmUpSchema>;

export function warmUpPlan(): WarmUpPlan {
  return warmUpSchema.parse(JSON.parse(readFileSync(new URL("./answer-warm-up/warm-up-questions.json", import.meta.url), "utf8")));
}

const folderPrefix = "hearth-warm-up-";
const folderName = new RegExp(`^${folderPrefix}(\\d+)-`);

/**
 * A server stopped during its warm-up ends the thread at once (answer-pool.ts), leaving its temporary library; the
 * next warm-up removes those whose process is gone (the folder is named after it), never a running server's.
 */
function removeAbandonedFolders(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = folderName.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid || processAlive(Number(pid))) continue;
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, another user's.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface WarmUpOutcome {
  /** Questions answered (refusals included: they run the same search and scoring). */
  answered: number;
  /** Answers citing the built-in library (most should: a warm-up of refusals would leave the scoring cold). */
  cited: number;
  milliseconds: number;
}

/**
 * Answers the built-in questions from the synthetic library, as the answer threads answer (a library whose reads
 * are memoised per version, the extractive answerer). Errors are the caller's to ignore: a thread that could not
 * warm up still answers, only slower at first.
 */
export async function warmUpAnswering(plan: WarmUpPlan = warmUpPlan()): Promise<WarmUpOutcome> {
  const started = performance.now();
  removeAbandonedFolders();
  const folder = mkdtempSync(join(tmpdir(), `${folderPrefix}${process.pid}-`));
  try {
    // An explicit environment: only the extractive answerer, no embeddings, no OCR, nothing read from the server's.
    const loaded = loadConfig({ HEARTH_LLM_PROVIDER: "extractive", HEARTH_EMBEDDINGS_PROVIDER: "none", HEARTH_OCR: "off" }, { dataDir: folder });
    if (!loaded.ok) throw loaded.error;
    const config = loaded.value;
    const store = await openStore({ url: folder });
    try {
      const outcome = await ingestFile(fileURLToPath(new URL("./answer-warm-up/warm-up-library.md", import.meta.url)), { store, config });
      if (outcome.status === "failed") throw outcome.error;
      const reads = memoizeReads(store);
      const answerer = createAnswerer({ store: reads.store, config });
      if (!answerer.ok) throw answerer.error;
      let answered = 0;
      let cited = 0;
      for (let round = 0; round < plan.rounds; round++) {
        for (const question of plan.questions) {
          await reads.refresh();
          const result = await answerer.value.answer(question);
          if (!result.ok) throw result.error;
          answered++;
          if (result.value.citations.length > 0) cited++;
        }
      }
      return { answered, cited, milliseconds: performance.now() - started };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
