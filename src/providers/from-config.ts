/**
 * Builds the configured language model and embedding model. Cross-field checks (a model name for a provider that
 * needs one, a key for a cloud endpoint) happen here, once, with the setting to change named in the message.
 */
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { HearthConfig } from "../config/config.ts";
import { createAnthropic } from "./anthropic.ts";
import { createOllamaEmbeddings, createOpenAICompatibleEmbeddings } from "./embeddings.ts";
import { isLocalEndpoint } from "./http.ts";
import { createLlamaCpp } from "./llama-cpp.ts";
import { createOpenAICompatible } from "./openai-compatible.ts";
import type { EmbeddingModel, LanguageModel, RequestListener } from "./types.ts";

export const openAIBaseUrl = "https://api.openai.com/v1";

function missing(variable: string, why: string): Result<never> {
  return fail(new HearthError("CONFIG_INVALID", `Invalid configuration: ${variable} is required ${why}`, { subject: variable }));
}

/** The configured language model, or null for the offline extractive answerer. */
export function createLanguageModel(config: Pick<HearthConfig, "llm">, onRequest?: RequestListener): Result<LanguageModel | null> {
  const llm = config.llm;
  const common = {
    apiKey: llm.apiKey,
    timeoutMs: llm.timeoutMs,
    maxRetries: llm.maxRetries,
    supportsImages: llm.images,
    onRequest,
  };
  switch (llm.provider) {
    case "extractive":
      return ok(null);
    case "openai": {
      if (!llm.model) return missing("HEARTH_LLM_MODEL", 'for HEARTH_LLM_PROVIDER=openai (for example "llama3.1:8b" with Ollama)');
      const baseURL = llm.baseUrl ?? openAIBaseUrl;
      if (!llm.apiKey && !isLocalEndpoint(baseURL) && baseURL === openAIBaseUrl) return missing("HEARTH_LLM_API_KEY", `for ${baseURL}`);
      return ok(createOpenAICompatible({ ...common, baseURL, model: llm.model }));
    }
    case "anthropic": {
      if (!llm.model) return missing("HEARTH_LLM_MODEL", 'for HEARTH_LLM_PROVIDER=anthropic (for example "claude-sonnet-4-5")');
      if (!llm.apiKey && !(llm.baseUrl && isLocalEndpoint(llm.baseUrl))) return missing("HEARTH_LLM_API_KEY", "for HEARTH_LLM_PROVIDER=anthropic");
      return ok(createAnthropic({ ...common, baseURL: llm.baseUrl, model: llm.model }));
    }
    case "llama-cpp": {
      if (!llm.modelPath) return missing("HEARTH_LLM_MODEL_PATH", "for HEARTH_LLM_PROVIDER=llama-cpp (a .gguf file)");
      return ok(createLlamaCpp({ modelPath: llm.modelPath }));
    }
  }
}

/** The configured embedding model, or null for keyword search alone. */
export function createEmbeddingModel(config: Pick<HearthConfig, "embeddings" | "llm">, onRequest?: RequestListener): Result<EmbeddingModel | null> {
  const embeddings = config.embeddings;
  if (embeddings.provider === "none") return ok(null);
  if (!embeddings.model) return missing("HEARTH_EMBEDDINGS_MODEL", `for HEARTH_EMBEDDINGS_PROVIDER=${embeddings.provider} (for example "nomic-embed-text")`);
  const common = { apiKey: embeddings.apiKey, model: embeddings.model, timeoutMs: config.llm.timeoutMs, maxRetries: config.llm.maxRetries, onRequest };
  if (embeddings.provider === "ollama") return ok(createOllamaEmbeddings({ ...common, baseURL: embeddings.baseUrl ?? "http://127.0.0.1:11434" }));
  const baseURL = embeddings.baseUrl ?? openAIBaseUrl;
  if (!embeddings.apiKey && baseURL === openAIBaseUrl) return missing("HEARTH_EMBEDDINGS_API_KEY", `for ${baseURL}`);
  return ok(createOpenAICompatibleEmbeddings({ ...common, baseURL }));
}
