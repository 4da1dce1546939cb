/**
 * Builds the configured language model and embedding model, each in the one middleware chain (model-chain.ts):
 * redaction as the privacy settings ask for this endpoint, the request log, the timeout and retries from the
 * settings. Cross-field checks (a model name for a provider that needs one, a key for a cloud endpoint) happen here,
 * once, with the setting to change named in the message.
 */
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { HearthConfig } from "../config/config.ts";
import { shouldRedact } from "../privacy/policy.ts";
import { createAnthropicWire } from "./anthropic.ts";
import { createOllamaEmbeddingsWire, createOpenAICompatibleEmbeddingsWire } from "./embeddings.ts";
import { isLocalEndpoint } from "./http.ts";
import { createLlamaCpp } from "./llama-cpp.ts";
import type { ChainOptions } from "./model-chain.ts";
import { chainEmbeddingModel, chainLanguageModel } from "./model-chain.ts";
import { createOpenAICompatibleWire } from "./openai-compatible.ts";
import type { EmbeddingModel, LanguageModel, RequestListener } from "./types.ts";

export const openAIBaseUrl = "https://api.openai.com/v1";

function missing(variable: string, why: string): Result<never> {
  return fail(new HearthError("CONFIG_INVALID", `Invalid configuration: ${variable} is required ${why}`, { subject: variable }));
}

/** The chain's settings for a model: redaction when the privacy settings ask for it at this endpoint. */
function chainOptions(config: Pick<HearthConfig, "llm" | "privacy">, local: boolean, onRequest: RequestListener | undefined): ChainOptions {
  return {
    timeoutMs: config.llm.timeoutMs,
    maxRetries: config.llm.maxRetries,
    onRequest,
    redact: shouldRedact(config.privacy.redact, local) ? { names: config.privacy.names } : false,
  };
}

/** The configured language model wrapped in the middleware chain, or null for the offline extractive answerer. */
export function createLanguageModel(config: Pick<HearthConfig, "llm" | "privacy">, onRequest?: RequestListener): Result<LanguageModel | null> {
  const wire = createLanguageModelWire(config);
  if (!wire.ok || wire.value === null) return wire;
  return ok(chainLanguageModel(wire.value, chainOptions(config, wire.value.local, onRequest)));
}

/** The configured provider's wire protocol alone. */
function createLanguageModelWire(config: Pick<HearthConfig, "llm">): Result<LanguageModel | null> {
  const llm = config.llm;
  const common = { apiKey: llm.apiKey, supportsImages: llm.images };
  switch (llm.provider) {
    case "extractive":
      return ok(null);
    case "openai": {
      if (!llm.model) return missing("HEARTH_LLM_MODEL", 'for HEARTH_LLM_PROVIDER=openai (for example "llama3.1:8b" with Ollama)');
      const baseURL = llm.baseUrl ?? openAIBaseUrl;
      if (!llm.apiKey && !isLocalEndpoint(baseURL) && baseURL === openAIBaseUrl) return missing("HEARTH_LLM_API_KEY", `for ${baseURL}`);
      return ok(createOpenAICompatibleWire({ ...common, baseURL, model: llm.model }));
    }
    case "anthropic": {
      if (!llm.model) return missing("HEARTH_LLM_MODEL", 'for HEARTH_LLM_PROVIDER=anthropic (for example "claude-sonnet-4-5")');
      if (!llm.apiKey && !(llm.baseUrl && isLocalEndpoint(llm.baseUrl))) return missing("HEARTH_LLM_API_KEY", "for HEARTH_LLM_PROVIDER=anthropic");
      return ok(createAnthropicWire({ ...common, baseURL: llm.baseUrl, model: llm.model }));
    }
    case "llama-cpp": {
      if (!llm.modelPath) return missing("HEARTH_LLM_MODEL_PATH", "for HEARTH_LLM_PROVIDER=llama-cpp (a .gguf file)");
      return ok(createLlamaCpp({ modelPath: llm.modelPath }));
    }
  }
}

/** The configured embedding model wrapped in the middleware chain, or null for keyword search alone. */
export function createEmbeddingModel(config: Pick<HearthConfig, "embeddings" | "llm" | "privacy">, onRequest?: RequestListener): Result<EmbeddingModel | null> {
  const embeddings = config.embeddings;
  if (embeddings.provider === "none") return ok(null);
  if (!embeddings.model) return missing("HEARTH_EMBEDDINGS_MODEL", `for HEARTH_EMBEDDINGS_PROVIDER=${embeddings.provider} (for example "nomic-embed-text")`);
  const common = { apiKey: embeddings.apiKey, model: embeddings.model };
  let wire: EmbeddingModel;
  if (embeddings.provider === "ollama") wire = createOllamaEmbeddingsWire({ ...common, baseURL: embeddings.baseUrl ?? "http://127.0.0.1:11434" });
  else {
    const baseURL = embeddings.baseUrl ?? openAIBaseUrl;
    if (!embeddings.apiKey && baseURL === openAIBaseUrl) return missing("HEARTH_EMBEDDINGS_API_KEY", `for ${baseURL}`);
    wire = createOpenAICompatibleEmbeddingsWire({ ...common, baseURL });
  }
  return ok(chainEmbeddingModel(wire, chainOptions(config, wire.local, onRequest)));
}
