import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { callLog, deadline, redaction, retry, wrapLanguageModel } from "./middleware.ts";
import type { CallRecord } from "./middleware.ts";
import { createOpenAICompatible } from "./openai-compatible.ts";
import type { FakeModelServer } from "./testing/fake-model-server.ts";
import { startFakeModelServer } from "./testing/fake-model-server.ts";

describe("the language model middleware chain", () => {
  let server: FakeModelServer;
  const base = () => createOpenAICompatible({ baseURL: server.url, model: "test-model", maxRetries: 0, timeoutMs: 5_000 });
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
    server.respond = ({ user }) => `Noted: ${user}`;
  });

  it("redacts every message before it is sent and restores the reply and the stream", async () => {
    const model = wrapLanguageModel(base(), [redaction({ names: ["Jack Smith"] })]);
    const streamed: string[] = [];
    const result = await model.generate(ask, { onToken: (token) => streamed.push(token) });
    expect(server.requests[0]!.raw).not.toContain("Jack Smith");
    expect(server.requests[0]!.raw).toContain("⟦PERSON_1⟧");
    if (!result.ok) throw result.error;
    expect(result.value.text).toBe("Noted: Jack Smith, DOB: 12/03/2010, moved in.");
    expect(streamed.join("")).toBe(result.value.text);
  });

  it("retries a failed call with backoff before anything streamed, and logs one record per call", async () => {
    const records: CallRecord[] = [];
    server.script.push({ kind: "status", status: 503 });
    const model = wrapLanguageModel(base(), [callLog((record) => records.push(record)), retry({ retries: 2, baseDelayMs: 10 })]);
    const result = await model.generate(ask, { onToken: () => undefined });
    expect(result.ok).toBe(true);
    expect(server.requests).toHaveLength(2);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ model: "openai:test-model", streamed: true, outcome: "ok", finishReason: "stop" });
    expect(records[0]!.firstTokenMs).not.toBeNull();
  });

  it("does not retry a call that already streamed part of its reply", async () => {
    server.script.push({ kind: "stream-stops" });
    const model = wrapLanguageModel(createOpenAICompatible({ baseURL: server.url, model: "test-model", maxRetries: 0, timeoutMs: 300 }), [retry({ retries: 2, baseDelayMs: 10 })]);
    const result = await model.generate(ask, { onToken: () => undefined });
    expect(result.ok).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it("fails a call that runs past its deadline with a message naming the setting", async () => {
    server.script.push({ kind: "hang" });
    const model = wrapLanguageModel(base(), [deadline(200)]);
    const result = await model.generate(ask);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("TIMEOUT");
    expect(result.error.message).toMatch(/did not finish its answer within 0\.2 s\. Raise HEARTH_LLM_TIMEOUT_S/);
  });
});
