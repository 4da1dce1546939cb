import { httpLanguageModelContract } from "./language-model-contract.ts";
import { anthropicVersion, createAnthropic } from "./anthropic.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeModelServer } from "./testing/fake-model-server.ts";
import { startFakeModelServer } from "./testing/fake-model-server.ts";

httpLanguageModelContract("Anthropic messages", {
  protocol: "anthropic",
  create: (options) => createAnthropic({ ...options, model: "test-model" }),
  keyHeader: { name: "x-api-key", value: (key) => key },
  imageIn: (body) => (body.messages as { content: unknown }[])[0]?.content,
});

describe("Anthropic specifics", () => {
  let server: FakeModelServer;
  beforeAll(async () => {
    server = await startFakeModelServer("anthropic");
  });
  afterAll(async () => {
    await server.close();
  });

  it("posts to /v1/messages with the API version, the system prompt apart and a reply limit", async () => {
    const model = createAnthropic({ baseURL: server.url, apiKey: "k", model: "claude-sonnet-4-5" });
    const result = await model.generate({ system: "Be brief.", messages: [{ role: "user", content: "Hello" }] });
    expect(result.ok).toBe(true);
    const sent = server.requests[0]!;
    expect(sent.path).toBe("/v1/messages");
    expect(sent.headers["anthropic-version"]).toBe(anthropicVersion);
    expect(sent.body.system).toBe("Be brief.");
    expect(sent.body.max_tokens).toBe(2048);
    expect(model.supportsImages).toBe(true);
    expect(createAnthropic({ model: "claude-sonnet-4-5" }).local).toBe(false);
  });
});
