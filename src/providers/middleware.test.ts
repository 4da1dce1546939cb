import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.ts";
import { createOllamaEmbeddings } from "./embeddings.ts";
import { createLanguageModel } from "./from-config.ts";
import { callLog, deadline, redaction, retry, wrapLanguageModel } from "./middleware.ts";
import type { CallRecord } from "./middleware.ts";
import { chainLanguageModel } from "./model-chain.ts";
import { createOpenAICompatible, createOpenAICompatibleWire } from "./openai-compatible.ts";
import type { FakeModelServer } from "./testing/fake-model-server.ts";
import { startFakeModelServer } from "./testing/fake-model-server.ts";
import type { RequestRecord } from "./types.ts";

describe("the language model middleware chain", () => {
  let server: FakeModelServer;
  const wire = () => createOpenAICompatibleWire({ baseURL: server.url, model: "test-model" });
  const ask = { system: "Answer.", messages: [{ role: "user" as const, content: "Jack Smith, DOB: 12/03/2010, moved in." }] };

  beforeAll(async () => {
    server = await startFakeModelServer("openai");
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
    server.script.length = 0;
    server.pieceDelayMs = 0;
    server.respond = ({ user }) => `Noted: ${user}`;
  });

  it("redacts every message before it is sent and restores the reply and the stream", async () => {
    const model = wrapLanguageModel(wire(), [redaction({ names: ["Jack Smith"] })]);
    const streamed: string[] = [];
    const result = await model.generate(ask, { onToken: (token) => streamed.push(token) });
    expect(server.requests[0]!.raw).not.toContain("Jack Smith");
    expect(server.requests[0]!.raw).toContain("⟦PERSON_1⟧");
    if (!result.ok) throw result.error;
    expect(result.value.text).toBe("Noted: Jack Smith, DOB: 12/03/2010, moved in.");
    expect(streamed.join("")).toBe(result.value.text);
  });

  it("the wire alone makes one request and does not retry", async () => {
    server.script.push({ kind: "status", status: 503 });
    const result = await wire().generate(ask);
    expect(!result.ok && result.error.message).toMatch(/failed \(503: scripted failure 503\)\.$/);
    expect(server.requests).toHaveLength(1);
  });

  it("retries a 429 after the Retry-After the server named, and a 5xx after a pause", async () => {
    server.script.push({ kind: "status", status: 429, headers: { "retry-after-ms": "300" } }, { kind: "status", status: 502 });
    const model = wrapLanguageModel(wire(), [retry({ retries: 2, baseDelayMs: 10 })]);
    const result = await model.generate(ask);
    expect(result.ok).toBe(true);
    expect(server.requests).toHaveLength(3);
    const [first, second] = server.requests;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(290);
  });

  it("does not retry what would fail again (a refused key), and says how many retries failed", async () => {
    server.script.push({ kind: "status", status: 401 });
    const refused = await wrapLanguageModel(wire(), [retry({ retries: 2, baseDelayMs: 10 })]).generate(ask);
    expect(!refused.ok && refused.error.code).toBe("PROVIDER_AUTH");
    expect(server.requests).toHaveLength(1);

    server.script.push({ kind: "status", status: 500 }, { kind: "status", status: 500 }, { kind: "status", status: 500 });
    const failed = await wrapLanguageModel(wire(), [retry({ retries: 2, baseDelayMs: 10 })]).generate(ask);
    expect(!failed.ok && failed.error.message).toMatch(/failed \(500: scripted failure 500\) after 2 retries\.$/);
    expect(server.requests).toHaveLength(4);
  });

  it("a Retry-After longer than worth waiting fails at once, saying when to try again", async () => {
    server.script.push({ kind: "status", status: 429, headers: { "retry-after": "90" } });
    const result = await wrapLanguageModel(wire(), [retry({ retries: 2, maxWaitMs: 5_000 })]).generate(ask);
    expect(!result.ok && result.error.message).toMatch(/is limiting requests \(429\); try again in 90 s\.$/);
    expect(server.requests).toHaveLength(1);
  });

  it("does not retry a call that already streamed part of its reply", async () => {
    server.script.push({ kind: "stream-stops" });
    const model = wrapLanguageModel(wire(), [deadline({ silenceMs: 300 }), retry({ retries: 2, baseDelayMs: 10 })]);
    const result = await model.generate(ask, { onToken: () => undefined });
    expect(!result.ok && result.error.message).toMatch(/stopped sending for 0\.3 s\. Raise HEARTH_LLM_TIMEOUT_S/);
    expect(server.requests).toHaveLength(1);
  });

  it("a total deadline cuts a slow stream that never goes quiet", async () => {
    server.pieceDelayMs = 80;
    server.respond = () => "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen.";
    const tokens: string[] = [];
    const model = wrapLanguageModel(wire(), [deadline({ silenceMs: 5_000, totalMs: 400 })]);
    const started = Date.now();
    const result = await model.generate(ask, { onToken: (token) => tokens.push(token) });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("TIMEOUT");
    expect(result.error.message).toMatch(/did not finish within 0\.4 s\. Raise HEARTH_LLM_TIMEOUT_S/);
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.length).toBeLessThan(15);
  });

  it("the silence deadline does not count a retry's pause, and a steady stream outlives it", async () => {
    server.pieceDelayMs = 60;
    server.respond = () => "one two three four five six seven eight.";
    server.script.push({ kind: "status", status: 429, headers: { "retry-after-ms": "400" } });
    const model = wrapLanguageModel(wire(), [deadline({ silenceMs: 250 }), retry({ retries: 1 })]);
    const result = await model.generate(ask, { onToken: () => undefined });
    expect(result.ok && result.value.text).toBe("one two three four five six seven eight.");
  });

  it("a deadline with no wire to watch (a local model) fails the call as a timeout", async () => {
    const local = {
      ...wire(),
      generate: (_request: unknown, options: { signal?: AbortSignal } = {}) =>
        new Promise<never>((_resolve, reject) => options.signal?.addEventListener("abort", () => reject(new Error("aborted")))).catch((error: unknown) => ({
          ok: false as const,
          error: Object.assign(new Error(String(error)), { code: "PROVIDER_FAILED" as const, subject: undefined, name: "HearthError" }),
        })),
    };
    const result = await wrapLanguageModel(local, [deadline({ totalMs: 200 })]).generate(ask);
    expect(!result.ok && result.error.code).toBe("TIMEOUT");
    expect(!result.ok && result.error.message).toMatch(/The model openai:test-model did not finish within 0\.2 s/);
  });

  it("the chain logs each call once, however many requests it took, with the bytes of all of them", async () => {
    const records: RequestRecord[] = [];
    server.script.push({ kind: "status", status: 503 });
    const model = createOpenAICompatible({ baseURL: server.url, model: "test-model", maxRetries: 2, onRequest: (record) => records.push(record), redact: { names: ["Jack Smith"] } });
    const result = await model.generate(ask);
    expect(result.ok).toBe(true);
    expect(server.requests).toHaveLength(2);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ provider: "openai", model: "test-model", kind: "chat", status: 200, outcome: "ok", requests: 2, local: true });
    expect(records[0]!.bytesSent).toBe(server.requests.reduce((sum, request) => sum + Buffer.byteLength(request.raw), 0));
    // Redaction is outside the retries: the second try went redacted too.
    for (const request of server.requests) expect(request.raw).not.toContain("Jack Smith");
    expect(JSON.stringify(records[0])).not.toMatch(/Jack|PERSON|moved in/);
  });

  it("a failed call is logged once too, with the last status", async () => {
    const records: RequestRecord[] = [];
    server.script.push({ kind: "status", status: 500 }, { kind: "status", status: 500 });
    const model = chainLanguageModel(wire(), { maxRetries: 1, onRequest: (record) => records.push(record) });
    const result = await model.generate(ask);
    expect(result.ok).toBe(false);
    expect(records).toEqual([expect.objectContaining({ status: 500, outcome: "error", requests: 2 })]);
  });

  it("embedding models go through the same chain: one record per call, retried, redacted", async () => {
    const ollama = await startFakeModelServer("ollama");
    try {
      const records: RequestRecord[] = [];
      ollama.script.push({ kind: "status", status: 503 });
      const model = createOllamaEmbeddings({ baseURL: ollama.url, model: "nomic-embed-text", batchSize: 2, onRequest: (record) => records.push(record), redact: {} });
      const result = await model.embed(["The young person, Amy Jones, moved in.", "staff", "foster carers"]);
      expect(result.ok && result.value).toHaveLength(3);
      expect(ollama.requests).toHaveLength(3);
      expect(ollama.requests[0]!.raw).not.toContain("Amy Jones");
      expect(records).toEqual([expect.objectContaining({ kind: "embeddings", provider: "ollama", requests: 3, status: 200, outcome: "ok" })]);
    } finally {
      await ollama.close();
    }
  });

  it("createLanguageModel builds the chain from the settings: redaction as privacy says, the request log, retries", async () => {
    const config = loadConfig({
      HEARTH_DATA_DIR: "/tmp/hearth-unused",
      HEARTH_LLM_PROVIDER: "openai",
      HEARTH_LLM_BASE_URL: server.url,
      HEARTH_LLM_MODEL: "test-model",
      HEARTH_LLM_MAX_RETRIES: "1",
      HEARTH_REDACT: "always",
      HEARTH_REDACT_NAMES: "Jack Smith",
    });
    if (!config.ok) throw config.error;
    const records: RequestRecord[] = [];
    const built = createLanguageModel(config.value, (record) => records.push(record));
    if (!built.ok || !built.value) throw new Error("no model");
    server.script.push({ kind: "status", status: 500 });
    const result = await built.value.generate(ask);
    expect(result.ok && result.value.text).toBe("Noted: Jack Smith, DOB: 12/03/2010, moved in.");
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.raw).not.toContain("Jack Smith");
    expect(records).toEqual([expect.objectContaining({ requests: 2, status: 200 })]);
  });

  it("the call log records first-token and total times once per call", async () => {
    const records: CallRecord[] = [];
    server.script.push({ kind: "status", status: 503 });
    const model = wrapLanguageModel(wire(), [callLog((record) => records.push(record)), retry({ retries: 2, baseDelayMs: 10 })]);
    const result = await model.generate(ask, { onToken: () => undefined });
    expect(result.ok).toBe(true);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ model: "openai:test-model", streamed: true, outcome: "ok", finishReason: "stop" });
    expect(records[0]!.firstTokenMs).not.toBeNull();
  });
});
