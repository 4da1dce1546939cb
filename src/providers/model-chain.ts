/**
 * The one middleware chain every model in Hearth goes through: answers, drafts, the toolkit, table queries,
 * `hearth models test`, the server's provider test and embeddings all get their model from here (through
 * from-config.ts, or a provider's factory, which calls this). From the outside in:
 *
 *   redaction → request log → deadline → retry → the provider's wire
 *
 * - Redaction is outermost so that everything inside (and so everything on the wire, every retry included) sees
 *   only the redacted text, and the reply is restored once, after the last try.
 * - The request log sits outside the retries so that a call is one line however many HTTP requests it took (it
 *   sums their bytes and counts them), and inside redaction so nothing it could ever record holds personal data.
 * - The deadline sits outside the retries so that one clock watches the whole call: silence is measured per request
 *   (its clock stops during a retry's pause, as a server's Retry-After is not the server being silent), and a total
 *   limit, when given, bounds all the tries together instead of restarting with each.
 * - Retry is innermost, next to the wire, because only the wire's failures (429, 5xx) are worth trying again.
 *
 * The fallback to an extractive answer is not in the chain: it needs the library and the question and produces an
 * Answer with citations, not a model's text, so it stays in the one place that has all of them, `fallBack` in
 * src/answer/grounded-answerer.ts (the draft writer keeps the template's own draft the same way).
 */
import type { CallMiddleware, EmbeddingModelMiddleware, LanguageModelMiddleware } from "./middleware.ts";
import { deadline, redactTexts, redaction, requestLog, retry, wrapEmbeddingModel, wrapLanguageModel } from "./middleware.ts";
import type { EmbeddingModel, LanguageModel, RequestListener } from "./types.ts";

/** The chain's settings: each is optional, with the defaults a configured Hearth uses. */
export interface ChainOptions {
  /** Longest silence from the endpoint (HEARTH_LLM_TIMEOUT_S); 120 s by default. */
  timeoutMs?: number;
  /** Retries after a 429 or 5xx (HEARTH_LLM_MAX_RETRIES); 2 by default. */
  maxRetries?: number;
  /** Longest Retry-After worth waiting for; 30 s by default. */
  maxRetryWaitMs?: number;
  /** Where each call's request-log record goes; none by default. */
  onRequest?: RequestListener | undefined;
  /** Redact personal data before anything is sent (language models: these names too). */
  redact?: { names?: readonly string[] } | false;
}

function callMiddleware(options: ChainOptions): CallMiddleware[] {
  return [
    ...(options.onRequest ? [requestLog(options.onRequest)] : []),
    deadline({ silenceMs: options.timeoutMs ?? 120_000 }),
    retry({ retries: options.maxRetries ?? 2, ...(options.maxRetryWaitMs === undefined ? {} : { maxWaitMs: options.maxRetryWaitMs }) }),
  ];
}

/** A provider's wire model wrapped in the chain. */
export function chainLanguageModel(wire: LanguageModel, options: ChainOptions = {}): LanguageModel {
  const redact: LanguageModelMiddleware[] = options.redact ? [redaction({ names: [...(options.redact.names ?? [])] })] : [];
  return wrapLanguageModel(wire, [...redact, ...callMiddleware(options)]);
}

/** An embedding model's wire wrapped in the chain (redaction of the texts, request log, deadline, retry). */
export function chainEmbeddingModel(wire: EmbeddingModel, options: ChainOptions = {}): EmbeddingModel {
  const redact: EmbeddingModelMiddleware[] = options.redact ? [redactTexts()] : [];
  return wrapEmbeddingModel(wire, [...redact, ...callMiddleware(options)]);
}
