/**
 * Contracts for language models and embedding models. Every implementation (OpenAI-compatible, Anthropic, a local
 * GGUF file through node-llama-cpp; OpenAI-compatible and Ollama embeddings) passes the shared suites in
 * language-model-contract.ts and embedding-model-contract.ts. Expected failures (401, 429, 500, timeouts, malformed
 * replies) come back as `Result` failures whose message a user can act on; the API key never appears in one.
 */
import type { Result } from "../errors/hearth-error.ts";

/** A photo attached to a question (a bedroom for a premises check), already read and checked. */
export interface ImageAttachment {
  /** "image/jpeg" | "image/png" | "image/gif" | "image/webp". */
  mediaType: string;
  /** Base64 of the bytes. */
  data: string;
  /** The file name, for messages only. */
  name: string;
}

export interface ChatMessage {
  role: "user" | "assistant";
  content: string;
  images?: ImageAttachment[];
}

export interface GenerateRequest {
  /** Instructions; document text never goes here. */
  system: string;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
}

export interface GenerateOptions {
  signal?: AbortSignal;
  /** When given, the reply is streamed and each piece of text is passed here as it arrives. */
  onToken?: (text: string) => void;
}

export interface Generation {
  text: string;
  /** Why the model stopped ("stop", "length", "end_turn" ...), as the provider said it. */
  finishReason: string | null;
}

export interface LanguageModel {
  /** "openai:llama3.1:8b" and the like: provider and model, for notes and the request log. */
  readonly id: string;
  readonly provider: "openai" | "anthropic" | "llama-cpp";
  readonly model: string;
  /** Whether requests may carry images. */
  readonly supportsImages: boolean;
  /** False when the endpoint is another machine: what is sent is then redacted (privacy "auto"). */
  readonly local: boolean;
  generate(request: GenerateRequest, options?: GenerateOptions): Promise<Result<Generation>>;
}

export interface EmbeddingModel {
  /** "ollama:nomic-embed-text" and the like; stored with each vector so a model change re-embeds. */
  readonly id: string;
  readonly local: boolean;
  /** One vector per text, in order. */
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<Result<number[][]>>;
}

/** One request sent to a model endpoint, for the request log: never content, never the key. */
export interface RequestRecord {
  time: string;
  provider: string;
  model: string;
  /** Host (and port) of the endpoint only. */
  host: string;
  local: boolean;
  kind: "chat" | "embeddings";
  bytesSent: number;
  bytesReceived: number;
  status: number | null;
  outcome: "ok" | "error";
  durationMs: number;
}

export type RequestListener = (record: RequestRecord) => void;
