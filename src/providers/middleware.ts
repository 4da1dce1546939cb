/**
 * One middleware chain for every model call, in the style of vercel/ai's `wrapLanguageModel`: each middleware wraps
 * the call (request in, result or failure out, streamed pieces through `onToken`, what happened on the wire through
 * `onWire`), so redaction, the request log, the deadline and retries with backoff are written once, whatever the
 * provider; the providers' own code speaks only their wire protocol (http.ts and one file each). model-chain.ts
 * composes the chain every model in Hearth goes through, and says why in that order.
 *
 *   wrapLanguageModel(model, [redaction({ names }), requestLog(listener), deadline({ silenceMs: 60_000 }), retry({ retries: 2 })])
 *
 * The first middleware is the outermost. Middleware that needs only the call (request log, deadline, retry) is a
 * `CallMiddleware` and wraps embedding models as well.
 */
import { HearthError, fail } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import { createRedactor, createStreamRestorer } from "../privacy/redact.ts";
import { DeadlineExpired, ProviderError } from "./http.ts";
import type { CallOptions, EmbeddingModel, GenerateOptions, GenerateRequest, Generation, LanguageModel, RequestListener, RequestRecord, WireEvent } from "./types.ts";

export type Generate = (request: GenerateRequest, options: GenerateOptions) => Promise<Result<Generation>>;

export interface LanguageModelMiddleware {
  /** For messages and tests. */
  readonly name: string;
  wrapGenerate(next: Generate, request: GenerateRequest, options: GenerateOptions, model: LanguageModel): Promise<Result<Generation>>;
}

export type Embed = (texts: string[], options: CallOptions) => Promise<Result<number[][]>>;

export interface EmbeddingModelMiddleware {
  readonly name: string;
  wrapEmbed(next: Embed, texts: string[], options: CallOptions, model: EmbeddingModel): Promise<Result<number[][]>>;
}

/** Middleware that needs only the call, not what is asked: it wraps language and embedding models alike. */
export interface CallMiddleware {
  readonly name: string;
  wrapCall<T>(next: (options: CallOptions) => Promise<Result<T>>, options: CallOptions, model: { id: string }): Promise<Result<T>>;
}

const isCallMiddleware = (middleware: object): middleware is CallMiddleware => "wrapCall" in middleware;

export function wrapLanguageModel(model: LanguageModel, middlewares: readonly (LanguageModelMiddleware | CallMiddleware)[]): LanguageModel {
  const generate = middlewares.reduceRight<Generate>(
    (next, middleware) =>
      isCallMiddleware(middleware)
        ? (request, options) => middleware.wrapCall((callOptions) => next(request, { ...options, ...callOptions }), options, model)
        : (request, options) => middleware.wrapGenerate(next, request, options, model),
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

export function wrapEmbeddingModel(model: EmbeddingModel, middlewares: readonly (EmbeddingModelMiddleware | CallMiddleware)[]): EmbeddingModel {
  const embed = middlewares.reduceRight<Embed>(
    (next, middleware) =>
      isCallMiddleware(middleware)
        ? (texts, options) => middleware.wrapCall((callOptions) => next(texts, { ...options, ...callOptions }), options, model)
        : (texts, options) => middleware.wrapEmbed(next, texts, options, model),
    (texts, options) => model.embed(texts, options),
  );
  return { id: model.id, local: model.local, embed: (texts, options = {}) => embed(texts, options) };
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

/** Personal data out of the texts to embed (no names are restored: vectors carry no text). */
export function redactTexts(): EmbeddingModelMiddleware {
  return {
    name: "redaction",
    wrapEmbed: (next, texts, options) => next(createRedactor().redact(texts), options),
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

/**
 * One request-log record per call, however many HTTP requests it took (retries, batches of texts): it sits outside
 * the retry middleware and sums what the wire reports, so what left the machine is all in the one line.
 */
export function requestLog(listener: RequestListener): CallMiddleware {
  return {
    name: "request log",
    async wrapCall(next, options) {
      const started = Date.now();
      let first: Extract<WireEvent, { type: "request" }> | null = null;
      let requests = 0;
      let bytesSent = 0;
      let bytesReceived = 0;
      let status: number | null = null;
      const result = await next({
        ...options,
        onWire: (event) => {
          if (event.type === "request") {
            first ??= event;
            requests++;
            bytesSent += event.bytesSent;
          } else if (event.type === "received") bytesReceived += event.bytes;
          else status = event.status;
          options.onWire?.(event);
        },
      });
      const request = first as Extract<WireEvent, { type: "request" }> | null;
      if (request) {
        const record: RequestRecord = {
          time: request.time,
          provider: request.provider,
          model: request.model,
          host: request.host,
          local: request.local,
          kind: request.kind,
          bytesSent,
          bytesReceived,
          status,
          outcome: result.ok ? "ok" : "error",
          durationMs: Date.now() - started,
          requests,
        };
        listener(record);
      }
      return result;
    },
  };
}

const sleep = (milliseconds: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export interface RetryOptions {
  /** Tries after the first. */
  retries: number;
  /** Pause after a 5xx (doubling each time) when the server names none. */
  baseDelayMs?: number;
  /** Pause after a 429 (doubling each time) when the server names none. */
  rateLimitDelayMs?: number;
  /** Longest Retry-After worth waiting for; a longer one fails at once with the time to wait. */
  maxWaitMs?: number;
}

/**
 * Tries a call again when the endpoint said it was busy or failing (429, 5xx): after the Retry-After it named, else
 * after a growing pause. Nothing else is retried: a refused key, a bad request or an unreadable reply fails the same
 * way twice, and a failure after the reply began (a stream cut short, a deadline) carries no status, so a second
 * reply is never appended to half of the first. A retried failure's message says how many retries failed.
 */
export function retry(options: RetryOptions): CallMiddleware {
  const maxWait = options.maxWaitMs ?? 30_000;
  return {
    name: "retry",
    async wrapCall(next, callOptions) {
      for (let attempt = 0; ; attempt++) {
        const result = await next(callOptions);
        if (result.ok) return result;
        const error = result.error;
        if (!(error instanceof ProviderError) || error.status === null || !(error.status === 429 || error.status >= 500)) return result;
        const retried = (): Result<never> => fail(error.afterRetries(attempt));
        if (attempt >= options.retries || callOptions.signal?.aborted) return retried();
        const backoff = error.status === 429 ? (options.rateLimitDelayMs ?? 1000) : (options.baseDelayMs ?? 250);
        const wait = error.retryAfterMs ?? backoff * 2 ** attempt;
        if (wait > maxWait) return retried();
        await sleep(wait, callOptions.signal);
      }
    },
  };
}

const secondsOf = (milliseconds: number): string => (milliseconds < 10_000 ? (milliseconds / 1000).toFixed(1) : String(Math.round(milliseconds / 1000)));

export interface DeadlineOptions {
  /** Longest silence from the endpoint, from a request to its reply and between pieces of a stream. */
  silenceMs?: number;
  /** Longest whole call, retries and stream included. */
  totalMs?: number;
}

/**
 * Cancels a call when the endpoint goes silent for `silenceMs` (its clock runs while a request waits for its reply
 * or the next piece of a stream, not during a retry's pause) or when the whole call passes `totalMs`. The signal's
 * reason says which, so the wire can say so in its own words ("did not answer within 2 s", "stopped sending for
 * 2 s"); a model without a wire (a local file) gets a TIMEOUT failure here.
 */
export function deadline(options: DeadlineOptions): CallMiddleware {
  return {
    name: "deadline",
    async wrapCall(next, callOptions, model) {
      const controller = new AbortController();
      const outer = callOptions.signal;
      const onOuterAbort = (): void => controller.abort(outer?.reason);
      if (outer?.aborted) controller.abort(outer.reason);
      outer?.addEventListener("abort", onOuterAbort);
      let silence: ReturnType<typeof setTimeout> | undefined;
      const stopSilence = (): void => {
        if (silence !== undefined) clearTimeout(silence);
        silence = undefined;
      };
      const silenceMs = options.silenceMs;
      const restartSilence = (): void => {
        stopSilence();
        if (silenceMs !== undefined) silence = setTimeout(() => controller.abort(new DeadlineExpired(silenceMs, "silence")), silenceMs);
      };
      const totalMs = options.totalMs;
      const total = totalMs === undefined ? undefined : setTimeout(() => controller.abort(new DeadlineExpired(totalMs, "total")), totalMs);
      try {
        const result = await next({
          ...callOptions,
          signal: controller.signal,
          onWire: (event) => {
            if (event.type === "done") stopSilence();
            else restartSilence();
            callOptions.onWire?.(event);
          },
        });
        const expired: unknown = controller.signal.reason;
        if (!result.ok && expired instanceof DeadlineExpired && result.error.code !== "TIMEOUT") {
          return fail(
            new HearthError(
              "TIMEOUT",
              `The model ${model.id} did not finish within ${secondsOf(expired.milliseconds)} s. Raise HEARTH_LLM_TIMEOUT_S or use a faster model.`,
              { subject: model.id, cause: result.error },
            ),
          );
        }
        return result;
      } finally {
        stopSilence();
        if (total !== undefined) clearTimeout(total);
        outer?.removeEventListener("abort", onOuterAbort);
      }
    },
  };
}
