/**
 * The Anthropic Messages API (`POST {baseURL}/v1/messages`, `x-api-key`, `anthropic-version`). Streaming is
 * server-sent events: message_start, content_block_start, content_block_delta (text_delta), content_block_stop,
 * message_delta (stop_reason), message_stop; `ping` keeps the connection alive and `error` reports a failure.
 */
import { fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { EndpointOptions, WireOptions } from "./http.ts";
import { chainLanguageModel } from "./model-chain.ts";
import { endpointSettings, isLocalEndpoint, parseStreamEvent, postJson, providerError, readEvents, readJson, refuseImages } from "./http.ts";
import { modelAcceptsImages } from "./model-names.ts";
import { languageModelVariables } from "./openai-compatible.ts";
import type { ChatMessage, GenerateOptions, GenerateRequest, Generation, LanguageModel } from "./types.ts";

export const anthropicBaseUrl = "https://api.anthropic.com";
export const anthropicVersion = "2023-06-01";

export interface AnthropicWireOptions extends Omit<WireOptions, "baseURL"> {
  /** Defaults to Anthropic's API. */
  baseURL?: string | undefined;
  supportsImages?: boolean | undefined;
  /** The API requires a limit on the reply. */
  defaultMaxTokens?: number;
}

export type AnthropicOptions = AnthropicWireOptions & Omit<EndpointOptions, "baseURL" | "model" | "apiKey">;

function toWireMessage(message: ChatMessage): unknown {
  if (!message.images || message.images.length === 0) return { role: message.role, content: message.content };
  return {
    role: message.role,
    content: [
      ...message.images.map((image) => ({ type: "image", source: { type: "base64", media_type: image.mediaType, data: image.data } })),
      { type: "text", text: message.content },
    ],
  };
}

interface MessageBody {
  content?: { type?: unknown; text?: unknown }[];
  stop_reason?: unknown;
}

interface StreamEventBody {
  type?: string;
  delta?: { type?: string; text?: unknown; stop_reason?: unknown };
  error?: { message?: unknown };
}

/** An Anthropic model in the middleware chain (timeout, retries, request log as the options say). */
export function createAnthropic(options: AnthropicOptions): LanguageModel {
  return chainLanguageModel(createAnthropicWire(options), options);
}

/** The wire protocol alone: one request per call, no retries, no timeout of its own (model-chain.ts adds them). */
export function createAnthropicWire(options: AnthropicWireOptions): LanguageModel {
  const baseURL = options.baseURL ?? anthropicBaseUrl;
  const settings = endpointSettings({ ...options, baseURL }, { provider: "anthropic", what: "language model", variables: languageModelVariables });
  const supportsImages = options.supportsImages ?? modelAcceptsImages(options.model);
  const path = /\/v1\/?$/.test(new URL(baseURL).pathname) ? "messages" : "v1/messages";

  const generate = async (request: GenerateRequest, generateOptions: GenerateOptions = {}): Promise<Result<Generation>> => {
    const streaming = generateOptions.onToken !== undefined;
    const refused = refuseImages(settings, supportsImages, request.messages);
    if (refused) return fail(refused);
    const body = {
      model: options.model,
      system: request.system,
      messages: request.messages.map(toWireMessage),
      max_tokens: request.maxTokens ?? options.defaultMaxTokens ?? 2048,
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      stream: streaming,
    };
    return postJson<Generation>(settings, {
      path,
      headers: {
        ...(options.apiKey ? { "x-api-key": options.apiKey } : {}),
        "anthropic-version": anthropicVersion,
        ...(streaming ? { accept: "text/event-stream" } : {}),
      },
      body,
      kind: "chat",
      signal: generateOptions.signal,
      onWire: generateOptions.onWire,
      read: async (response, received) => {
        if (!streaming) {
          const parsed = (await readJson(response, received)) as MessageBody;
          if (!Array.isArray(parsed?.content)) {
            return fail(providerError(settings, "PROVIDER_BAD_RESPONSE", "sent a reply without a content list."));
          }
          const text = parsed.content
            .filter((block) => block.type === "text" && typeof block.text === "string")
            .map((block) => block.text as string)
            .join("");
          return ok({ text, finishReason: typeof parsed.stop_reason === "string" ? parsed.stop_reason : null });
        }
        let text = "";
        let finishReason: string | null = null;
        let stopped = false;
        for await (const event of readEvents(response, received)) {
          const parsed = parseStreamEvent<StreamEventBody>(settings, event.data);
          if (!parsed.ok) return parsed;
          const data = parsed.value;
          const type = event.event ?? data.type;
          if (type === "error") {
            return fail(providerError(settings, "PROVIDER_FAILED", `failed while answering (${String(data.error?.message ?? "unknown error")}).`));
          }
          if (type === "content_block_delta" && data.delta?.type === "text_delta" && typeof data.delta.text === "string") {
            text += data.delta.text;
            generateOptions.onToken?.(data.delta.text);
          } else if (type === "message_delta" && typeof data.delta?.stop_reason === "string") {
            finishReason = data.delta.stop_reason;
          } else if (type === "message_stop") {
            stopped = true;
            break;
          }
        }
        if (!stopped) return fail(providerError(settings, "PROVIDER_BAD_RESPONSE", "ended the stream before the answer was complete."));
        return ok({ text, finishReason });
      },
    });
  };

  return {
    id: `anthropic:${options.model}`,
    provider: "anthropic",
    model: options.model,
    supportsImages,
    local: isLocalEndpoint(baseURL),
    generate,
  };
}
