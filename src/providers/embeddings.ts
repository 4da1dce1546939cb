/**
 * Embedding models: OpenAI-compatible `POST {baseURL}/embeddings` (OpenAI, vLLM, LM Studio, llama.cpp server,
 * Ollama's /v1) and Ollama's native `POST {baseURL}/api/embed`. Texts go in batches; vectors come back in order.
 */
import { fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { EndpointOptions, EndpointSettings } from "./http.ts";
import { endpointSettings, isLocalEndpoint, postJson, providerError, readJson } from "./http.ts";
import { authorisationHeaders } from "./openai-compatible.ts";
import type { EmbeddingModel } from "./types.ts";

export interface EmbeddingOptions extends EndpointOptions {
  /** Texts per request. */
  batchSize?: number;
}

const embeddingVariables = {
  key: "HEARTH_EMBEDDINGS_API_KEY",
  baseUrl: "HEARTH_EMBEDDINGS_BASE_URL",
  model: "HEARTH_EMBEDDINGS_MODEL",
  timeout: "HEARTH_LLM_TIMEOUT_S",
};

function settingsFor(provider: string, options: EmbeddingOptions): EndpointSettings {
  return endpointSettings(options, { provider, what: "embedding model", variables: embeddingVariables });
}

const isVector = (value: unknown): value is number[] =>
  Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "number" && Number.isFinite(item));

function createBatchedModel(
  id: string,
  options: EmbeddingOptions,
  embedBatch: (texts: string[], signal: AbortSignal | undefined) => Promise<Result<number[][]>>,
): EmbeddingModel {
  const batchSize = options.batchSize ?? 64;
  return {
    id,
    local: isLocalEndpoint(options.baseURL),
    async embed(texts, embedOptions = {}) {
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        const result = await embedBatch(texts.slice(start, start + batchSize), embedOptions.signal);
        if (!result.ok) return result;
        vectors.push(...result.value);
      }
      return ok(vectors);
    },
  };
}

export function createOpenAICompatibleEmbeddings(options: EmbeddingOptions): EmbeddingModel {
  const settings = settingsFor("openai", options);
  return createBatchedModel(`openai:${options.model}`, options, (texts, signal) =>
    postJson<number[][]>(settings, {
      path: "embeddings",
      headers: authorisationHeaders(options.baseURL, options.apiKey),
      body: { model: options.model, input: texts },
      kind: "embeddings",
      signal,
      read: async (response, _touch, count) => {
        const parsed = (await readJson(response, count)) as { data?: { embedding?: unknown; index?: unknown }[] };
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

export function createOllamaEmbeddings(options: EmbeddingOptions): EmbeddingModel {
  const settings = settingsFor("ollama", options);
  return createBatchedModel(`ollama:${options.model}`, options, (texts, signal) =>
    postJson<number[][]>(settings, {
      path: "api/embed",
      headers: authorisationHeaders(options.baseURL, options.apiKey),
      body: { model: options.model, input: texts },
      kind: "embeddings",
      signal,
      read: async (response, _touch, count) => {
        const parsed = (await readJson(response, count)) as { embeddings?: unknown };
        const embeddings = parsed?.embeddings;
        if (!Array.isArray(embeddings) || embeddings.length !== texts.length || !embeddings.every(isVector)) {
          return fail(providerError(settings, "PROVIDER_BAD_RESPONSE", `sent a reply without ${texts.length} vectors in embeddings[].`));
        }
        return ok(embeddings);
      },
    }),
  );
}
