/**
 * The answerer the configuration asks for: grounded generation with a language model (retrieval hybrid when
 * embeddings are configured), or the offline extractive answerer. Every request to a model endpoint is logged in
 * <dataDir>/requests.log; what goes to an endpoint off the machine is redacted unless privacy.redact is "never".
 */
import type { HearthConfig } from "../config/config.ts";
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import { shouldRedact } from "../privacy/policy.ts";
import { createRequestLog } from "../privacy/request-log.ts";
import { createEmbeddingModel, createLanguageModel } from "../providers/from-config.ts";
import type { EmbeddingModel, LanguageModel, RequestListener } from "../providers/types.ts";
import { createHybridSearcher } from "../retrieval/hybrid.ts";
import { addOutOfDateNotes, withSourceAuthority } from "../authority/source-authority.ts";
import { createSearcher } from "../retrieval/search.ts";
import type { Store } from "../store/types.ts";
import { createExtractiveAnswerer } from "./extractive-answerer.ts";
import type { AskOptions } from "./grounded-answerer.ts";
import { createGroundedAnswerer } from "./grounded-answerer.ts";
import type { Answer } from "./types.ts";

export interface AnswerService {
  /** "llm" when a language model is configured (answers may still fall back to "extractive"). */
  mode: "llm" | "extractive";
  model: LanguageModel | null;
  embeddings: EmbeddingModel | null;
  answer(question: string, options?: AskOptions): Promise<Result<Answer>>;
}

export interface CreateAnswererOptions {
  store: Store;
  config: HearthConfig;
  /** Where request records go; defaults to <dataDir>/requests.log. */
  onRequest?: RequestListener;
  warn?: (message: string) => void;
}

export function createAnswerer({ store, config, onRequest, warn }: CreateAnswererOptions): Result<AnswerService> {
  const listener = onRequest ?? createRequestLog(config.dataDir, warn);
  const model = createLanguageModel(config, listener);
  if (!model.ok) return model;
  const embeddings = createEmbeddingModel(config, listener);
  if (!embeddings.ok) return embeddings;
  // Higher authority and newer sources rank a little higher (statute over a market report, 2023 over 2011).
  const searcher = withSourceAuthority(createSearcher(store), store);
  const extractive = createExtractiveAnswerer({ store, searcher });
  const hybrid = createHybridSearcher({
    store,
    searcher,
    embeddings: embeddings.value,
    redact: embeddings.value ? shouldRedact(config.privacy.redact, embeddings.value.local) : false,
  });

  if (model.value === null) {
    return ok({
      mode: "extractive",
      model: null,
      embeddings: embeddings.value,
      answer(question, options = {}) {
        if ((options.images?.length ?? 0) > 0) {
          return Promise.resolve(
            fail(
              new HearthError(
                "IMAGES_NOT_SUPPORTED",
                "Photos need a language model that accepts images, and none is configured (HEARTH_LLM_PROVIDER is extractive). See README, Language models.",
                { subject: "HEARTH_LLM_PROVIDER" },
              ),
            ),
          );
        }
        return Promise.resolve(ok(addOutOfDateNotes(extractive.answer(question), store)));
      },
    });
  }

  const grounded = createGroundedAnswerer({
    store,
    model: model.value,
    fallback: extractive,
    redact: shouldRedact(config.privacy.redact, model.value.local),
    names: config.privacy.names,
    retrieve: (question) => hybrid.search(question, { limit: 8, perPage: 2 }),
  });
  return ok({
    mode: "llm",
    model: model.value,
    embeddings: embeddings.value,
    async answer(question, options) {
      const answered = await grounded.answer(question, options);
      return answered.ok ? ok(addOutOfDateNotes(answered.value, store)) : answered;
    },
  });
}
