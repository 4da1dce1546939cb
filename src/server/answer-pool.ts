/**
 * Offline (extractive) answers computed in worker threads (piscina), with a bounded queue: scoring thousands of
 * passages is CPU work, and on the event loop twenty people asking at once would delay every other request (sign-in,
 * uploads, /api/health) by seconds. Answers from a language model stay on the event loop, where they mostly wait
 * on the network and stream their tokens.
 */
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { Answer } from "../answer/types.ts";
import type { ErrorCode, Result } from "../errors/hearth-error.ts";
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { AnswerReply, AnswerRequest } from "./answer-worker-task.ts";

export interface AnswerPool {
  answer(request: AnswerRequest): Promise<Result<Answer>>;
  close(): Promise<void>;
  /** Starts the threads and loads their code now (hearth serve does, so that the first request does not wait). */
  warm(): Promise<void>;
}

export function createAnswerPool({ threads = Math.max(1, Math.min(4, availableParallelism())), maxQueue = 500 }: { threads?: number; maxQueue?: number } = {}): AnswerPool {
  const pool = new Piscina<AnswerRequest, AnswerReply>({
    filename: new URL("./server-worker.mjs", import.meta.url).href,
    name: "answer",
    minThreads: 0,
    maxThreads: threads,
    maxQueue,
    idleTimeout: 5 * 60_000,
    execArgv: [],
    // Lower priority than the event loop (Linux, macOS): extraction and scoring wait a little, sign-ins and pages do not.
    niceIncrement: 10,
  });
  return {
    async answer(request) {
      let reply: AnswerReply;
      try {
        reply = await pool.run(request);
      } catch (error) {
        const busy = error instanceof Error && /queue is at limit/i.test(error.message);
        return fail(new HearthError("STORE_FAILED", busy ? "The server is answering many questions; ask again in a moment" : "Answering stopped unexpectedly; ask again", { cause: error }));
      }
      if (reply.ok) return ok(reply.answer);
      return fail(new HearthError(reply.error.code as ErrorCode, reply.error.message, reply.error.subject === undefined ? {} : { subject: reply.error.subject }));
    },
    async close() {
      await pool.close();
    },
    async warm() {
      await Promise.all(Array.from({ length: pool.options.maxThreads }, () => pool.run(undefined as never, { name: "warm" }).catch(() => undefined)));
    },
  };
}
