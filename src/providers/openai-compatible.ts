/**
 * OpenAI-compatible chat completions (`POST {baseURL}/chat/completions`), spoken by OpenAI, Azure OpenAI (v1 API),
 * Ollama, the llama.cpp server, vLLM and LM Studio. Streaming uses server-sent events: `data: {chunk}` lines with
 * `choices[0].delta.content`, ended by `data: [DONE]`.
 */
import { fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { EndpointOptions, WireOptions } from "./http.ts";
import { chainLanguageModel } from "./model-chain.ts";
import { endpointSettings, isLocalEndpoint, parseStreamEvent, postJson, providerError, readEvents, readJson, refuseImages } from "./http.ts";
import { modelAcceptsImages } from "./model-names.ts";
import type { ChatMessage, GenerateOptions, GenerateRequest, Generation, LanguageModel } from "./types.ts";

export interface OpenAICompatibleWireOptions extends WireOptions {
  /** Up to and including "/v1" (Ollama: http://127.0.0.1:11434/v1). */
  baseURL: string;
  /** Overrides the guess from the model name. */
  supportsImages?: boolean | undefined;
}

export type OpenAICompatibleOptions = OpenAICompatibleWireOptions & EndpointOptions;

export const languageModelVariables = {
  key: "HEARTH_LLM_API_KEY",
  baseUrl: "HEARTH_LLM_BASE_URL",
  model: "HEARTH_LLM_MODEL",
  timeout: "HEARTH_LLM_TIMEOUT_S",
};

/** Azure OpenAI takes the key in an `api-key` header; everyone else in `Authorization: Bearer`. */
export function authorisationHeaders(baseURL: string, apiKey: string | undefined): Record<string, string> {
  if (!apiKey) return {};
  const host = new URL(baseURL).hostname;
  if (/\.openai\.azure\.com$|\.cognitiveservices\.azure\.com$/i.test(host)) return { "api-key": apiKey };
  return { authorization: `Bearer ${apiKey}` };
}

function toWireMessage(message: ChatMessage): unknown {
  if (!message.images || message.images.length === 0) return { role: message.role, content: message.content };
  return {
    role: message.role,
    content: [
      { type: "text", text: message.content },
      ...message.images.map((image) => ({ type: "image_url", image_url: { url: `data:${image.mediaType};base64,${image.data}` } })),
    ],
  };
}

interface CompletionBody {
  choices?: { message?: { content?: unknown }; finish_reason?: unknown }[];
}

interface ChunkBody {
  choices?: { delta?: { content?: unknown }; finish_reason?: unknown }[];
  error?: { message?: unknown } | string;
}

/** An OpenAI-compatible model in the middleware chain (timeout, retries, request log as the options say). */
export function createOpenAICompatible(options: OpenAICompatibleOptions): LanguageModel {
  return chainLanguageModel(createOpenAICompatibleWire(options), options);
}

/** The wire protocol alone: one request per call, no retries, no timeout of its own (model-chain.ts adds them). */
export function createOpenAICompatibleWire(options: OpenAICompatibleWireOptions): LanguageModel {
  const settings = endpointSettings(options, { provider: "openai", what: "language model", variables: languageModelVariables });
  const supportsImages = options.supportsImages ?? modelAcceptsImages(options.model);

  const generate = async (request: GenerateRequest, generateOptions: GenerateOptions = {}): Promise<Result<Generation>> => {
    const streaming = generateOptions.onToken !== undefined;
    const refused = refuseImages(settings, supportsImages, request.messages);
    if (refused) return fail(refused);
    const body = {
      model: options.model,
      messages: [{ role: "system", content: request.system }, ...request.messages.map(toWireMessage)],
      ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      stream: streaming,
    };
    return postJson<Generation>(settings, {
      path: "chat/completions",
      headers: { ...authorisationHeaders(options.baseURL, options.apiKey), ...(streaming ? { accept: "text/event-stream" } : {}) },
      body,
      kind: "chat",
      signal: generateOptions.signal,
      onWire: generateOptions.onWire,
      read: async (response, received) => {
        if (!streaming) {
          const parsed = (await readJson(response, received)) as CompletionBody;
          const choice = parsed?.choices?.[0];
          const content = choice?.message?.content;
          if (typeof content !== "string") {
            return fail(providerError(settings, "PROVIDER_BAD_RESPONSE", "sent a reply without choices[0].message.content."));
          }
          return ok({ text: content, finishReason: typeof choice?.finish_reason === "string" ? choice.finish_reason : null });
        }
        let text = "";
        let finishReason: string | null = null;
        let done = false;
        for await (const event of readEvents(response, received)) {
          if (event.data.trim() === "[DONE]") {
            done = true;
            break;
          }
          const parsed = parseStreamEvent<ChunkBody>(settings, event.data);
          if (!parsed.ok) return parsed;
          const chunk = parsed.value;
          if (chunk.error !== undefined) {
            const message = typeof chunk.error === "string" ? chunk.error : String(chunk.error.message ?? "unknown error");
            return fail(providerError(settings, "PROVIDER_FAILED", `failed while answering (${message}).`));
          }
          const choice = chunk.choices?.[0];
          const piece = choice?.delta?.content;
          if (typeof piece === "string" && piece.length > 0) {
            text += piece;
            generateOptions.onToken?.(piece);
          }
          if (typeof choice?.finish_reason === "string") finishReason = choice.finish_reason;
        }
        if (!done && finishReason === null) {
          return fail(providerError(settings, "PROVIDER_BAD_RESPONSE", "ended the stream before the answer was complete."));
        }
        return ok({ text, finishReason });
      },
    });
  };

  return {
    id: `openai:${options.model}`,
    provider: "openai",
    model: options.model,
    supportsImages,
    local: isLocalEndpoint(options.baseURL),
    generate,
  };
}
