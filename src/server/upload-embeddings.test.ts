/**
 * hearth serve with an embedding model (a loopback server speaking Ollama's /api/embed): uploads get their vectors
 * in the same queue, as after `hearth ingest`, and the upload's `done` event says how many; when the model fails,
 * the documents are still ingested and `done` says why there are no vectors.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusPath } from "../loaders/loader-contract.ts";
import type { FakeModelServer } from "../providers/testing/fake-model-server.ts";
import { startFakeModelServer } from "../providers/testing/fake-model-server.ts";
import { startServerWithAdmin } from "./test-support.ts";
import type { ApiClient, TestServer } from "./test-support.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";

describe.skipIf(withoutCorpus())("hearth serve: uploads with an embedding model", () => {
  let ollama: FakeModelServer;
  let server: TestServer;
  let admin: ApiClient;
  let workspaceId: string;

  beforeAll(async () => {
    ollama = await startFakeModelServer("ollama");
    ({ server, admin, workspaceId } = await startServerWithAdmin((config) => ({ ...config, embeddings: { provider: "ollama", baseUrl: ollama.url, model: "nomic-embed-text" } })));
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await ollama.close();
  });

  it("embeds the new passages after the upload and says so in done", async () => {
    const name = "Somerset Homes and Horizons Members Briefing.pptx";
    const { events } = await admin.uploadAndWait(workspaceId, [{ name, bytes: readFileSync(corpusPath(`library/${name}`)) }]);
    const done = events.at(-1) as { event: string; data: { ingested: number; embedded?: number } };
    expect(done.event).toBe("done");
    expect(done.data.ingested).toBe(1);
    expect(done.data.embedded).toBeGreaterThan(0);
    expect(ollama.requests.some((request) => request.path.endsWith("/api/embed"))).toBe(true);
  });

  it("still ingests when the embedding model fails, and says why there are no vectors", async () => {
    ollama.script.push({ kind: "status", status: 500 }, { kind: "status", status: 500 }, { kind: "status", status: 500 });
    const name = "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf";
    const { events } = await admin.uploadAndWait(workspaceId, [{ name, bytes: readFileSync(corpusPath(`library/${name}`)) }]);
    const done = events.at(-1) as { event: string; data: { ingested: number; embedded?: number; embeddingError?: string } };
    expect(done.data.ingested).toBe(1);
    expect(done.data.embedded).toBeUndefined();
    expect(done.data.embeddingError).toMatch(/500.*Keyword search still works; an admin can run hearth embed\.$/);
  });
});
