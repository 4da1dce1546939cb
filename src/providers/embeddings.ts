/**
 * Embedding models: OpenAI-compatible `POST {baseURL}/embeddings` (OpenAI, vLLM, LM Studio, llama.cpp server,
 * Ollama's /v1) and Ollama's native `POST {baseURL}/api/embed`. Texts go in batches; vectors come back in order.
 */
import { fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { EndpointOptions, EndpointSettings, WireOptions } from "./http.ts";
import { chainEmbeddingModel } from "./model-chain.ts";
import { endpointSettings, isLocalEndpoint, postJson, providerError, readJson } from "./http.ts";
import { authorisationHeaders } from "./openai-compatible.ts";
import type { CallOptions, EmbeddingModel } from "./types.ts";

export interface EmbeddingWireOptions extends WireOptions {
  /** Texts per request. */
  batchSize?: number;
}

export type EmbeddingOptions = EmbeddingWireOptions & EndpointOptions;

const embeddingVariables = {
  key: "HEARTH_EMBEDDINGS_API_KEY",
  baseUrl: "HEARTH_EMBEDDINGS_BASE_URL",
  model: "HEARTH_EMBEDDINGS_MODEL",
  timeout: "HEARTH_LLM_TIMEOUT_S",
};

function settingsFor(provider: string, options: EmbeddingWireOptions): EndpointSettings {
  return endpointSettings(options, { provider, what: "embedding model", variables: embeddingVariables });
}

const isVector = (value: unknown): value is number[] =>
  Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "number" && Number.isFinite(item));

function createBatchedModel(
  id: string,
  options: EmbeddingWireOptions,
  embedBatch: (texts: string[], callOptions: CallOptions) => Promise<Result<number[][]>>,
): EmbeddingModel {
  const batchSize = options.batchSize ?? 64;
  return {
    id,
    local: isLocalEndpoint(options.baseURL),
    async embed(texts, embedOptions = {}) {
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        const result = await embedBatch(texts.slice(start, start + batchSize), embedOptions);
        if (!result.ok) return result;
        vectors.push(...result.value);
      }
      return ok(vectors);
    },
  };
}

/** OpenAI-compatible embeddings in the middleware chain (timeout, retries, request log as the options say). */
export function createOpenAICompatibleEmbeddings(options: EmbeddingOptions): EmbeddingModel {
  return chainEmbeddingModel(createOpenAICompatibleEmbeddingsWire(options), options);
}

/** The wire protocol alone: one request per batch, no retries, no timeout of its own. */
export function createOpenAICompatibleEmbeddingsWire(options: EmbeddingWireOptions): EmbeddingModel {
  const settings = settingsFor("openai", options);
  return createBatchedModel(`openai:${options.model}`, options, (texts, { signal, onWire }) =>
    postJson<number[][]>(settings, {
      path: "embeddings",
      headers: authorisationHeaders(options.baseURL, options.apiKey),
      body: { model: options.model, input: texts },
      kind: "embeddings",
      signal,
      onWire,
      read: async (response, received) => {
        const parsed = (await readJson(response, received)) as { data?: { embedding?: unknown; index?: unknown }[] };
        const data = parsed?.data;
        if (!Array.isArray(data) || data.length !== texts.length || !data.every((item) => isVector(item.embedding))) {
          return fail(providerError(settings, "PROVIDER_BAD_RESPONSE", `sent a reply without ${texts.length} vectors in data[].embedding.`));
        }
        const ordered = [...data].sort((left, right) => Number(left.index ?? 0) - Number(right.index ?? 0));
        return ok(ordered.map((item) => item.embedding as number[]));
      },
    }),
  );
}

/** Ollama's native embeddings in the middleware chain (timeout, retries, request log as the options say). */
export function createOllamaEmbeddings(options: EmbeddingOptions): EmbeddingModel {
  return chainEmbeddingModel(createOllamaEmbeddingsWire(options), options);
}

/** The wire protocol alone: one request per batch, no retries, no timeout of its own. */
export function createOllamaEmbeddingsWire(options: EmbeddingWireOptions): EmbeddingModel {
  const settings = settingsFor("ollama", options);
  return createBatchedModel(`ollama:${options.model}`, options, (texts, { signal, onWire }) =>
    postJson<number[][]>(settings, {
      path: "api/embed",
      headers: authorisationHeaders(options.baseURL, options.apiKey),
      body: { model: options.model, input: texts },
      kind: "embeddings",
      signal,
      onWire,
      read: async (response, received) => {
        const parsed = (await readJson(response, received)) as { embeddings?: unknown };
        const embeddings = parsed?.embeddings;
        if (!Array.isArray(embeddings) || embeddings.length !== texts.length || !embeddings.every(isVector)) {
          return fail(providerError(settings, "PROVIDER_BAD_RESPONSE", `sent a reply without ${texts.length} vectors in embeddings[].`));
        }
        return ok(embeddings);
      },
    }),
  );
}
