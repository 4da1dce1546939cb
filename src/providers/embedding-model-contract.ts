/**
 * The shared suite every EmbeddingModel passes, against a loopback server speaking its protocol: vectors in order,
 * batching, and clear failures (401, 500, malformed JSON, a hang) that never hold the API key.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeModelServer, Protocol } from "./testing/fake-model-server.ts";
import { fakeEmbedding, startFakeModelServer } from "./testing/fake-model-server.ts";
import type { EmbeddingModel, RequestRecord } from "./types.ts";

export interface EmbeddingSubject {
  protocol: Protocol;
  path: string;
  create(options: { baseURL: string; apiKey: string; timeoutMs: number; maxRetries: number; batchSize: number; onRequest: (record: RequestRecord) => void }): EmbeddingModel;
}

export function embeddingModelContract(name: string, subject: EmbeddingSubject): void {
  describe(`EmbeddingModel contract: ${name}`, () => {
    const apiKey = "emb-SECRET-key-987654321";
    let server: FakeModelServer;
    let log: RequestRecord[];
    const model = (overrides: Partial<{ timeoutMs: number; maxRetries: number; batchSize: number }> = {}): EmbeddingModel =>
      subject.create({ baseURL: server.url, apiKey, timeoutMs: 5_000, maxRetries: 0, batchSize: 2, onRequest: (record) => log.push(record), ...overrides });

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

    it("returns one vector per text, in order, in batches", async () => {
      const texts = ["weekly cost of residential care", "Ofsted inspection", "foster carers", "sufficiency duty", "staff"];
      const result = await model().embed(texts);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.value).toEqual(texts.map((text) => fakeEmbedding(text)));
      expect(server.requests.map((request) => request.path)).toEqual([subject.path, subject.path, subject.path]);
      expect(server.requests[0]!.body.input).toEqual(texts.slice(0, 2));
      // One request-log line for the call, counting its three batches.
      expect(log).toHaveLength(1);
      expect(log[0]!.requests).toBe(3);
      expect(log.every((record) => record.kind === "embeddings" && !JSON.stringify(record).includes("Ofsted"))).toBe(true);
    });

    it("401: a clear message naming the embeddings setting, never the key", async () => {
      server.script.push({ kind: "status", status: 401, body: JSON.stringify({ error: `bad key ${apiKey}` }) });
      const result = await model().embed(["a text"]);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.message).toBe(`The embedding model at ${server.url} refused the API key (401). Check HEARTH_EMBEDDINGS_API_KEY.`);
    });

    it("500 and malformed JSON: clear failures", async () => {
      server.script.push({ kind: "status", status: 500, body: JSON.stringify({ error: `out of memory ${apiKey}` }) });
      const failed = await model().embed(["a text"]);
      expect(!failed.ok && failed.error.message).toMatch(/The embedding model at .* failed \(500: out of memory \[key\]\)/);
      server.script.push({ kind: "malformed" });
      const malformed = await model().embed(["a text"]);
      expect(!malformed.ok && malformed.error.code).toBe("PROVIDER_BAD_RESPONSE");
    });

    it("a hang: times out", async () => {
      server.script.push({ kind: "hang" });
      const result = await model({ timeoutMs: 200 }).embed(["a text"]);
      expect(!result.ok && result.error.code).toBe("TIMEOUT");
    });
  });
}
