import { httpLanguageModelContract } from "./language-model-contract.ts";
import { createOpenAICompatible } from "./openai-compatible.ts";
import { authorisationHeaders } from "./openai-compatible.ts";
import { describe, expect, it } from "vitest";

httpLanguageModelContract("OpenAI-compatible chat completions", {
  protocol: "openai",
  create: (options) => createOpenAICompatible({ ...options, model: "test-model" }),
  keyHeader: { name: "authorization", value: (key) => `Bearer ${key}` },
  imageIn: (body) => (body.messages as { content: unknown }[])[1]?.content,
});

describe("OpenAI-compatible specifics", () => {
  it("sends Azure OpenAI keys in the api-key header", () => {
    expect(authorisationHeaders("https://contoso.openai.azure.com/openai/v1", "k")).toEqual({ "api-key": "k" });
    expect(authorisationHeaders("http://127.0.0.1:11434/v1", "k")).toEqual({ authorization: "Bearer k" });
    expect(authorisationHeaders("http://127.0.0.1:11434/v1", undefined)).toEqual({});
  });

  it("treats loopback endpoints as local and others as off the machine", () => {
    expect(createOpenAICompatible({ baseURL: "http://127.0.0.1:11434/v1", model: "m" }).local).toBe(true);
    expect(createOpenAICompatible({ baseURL: "http://localhost:8080/v1", model: "m" }).local).toBe(true);
    expect(createOpenAICompatible({ baseURL: "https://api.openai.com/v1", model: "m" }).local).toBe(false);
  });

  it("guesses image support from the model name", () => {
    expect(createOpenAICompatible({ baseURL: "https://api.openai.com/v1", model: "gpt-4o-mini" }).supportsImages).toBe(true);
    expect(createOpenAICompatible({ baseURL: "http://127.0.0.1:11434/v1", model: "llama3.1:8b" }).supportsImages).toBe(false);
    expect(createOpenAICompatible({ baseURL: "http://127.0.0.1:11434/v1", model: "llama3.1:8b", supportsImages: true }).supportsImages).toBe(true);
  });
});
