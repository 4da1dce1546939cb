/**
 * One middleware chain for every language model call, in the style of vercel/ai's `wrapLanguageModel`: each
 * middleware wraps `generate` (request in, generation or failure out, streamed pieces through `onToken`), so
 * redaction, the call log, retries with backoff and the overall deadline are written once, whatever the provider.
 * (Each HTTP attempt is also logged by the shared plumbing in http.ts; the fallback to the extractive answerer is
 * the answerer's, since it needs the library.)
 *
 *   wrapLanguageModel(model, [deadline(60_000), retry({ retries: 1 }), redaction({ names })])
 *
 * The first middleware is the outermost.
 */
import { HearthError, fail } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import { createRedactor, createStreamRestorer } from "../privacy/redact.ts";
import type { GenerateOptions, GenerateRequest, Generation, LanguageModel } from "./types.ts";

export type Generate = (request: GenerateRequest, options: GenerateOptions) => Promise<Result<Generation>>;

export interface LanguageModelMiddleware {
  /** For messages and tests. */
  readonly name: string;
  wrapGenerate(next: Generate, request: GenerateRequest, options: GenerateOptions, model: LanguageModel): Promise<Result<Generation>>;
}

export function wrapLanguageModel(model: LanguageModel, middlewares: readonly LanguageModelMiddleware[]): LanguageModel {
  const generate = middlewares.reduceRight<Generate>(
    (next, middleware) => (request, options) => middleware.wrapGenerate(next, request, options, model),
    (request, options) => model.generate(request, options),
  );
  return {
    id: model.id,
    provider: model.provider,
    model: model.model,
    supportsImages: model.supportsImages,
    local: model.local,
    generate: (request, options = {}) => generate(request, options),
  };
}

/**
 * Personal data out of every message before it is sent (one redactor for the whole request, so the same person
 * is the same placeholder in the question, the history and the passages), and back into the reply and the stream.
 */
export function redaction(options: { names?: string[] } = {}): LanguageModelMiddleware {
  return {
    name: "redaction",
    async wrapGenerate(next, request, generateOptions) {
      const redactor = createRedactor({ names: options.names ?? [] });
      const sent = redactor.redact(request.messages.map((message) => message.content));
      const messages = request.messages.map((message, index) => ({ ...message, content: sent[index] ?? message.content }));
      const restorer = generateOptions.onToken ? createStreamRestorer(redactor, generateOptions.onToken) : null;
      const result = await next(
        { ...request, messages },
        { ...generateOptions, ...(restorer ? { onToken: (token: string) => restorer.push(token) } : {}) },
      );
      restorer?.flush();
      return result.ok ? { ok: true, value: { ...result.value, text: redactor.restore(result.value.text) } } : result;
    },
  };
}

/** One record per model call (not per HTTP attempt): how long to the first piece and in all, and the outcome. */
export interface CallRecord {
  model: string;
  streamed: boolean;
  /** Milliseconds to the first streamed piece, or null (not streamed, or nothing came). */
  firstTokenMs: number | null;
  totalMs: number;
  outcome: "ok" | "error";
  finishReason: string | null;
  /** The failure's code, or null. */
  error: string | null;
}

export function callLog(listener: (record: CallRecord) => void, now: () => number = () => performance.now()): LanguageModelMiddleware {
  return {
    name: "call log",
    async wrapGenerate(next, request, options, model) {
      const started = now();
      let firstTokenMs: number | null = null;
      const onToken = options.onToken;
      const result = await next(request, {
        ...options,
        ...(onToken
          ? {
              onToken: (token: string) => {
                if (firstTokenMs === null) firstTokenMs = now() - started;
                onToken(token);
              },
            }
          : {}),
      });
      listener({
        model: model.id,
        streamed: onToken !== undefined,
        firstTokenMs,
        totalMs: now() - started,
        outcome: result.ok ? "ok" : "error",
        finishReason: result.ok ? result.value.finishReason : null,
        error: result.ok ? null : result.error.code,
      });
      return result;
    },
  };
}

const retryable = new Set<string>(["PROVIDER_UNAVAILABLE", "PROVIDER_FAILED", "PROVIDER_RATE_LIMITED", "TIMEOUT"]);

const sleep = (milliseconds: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, milliseconds);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Tries a failed call again after a growing pause (baseDelayMs, then twice that ...), only while nothing has been
 * streamed to the user (a second reply must not be appended to half of the first) and the caller has not cancelled.
 */
export function retry(options: { retries: number; baseDelayMs?: number; codes?: readonly string[] }): LanguageModelMiddleware {
  const codes = new Set(options.codes ?? retryable);
  return {
    name: "retry",
    async wrapGenerate(next, request, generateOptions) {
      let streamed = false;
      const onToken = generateOptions.onToken;
      const attemptOptions: GenerateOptions = {
        ...generateOptions,
        ...(onToken
          ? {
              onToken: (token: string) => {
                streamed = true;
                onToken(token);
              },
            }
          : {}),
      };
      for (let attempt = 0; ; attempt++) {
        const result = await next(request, attemptOptions);
        if (result.ok || streamed || attempt >= options.retries || generateOptions.signal?.aborted || !codes.has(result.error.code)) return result;
        await sleep((options.baseDelayMs ?? 500) * 2 ** attempt, generateOptions.signal);
      }
    },
  };
}

/** The whole call, stream included, within `milliseconds`: past it the call is cancelled and fails with TIMEOUT. */
export function deadline(milliseconds: number): LanguageModelMiddleware {
  return {
    name: "deadline",
    async wrapGenerate(next, request, options, model) {
      const controller = new AbortController();
      const outer = options.signal;
      const onOuterAbort = (): void => controller.abort();
      outer?.addEventListener("abort", onOuterAbort);
      let expired = false;
      const timer = setTimeout(() => {
        expired = true;
        controller.abort();
      }, milliseconds);
      try {
        const result = await next(request, { ...options, signal: controller.signal });
        if (expired && !result.ok) {
          return fail(
            new HearthError("TIMEOUT", `The language model ${model.id} did not finish its answer within ${milliseconds < 10_000 ? (milliseconds / 1000).toFixed(1) : Math.round(milliseconds / 1000)} s. Raise HEARTH_LLM_TIMEOUT_S or use a faster model.`, {
              subject: model.id,
              cause: result.error,
            }),
          );
        }
        return result;
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener("abort", onOuterAbort);
      }
    },
  };
}
