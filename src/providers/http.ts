/**
 * The wire every HTTP provider shares: one POST (one attempt), its reply read by the provider's `read`, and a
 * failure turned into a message a user can act on, naming the endpoint and the setting to change. Retries, the
 * deadline and the request log are middleware (middleware.ts, composed in model-chain.ts): this file only reports
 * what happened on the wire to them (`onWire`: the request, each piece received, the status) and carries what they
 * need on its failures (`ProviderError`: the status and any Retry-After). The API key is scrubbed from anything a
 * server echoes back.
 */
import { createParser } from "eventsource-parser";
import { HearthError, describeError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { ChainOptions } from "./model-chain.ts";
import type { WireListener } from "./types.ts";

/** What the wire needs to know of an endpoint: where it is, the key, and how to name it in messages. */
export interface EndpointSettings {
  provider: string;
  model: string;
  /** The base URL as configured, named in messages. */
  baseURL: string;
  apiKey?: string | undefined;
  /** "language model" or "embedding model", for messages. */
  what: string;
  /** The settings a user changes to fix a failure, named in messages. */
  variables: { key: string; baseUrl: string; model: string; timeout: string };
}

/** Where an endpoint is and how to reach it: the wire's part of every provider factory's options. */
export interface WireOptions {
  baseURL: string;
  apiKey?: string | undefined;
  model: string;
}

/** A provider factory's options: the wire's, and the middleware chain's (timeout, retries, request log). */
export type EndpointOptions = WireOptions & ChainOptions;

/** A provider's endpoint settings from its factory options. */
export function endpointSettings(options: WireOptions, identity: Pick<EndpointSettings, "provider" | "what" | "variables">): EndpointSettings {
  return { ...identity, model: options.model, baseURL: options.baseURL, apiKey: options.apiKey };
}

/** The failure for photos sent to a model that does not accept them, or null when the request may go. */
export function refuseImages(settings: EndpointSettings, supportsImages: boolean, messages: { images?: unknown[] }[]): HearthError | null {
  if (supportsImages || !messages.some((message) => (message.images?.length ?? 0) > 0)) return null;
  return providerError(
    settings,
    "IMAGES_NOT_SUPPORTED",
    `(model "${settings.model}") does not accept images. Use a model that does, or set HEARTH_LLM_IMAGES=true if it does.`,
  );
}

/** One streamed event's JSON, or the failure naming the endpoint. */
export function parseStreamEvent<T>(settings: EndpointSettings, data: string): Result<T> {
  try {
    return ok(JSON.parse(data) as T);
  } catch (error) {
    return fail(providerError(settings, "PROVIDER_BAD_RESPONSE", "sent a stream event that is not JSON.", error));
  }
}

/** Loopback names and addresses: requests to them do not leave the machine. */
export function isLocalEndpoint(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  host = host.replace(/^\[|\]$/g, "");
  return host === "localhost" || host.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(host) || host === "::1";
}

/** Joins a base URL and a path without doubling or losing slashes; keeps the base's query (Azure api-version). */
export function joinUrl(baseURL: string, path: string): string {
  const url = new URL(baseURL);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
  return url.toString();
}

/** Replaces the key (and any long part of it) wherever a server echoes it. */
export function scrubKey(text: string, apiKey: string | undefined): string {
  if (!apiKey || apiKey.length < 4) return text;
  let scrubbed = text.split(apiKey).join("[key]");
  // Servers often echo a prefix or suffix ("sk-abc...xyz"): scrub any 8-character piece of the key.
  if (apiKey.length >= 8) {
    for (let start = 0; start + 8 <= apiKey.length; start++) scrubbed = scrubbed.split(apiKey.slice(start, start + 8)).join("[key]");
  }
  return scrubbed;
}

/** Seconds (or an HTTP date) in Retry-After, or milliseconds in retry-after-ms; null when absent or unreadable. */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | null {
  const milliseconds = headers.get("retry-after-ms");
  if (milliseconds !== null && Number.isFinite(Number(milliseconds))) return Math.max(0, Number(milliseconds));
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** The error message inside a provider's error body (OpenAI, Anthropic, Ollama shapes), short. */
function serverMessage(body: string): string {
  let message = body;
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
    if (typeof parsed.error === "string") message = parsed.error;
    else if (parsed.error && typeof parsed.error === "object" && typeof (parsed.error as { message?: unknown }).message === "string") {
      message = (parsed.error as { message: string }).message;
    } else if (typeof parsed.message === "string") message = parsed.message;
  } catch {
    // Not JSON: the raw text, trimmed below.
  }
  message = message.replace(/\s+/g, " ").trim();
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}

const seconds = (milliseconds: number): string =>
  milliseconds < 10_000 ? String(Math.round(milliseconds / 100) / 10) : String(Math.round(milliseconds / 1000));

/**
 * The reason a signal carries when the deadline middleware cancels a call: the wire then says how long the endpoint
 * was silent, in its own words (it knows the endpoint and the setting to change).
 */
export class DeadlineExpired extends Error {
  constructor(
    readonly milliseconds: number,
    /** "silence": nothing arrived for `milliseconds`; "total": the whole call ran past them. */
    readonly kind: "silence" | "total",
  ) {
    super(`deadline of ${milliseconds} ms passed`);
    this.name = "DeadlineExpired";
  }
}

export function deadlineOf(signal: AbortSignal | undefined): DeadlineExpired | null {
  return signal?.aborted && signal.reason instanceof DeadlineExpired ? signal.reason : null;
}

/**
 * A provider's failure with what the retry middleware needs: the HTTP status (null when no reply came) and the wait
 * the server asked for. `afterRetries(n)` is the message once n retries failed too.
 */
export class ProviderError extends HearthError {
  constructor(
    code: HearthError["code"],
    message: string,
    options: { subject: string; cause?: unknown },
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
    private readonly retriedMessage: (retries: number) => string = () => message,
  ) {
    super(code, message, options);
  }

  afterRetries(retries: number): ProviderError {
    if (retries === 0) return this;
    return new ProviderError(this.code, this.retriedMessage(retries), { subject: this.subject ?? "", cause: this.cause }, this.status, this.retryAfterMs);
  }
}

export interface PostOptions<T> {
  path: string;
  headers: Record<string, string>;
  body: unknown;
  kind: "chat" | "embeddings";
  signal?: AbortSignal | undefined;
  /** Told of the request, each piece received and the status (the request log and the deadline listen). */
  onWire?: WireListener | undefined;
  /**
   * Reads a successful response; `received(n)` reports n bytes of it (call it for each piece of a stream). A failure
   * here is final (no retry: the reply was already under way).
   */
  read: (response: Response, received: (bytes: number) => void) => Promise<Result<T>>;
}

export function providerError(settings: EndpointSettings, code: HearthError["code"], reason: string, cause?: unknown): ProviderError {
  return new ProviderError(code, scrubKey(`The ${settings.what} at ${settings.baseURL} ${reason}`, settings.apiKey), {
    subject: settings.baseURL,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** A failure with its status (and Retry-After), whose message gains "after n retries" when retries failed too. */
function statusError(
  settings: EndpointSettings,
  code: HearthError["code"],
  status: number,
  reason: (retried: string) => string,
  retryAfter: number | null = null,
): ProviderError {
  const message = (retried: string): string => scrubKey(`The ${settings.what} at ${settings.baseURL} ${reason(retried)}`, settings.apiKey);
  return new ProviderError(code, message(""), { subject: settings.baseURL }, status, retryAfter, (retries) => message(` after ${retries} retries`));
}

/** POSTs JSON once; returns what `read` makes of the reply, or a failure with a clear message. */
export async function postJson<T>(settings: EndpointSettings, options: PostOptions<T>): Promise<Result<T>> {
  const url = joinUrl(settings.baseURL, options.path);
  const payload = JSON.stringify(options.body);
  const wire = options.onWire;
  wire?.({
    type: "request",
    time: new Date().toISOString(),
    provider: settings.provider,
    model: settings.model,
    host: new URL(url).host,
    local: isLocalEndpoint(url),
    kind: options.kind,
    bytesSent: Buffer.byteLength(payload),
  });
  const received = (bytes: number): void => wire?.({ type: "received", bytes });
  let status: number | null = null;
  try {
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...options.headers },
        body: payload,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      const deadline = deadlineOf(options.signal);
      if (deadline) {
        const silent = deadline.kind === "silence" ? `did not answer within ${seconds(deadline.milliseconds)} s` : `did not finish within ${seconds(deadline.milliseconds)} s`;
        return fail(providerError(settings, "TIMEOUT", `${silent}. Raise ${settings.variables.timeout} or check the server.`, error));
      }
      if (options.signal?.aborted) return fail(providerError(settings, "PROVIDER_FAILED", "request was cancelled.", error));
      const reason = describeError((error as { cause?: unknown }).cause ?? error);
      return fail(providerError(settings, "PROVIDER_UNAVAILABLE", `cannot be reached (${reason}). Is the server running? Check ${settings.variables.baseUrl}.`, error));
    }
    status = response.status;

    if (response.ok) {
      try {
        return await options.read(response, received);
      } catch (error) {
        const deadline = deadlineOf(options.signal);
        if (deadline) {
          const silent = deadline.kind === "silence" ? `stopped sending for ${seconds(deadline.milliseconds)} s` : `did not finish within ${seconds(deadline.milliseconds)} s`;
          return fail(providerError(settings, "TIMEOUT", `${silent}. Raise ${settings.variables.timeout} or check the server.`, error));
        }
        if (options.signal?.aborted) return fail(providerError(settings, "PROVIDER_FAILED", "request was cancelled.", error));
        return fail(providerError(settings, "PROVIDER_BAD_RESPONSE", `sent a reply Hearth cannot read (${describeError(error)}).`, error));
      }
    }

    const body = await response.text().catch(() => "");
    received(Buffer.byteLength(body));
    if (status === 401 || status === 403) {
      const failed = status;
      return fail(
        statusError(settings, "PROVIDER_AUTH", failed, () =>
          settings.apiKey
            ? `refused the API key (${failed}). Check ${settings.variables.key}.`
            : `asked for an API key (${failed}) and none is set. Set ${settings.variables.key}.`,
        ),
      );
    }
    if (status === 429) {
      const after = retryAfterMs(response.headers);
      return fail(
        statusError(
          settings,
          "PROVIDER_RATE_LIMITED",
          429,
          (retried) => `is limiting requests (429)${retried}${after !== null ? `; try again in ${Math.ceil(after / 1000)} s` : "; try again shortly"}.`,
          after,
        ),
      );
    }
    const detail = serverMessage(body);
    if (status >= 500) {
      const failed = status;
      return fail(statusError(settings, "PROVIDER_FAILED", failed, (retried) => `failed (${failed}${detail ? `: ${detail}` : ""})${retried}.`, retryAfterMs(response.headers)));
    }
    if (status === 404) {
      return fail(
        statusError(
          settings,
          "PROVIDER_FAILED",
          404,
          () => `has no model "${settings.model}" or the address is wrong (404). Check ${settings.variables.model} and ${settings.variables.baseUrl}.`,
        ),
      );
    }
    const failed = status;
    return fail(statusError(settings, "PROVIDER_FAILED", failed, () => `rejected the request (${failed}${detail ? `: ${detail}` : ""}).`));
  } finally {
    wire?.({ type: "done", status });
  }
}
/** Reads a whole JSON body, reporting its bytes; throws (caught by postJson) when it is not JSON. */
export async function readJson(response: Response, received: (bytes: number) => void): Promise<unknown> {
  const text = await response.text();
  received(Buffer.byteLength(text));
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error("the body is not JSON", { cause: error });
  }
}

/** Server-sent events from a streaming body, one parsed event at a time; each chunk's bytes reported as it comes. */
export async function* readEvents(response: Response, received: (bytes: number) => void): AsyncGenerator<{ event: string | undefined; data: string }> {
  const queue: { event: string | undefined; data: string }[] = [];
  const parser = createParser({ onEvent: (event) => queue.push({ event: event.event, data: event.data }) });
  if (!response.body) throw new Error("the reply has no body");
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    received(chunk.byteLength);
    parser.feed(decoder.decode(chunk, { stream: true }));
    while (queue.length > 0) yield queue.shift()!;
  }
  parser.feed(decoder.decode());
  while (queue.length > 0) yield queue.shift()!;
}
