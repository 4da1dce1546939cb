/**
 * The shared suites every LanguageModel passes. `languageModelContract` needs only a model that answers;
 * `httpLanguageModelContract` runs a provider against a loopback server speaking its wire protocol and checks each
 * failure a real endpoint produces (401, 429 with Retry-After, 500, a hang, a stalled stream, malformed JSON, a
 * closed port) comes back as a clear message that never holds the API key.
 */
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeModelServer, Protocol } from "./testing/fake-model-server.ts";
import { startFakeModelServer } from "./testing/fake-model-server.ts";
import type { GenerateRequest, LanguageModel, RequestRecord } from "./types.ts";

const request: GenerateRequest = {
  system: "You are a careful assistant.",
  messages: [{ role: "user", content: "What is the weekly cost?" }],
  maxTokens: 200,
};

const image = { mediaType: "image/png", data: "iVBORw0KGgo=", name: "bedroom.png" };

export interface BasicSubject {
  /** A model whose next reply is `reply`. */
  create(reply: string, options: { supportsImages: boolean }): Promise<LanguageModel> | LanguageModel;
}

export function languageModelContract(name: string, subject: BasicSubject): void {
  describe(`LanguageModel contract: ${name}`, () => {
    it("answers a request", async () => {
      const model = await subject.create("The weekly cost is £2,278.", { supportsImages: false });
      const result = await model.generate(request);
      expect(result.ok && result.value.text).toBe("The weekly cost is £2,278.");
      expect(model.id).toContain(model.provider);
    });

    it("streams the reply piece by piece, the pieces making the whole", async () => {
      const model = await subject.create("One two three four five.", { supportsImages: false });
      const tokens: string[] = [];
      const result = await model.generate(request, { onToken: (token) => tokens.push(token) });
      expect(result.ok && result.value.text).toBe("One two three four five.");
      expect(tokens.length).toBeGreaterThan(1);
      expect(tokens.join("")).toBe("One two three four five.");
    });

    it("refuses images with a clear message when the model does not accept them", async () => {
      const model = await subject.create("unused", { supportsImages: false });
      expect(model.supportsImages).toBe(false);
      const result = await model.generate({ ...request, messages: [{ role: "user", content: "Check this room", images: [image] }] });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe("IMAGES_NOT_SUPPORTED");
        expect(result.error.message).toMatch(/does not accept images/);
      }
    });
  });
}

export interface HttpSubject {
  protocol: Protocol;
  create(options: {
    baseURL: string;
    apiKey: string | undefined;
    timeoutMs: number;
    maxRetries: number;
    supportsImages: boolean;
    onRequest: (record: RequestRecord) => void;
  }): LanguageModel;
  /** The header carrying the key, and its value for a key. */
  keyHeader: { name: string; value: (key: string) => string };
  /** Where an image sits in the recorded request body. */
  imageIn: (body: Record<string, unknown>) => unknown;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function httpLanguageModelContract(name: string, subject: HttpSubject): void {
  const apiKey = "sk-test-SECRET-0123456789abcdef";
  let server: FakeModelServer;
  let log: RequestRecord[];
  const model = (overrides: Partial<{ apiKey: string | undefined; timeoutMs: number; maxRetries: number; supportsImages: boolean; baseURL: string }> = {}): LanguageModel =>
    subject.create({
      baseURL: server.url,
      apiKey,
      timeoutMs: 5_000,
      maxRetries: 1,
      supportsImages: false,
      onRequest: (record) => log.push(record),
      ...overrides,
    });
  const expectNoKey = (text: string): void => {
    expect(text).not.toContain(apiKey);
    expect(text).not.toContain("SECRET-0123");
  };

  describe(`LanguageModel over HTTP: ${name}`, () => {
    beforeAll(async () => {
      server = await startFakeModelServer(subject.protocol);
    });
    afterAll(async () => {
      await server.close();
    });
    beforeEach(() => {
      server.script.length = 0;
      server.requests.length = 0;
      log = [];
    });

    languageModelContract(name, {
      create: (reply, options) => {
        server.script.push({ kind: "reply", text: reply });
        return model(options);
      },
    });

    it("sends the system prompt, the question and the key in the protocol's header", async () => {
      const result = await model().generate(request);
      expect(result.ok).toBe(true);
      const sent = server.requests[0]!;
      expect(sent.headers[subject.keyHeader.name]).toBe(subject.keyHeader.value(apiKey));
      expect(sent.raw).toContain("You are a careful assistant.");
      expect(sent.raw).toContain("What is the weekly cost?");
      expect(sent.body.model).toBe("test-model");
    });

    it("sends images in the protocol's shape when the model accepts them", async () => {
      const result = await model({ supportsImages: true }).generate({
        ...request,
        messages: [{ role: "user", content: "Check this room", images: [image] }],
      });
      expect(result.ok).toBe(true);
      expect(JSON.stringify(subject.imageIn(server.requests[0]!.body))).toContain("iVBORw0KGgo=");
    });

    it("logs each call with its size and no content or key", async () => {
      await model().generate(request);
      expect(log).toHaveLength(1);
      const record = log[0]!;
      expect(record.requests).toBe(1);
      expect(record.host).toBe(new URL(server.url).host);
      expect(record.local).toBe(true);
      expect(record.bytesSent).toBe(Buffer.byteLength(server.requests[0]!.raw));
      expect(record.bytesReceived).toBeGreaterThan(0);
      expect(record.outcome).toBe("ok");
      const line = JSON.stringify(record);
      expectNoKey(line);
      expect(line).not.toContain("weekly cost");
    });

    it("401: names the endpoint and the setting, never the key", async () => {
      server.script.push({ kind: "status", status: 401, body: JSON.stringify({ error: { message: `Incorrect API key provided: ${apiKey}` } }) });
      const result = await model().generate(request);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe("PROVIDER_AUTH");
      expect(result.error.message).toBe(`The language model at ${server.url} refused the API key (401). Check HEARTH_LLM_API_KEY.`);
      expectNoKey(result.error.message);
      expect(server.requests).toHaveLength(1);
    });

    it("401 without a key: says to set one", async () => {
      server.script.push({ kind: "status", status: 401 });
      const result = await model({ apiKey: undefined }).generate(request);
      expect(!result.ok && result.error.message).toMatch(/asked for an API key \(401\) and none is set\. Set HEARTH_LLM_API_KEY/);
    });

    it("429 with Retry-After: waits and retries", async () => {
      server.script.push({ kind: "status", status: 429, headers: { "retry-after": "0" } }, { kind: "reply", text: "Second time lucky." });
      const result = await model().generate(request);
      expect(result.ok && result.value.text).toBe("Second time lucky.");
      expect(server.requests).toHaveLength(2);
      // One request-log line for the call, counting both requests.
      expect(log.map((record) => [record.status, record.requests])).toEqual([[200, 2]]);
    });

    it("429 with a long Retry-After: fails at once saying when to try again", async () => {
      server.script.push({ kind: "status", status: 429, headers: { "retry-after": "120" } });
      const result = await model().generate(request);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe("PROVIDER_RATE_LIMITED");
      expect(result.error.message).toMatch(/is limiting requests \(429\); try again in 120 s/);
      expect(server.requests).toHaveLength(1);
    });

    it("500: retries, then reports the server's message (with any echoed key scrubbed)", async () => {
      const body = JSON.stringify({ error: { message: `model crashed; key ${apiKey}` } });
      server.script.push({ kind: "status", status: 500, body }, { kind: "status", status: 500, body });
      const result = await model().generate(request);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe("PROVIDER_FAILED");
      expect(result.error.message).toMatch(/failed \(500: model crashed; key \[key\]\) after 1 retries/);
      expectNoKey(result.error.message);
      expect(server.requests).toHaveLength(2);
    });

    it("500 once: the retry succeeds", async () => {
      server.script.push({ kind: "status", status: 503 }, { kind: "reply", text: "Recovered." });
      const result = await model().generate(request);
      expect(result.ok && result.value.text).toBe("Recovered.");
    });

    it("a server that never answers: times out with a clear message", async () => {
      server.script.push({ kind: "hang" });
      const started = Date.now();
      const result = await model({ timeoutMs: 300, maxRetries: 0 }).generate(request);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe("TIMEOUT");
      expect(result.error.message).toBe(`The language model at ${server.url} did not answer within 0.3 s. Raise HEARTH_LLM_TIMEOUT_S or check the server.`);
    });

    it("a stream that goes quiet: times out", async () => {
      server.script.push({ kind: "stream-stops" });
      const tokens: string[] = [];
      const result = await model({ timeoutMs: 300, maxRetries: 0 }).generate(request, { onToken: (token) => tokens.push(token) });
      expect(!result.ok && result.error.code).toBe("TIMEOUT");
      expect(!result.ok && result.error.message).toMatch(/stopped sending for 0\.3 s/);
    });

    it("malformed JSON: says the reply cannot be read", async () => {
      server.script.push({ kind: "malformed" });
      const result = await model().generate(request);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe("PROVIDER_BAD_RESPONSE");
      expect(result.error.message).toMatch(new RegExp(`^The language model at ${server.url.replace(/[.]/g, "\\.")} sent a reply Hearth cannot read`));
    });

    it("nothing listening: says the server cannot be reached", async () => {
      const port = await closedPort();
      const baseURL = subject.protocol === "openai" ? `http://127.0.0.1:${port}/v1` : `http://127.0.0.1:${port}`;
      const result = await model({ baseURL, maxRetries: 0 }).generate(request);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe("PROVIDER_UNAVAILABLE");
      expect(result.error.message).toMatch(/cannot be reached .*Is the server running\? Check HEARTH_LLM_BASE_URL\./);
    });

    it("an aborted request stops", async () => {
      server.script.push({ kind: "hang" });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const result = await model().generate(request, { signal: controller.signal });
      expect(!result.ok && result.error.message).toMatch(/cancelled/);
    });
  });
}
