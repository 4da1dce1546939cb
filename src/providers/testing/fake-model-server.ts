/**
 * Test servers on 127.0.0.1:0 that speak each provider's wire protocol: OpenAI chat completions (JSON and SSE
 * `data:` chunks ending in `[DONE]`) and /embeddings, Anthropic messages (JSON and SSE events message_start,
 * content_block_delta, message_stop ...), and Ollama /api/embed. A queue of scripted turns makes them fail the way
 * real servers do: a status (401, 429 with Retry-After, 500), a hang, malformed JSON, a stream that stops.
 */
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Protocol = "openai" | "anthropic" | "ollama";

export type Turn =
  | { kind: "reply"; text: string; /** "length" for a reply cut at the token limit (Anthropic: max_tokens). */ finishReason?: "stop" | "length" }
  | { kind: "status"; status: number; body?: string; headers?: Record<string, string> }
  | { kind: "hang" }
  | { kind: "malformed" }
  | { kind: "stream-stops" };

export interface RecordedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  raw: string;
  /** performance.now() when the request was read (same process as the client: for latency benchmarks). */
  receivedAt: number;
}

export interface FakeModelServer {
  /** Base URL to configure: ".../v1" for openai, the origin for anthropic and ollama. */
  url: string;
  requests: RecordedRequest[];
  /** Turns consumed one per request, before the default reply. */
  script: Turn[];
  /** Milliseconds between streamed pieces (0: as fast as the socket takes them), to watch a stream arrive. */
  pieceDelayMs: number;
  /** The reply when the script is empty: from the request (the last user message and the system prompt). */
  respond: (prompt: { system: string; user: string; body: Record<string, unknown> }) => string;
  close(): Promise<void>;
}

/** A deterministic bag-of-words vector: texts sharing words are near each other. */
export function fakeEmbedding(text: string, dimensions = 32): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let hash = 2166136261;
    for (const character of word) hash = Math.imul(hash ^ character.charCodeAt(0), 16777619);
    vector[Math.abs(hash) % dimensions]! += 1;
  }
  const length = Math.hypot(...vector) || 1;
  return vector.map((value) => value / length);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part: { type?: string; text?: string }) => (part.type === "text" && typeof part.text === "string" ? part.text : ""))
      .join("");
  }
  return "";
}

function promptOf(protocol: Protocol, body: Record<string, unknown>): { system: string; user: string; body: Record<string, unknown> } {
  const messages = (Array.isArray(body.messages) ? body.messages : []) as { role?: string; content?: unknown }[];
  const system =
    protocol === "anthropic" ? textOf(body.system) : messages.filter((message) => message.role === "system").map((message) => textOf(message.content)).join("\n");
  const user = textOf([...messages].reverse().find((message) => message.role === "user")?.content);
  return { system, user, body };
}

/** Splits a reply into small pieces, as a model streams tokens. */
function pieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  response.end(body);
}

const pause = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));

async function replyOpenAI(response: ServerResponse, text: string, stream: boolean, model: string, finish: "stop" | "length" = "stop", delayMs = 0): Promise<void> {
  if (!stream) {
    sendJson(response, 200, {
      id: "chatcmpl-test",
      object: "chat.completion",
      model,
      choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: finish }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
    return;
  }
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const chunk = (delta: Record<string, unknown>, finish: string | null): string =>
    `data: ${JSON.stringify({ id: "chatcmpl-test", object: "chat.completion.chunk", model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  response.write(chunk({ role: "assistant", content: "" }, null));
  for (const piece of pieces(text)) {
    if (delayMs > 0) await pause(delayMs);
    response.write(chunk({ content: piece }, null));
  }
  response.write(chunk({}, finish));
  response.end("data: [DONE]\n\n");
}

function replyAnthropic(response: ServerResponse, text: string, stream: boolean, model: string, finish: "stop" | "length" = "stop"): void {
  const stopReason = finish === "length" ? "max_tokens" : "end_turn";
  if (!stream) {
    sendJson(response, 200, {
      id: "msg_test",
      type: "message",
      role: "assistant",
      model,
      content: [{ type: "text", text }],
      stop_reason: stopReason,
      usage: { input_tokens: 1, output_tokens: 1 },
    });
    return;
  }
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const event = (type: string, data: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  response.write(event("message_start", { message: { id: "msg_test", type: "message", role: "assistant", model, content: [] } }));
  response.write(event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }));
  response.write(event("ping", {}));
  for (const piece of pieces(text)) response.write(event("content_block_delta", { index: 0, delta: { type: "text_delta", text: piece } }));
  response.write(event("content_block_stop", { index: 0 }));
  response.write(event("message_delta", { delta: { stop_reason: stopReason }, usage: { output_tokens: 1 } }));
  response.end(event("message_stop", {}));
}

export async function startFakeModelServer(protocol: Protocol): Promise<FakeModelServer> {
  const sockets = new Set<Socket>();
  const fake: FakeModelServer = {
    url: "",
    requests: [],
    script: [],
    pieceDelayMs: 0,
    respond: ({ user }) => `You said: ${user}`,
    close: async () => undefined,
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const raw = await readBody(request);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        // Recorded as empty; the client under test always sends JSON.
      }
      const path = (request.url ?? "/").split("?")[0] ?? "/";
      fake.requests.push({ path, headers: request.headers, body, raw, receivedAt: performance.now() });
      const turn = fake.script.shift();
      const stream = body.stream === true;
      const model = typeof body.model === "string" ? body.model : "test-model";
      if (turn?.kind === "status") {
        response.writeHead(turn.status, { "content-type": "application/json", ...turn.headers });
        response.end(turn.body ?? JSON.stringify({ error: { message: `scripted failure ${turn.status}` } }));
        return;
      }
      if (turn?.kind === "hang") return; // never answers; the client's timeout must fire
      if (turn?.kind === "malformed") {
        response.writeHead(200, { "content-type": "application/json" });
        response.end('{"choices": [ {"message": ');
        return;
      }
      if (turn?.kind === "stream-stops") {
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.write(
          protocol === "anthropic"
            ? `event: content_block_delta\ndata: ${JSON.stringify({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Half" } })}\n\n`
            : `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: "Half" }, finish_reason: null }] })}\n\n`,
        );
        return; // the stream goes quiet: the client's timeout must fire
      }
      const input = body.input;
      const texts = Array.isArray(input) ? input.map(String) : typeof input === "string" ? [input] : [];
      if (path.endsWith("/api/embed")) {
        sendJson(response, 200, { model, embeddings: texts.map((text) => fakeEmbedding(text)) });
        return;
      }
      if (path.endsWith("/embeddings")) {
        sendJson(response, 200, {
          object: "list",
          model,
          data: texts.map((text, index) => ({ object: "embedding", index, embedding: fakeEmbedding(text) })),
        });
        return;
      }
      const text = turn?.kind === "reply" ? turn.text : fake.respond(promptOf(protocol, body));
      const finish = turn?.kind === "reply" ? turn.finishReason : undefined;
      if (protocol === "anthropic") replyAnthropic(response, text, stream, model, finish);
      else await replyOpenAI(response, text, stream, model, finish, fake.pieceDelayMs);
    })().catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = protocol === "openai" ? `http://127.0.0.1:${port}/v1` : `http://127.0.0.1:${port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return fake;
}
