/**
 * The HTTP plumbing every provider shares: one POST with a timeout (reset by every piece of a stream), retries on
 * 429 (honouring Retry-After) and 5xx, one request-log record per attempt, and failures turned into messages a user
 * can act on. The API key is scrubbed from anything a server echoes back.
 */
import { createParser } from "eventsource-parser";
import { HearthError, describeError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { RequestListener } from "./types.ts";

export interface EndpointSettings {
  provider: string;
  model: string;
  /** The base URL as configured, named in messages. */
  baseURL: string;
  apiKey?: string | undefined;
  timeoutMs: number;
  maxRetries: number;
  /** "language model" or "embedding model", for messages. */
  what: string;
  /** The settings a user changes to fix a failure, named in messages. */
  variables: { key: string; baseUrl: string; model: string; timeout: string };
  onRequest?: RequestListener | undefined;
  /** Longest Retry-After worth waiting for; a longer one fails at once with the time to wait. */
  maxRetryWaitMs?: number;
}

/** The connection options every provider factory takes. */
export interface EndpointOptions {
  baseURL: string;
  apiKey?: string | undefined;
  model: string;
  timeoutMs?: number;
  maxRetries?: number;
  onRequest?: RequestListener | undefined;
  maxRetryWaitMs?: number;
}

/** A provider's endpoint settings from its factory options, with the defaults every provider uses. */
export function endpointSettings(options: EndpointOptions, identity: Pick<EndpointSettings, "provider" | "what" | "variables">): EndpointSettings {
  return {
    ...identity,
    model: options.model,
    baseURL: options.baseURL,
    apiKey: options.apiKey,
    timeoutMs: options.timeoutMs ?? 120_000,
    maxRetries: options.maxRetries ?? 2,
    onRequest: options.onRequest,
    ...(options.maxRetryWaitMs === undefined ? {} : { maxRetryWaitMs: options.maxRetryWaitMs }),
  };
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

const sleep = (milliseconds: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, milliseconds);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

export interface PostOptions<T> {
  path: string;
  headers: Record<string, string>;
  body: unknown;
  kind: "chat" | "embeddings";
  signal?: AbortSignal | undefined;
  /**
   * Reads a successful response. `touch()` restarts the timeout (call it for each piece of a stream); `count(n)`
   * adds received bytes for the log. A failure here is final (no retry: the reply was already under way).
   */
  read: (response: Response, touch: () => void, count: (bytes: number) => void) => Promise<Result<T>>;
}

export function providerError(settings: EndpointSettings, code: HearthError["code"], reason: string, cause?: unknown): HearthError {
  return new HearthError(code, scrubKey(`The ${settings.what} at ${settings.baseURL} ${reason}`, settings.apiKey), {
    subject: settings.baseURL,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** POSTs JSON with retries; returns what `read` makes of the reply, or a failure with a clear message. */
export async function postJson<T>(settings: EndpointSettings, options: PostOptions<T>): Promise<Result<T>> {
  const url = joinUrl(settings.baseURL, options.path);
  const payload = JSON.stringify(options.body);
  const bytesSent = Buffer.byteLength(payload);
  const host = new URL(url).host;
  const local = isLocalEndpoint(url);
  const maxWait = settings.maxRetryWaitMs ?? 30_000;
  const log = (status: number | null, outcome: "ok" | "error", bytesReceived: number, started: number): void => {
    settings.onRequest?.({
      time: new Date(started).toISOString(),
      provider: settings.provider,
      model: settings.model,
      host,
      local,
      kind: options.kind,
      bytesSent,
      bytesReceived,
      status,
      outcome,
      durationMs: Date.now() - started,
    });
  };

  for (let attempt = 0; ; attempt++) {
    const started = Date.now();
    const controller = new AbortController();
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const touch = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, settings.timeoutMs);
    };
    const onOuterAbort = (): void => controller.abort();
    options.signal?.addEventListener("abort", onOuterAbort);
    let bytesReceived = 0;
    const count = (bytes: number): void => {
      bytesReceived += bytes;
    };
    touch();
    try {
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", ...options.headers },
          body: payload,
          signal: controller.signal,
        });
      } catch (error) {
        log(null, "error", 0, started);
        if (timedOut) {
          return fail(
            providerError(settings, "TIMEOUT", `did not answer within ${seconds(settings.timeoutMs)} s. Raise ${settings.variables.timeout} or check the server.`, error),
          );
        }
        if (options.signal?.aborted) return fail(providerError(settings, "PROVIDER_FAILED", "request was cancelled.", error));
        const reason = describeError((error as { cause?: unknown }).cause ?? error);
        return fail(
          providerError(settings, "PROVIDER_UNAVAILABLE", `cannot be reached (${reason}). Is the server running? Check ${settings.variables.baseUrl}.`, error),
        );
      }

      if (response.ok) {
        try {
          const result = await options.read(response, touch, count);
          log(response.status, result.ok ? "ok" : "error", bytesReceived, started);
          return result;
        } catch (error) {
          log(response.status, "error", bytesReceived, started);
          if (timedOut) {
            return fail(
              providerError(settings, "TIMEOUT", `stopped sending for ${seconds(settings.timeoutMs)} s. Raise ${settings.variables.timeout} or check the server.`, error),
            );
          }
          return fail(providerError(settings, "PROVIDER_BAD_RESPONSE", `sent a reply Hearth cannot read (${describeError(error)}).`, error));
        }
      }

      const body = await response.text().catch(() => "");
      count(Buffer.byteLength(body));
      log(response.status, "error", bytesReceived, started);
      const status = response.status;
      const retriesLeft = attempt < settings.maxRetries;
      if (status === 401 || status === 403) {
        return fail(
          providerError(
            settings,
            "PROVIDER_AUTH",
            settings.apiKey
              ? `refused the API key (${status}). Check ${settings.variables.key}.`
              : `asked for an API key (${status}) and none is set. Set ${settings.variables.key}.`,
          ),
        );
      }
      if (status === 429) {
        const wait = retryAfterMs(response.headers) ?? 1000 * 2 ** attempt;
        if (retriesLeft && wait <= maxWait) {
          await sleep(wait, options.signal);
          continue;
        }
        const after = retryAfterMs(response.headers);
        return fail(
          providerError(
            settings,
            "PROVIDER_RATE_LIMITED",
            `is limiting requests (429)${attempt > 0 ? ` after ${attempt} retries` : ""}${after !== null ? `; try again in ${Math.ceil(after / 1000)} s` : "; try again shortly"}.`,
          ),
        );
      }
      if (status >= 500) {
        if (retriesLeft) {
          await sleep(250 * 2 ** attempt, options.signal);
          continue;
        }
        const detail = serverMessage(body);
        return fail(providerError(settings, "PROVIDER_FAILED", `failed (${status}${detail ? `: ${detail}` : ""})${attempt > 0 ? ` after ${attempt} retries` : ""}.`));
      }
      if (status === 404) {
        return fail(
          providerError(
            settings,
            "PROVIDER_FAILED",
            `has no model "${settings.model}" or the address is wrong (404). Check ${settings.variables.model} and ${settings.variables.baseUrl}.`,
          ),
        );
      }
      const detail = serverMessage(body);
      return fail(providerError(settings, "PROVIDER_FAILED", `rejected the request (${status}${detail ? `: ${detail}` : ""}).`));
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onOuterAbort);
    }
  }
}

/** Reads a whole JSON body, counting its bytes; throws (caught by postJson) when it is not JSON. */
export async function readJson(response: Response, count: (bytes: number) => void): Promise<unknown> {
  const text = await response.text();
  count(Buffer.byteLength(text));
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error("the body is not JSON", { cause: error });
  }
}

/** Server-sent events from a streaming body, one parsed event at a time; restarts the timeout for every chunk. */
export async function* readEvents(
  response: Response,
  touch: () => void,
  count: (bytes: number) => void,
): AsyncGenerator<{ event: string | undefined; data: string }> {
  const queue: { event: string | undefined; data: string }[] = [];
  const parser = createParser({ onEvent: (event) => queue.push({ event: event.event, data: event.data }) });
  if (!response.body) throw new Error("the reply has no body");
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    touch();
    count(chunk.byteLength);
    parser.feed(decoder.decode(chunk, { stream: true }));
    while (queue.length > 0) yield queue.shift()!;
  }
  parser.feed(decoder.decode());
  while (queue.length > 0) yield queue.shift()!;
}
