import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusPath } from "../loaders/loader-contract.ts";
import { createOllamaEmbeddings } from "../providers/embeddings.ts";
import type { FakeModelServer } from "../providers/testing/fake-model-server.ts";
import { startFakeModelServer } from "../providers/testing/fake-model-server.ts";
import type { EmbeddingModel } from "../providers/types.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import type { SqliteStore } from "../store/sqlite-store.ts";
import { sampleDocument } from "../store/test-fixtures/sample-documents.ts";
import type { PassageHit } from "../store/types.ts";
import { embedLibrary } from "./embed-library.ts";
import { createHybridSearcher, reciprocalRankFusion } from "./hybrid.ts";
import { createSearcher } from "./search.ts";

const hit = (chunkId: number): PassageHit => ({ chunkId }) as PassageHit;

describe("reciprocal-rank fusion", () => {
  it("adds 1 / (k + rank) over the lists, so agreement beats one high rank", async () => {
    const fused = reciprocalRankFusion([[hit(1), hit(2), hit(3)], [hit(3), hit(4), hit(2)]], 60);
    expect(fused.map(({ item }) => item.chunkId)).toEqual([3, 2, 1, 4]);
    expect(fused[0]!.score).toBeCloseTo(1 / 63 + 1 / 61);
  });
});

describe("hybrid retrieval and embedding the library", () => {
  let server: FakeModelServer;
  let store: SqliteStore;
  let embeddings: EmbeddingModel;
  const text = ["Children's homes in the county cost £2,278 per week.", "Foster carers are recruited through the fostering hub.", "Staff turnover in residential care is high."].join("\n\n");

  beforeAll(async () => {
    server = await startFakeModelServer("ollama");
    store = openSqliteStore({ path: ":memory:" });
    const sample = sampleDocument(corpusPath("formats/County plan.txt"), { format: "text", paged: true, paragraphsPerPage: 1, text });
    await store.documents.replace(sample.document, sample.units, sample.chunks);
    embeddings = createOllamaEmbeddings({ baseURL: server.url, model: "nomic-embed-text" });
  });
  afterAll(async () => {
    await store.close();
    await server.close();
  });

  it("uses keyword search alone, saying why, until the library is embedded", async () => {
    const searcher = createHybridSearcher({ store, searcher: createSearcher(store), embeddings });
    const result = await searcher.search("foster carers", { limit: 3 });
    expect(result.mode).toBe("bm25");
    expect(result.note).toMatch(/no vectors from ollama:nomic-embed-text yet; run `hearth embed`/);
    expect(result.results[0]?.text).toContain("Foster carers");
  });

  it("embeds only passages without vectors, then fuses keyword and vector results", async () => {
    const first = await embedLibrary({ store, model: embeddings });
    expect(first.ok && first.value).toEqual({ embedded: 3, total: 3, model: "ollama:nomic-embed-text" });
    const requests = server.requests.length;
    const second = await embedLibrary({ store, model: embeddings });
    expect(second.ok && second.value.embedded).toBe(0);
    expect(server.requests.length).toBe(requests);

    const searcher = createHybridSearcher({ store, searcher: createSearcher(store), embeddings });
    // "turnover" is in one passage only; the vector side also ranks by shared words.
    const result = await searcher.search("staff turnover residential", { limit: 2 });
    expect(result.mode).toBe("hybrid");
    expect(result.note).toBeNull();
    expect(result.results[0]?.text).toContain("Staff turnover");
  });

  it("redacts what it embeds when asked", async () => {
    const other = openSqliteStore({ path: ":memory:" });
    const sample = sampleDocument(corpusPath("formats/Casework.txt"), { format: "text", paged: true, text: "The young person, Amy Jones, lives at 3 Mill Lane." });
    await other.documents.replace(sample.document, sample.units, sample.chunks);
    server.requests.length = 0;
    // Redaction is the model chain's (as createEmbeddingModel builds it for a cloud endpoint).
    await embedLibrary({ store: other, model: createOllamaEmbeddings({ baseURL: server.url, model: "nomic-embed-text", redact: {} }) });
    expect(server.requests[0]!.raw).not.toMatch(/Amy|Jones|Mill Lane/);
    expect(server.requests[0]!.raw).toContain("⟦PERSON_1⟧");
    await other.close();
  });

  it("falls back to keyword search when the embedding model fails", async () => {
    server.script.push({ kind: "status", status: 401 });
    const searcher = createHybridSearcher({ store, searcher: createSearcher(store), embeddings: createOllamaEmbeddings({ baseURL: server.url, model: "nomic-embed-text", maxRetries: 0 }) });
    const result = await searcher.search("foster carers", { limit: 3 });
    expect(result.mode).toBe("bm25");
    expect(result.note).toMatch(/^Keyword search only: The embedding model at .* asked for an API key \(401\)/);
  });
});
