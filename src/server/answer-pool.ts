/**
 * Offline (extractive) answers computed in worker threads (piscina), with a bounded queue: scoring thousands of
 * passages is CPU work, and on the event loop twenty people asking at once would delay every other request (sign-in,
 * uploads, /api/health) by seconds. Answers from a language model stay on the event loop, where they mostly wait
 * on the network and stream their tokens.
 */
import { availableParallelism } from "node:os";
import type { Answer } from "../answer/types.ts";
import type { Result } from "../errors/hearth-error.ts";
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { AnswerReply, AnswerRequest } from "./answer-worker-task.ts";
import { createWorkerPool, errorFromWorker, isQueueFull, warmWorkerPool } from "./worker-pool.ts";

/** An answer from a thread, with the document id of each file it cites (see AnswerReply). */
export interface PooledAnswer {
  answer: Answer;
  documentIds: Record<string, number>;
}

export interface AnswerPool {
  answer(request: AnswerRequest): Promise<Result<PooledAnswer>>;
  close(): Promise<void>;
  /**
   * Starts the threads, loads their code and has each answer the built-in warm-up questions (answer-warm-up.ts) now:
   * hearth serve does, so that neither the first request nor the first minutes under load pay for compiling the
   * answering code. Resolves to how many warm-up questions the threads answered in all.
   */
  warm(): Promise<number>;
}

export function createAnswerPool({ threads = Math.max(1, Math.min(4, availableParallelism())), maxQueue = 500 }: { threads?: number; maxQueue?: number } = {}): AnswerPool {
  const pool = createWorkerPool<AnswerRequest, AnswerReply>({ name: "answer", threads, maxQueue, idleTimeoutMs: 5 * 60_000 });
  // Closing stops a warm-up still running (its thread ends) rather than waiting for it; real answers are waited for.
  const warming = new AbortController();
  return {
    async answer(request) {
      let reply: AnswerReply;
      try {
        reply = await pool.run(request);
      } catch (error) {
        return fail(new HearthError("STORE_FAILED", isQueueFull(error) ? "The server is answering many questions; ask again in a moment" : "Answering stopped unexpectedly; ask again", { cause: error }));
      }
      if (reply.ok) return ok({ answer: reply.answer, documentIds: reply.documentIds });
      return fail(errorFromWorker(reply.error));
    },
    async close() {
      warming.abort();
      await pool.close();
    },
    async warm() {
      const replies = await warmWorkerPool(pool, { answers: true }, warming.signal);
      return replies.reduce<number>((sum, reply) => sum + (typeof reply === "object" && reply !== null && "answered" in reply && typeof reply.answered === "number" ? reply.answered : 0), 0);
    },
  };
}
