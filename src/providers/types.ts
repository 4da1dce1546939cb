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

/**
 * What the wire (one HTTP exchange with an endpoint) tells the middleware around it, never content: an exchange
 * starts ("request"), pieces of its reply arrive ("received", raw bytes), it ends ("done", with the HTTP status or
 * null when no reply came). The request log counts from these; the deadline restarts its clock on them.
 */
export type WireEvent =
  | { type: "request"; time: string; provider: string; model: string; host: string; local: boolean; kind: "chat" | "embeddings"; bytesSent: number }
  | { type: "received"; bytes: number }
  | { type: "done"; status: number | null };

export type WireListener = (event: WireEvent) => void;

/** What every call through the middleware chain takes, language model or embedding model. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Set by the middleware chain (request log, deadline); callers leave it out. */
  onWire?: WireListener;
}

export interface GenerateOptions extends CallOptions {
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
  embed(texts: string[], options?: CallOptions): Promise<Result<number[][]>>;
}

/**
 * One call to a model endpoint, for the request log: never content, never the key. A call is one answer, draft or
 * embedding job step as the caller made it; `requests` counts the HTTP requests it took (retries, batches), and the
 * byte counts are over all of them, so the log still says everything that left the machine.
 */
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
  /** The last reply's HTTP status, or null when none came. */
  status: number | null;
  outcome: "ok" | "error";
  durationMs: number;
  /** HTTP requests the call took: 1, more after retries or for batches of texts. */
  requests: number;
}

export type RequestListener = (record: RequestRecord) => void;
